"""Linking evidence (artifacts and affirmations) to practices in units.

A link says "this artifact (or affirmation) supports practice P of process area A in unit U"; what may be
linked is decided by `LinkScope`. Undo needs the same rows back, ids included (later edits on the undo stack
refer to them), so every change returns full `LinkRecord`s and `restore_links` puts records back exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.domain.catalog import ModelKind
from app.services.link_scope import (
    ADEQUACY,
    EvidenceSource,
    LinkBatch,
    LinkedPractice,
    LinkInfo,
    LinkRecord,
    LinkScope,
    LinkTarget,
    PracticeOption,
    PracticeRef,
    UnitOption,
)
from app.services.workspace import Workspace
from app.storage.errors import KnownError
from app.storage.schema import CatalogModel, CatalogPractice, CatalogProcessArea, EvidenceLink, Unit

__all__ = [
    "ADEQUACY",
    "EvidenceSource",
    "LinkBatch",
    "LinkInfo",
    "LinkRecord",
    "LinkScope",
    "LinkTarget",
    "LinkedPractice",
    "PracticeOption",
    "PracticeRef",
    "UnitOption",
    "create_links",
    "link_evidence",
    "link_infos",
    "link_problems",
    "linked_practices_for",
    "practice_options",
    "put_links",
    "record",
    "redo_link_batch",
    "restore_links",
    "set_link_adequacy",
    "undo_link_batch",
    "unit_options",
    "unlink_evidence",
]


def record(row: EvidenceLink) -> LinkRecord:
    return LinkRecord(
        row.id,
        row.artifact_id,
        row.affirmation_id,
        row.process_area_id,
        row.practice_id,
        row.unit_id,
        row.adequacy,
        row.note,
    )


def _check_adequacy(adequacy: str) -> None:
    if adequacy not in ADEQUACY:
        raise KnownError(f"{adequacy!r} is not an adequacy ({', '.join(ADEQUACY)}).")


def create_links(
    session: Session,
    scope: LinkScope,
    source: EvidenceSource,
    targets: Sequence[LinkTarget],
    adequacy: str,
    note: str,
) -> LinkBatch:
    """Link `source` to every target inside the caller's transaction; existing links take the new adequacy."""
    _check_adequacy(adequacy)
    scope.validate(targets)
    created: list[LinkRecord] = []
    before: list[LinkRecord] = []
    after: list[LinkRecord] = []
    for target in dict.fromkeys(targets):
        pa_id, practice_id = scope.ids(target)
        row = session.scalars(
            select(EvidenceLink).where(
                EvidenceLink.artifact_id.is_(None)
                if source.artifact_id is None
                else EvidenceLink.artifact_id == source.artifact_id,
                EvidenceLink.affirmation_id.is_(None)
                if source.affirmation_id is None
                else EvidenceLink.affirmation_id == source.affirmation_id,
                EvidenceLink.process_area_id == pa_id,
                EvidenceLink.practice_id == practice_id,
                EvidenceLink.unit_id == target.unit_id,
            )
        ).first()
        if row is None:
            row = EvidenceLink(
                artifact_id=source.artifact_id,
                affirmation_id=source.affirmation_id,
                process_area_id=pa_id,
                practice_id=practice_id,
                unit_id=target.unit_id,
                adequacy=adequacy,
                note=note,
            )
            session.add(row)
            session.flush()
            created.append(record(row))
        elif (row.adequacy, row.note) != (adequacy, note):
            before.append(record(row))
            row.adequacy, row.note = adequacy, note
            after.append(record(row))
    session.flush()
    return LinkBatch(tuple(created), tuple(before), tuple(after))


def put_links(session: Session, records: Iterable[LinkRecord]) -> None:
    """Make each record's row exist exactly as recorded (same id), inside the caller's transaction."""
    for rec in records:
        row = session.get(EvidenceLink, rec.id)
        if row is None:
            row = EvidenceLink(id=rec.id)
            session.add(row)
        row.artifact_id = rec.artifact_id
        row.affirmation_id = rec.affirmation_id
        row.process_area_id = rec.process_area_id
        row.practice_id = rec.practice_id
        row.unit_id = rec.unit_id
        row.adequacy = rec.adequacy
        row.note = rec.note
    session.flush()


def _source_label(source: EvidenceSource) -> str:
    return (
        f"artifact {source.artifact_id}" if source.artifact_id is not None else f"affirmation {source.affirmation_id}"
    )


# --- the service calls ------------------------------------------------------------------------------------


def practice_options(ws: Workspace) -> tuple[PracticeOption, ...]:
    """Every practice evidence can be linked to, in scope order (specific, then the rated generic ones)."""
    with ws.uow() as uow:
        return tuple(LinkScope(uow.session, ws.catalog()).options)


def unit_options(ws: Workspace) -> tuple[UnitOption, ...]:
    """The sampled units, basic units first, in plan order."""
    with ws.uow() as uow:
        return tuple(LinkScope(uow.session, ws.catalog()).units.values())


def link_problems(ws: Workspace, targets: Sequence[LinkTarget]) -> tuple[str, ...]:
    """Why some of `targets` cannot be linked (empty when every one can): lets a dialog warn before OK."""
    with ws.uow() as uow:
        return tuple(LinkScope(uow.session, ws.catalog()).problems(targets))


