"""The evidence register: artifacts stored in the appraisal or referenced where they live, their revisions,
and where each is used.

A stored artifact keeps its bytes in the file (a Blob per distinct SHA-256, shared by identical revisions). A
referenced artifact keeps a path or URL; for a local file its size, mtime and SHA-256 are remembered so the
register can say when the file on disk no longer matches. Every change is one committed, logged transaction.

Deleting an artifact returns an `ArtifactRecord` (the rows with their ids) that `restore_artifact` puts back
exactly; stored content stays in the file until `purge_unused_blobs` runs, so undo never needs the bytes again.
Linking lives in `evidence_links` and is re-exported here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.services.artifact_files import (
    STEPS,
    Progress,
    TakenFile,
    add_revision,
    artifact_row,
    local_file,
    purge_unused_blobs,
    put_revision,
    read_revision,
    remove_revision,
    restore_revision,
    revision_record,
    revisions_of,
    save_revision,
    silent,
)
from app.services.evidence_links import (
    ADEQUACY,
    EvidenceSource,
    LinkBatch,
    LinkedPractice,
    LinkInfo,
    LinkRecord,
    LinkTarget,
    PracticeOption,
    PracticeRef,
    UnitOption,
    link_evidence,
    link_infos,
    link_problems,
    linked_practices_for,
    practice_options,
    put_links,
    record,
    redo_link_batch,
    restore_links,
    set_link_adequacy,
    undo_link_batch,
    unit_options,
    unlink_evidence,
)
from app.services.evidence_view import (
    ARTIFACT_TYPES,
    ArtifactDetail,
    ArtifactMeta,
    ArtifactRecord,
    ArtifactSummary,
    DiskStatus,
    RevisionInfo,
    RevisionRecord,
    disk_status,
    guess_type,
    is_local_file,
)
from app.services.workspace import Workspace
from app.storage.edit_guard import refuse_if_changed
from app.storage.errors import KnownError
from app.storage.schema import Artifact, ArtifactRevision, EvidenceLink, Unit

__all__ = [
    "ADEQUACY",
    "ARTIFACT_TYPES",
    "ArtifactDetail",
    "ArtifactMeta",
    "ArtifactRecord",
    "ArtifactSummary",
    "DiskStatus",
    "EvidenceSource",
    "LinkBatch",
    "LinkInfo",
    "LinkRecord",
    "LinkTarget",
    "LinkedPractice",
    "PracticeOption",
    "PracticeRef",
    "Progress",
    "RevisionInfo",
    "RevisionRecord",
    "UnitOption",
    "add_artifact_by_reference",
    "add_artifact_from_file",
    "add_revision",
    "artifact_detail",
    "delete_artifact",
    "link_evidence",
    "link_problems",
    "linked_practices_for",
    "list_artifacts",
    "practice_options",
    "purge_unused_blobs",
    "read_revision",
    "redo_link_batch",
    "remove_revision",
    "restore_artifact",
    "restore_links",
    "restore_revision",
    "save_revision",
    "set_link_adequacy",
    "undo_link_batch",
    "unit_options",
    "unlink_evidence",
    "update_artifact",
]


def _trimmed(meta: ArtifactMeta) -> ArtifactMeta:
    """The metadata as it is stored (what _checked_meta keeps), without checking it."""
    return replace(
        meta,
        title=meta.title.strip(),
        artifact_type=meta.artifact_type.strip() or "document",
        version_label=meta.version_label.strip(),
    )


def _checked_meta(session: Session, meta: ArtifactMeta) -> ArtifactMeta:
    title = meta.title.strip()
    if not title:
        raise KnownError("An artifact needs a title.")
    if len(title) > 300:
        raise KnownError("The title is too long (300 characters at most).")
    if len(meta.artifact_type.strip()) > 60 or len(meta.version_label.strip()) > 60:
        raise KnownError("The type and the version label take 60 characters at most.")
    if meta.provided_by_unit_id is not None and session.get(Unit, meta.provided_by_unit_id) is None:
        raise KnownError("The unit chosen as provider is no longer in this appraisal.")
    return _trimmed(meta)


def _apply_meta(row: Artifact, meta: ArtifactMeta) -> None:
    row.title = meta.title
    row.artifact_type = meta.artifact_type
    row.version_label = meta.version_label
    row.provided_by_unit_id = meta.provided_by_unit_id
    row.effective_date = meta.effective_date
    row.description = meta.description


def _meta(row: Artifact) -> ArtifactMeta:
    return ArtifactMeta(
        row.title, row.artifact_type, row.version_label, row.provided_by_unit_id, row.effective_date, row.description
    )


def add_artifact_from_file(
    ws: Workspace, path: Path, meta: ArtifactMeta | None = None, *, progress: Progress = silent
) -> int:
    """Store a file's content in the appraisal as a new artifact (revision 1); returns the artifact id."""
    path = local_file(path)
    taken = TakenFile(path, True, progress)
    with ws.uow() as uow:
        session = uow.session
        checked = _checked_meta(session, meta or ArtifactMeta(path.stem[:300], guess_type(path)))
        row = Artifact(added_at=datetime.now(), location="")
        _apply_meta(row, checked)
        session.add(row)
        session.flush()
        taken.revision(session, row.id)
        uow.log("add", "artifact", row.id, f"{checked.title} ({path.name}, {taken.size} bytes, {taken.sha256[:12]})")
        uow.commit()
        progress(STEPS, STEPS, path.name)
        return row.id


