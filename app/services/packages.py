"""Splitting a mini-team package out of the lead's appraisal, and telling whether an open file is a package.

A package is an ordinary appraisal file holding one mini-team's process areas: their plan context, the cells,
decisions and findings about them, the evidence linked to them (attachments included), the interview sessions
by code only (no participants' names anywhere in it, not even in free pages), and its origin record: the
appraisal it came from, its own id, the state at split (the base of the later three-way merge) and a seal the
lead's file can verify. Guard triggers in the file refuse edits outside its scope (app/storage/package_guard.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from app.services.package_origin import origin_record
from app.services.package_snapshot import read_snapshot
from app.services.report_sources import fingerprint, participant_names
from app.services.workspace import Workspace
from app.storage import encryption
from app.storage.errors import KnownError
from app.storage.output_files import write_atomically
from app.storage.package_file import working_copy, write_compact
from app.storage.package_guard import install_guard
from app.storage.schema import (
    Affirmation,
    Appraisal,
    Artifact,
    ArtifactRevision,
    Blob,
    CatalogModel,
    CatalogProcessArea,
    ChangeLog,
    Characterization,
    EvidenceLink,
    Finding,
    GoalRatingOverride,
    InterviewSession,
    MiniTeam,
    MiniTeamProcessArea,
    OuCharacterization,
    PackageRecord,
    Participant,
    ScopeItem,
)

if TYPE_CHECKING:
    from app.domain.name_scrubber import NameScrubber


@dataclass(frozen=True, slots=True)
class SplitResult:
    path: Path
    mini_team: str
    process_areas: tuple[str, ...]
    cells: int
    artifacts: int
    affirmations: int
    findings: int


def seal_of(record: PackageRecord, secret: str) -> str:
    """The HMAC that binds an origin record (and its base) to the lead's file that issued it."""
    payload = json.dumps(
        [
            record.package_uid,
            record.appraisal_fingerprint,
            record.mini_team,
            record.process_areas,
            record.split_at.isoformat(),
            record.split_by,
            record.base,
        ],
        ensure_ascii=False,
    )
    return hmac.new(secret.encode("ascii"), payload.encode("utf-8"), hashlib.sha256).hexdigest()


def mini_team_names(ws: Workspace) -> tuple[str, ...]:
    with ws.uow() as uow:
        return tuple(uow.session.scalars(select(MiniTeam.name).order_by(MiniTeam.position)))


def _team_areas(session: Session, name: str) -> tuple[MiniTeam, dict[int, str]]:
    team = session.scalars(select(MiniTeam).where(MiniTeam.name == name)).first()
    if team is None:
        known = ", ".join(session.scalars(select(MiniTeam.name).order_by(MiniTeam.position))) or "none in the plan"
        raise KnownError(f"There is no mini-team called “{name}” (mini-teams: {known}). Nothing was written.")
    rows = session.execute(
        select(CatalogProcessArea.id, CatalogModel.key, CatalogProcessArea.acronym)
        .join(MiniTeamProcessArea, MiniTeamProcessArea.process_area_id == CatalogProcessArea.id)
        .join(CatalogModel, CatalogModel.id == CatalogProcessArea.model_id)
        .join(ScopeItem, ScopeItem.process_area_id == CatalogProcessArea.id)
        .where(MiniTeamProcessArea.mini_team_id == team.id)
        .order_by(ScopeItem.position)
    )
    areas = {pa_id: f"{model} {acronym}" for pa_id, model, acronym in rows}
    if not areas:
        raise KnownError(
            f"The mini-team “{name}” has no process areas in scope; give it some on the Plan page, then split again."
        )
    return team, areas


def _check_target(ws: Workspace, target: Path) -> Path:
    target = target.expanduser().resolve()
    if ws.path is not None and target == ws.path:
        raise KnownError("That is the appraisal itself; choose a new file name for the package.")
    if target.exists():
        raise KnownError(
            f"{target.name} already exists. A package is always a new file: choose another name (or delete the old "
            "package first)."
        )
    return target


def _prune(session: Session, team: MiniTeam, pa_ids: set[int]) -> None:
    """Leave only the mini-team's process areas and what hangs off them; no participants' names anywhere."""
    names = participant_names(session)
    outside = CatalogProcessArea.id.not_in(pa_ids)
    for kind in (Characterization, OuCharacterization, GoalRatingOverride, EvidenceLink):
        session.execute(delete(kind).where(kind.process_area_id.not_in(pa_ids)))
    session.execute(delete(Finding).where(Finding.process_area_id.is_(None) | Finding.process_area_id.not_in(pa_ids)))
    linked_artifacts = select(EvidenceLink.artifact_id).where(EvidenceLink.artifact_id.is_not(None))
    linked_affirmations = select(EvidenceLink.affirmation_id).where(EvidenceLink.affirmation_id.is_not(None))
    session.execute(delete(Artifact).where(Artifact.id.not_in(linked_artifacts)))
    session.execute(delete(Affirmation).where(Affirmation.id.not_in(linked_affirmations)))
    session.execute(
        delete(Blob).where(
            Blob.id.not_in(select(ArtifactRevision.blob_id).where(ArtifactRevision.blob_id.is_not(None)))
        )
    )
    session.execute(delete(Participant))
    session.execute(update(InterviewSession).values(notes=""))
    session.execute(
        delete(ScopeItem).where(ScopeItem.process_area_id.in_(select(CatalogProcessArea.id).where(outside)))
    )
    session.execute(delete(MiniTeam).where(MiniTeam.id != team.id))
    session.execute(delete(ChangeLog))
    session.execute(delete(PackageRecord))
    session.execute(update(ArtifactRevision).values(source_path="", source_mtime=None))
    from app.domain.name_scrubber import NameScrubber  # only a split scrubs names: opening a file does not load it

    scrub = NameScrubber(names)
    if names:
        _scrub_texts(session, scrub)


