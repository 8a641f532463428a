"""Merging a mini-team package back into the lead's appraisal: a preview of every change and conflict, then one
transaction.

The base is the state at split (sealed in the package), or after an earlier merge of the same package the state
that merge took, so merging the same package twice changes nothing. The package file is only read. The change
log gains the package's own entries with their authors and times; attachments come with their bytes, each
checked against its SHA-256.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.merge import RECORD, FieldChange, Side, Value, kind_of, three_way, winners
from app.domain.name_scrubber import NameScrubber
from app.domain.plan import PaKey
from app.services.package_merge_writer import WRITE_ORDER, MergeWriter, copy_log, write_key
from app.services.package_origin import origin_record
from app.services.package_snapshot import DEFAULTS, IdTranslation, read_snapshot
from app.services.packages import seal_of
from app.services.report_sources import fingerprint, participant_names
from app.services.workspace import Workspace
from app.storage.errors import KnownError
from app.storage.package_file import read_package
from app.storage.plan_repo import pa_ids as pa_ids_of
from app.storage.row_changes import RowChanges, changes_between, snapshot
from app.storage.schema import (
    Appraisal,
    CatalogGoal,
    CatalogPractice,
    CatalogProcessArea,
    ChangeLog,
    PackageRecord,
    Unit,
)

FIELD_LABELS = {
    RECORD: "whole item",
    "value": "Characterization",
    "strengths": "Strengths",
    "weaknesses": "Weaknesses",
    "notes": "Notes",
    "consensus": "Consensus",
    "review_flag": "Marked for review",
    "review_comment": "Review comment",
    "rationale": "Rationale",
    "rating": "Goal rating",
    "kind": "Kind",
    "status": "Status",
    "text": "Text",
    "process_area_id": "Process area",
    "goal_id": "Goal",
    "practice_id": "Practice",
    "title": "Title",
    "artifact_type": "Type",
    "version_label": "Version",
    "location": "Location",
    "provided_by_unit_id": "Provided by",
    "effective_date": "Effective date",
    "description": "Description",
    "files": "Attached files",
    "session": "Session",
    "adequacy": "Adequacy",
    "note": "Note",
}
KIND_LABELS = {
    "characterization": "Cell",
    "ou_characterization": "OU decision",
    "goal_override": "Goal decision",
    "finding": "Finding",
    "artifact": "Artifact",
    "affirmation": "Affirmation",
    "evidence_link": "Evidence link",
}


@dataclass(frozen=True, slots=True)
class MergeItem:
    """One change for the review panel and the CLI: the change itself and where it belongs."""

    change: FieldChange
    process_area: str
    """ "CERT-RMM VAR"; "Evidence" for artifacts and affirmations, which belong to no one process area."""
    practice: str
    unit: str
    what: str

    @property
    def field_label(self) -> str:
        return FIELD_LABELS.get(self.change.field, self.change.field)

    @property
    def conflict(self) -> bool:
        return self.change.conflict

    @property
    def ident(self) -> str:
        return self.change.ident


@dataclass(frozen=True, slots=True)
class MergePreview:
    package_path: Path
    package_uid: str
    mini_team: str
    split_at: datetime
    split_by: str
    items: tuple[MergeItem, ...]
    new_log_entries: int
    already_merged_at: datetime | None
    newer_merged: tuple[datetime, datetime] | None
    """(split, merged) of a newer package of the same mini-team already merged, when this one is older."""
    package_snapshot: dict[str, dict[str, Value]] = field(repr=False)
    lead_snapshot: dict[str, dict[str, Value]] = field(repr=False)

    @property
    def conflicts(self) -> tuple[MergeItem, ...]:
        return tuple(i for i in self.items if i.conflict)

    @property
    def empty(self) -> bool:
        return not self.items and not self.new_log_entries

    @property
    def status_lines(self) -> list[str]:
        lines = [
            f"Package for {self.mini_team}, split {self.split_at:%Y-%m-%d %H:%M} by {self.split_by}: "
            f"{len(self.items)} change(s), {len(self.conflicts)} conflict(s)."
        ]
        if self.already_merged_at is not None:
            lines.append(f"This package was already merged on {self.already_merged_at:%Y-%m-%d %H:%M}.")
        if self.newer_merged is not None:
            split_at, merged_at = self.newer_merged
            lines.append(
                f"OLDER PACKAGE: a newer package of {self.mini_team} (split {split_at:%Y-%m-%d %H:%M}) was already "
                f"merged on {merged_at:%Y-%m-%d %H:%M}; what this one changes may be out of date."
            )
        return lines


@dataclass(frozen=True, slots=True)
class MergeResult:
    written: int
    kept_lead: int
    log_entries: int
    label: str = ""
    """ "the merge of alpha.appraisal": how undo and redo name it."""
    changes: RowChanges = field(default_factory=lambda: RowChanges(()), repr=False)
    """Every row the merge changed, before and after: Edit › Undo takes the merge back as one step."""

    @property
    def undoable(self) -> bool:
        return self.changes.complete and len(self.changes) > 0


MERGED_TABLES = (
    "artifact",
    "blob",
    "artifact_revision",
    "affirmation",
    "evidence_link",
    "finding",
    "attribution_review",
    "characterization",
    "ou_characterization",
    "goal_rating_override",
    "package_record",
)
"""Every table a merge writes, but the change log: undoing a merge keeps the history of what happened."""


def _package_record(session: Session, path: Path) -> PackageRecord:
    record = origin_record(session)
    if record is None:
        raise KnownError(f"{path.name} is an appraisal, not a mini-team package; nothing was merged.")
    return record


def _issued(lead: Session, origin: PackageRecord, path: Path) -> PackageRecord:
    appraisal = lead.scalars(select(Appraisal)).one()
    if origin_record(lead) is not None:
        raise KnownError("The open file is itself a mini-team package; merge packages into the lead's appraisal.")
    if fingerprint(appraisal.id, appraisal.created_at) != origin.appraisal_fingerprint:
        raise KnownError(
            f"{path.name} was split from another appraisal, not from “{appraisal.name}”; nothing was merged."
        )
    issued = lead.scalars(
        select(PackageRecord).where(PackageRecord.role == "issued", PackageRecord.package_uid == origin.package_uid)
    ).first()
    if issued is None:
        raise KnownError(
            f"{path.name} was not split from this file (it may come from a copy of the appraisal made before the "
            "split, or the split was undone by restoring a backup); nothing was merged."
        )
    expected = seal_of(origin, issued.secret)
    if not (hmac.compare_digest(expected, origin.seal) and hmac.compare_digest(origin.seal, issued.seal)):
        raise KnownError(
            f"{path.name} is damaged or was tampered with: its origin record does not match the seal this appraisal "
            "keeps for it. Nothing was merged; ask the mini-team for their file again."
        )
    return issued


def _id_map(issued: PackageRecord) -> dict[str, dict[str, int]]:
    loaded: dict[str, dict[str, int]] = json.loads(issued.id_map) if issued.id_map else {}
    return loaded


@dataclass
class _Labels:
    pas: dict[int, str]
    practices: dict[int, str]
    goals: dict[int, str]
    units: dict[int, str]

    @classmethod
    def read(cls, session: Session) -> _Labels:
        from app.storage.schema import CatalogModel

        pas = {
            pa_id: f"{model} {acronym}"
            for pa_id, model, acronym in session.execute(
                select(CatalogProcessArea.id, CatalogModel.key, CatalogProcessArea.acronym).join(
                    CatalogModel, CatalogModel.id == CatalogProcessArea.model_id
                )
            )
        }
        practices = dict(session.execute(select(CatalogPractice.id, CatalogPractice.code)).all())
        goals = dict(session.execute(select(CatalogGoal.id, CatalogGoal.code)).all())
        units = dict(session.execute(select(Unit.id, Unit.name)).all())
        return cls(pas, practices, goals, units)


def _short(text: object, limit: int = 48) -> str:
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _any_record(change: FieldChange) -> Mapping[str, Any]:
    for side in (change.package, change.lead, change.base):
        if isinstance(side, Mapping):
            return side
    return {}


def _describe(
    change: FieldChange,
    labels: _Labels,
    package: Mapping[str, Mapping[str, Value]],
    lead: Mapping[str, Mapping[str, Value]],
) -> MergeItem:
    kind = kind_of(change.key)
    parts = change.key.split(":")
    record = package.get(change.key) or lead.get(change.key) or _any_record(change)
    if kind == "characterization":
        pa, practice, unit = (int(p) for p in parts[1:4])
        return MergeItem(
            change, labels.pas.get(pa, "?"), labels.practices.get(practice, "?"), labels.units.get(unit, "?"), "Cell"
        )
    if kind == "ou_characterization":
        pa, practice = int(parts[1]), int(parts[2])
        return MergeItem(
            change, labels.pas.get(pa, "?"), labels.practices.get(practice, "?"), "(organizational unit)", "OU decision"
        )
    if kind == "goal_override":
        pa, goal = int(parts[1]), int(parts[2])
        return MergeItem(change, labels.pas.get(pa, "?"), labels.goals.get(goal, "?"), "(goal)", "Goal decision")
    if kind == "finding":
        pa_id = record.get("process_area_id")
        practice_id = record.get("practice_id")
        return MergeItem(
            change,
            labels.pas.get(pa_id, "(organizational unit)") if isinstance(pa_id, int) else "(organizational unit)",
            labels.practices.get(practice_id, "") if isinstance(practice_id, int) else "",
            "",
            f"Finding “{_short(record.get('text'))}”",
        )
    if kind == "artifact":
        return MergeItem(change, "Evidence", "Artifacts", "", f"Artifact “{_short(record.get('title'))}”")
    if kind == "affirmation":
        return MergeItem(
            change,
            "Evidence",
            f"Session {record.get('session') or '?'}",
            "",
            f"Affirmation “{_short(record.get('text'))}”",
        )
    source, pa, practice, unit = parts[1], int(parts[2]), int(parts[3]), int(parts[4])
    source_key = f"{'artifact' if source[0] == 'a' else 'affirmation'}:{source[1:]}"
    source_record = package.get(source_key) or lead.get(source_key) or {}
    name = source_record.get("title") or source_record.get("text") or source_key
    return MergeItem(
        change,
        labels.pas.get(pa, "?"),
        labels.practices.get(practice, "?"),
        labels.units.get(unit, "?"),
        f"Evidence “{_short(name)}”",
    )


def _pa_ids(lead: Session, origin: PackageRecord) -> set[int]:
    ids = pa_ids_of(lead)
    result = set()
    for line in origin.process_areas.splitlines():
        model, _, acronym = line.partition(" ")
        pa_id = ids.get(PaKey(model, acronym))
        if pa_id is not None:
            result.add(pa_id)
    return result


_State = tuple[
    PackageRecord,
    PackageRecord,
    dict[str, Any],
    dict[str, Any],
    dict[str, Any],
    tuple[FieldChange, ...],
    "_Labels",
    int,
]


def _state(
    ws: Workspace, pkg: Session, path: Path
) -> tuple[
    PackageRecord, PackageRecord, dict[str, Any], dict[str, Any], dict[str, Any], tuple[FieldChange, ...], _Labels, int
]:
    origin = _package_record(pkg, path)
    with ws.uow() as uow:
        lead = uow.session
        issued = _issued(lead, origin, path)
        pas = _pa_ids(lead, origin)
        origin_base: dict[str, Any] = json.loads(origin.base)
        base: dict[str, Any] = json.loads(issued.base) if issued.base else origin_base
        translate = IdTranslation.build(origin_base.keys(), _id_map(issued))
        scrub = NameScrubber(participant_names(lead))
        lead_snapshot = read_snapshot(lead, pas, scrub=scrub, translate=translate)
        labels = _Labels.read(lead)
        lead.expunge(issued)
    package_snapshot = read_snapshot(pkg, pas)
    changes = three_way(base, lead_snapshot, package_snapshot, DEFAULTS)
    newest_log = pkg.scalar(select(func.max(ChangeLog.id))) or 0
    pkg.expunge(origin)
    return origin, issued, base, lead_snapshot, package_snapshot, changes, labels, int(newest_log)


def preview(ws: Workspace, path: Path, *, passphrase: str | None = None) -> MergePreview:
    """What merging the package at `path` would change; nothing is written."""
    path = Path(path).expanduser()
    with read_package(path, passphrase) as engine, Session(engine) as pkg:
        origin, issued, _base, lead_snapshot, package_snapshot, changes, labels, newest_log = _state(ws, pkg, path)
        already = issued.merged_change_id or 0
        new_log = int(pkg.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.id > already)) or 0)
        del newest_log
    with ws.uow() as uow:
        newer = uow.session.execute(
            select(PackageRecord.split_at, PackageRecord.merged_at)
            .where(
                PackageRecord.role == "issued",
                PackageRecord.mini_team == origin.mini_team,
                PackageRecord.merged_at.is_not(None),
                # Issued records are written in the order of the splits; split times are kept to the second
                # and two splits can share one.
                PackageRecord.id > issued.id,
            )
            .order_by(PackageRecord.id.desc())
        ).first()
    items = tuple(_describe(c, labels, package_snapshot, lead_snapshot) for c in changes)
    return MergePreview(
        path,
        origin.package_uid,
        origin.mini_team,
        origin.split_at,
        origin.split_by,
        items,
        new_log,
        issued.merged_at,
        (newer[0], newer[1]) if newer is not None and newer[1] is not None else None,
        package_snapshot,
        lead_snapshot,
    )


def apply(
    ws: Workspace, preview: MergePreview, take: Mapping[str, Side], *, passphrase: str | None = None
) -> MergeResult:
    """Write the merge in one transaction: every non-conflicting change, and each conflict settled for the package in
    `take` (the others keep the lead's value). Refused, with nothing written, if either file changed since `preview`."""
    path = preview.package_path
    with read_package(path, passphrase) as engine, Session(engine) as pkg:
        origin, issued, _base, lead_snapshot, package_snapshot, changes, _labels, newest_log = _state(ws, pkg, path)
        if package_snapshot != preview.package_snapshot:
            raise KnownError(f"{path.name} changed since the preview; preview the merge again. Nothing was merged.")
        if lead_snapshot != preview.lead_snapshot:
            raise KnownError(
                "The appraisal changed since the preview (the same cells or evidence); preview the merge again. "
                "Nothing was merged."
            )
        chosen = winners(changes, take)
        by_key: dict[str, list[FieldChange]] = {}
        for change in chosen:
            by_key.setdefault(change.key, []).append(change)
        with ws.uow() as uow:
            lead = uow.session
            issued_row = lead.get(PackageRecord, issued.id)
            assert issued_row is not None
            scrub = NameScrubber(participant_names(lead))
            before = snapshot(lead, MERGED_TABLES)
            writer = MergeWriter(lead, pkg, set(json.loads(origin.base)), _id_map(issued_row), scrub)
            for key in sorted(by_key, key=lambda k: (WRITE_ORDER[kind_of(k)], k)):
                write_key(writer, key, by_key[key], lead_snapshot.get(key))
            writer.finish()
            copied = copy_log(lead, pkg, issued_row.merged_change_id or 0, writer, origin.mini_team)
            issued_row.base = json.dumps(package_snapshot, sort_keys=True, ensure_ascii=False)
            issued_row.merged_at = datetime.now()
            issued_row.merged_by = ws.who
            issued_row.merged_change_id = newest_log
            issued_row.id_map = json.dumps(writer.id_map, sort_keys=True)
            kept = len(changes) - len(chosen)
            lead.flush()
            journal = changes_between(lead, before)
            uow.log(
                "merge",
                "package",
                issued_row.id,
                f"package for {origin.mini_team} ({path.name}): {len(chosen)} change(s) taken, {kept} conflict(s) kept "
                "as the lead had them",
            )
            uow.commit()
    return MergeResult(len(chosen), kept, copied, f"the merge of {path.name}", journal)


def settle_all(preview: MergePreview, side: Side) -> dict[str, Side]:
    """Every conflict settled the same way (the CLI's --accept theirs|ours)."""
    return {item.ident: side for item in preview.conflicts}