def linked_practices_for(ws: Workspace, model: str, pa: str, practice: str) -> tuple[LinkedPractice, ...]:
    """Practices in other models the catalog links to this one (either way), limited to the appraisal's scope.

    Linking evidence to SM ESP1.2 can so offer CMMI-SVC IRP SP1.1 (and the CERT-RMM practices it relates to)
    in the same step. Reference standards (ISO 27001 clauses) are never rated and so never offered.
    """
    catalog = ws.catalog()
    with ws.uow() as uow:
        scope = LinkScope(uow.session, catalog)
    found: dict[PracticeRef, LinkedPractice] = {}
    for link in catalog.links:
        for mine, other in ((link.source, link.target), (link.target, link.source)):
            if (mine.model, mine.pa, mine.item) != (model, pa, practice) or other.item is None:
                continue
            other_model = catalog.model(other.model)
            if other_model is None or other_model.kind is ModelKind.REFERENCE:
                continue
            option = scope.by_ref.get(PracticeRef(other.model, other.pa, other.item))
            if option is not None and option.ref not in found and option.model != model:
                found[option.ref] = LinkedPractice(option, link.relation, link.rationale)
    return tuple(found.values())


def link_evidence(
    ws: Workspace,
    source: EvidenceSource,
    targets: Sequence[LinkTarget],
    *,
    adequacy: str = "adequate",
    note: str = "",
) -> LinkBatch:
    """Link an artifact or affirmation to many (practice, unit) pairs at once; all or nothing."""
    if not targets:
        raise KnownError("Choose at least one practice and one unit to link to.")
    with ws.uow() as uow:
        batch = create_links(uow.session, LinkScope(uow.session, ws.catalog()), source, targets, adequacy, note)
        uow.log("link", "evidence_link", None, f"{_source_label(source)} to {len(targets)} practice(s) × unit(s)")
        uow.commit()
        return batch


def undo_link_batch(ws: Workspace, batch: LinkBatch) -> None:
    with ws.uow() as uow:
        ids = [rec.id for rec in batch.created]
        if ids:
            uow.session.execute(delete(EvidenceLink).where(EvidenceLink.id.in_(ids)))
        put_links(uow.session, batch.before)
        uow.log("unlink", "evidence_link", None, f"undo: {len(ids)} link(s) removed, {len(batch.before)} restored")
        uow.commit()


def redo_link_batch(ws: Workspace, batch: LinkBatch) -> None:
    restore_links(ws, batch.created + batch.after)


def unlink_evidence(ws: Workspace, link_ids: Sequence[int]) -> tuple[LinkRecord, ...]:
    """Remove links; returns them as they were, for `restore_links`."""
    with ws.uow() as uow:
        rows = list(uow.session.scalars(select(EvidenceLink).where(EvidenceLink.id.in_(link_ids))))
        removed = tuple(record(row) for row in rows)
        for row in rows:
            uow.session.delete(row)
        uow.log("unlink", "evidence_link", None, f"{len(removed)} link(s): {', '.join(str(r.id) for r in removed)}")
        uow.commit()
        return removed


def restore_links(ws: Workspace, records: Sequence[LinkRecord]) -> None:
    """Put links back exactly as recorded (same ids), e.g. to undo `unlink_evidence`."""
    with ws.uow() as uow:
        put_links(uow.session, records)
        uow.log("link", "evidence_link", None, f"restored {len(records)} link(s)")
        uow.commit()


def set_link_adequacy(ws: Workspace, link_id: int, adequacy: str, note: str | None = None) -> LinkRecord:
    """Change one link's adequacy (and note); returns its previous state for `restore_links`."""
    _check_adequacy(adequacy)
    with ws.uow() as uow:
        row = uow.session.get(EvidenceLink, link_id)
        if row is None:
            raise KnownError("That link no longer exists.")
        before = record(row)
        row.adequacy = adequacy
        if note is not None:
            row.note = note
        uow.log("edit", "evidence_link", link_id, f"adequacy {adequacy}")
        uow.commit()
        return before


def link_infos(session: Session, *where: object) -> list[LinkInfo]:
    """Links (filtered by `where` clauses on EvidenceLink) with the names the user reads, in model order."""
    stmt = (
        select(EvidenceLink, CatalogModel.key, CatalogProcessArea.acronym, CatalogPractice.code, CatalogPractice.title)
        .join(CatalogProcessArea, CatalogProcessArea.id == EvidenceLink.process_area_id)
        .join(CatalogModel, CatalogModel.id == CatalogProcessArea.model_id)
        .join(CatalogPractice, CatalogPractice.id == EvidenceLink.practice_id)
    )
    for clause in where:
        stmt = stmt.where(clause)  # type: ignore[arg-type]
    units = dict(session.execute(select(Unit.id, Unit.name)).all())
    result = [
        LinkInfo(
            row.id,
            row.artifact_id,
            row.affirmation_id,
            model,
            pa,
            code,
            title,
            row.unit_id,
            units.get(row.unit_id, "?"),
            row.adequacy,
            row.note,
        )
        for row, model, pa, code, title in session.execute(stmt)
    ]
    result.sort(key=lambda i: (i.model, i.pa, i.practice, i.unit, i.id))
    return result
