"""What the report reads from the file besides the ratings, and what the workbook import and the mini-team
packages read the same way: the appraisal's identity, the participants' names, each characterization as
stored, and the evidence linked to each cell."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.workspace import Workspace
from app.storage import schema as db
from app.storage.bulk_read import plain_batches

if TYPE_CHECKING:
    from app.domain.report import AppraisalIdentity

CellIds = tuple[int, int, int]
"""(process area id, practice id, unit id) of one instantiation."""
INADEQUATE_SUFFIX = {"inadequate": " (inadequate)", "not_assessed": " (not assessed)"}


def fingerprint(appraisal_id: int, created_at: datetime) -> str:
    """Stable for the life of an appraisal (renames included); a different file gives a different value.

    The schema has no UUID; the row id with its creation instant (microseconds) tells appraisals apart, and a
    "Save a copy" keeps it, so a workbook may be imported into a copy of the appraisal it came from.
    """
    raw = f"appraisal-desk|{appraisal_id}|{created_at.isoformat()}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def appraisal_identity(ws: Workspace) -> AppraisalIdentity:
    with ws.uow() as uow:
        return read_identity(uow.session)


def read_identity(session: Session) -> AppraisalIdentity:
    row = session.scalars(select(db.Appraisal)).one()
    # The report's values load with the first export or import, not with the mini-team menu that names this module.
    from app.domain.report import AppraisalIdentity

    return AppraisalIdentity(row.id, fingerprint(row.id, row.created_at), row.name)


def participant_names(session: Session) -> tuple[str, ...]:
    return tuple(sorted(set(session.scalars(select(db.Participant.name)))))


@dataclass(frozen=True, slots=True)
class StoredCell:
    """A characterization row as stored (the texts unscrubbed)."""

    value: str | None
    weaknesses: str
    strengths: str
    notes: str
    updated_at: datetime | None


def stored_cells(session: Session) -> dict[CellIds, StoredCell]:
    """Every characterization row by (process area id, practice id, unit id), read as plain rows."""
    c = db.Characterization
    query = select(
        c.process_area_id, c.practice_id, c.unit_id, c.value, c.weaknesses, c.strengths, c.notes, c.updated_at
    )
    return {
        (pa, practice, unit): StoredCell(value, w or "", s or "", n or "", at)
        for pa, practice, unit, value, w, s, n, at in session.connection().execute(query)
    }


def cell_weaknesses(session: Session) -> dict[CellIds, str]:
    """The weakness notes as stored, of the cells that have one: for outputs that show no other cell text."""
    c = db.Characterization
    query = select(c.process_area_id, c.practice_id, c.unit_id, c.weaknesses).where(c.weaknesses != "")
    return {
        (pa, practice, unit): text
        for batch in plain_batches(session.connection(), query)
        for pa, practice, unit, text in batch
    }


def cell_evidence(session: Session) -> tuple[dict[CellIds, list[str]], dict[CellIds, list[str]]]:
    """Artifact titles and interview session codes linked to each instantiation, in the order they were linked."""
    link = db.EvidenceLink
    query = (
        select(
            link.process_area_id,
            link.practice_id,
            link.unit_id,
            db.Artifact.title,
            link.adequacy,
            db.InterviewSession.code,
        )
        .outerjoin(db.Artifact, db.Artifact.id == link.artifact_id)
        .outerjoin(db.Affirmation, db.Affirmation.id == link.affirmation_id)
        .outerjoin(db.InterviewSession, db.InterviewSession.id == db.Affirmation.session_id)
        .order_by(link.id)
    )
    artifacts: dict[CellIds, list[str]] = {}
    sessions: dict[CellIds, list[str]] = {}
    rows = (row for batch in plain_batches(session.connection(), query) for row in batch)  # sixty thousand at size L
    for pa, practice, unit, title, adequacy, code in rows:
        key = (pa, practice, unit)
        if title is not None:
            artifacts.setdefault(key, []).append(title + INADEQUATE_SUFFIX.get(adequacy, ""))
        elif code is not None:
            codes = sessions.setdefault(key, [])
            if code not in codes:
                codes.append(code)
    return artifacts, sessions
