"""Merging a mini-team package back into the lead's appraisal: a preview of every change and conflict, then one
transaction.

The base is the state at split (sealed in the package), or after an earlier merge of the same package the state
that merge took, so merging the same package twice changes nothing. The package file is only read. The change
log gains the package's own entries with their authors and times; attachments come with their bytes, each
checked against its SHA-256.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.merge import RECORD, FieldChange, Side, Value, kind_of, three_way, winners
from app.domain.plan import PaKey
from app.domain.report import NameScrubber
from app.services.package_snapshot import DEFAULTS, IdTranslation, read_snapshot
from app.services.packages import origin_record, seal_of
from app.services.report_sources import fingerprint, participant_names
from app.services.workspace import Workspace
from app.storage.errors import KnownError
from app.storage.package_file import read_package
from app.storage.plan_repo import pa_ids as pa_ids_of
from app.storage.row_changes import RowChanges, changes_between, snapshot
from app.storage.schema import (
    Affirmation,
    Appraisal,
    Artifact,
    ArtifactRevision,
    Blob,
    CatalogGoal,
    CatalogPractice,
    CatalogProcessArea,
    ChangeLog,
    Characterization,
    EvidenceLink,
    Finding,
    GoalRatingOverride,
    InterviewSession,
    OuCharacterization,
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


# --- applying ---------------------------------------------------------------------------------------------------


class _Writer:
    """Writes the winning changes into the lead's session, adding the package's new rows under new ids."""

    def __init__(
        self,
        lead: Session,
        pkg: Session,
        origin_keys: set[str],
        id_map: dict[str, dict[str, int]],
        scrub: NameScrubber,
    ) -> None:
        self.lead = lead
        self.pkg = pkg
        self.scrub = scrub
        self.origin_keys = origin_keys
        self.id_map = id_map
        self.deferred: list[tuple[str, int]] = []

    def lead_id(self, kind: str, package_id: int) -> int | None:
        mapped = self.id_map.get(kind, {}).get(str(package_id))
        if mapped is not None:
            return mapped
        return package_id if f"{kind}:{package_id}" in self.origin_keys else None

    def remember(self, kind: str, package_id: int, lead_id: int) -> None:
        self.id_map.setdefault(kind, {})[str(package_id)] = lead_id

    # each kind: write `fields` (a whole record for RECORD changes) or delete (record None)

    def cell(self, key: str, fields: Mapping[str, Value] | None) -> None:
        _, pa, practice, unit = key.split(":")
        where = (
            Characterization.process_area_id == int(pa),
            Characterization.practice_id == int(practice),
            Characterization.unit_id == int(unit),
        )
        row = self.lead.scalars(select(Characterization).where(*where)).first()
        source = self.pkg.scalars(select(Characterization).where(*where)).first()
        if row is None:
            row = Characterization(process_area_id=int(pa), practice_id=int(practice), unit_id=int(unit))
            self.lead.add(row)
        for name, value in (fields or DEFAULTS["characterization"]).items():
            setattr(row, name, self._unmasked(row, name, value))
        row.updated_at = source.updated_at if source is not None else datetime.now()
        row.updated_by = source.updated_by if source is not None else ""

    def decision(self, key: str, fields: Mapping[str, Value] | None, merged: Mapping[str, Value]) -> None:
        kind, pa, item = key.split(":")
        model: Any = OuCharacterization if kind == "ou_characterization" else GoalRatingOverride
        column = model.practice_id if kind == "ou_characterization" else model.goal_id
        where = (model.process_area_id == int(pa), column == int(item))
        row = self.lead.scalars(select(model).where(*where)).first()
        if merged == DEFAULTS[kind]:
            if row is not None:
                self.lead.delete(row)
            return
        source = self.pkg.scalars(select(model).where(*where)).first()
        values: Mapping[str, Value] = merged if row is None else (fields or merged)
        if row is None:
            row = model(process_area_id=int(pa))
            setattr(row, "practice_id" if kind == "ou_characterization" else "goal_id", int(item))
            self.lead.add(row)
        for name, value in values.items():
            setattr(row, name, self._unmasked(row, name, value if value is not None or name != "rationale" else ""))
        row.decided_by = source.decided_by if source is not None else ""
        row.decided_at = source.decided_at if source is not None else datetime.now()
        # The inputs the decision was made on travel with it, so the engine can tell whether it still holds.
        row.inputs = source.inputs if source is not None else None

    def identified(self, key: str, fields: Mapping[str, Value] | None) -> None:
        kind, raw = key.split(":")
        package_id = int(raw)
        lead_id = self.lead_id(kind, package_id)
        model: Any = {"finding": Finding, "artifact": Artifact, "affirmation": Affirmation}[kind]
        row = self.lead.get(model, lead_id) if lead_id is not None else None
        if fields is None:
            if row is not None:
                self.deferred.append((kind, row.id))
            return
        source = self.pkg.get(model, package_id)
        created = row is None
        if row is None:
            row = self._new_row(kind, source)
        for name, value in fields.items():
            if name != "files":
                self._set(kind, row, name, value, source)
        if created:
            self.lead.add(row)
            self.lead.flush()
            self.remember(kind, package_id, row.id)
        if "files" in fields:
            self._set(kind, row, "files", fields["files"], source)
        self.lead.flush()

    def _unmasked(self, row: Any, name: str, value: Value) -> Value:
        """The package saw the lead's texts with participants' names withheld: where a member kept a placeholder,
        the stored name goes back, so the lead's file never holds a placeholder in place of a name."""
        stored = getattr(row, name, None)
        if isinstance(value, str) and isinstance(stored, str):
            return self.scrub.restore(stored, value)
        return value

    def _new_row(self, kind: str, source: Any) -> Any:
        now = datetime.now()
        if kind == "finding":
            return Finding(
                created_at=source.created_at if source is not None else now,
                updated_at=source.updated_at if source is not None else now,
            )
        if kind == "artifact":
            return Artifact(added_at=source.added_at if source is not None else now)
        position = self.lead.scalar(select(func.max(Affirmation.position))) or 0
        return Affirmation(position=position + 1, created_at=source.created_at if source is not None else now)

    def _set(self, kind: str, row: Any, name: str, value: Value, source: Any) -> None:
        if kind == "artifact" and name == "files":
            self._files(row, value if isinstance(value, list) else [])
        elif kind == "artifact" and name == "effective_date":
            row.effective_date = date.fromisoformat(value) if isinstance(value, str) else None
        elif kind == "affirmation" and name == "session":
            session_id = self.lead.scalar(select(InterviewSession.id).where(InterviewSession.code == value))
            if session_id is None:
                raise KnownError(
                    f"The package adds affirmations to interview session {value}, which the appraisal no longer has. "
                    "Nothing was merged; restore the session (or settle it with the mini-team), then merge again."
                )
            row.session_id = session_id
        else:
            setattr(row, name, self._unmasked(row, name, value))
        if kind == "finding" and source is not None:
            row.updated_at = source.updated_at

    def _files(self, artifact: Artifact, files: list[object]) -> None:
        wanted = {int(f[0]): f for f in files if isinstance(f, list)}
        existing = {
            r.revision: r
            for r in self.lead.scalars(select(ArtifactRevision).where(ArtifactRevision.artifact_id == artifact.id))
        }
        for number, revision in existing.items():
            if number not in wanted or revision.sha256 != wanted[number][2]:
                self.lead.delete(revision)
        self.lead.flush()
        for number, (_, file_name, sha256, size) in wanted.items():
            if number in existing and existing[number].sha256 == sha256:
                continue
            source = self.pkg.scalars(
                select(ArtifactRevision).where(ArtifactRevision.sha256 == sha256, ArtifactRevision.revision == number)
            ).first()
            blob_id = self._blob(str(sha256), source.blob_id if source is not None else None)
            self.lead.add(
                ArtifactRevision(
                    artifact_id=artifact.id,
                    revision=number,
                    file_name=file_name,
                    sha256=sha256,
                    size=size,
                    blob_id=blob_id,
                    source_path="",
                    added_at=source.added_at if source is not None else datetime.now(),
                )
            )

    def _blob(self, sha256: str, package_blob_id: int | None) -> int | None:
        if package_blob_id is None:
            return None
        existing = self.lead.scalar(select(Blob.id).where(Blob.sha256 == sha256))
        if existing is not None:
            return int(existing)
        blob = self.pkg.get(Blob, package_blob_id)
        if blob is None or hashlib.sha256(blob.data).hexdigest() != sha256:
            raise KnownError(
                "An attached file in the package does not match its SHA-256 (the package is damaged). Nothing was "
                "merged; ask the mini-team for their file again."
            )
        row = Blob(sha256=sha256, size=len(blob.data), data=blob.data)
        self.lead.add(row)
        self.lead.flush()
        return row.id

    def link(self, key: str, fields: Mapping[str, Value] | None) -> None:
        _, source, pa, practice, unit = key.split(":")
        kind = "artifact" if source[0] == "a" else "affirmation"
        source_id = self.lead_id(kind, int(source[1:]))
        if source_id is None:
            raise KnownError(f"The package links evidence the appraisal does not have ({key}); nothing was merged.")
        column = EvidenceLink.artifact_id if kind == "artifact" else EvidenceLink.affirmation_id
        where = (
            column == source_id,
            EvidenceLink.process_area_id == int(pa),
            EvidenceLink.practice_id == int(practice),
            EvidenceLink.unit_id == int(unit),
        )
        row = self.lead.scalars(select(EvidenceLink).where(*where)).first()
        if fields is None:
            if row is not None:
                self.lead.delete(row)
            return
        if row is None:
            row = EvidenceLink(process_area_id=int(pa), practice_id=int(practice), unit_id=int(unit))
            setattr(row, "artifact_id" if kind == "artifact" else "affirmation_id", source_id)
            self.lead.add(row)
        for name, value in fields.items():
            setattr(row, name, value)

    def finish(self) -> None:
        """Delete artifacts and affirmations the package deleted, unless evidence outside it still uses them."""
        self.lead.flush()
        for kind, lead_id in self.deferred:
            column = EvidenceLink.artifact_id if kind == "artifact" else EvidenceLink.affirmation_id
            if self.lead.scalar(select(func.count()).select_from(EvidenceLink).where(column == lead_id)):
                continue
            row = self.lead.get(Artifact if kind == "artifact" else Affirmation, lead_id)
            if row is not None:
                self.lead.delete(row)
        self.lead.flush()