_TEXTS = {
    Characterization: ("strengths", "weaknesses", "notes", "review_comment"),
    OuCharacterization: ("rationale",),
    GoalRatingOverride: ("rationale",),
    Finding: ("text",),
    Affirmation: ("text",),
    Artifact: ("title", "description"),
    ArtifactRevision: ("file_name",),
    EvidenceLink: ("note",),
    InterviewSession: ("participant_roles",),
}


def _scrub_texts(session: Session, scrub: NameScrubber) -> None:
    for kind, columns in _TEXTS.items():
        for row in session.scalars(select(kind)):
            for column in columns:
                before = getattr(row, column)
                after = scrub(before)
                if after != (before or ""):
                    setattr(row, column, after)
    session.flush()


def split(ws: Workspace, mini_team: str, target: Path, *, passphrase: str | None = None) -> SplitResult:
    """Write the package of `mini_team` to the new file `target` (encrypted when a passphrase is given).

    The lead's file gains only the record of the package issued (and its seal's secret); the package is written to
    a temporary name and renamed into place, so a failure leaves neither a half-written package nor a record.
    """
    if ws.path is None or ws.store.engine.dialect.name != "sqlite":
        raise KnownError("Packages are split from an appraisal file; a server database is shared by the team already.")
    if passphrase is not None and not passphrase:
        raise KnownError("An encrypted package needs a passphrase that is not empty.")
    target = _check_target(ws, target)
    with ws.uow() as uow:
        if origin_record(uow.session) is not None:
            raise KnownError(
                "This file is itself a mini-team package; split packages from the lead's appraisal after merging."
            )
        team, areas = _team_areas(uow.session, mini_team)
        team_id, team_name = team.id, team.name
        appraisal = uow.session.scalars(select(Appraisal)).one()
        print_fingerprint = fingerprint(appraisal.id, appraisal.created_at)
    secret = secrets.token_hex(32)
    now = datetime.now().replace(microsecond=0)
    record = PackageRecord(
        role="origin",
        package_uid=str(uuid.uuid4()),
        appraisal_fingerprint=print_fingerprint,
        mini_team=team_name,
        process_areas="\n".join(areas.values()),
        split_at=now,
        split_by=ws.who,
        merged_by="",
        id_map="",
        secret="",
    )
    counts: dict[str, int] = {}

    def build(temp: Path) -> None:
        with tempfile.TemporaryDirectory(prefix=".package-", dir=temp.parent) as folder:
            engine, work = working_copy(ws.store.engine, Path(folder))
            try:
                with Session(engine, expire_on_commit=False) as session:
                    team_row = session.get(MiniTeam, team_id)
                    assert team_row is not None
                    _prune(session, team_row, set(areas))
                    snapshot = read_snapshot(session, set(areas))
                    for key in snapshot:
                        kind = key.split(":", 1)[0]
                        counts[kind] = counts.get(kind, 0) + 1
                    record.base = json.dumps(snapshot, sort_keys=True, ensure_ascii=False)
                    record.seal = seal_of(record, secret)
                    session.add(record)
                    session.flush()
                    install_guard(session.connection(), team_name, ", ".join(areas.values()))
                    if (
                        session.connection()
                        .exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name='search_index'")
                        .first()
                    ):
                        session.execute(text("INSERT INTO search_index(search_index) VALUES('optimize')"))
                    session.commit()
                with engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                engine.dispose()
            write_compact(work, encryption.passphrase_of(ws.store.engine.url), temp, passphrase)
        with ws.uow() as uow:
            uow.session.add(
                PackageRecord(
                    role="issued",
                    package_uid=record.package_uid,
                    appraisal_fingerprint=record.appraisal_fingerprint,
                    mini_team=record.mini_team,
                    process_areas=record.process_areas,
                    split_at=record.split_at,
                    split_by=record.split_by,
                    base="",
                    seal=record.seal,
                    secret=secret,
                    merged_by="",
                    id_map="",
                )
            )
            uow.log(
                "split", "package", None, f"package for {team_name} ({record.package_uid}) written to {target.name}"
            )
            uow.commit()

    write_atomically(target, build)
    return SplitResult(
        target,
        team_name,
        tuple(areas.values()),
        counts.get("characterization", 0),
        counts.get("artifact", 0),
        counts.get("affirmation", 0),
        counts.get("finding", 0),
    )