def add_artifact_by_reference(
    ws: Workspace, location: str, meta: ArtifactMeta | None = None, *, progress: Progress = silent
) -> int:
    """Register an artifact kept elsewhere (a path or URL); a local file's size, mtime and hash are remembered."""
    location = location.strip()
    if not location:
        raise KnownError("Give the path or web address where the artifact is kept.")
    local = is_local_file(location)
    path = local_file(Path(location)) if local else None
    taken = TakenFile(path, False, progress) if path is not None else None
    default_title = path.stem if path is not None else location.rstrip("/").rsplit("/", 1)[-1] or location
    with ws.uow() as uow:
        session = uow.session
        default_type = guess_type(path) if path is not None else "web page"
        checked = _checked_meta(session, meta or ArtifactMeta(default_title[:300], default_type))
        row = Artifact(added_at=datetime.now(), location=str(path) if path is not None else location)
        _apply_meta(row, checked)
        session.add(row)
        session.flush()
        if taken is not None:
            taken.revision(session, row.id)
        uow.log("add", "artifact", row.id, f"{checked.title} (reference to {row.location})")
        uow.commit()
        return row.id


def update_artifact(
    ws: Workspace, artifact_id: int, meta: ArtifactMeta, *, expected: ArtifactMeta | None = None
) -> ArtifactMeta:
    """Replace an artifact's metadata; returns what it was (undo sets it back).

    `expected`: the metadata as the person saw it; if someone else changed it since, nothing is written
    (StaleEditError says who and when, app/storage/edit_guard.py).
    """
    with ws.uow() as uow:
        row = artifact_row(uow.session, artifact_id)
        before = _meta(row)
        # compared as stored: what an edit wrote was normalised (trimmed) on the way
        seen = None if expected is None else _trimmed(expected)
        refuse_if_changed(uow.session, row, seen is not None and before != seen)
        checked = _checked_meta(uow.session, meta)
        _apply_meta(row, checked)
        uow.log("edit", "artifact", artifact_id, checked.title)
        uow.commit()
        return before