_ORDER = {
    "artifact": 0,
    "affirmation": 1,
    "finding": 2,
    "characterization": 3,
    "ou_characterization": 4,
    "goal_override": 5,
    "evidence_link": 6,
}


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
            writer = _Writer(lead, pkg, set(json.loads(origin.base)), _id_map(issued_row), scrub)
            for key in sorted(by_key, key=lambda k: (_ORDER[kind_of(k)], k)):
                _write(writer, key, by_key[key], lead_snapshot.get(key))
            writer.finish()
            copied = _copy_log(lead, pkg, issued_row.merged_change_id or 0, writer, origin.mini_team)
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


def _write(writer: _Writer, key: str, changes: list[FieldChange], lead_record: Mapping[str, Value] | None) -> None:
    kind = kind_of(key)
    whole = next((c for c in changes if c.field == RECORD), None)
    if whole is not None:
        fields: Mapping[str, Value] | None = whole.package if isinstance(whole.package, Mapping) else None
    else:
        fields = {c.field: c.package for c in changes}  # type: ignore[misc]
    if kind == "characterization":
        merged = {**DEFAULTS[kind], **(lead_record or {}), **(fields or {})} if fields is not None else None
        writer.cell(key, _unscrubbed(merged, lead_record, fields))
    elif kind in ("ou_characterization", "goal_override"):
        merged = (
            {**DEFAULTS[kind], **(lead_record or {}), **(fields or {})} if fields is not None else dict(DEFAULTS[kind])
        )
        writer.decision(key, fields, merged)
    elif kind == "evidence_link":
        writer.link(key, fields)
    else:
        writer.identified(key, fields)


