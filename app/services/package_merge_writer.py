"""Writing a settled merge into the lead's appraisal: the winning field changes, the package's new rows under
new ids (with their attachments, each checked against its SHA-256), and the package's change log."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.merge import RECORD, FieldChange, Value, kind_of
from app.domain.name_scrubber import NameScrubber
from app.services.package_snapshot import DEFAULTS
from app.storage.characterization_repo import cell_at, find_cell
from app.storage.errors import KnownError
from app.storage.schema import (
    Affirmation,
    Artifact,
    ArtifactRevision,
    Blob,
    ChangeLog,
    EvidenceLink,
    Finding,
    GoalRatingOverride,
    InterviewSession,
    OuCharacterization,
)


class MergeWriter:
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
        ids = int(pa), int(practice), int(unit)
        row = cell_at(self.lead, *ids)
        source = find_cell(self.pkg, *ids)
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


WRITE_ORDER = {
    "artifact": 0,
    "affirmation": 1,
    "finding": 2,
    "characterization": 3,
    "ou_characterization": 4,
    "goal_override": 5,
    "evidence_link": 6,
}


def write_key(
    writer: MergeWriter, key: str, changes: list[FieldChange], lead_record: Mapping[str, Value] | None
) -> None:
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


def copy_log(lead: Session, pkg: Session, after: int, writer: MergeWriter, team: str) -> int:
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