def _summary(row: Artifact, revisions: list[ArtifactRevision], links: int, units: dict[int, str]) -> ArtifactSummary:
    latest = revisions[-1] if revisions else None
    if row.location == "":
        status, shown = DiskStatus.STORED, latest.file_name if latest else ""
    elif latest is None or latest.blob_id is not None or not latest.source_path:
        status, shown = DiskStatus.LINK, row.location
    else:
        status, shown = (
            disk_status(latest.source_path, latest.size, latest.source_mtime, latest.sha256),
            latest.source_path,
        )
    return ArtifactSummary(
        id=row.id,
        title=row.title,
        artifact_type=row.artifact_type,
        version_label=row.version_label,
        provided_by_unit_id=row.provided_by_unit_id,
        provided_by=units.get(row.provided_by_unit_id, "") if row.provided_by_unit_id else "",
        effective_date=row.effective_date,
        location=shown,
        revision_count=len(revisions),
        link_count=links,
        disk_status=status,
        size=latest.size if latest else None,
        added_at=row.added_at,
    )


def _link_counts(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(EvidenceLink.artifact_id, func.count())
        .where(EvidenceLink.artifact_id.is_not(None))
        .group_by(EvidenceLink.artifact_id)
    )
    return {artifact_id: count for artifact_id, count in rows if artifact_id is not None}


def list_artifacts(ws: Workspace) -> tuple[ArtifactSummary, ...]:
    """The register in the order artifacts were added, with revision and link counts and disk status."""
    with ws.uow() as uow:
        session = uow.session
        units = dict(session.execute(select(Unit.id, Unit.name)).all())
        revisions = revisions_of(session)
        links = _link_counts(session)
        return tuple(
            _summary(row, revisions.get(row.id, []), links.get(row.id, 0), units)
            for row in session.scalars(select(Artifact).order_by(Artifact.id))
        )


def artifact_detail(ws: Workspace, artifact_id: int) -> ArtifactDetail:
    """One artifact: its metadata, every revision (newest last) and where it is used."""
    with ws.uow() as uow:
        session = uow.session
        row = artifact_row(session, artifact_id)
        units = dict(session.execute(select(Unit.id, Unit.name)).all())
        revisions = revisions_of(session, [artifact_id]).get(artifact_id, [])
        used = link_infos(session, EvidenceLink.artifact_id == artifact_id)
        return ArtifactDetail(
            summary=_summary(row, revisions, len(used), units),
            meta=_meta(row),
            location=row.location,
            revisions=tuple(
                RevisionInfo(
                    r.revision,
                    r.file_name,
                    r.sha256,
                    r.size,
                    r.blob_id is not None,
                    r.source_path,
                    r.source_mtime,
                    r.added_at,
                )
                for r in revisions
            ),
            links=tuple(used),
        )


def delete_artifact(ws: Workspace, artifact_id: int) -> ArtifactRecord:
    """Delete an artifact with its revisions and links; returns everything `restore_artifact` needs."""
    with ws.uow() as uow:
        session = uow.session
        row = artifact_row(session, artifact_id)
        links = tuple(
            record(r) for r in session.scalars(select(EvidenceLink).where(EvidenceLink.artifact_id == artifact_id))
        )
        revisions = tuple(revision_record(r) for r in revisions_of(session, [artifact_id]).get(artifact_id, []))
        rec = ArtifactRecord(row.id, _meta(row), row.location, row.added_at, revisions, links)
        session.delete(row)
        uow.log("delete", "artifact", artifact_id, f"{row.title} ({len(revisions)} revision(s), {len(links)} link(s))")
        uow.commit()
        return rec


def restore_artifact(ws: Workspace, rec: ArtifactRecord) -> int:
    """Put a deleted artifact back with the same ids, revisions and links."""
    with ws.uow() as uow:
        session = uow.session
        if session.get(Artifact, rec.id) is not None:
            raise KnownError(f"{rec.meta.title} is already in the register.")
        row = Artifact(id=rec.id, location=rec.location, added_at=rec.added_at)
        _apply_meta(row, rec.meta)
        if rec.meta.provided_by_unit_id is not None and session.get(Unit, rec.meta.provided_by_unit_id) is None:
            row.provided_by_unit_id = None
        session.add(row)
        session.flush()
        for revision in rec.revisions:
            put_revision(session, revision)
        session.flush()
        put_links(session, rec.links)
        uow.log("restore", "artifact", rec.id, rec.meta.title)
        uow.commit()
        return rec.id