def _unscrubbed(
    merged: Mapping[str, Value] | None, lead_record: Mapping[str, Value] | None, fields: Mapping[str, Value] | None
) -> Mapping[str, Value] | None:
    """Only the fields the package changed: the lead's own texts are never replaced by their name-withheld copies."""
    if merged is None or fields is None:
        return merged
    if lead_record is None:
        return merged
    return dict(fields)


def _copy_log(lead: Session, pkg: Session, after: int, writer: _Writer, team: str) -> int:
    entity_kinds = {"artifact", "affirmation", "finding"}
    rows = pkg.scalars(select(ChangeLog).where(ChangeLog.id > after).order_by(ChangeLog.id)).all()
    for row in rows:
        entity_id = row.entity_id
        if entity_id is not None and row.entity in entity_kinds:
            entity_id = writer.lead_id(row.entity, entity_id)
        lead.add(
            ChangeLog(
                at=row.at,
                who=row.who,
                action=row.action,
                entity=row.entity,
                entity_id=entity_id,
                detail=f"{row.detail} (in the {team} package)" if row.detail else f"in the {team} package",
            )
        )
    return len(rows)


def settle_all(preview: MergePreview, side: Side) -> dict[str, Side]:
    """Every conflict settled the same way (the CLI's --accept theirs|ours)."""
    return {item.ident: side for item in preview.conflicts}
