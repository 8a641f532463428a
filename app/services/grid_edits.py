"""Edits the grid makes besides characterizations (those are `characterize`): the review mark on a cell."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.services.characterize import CellKey
from app.services.grid import resolve_cell
from app.services.link_scope import LinkScope
from app.services.workspace import Workspace
from app.storage.schema import Characterization


def set_review_flag(ws: Workspace, key: CellKey, flag: bool, comment: str = "") -> tuple[bool, str]:
    """Mark (or unmark) a cell for the team to review, with a comment; returns the previous (flag, comment)."""
    comment = comment.strip()
    with ws.uow() as uow:
        session = uow.session
        pa_id, practice_id, unit_id = resolve_cell(LinkScope(session, ws.catalog()), key)
        row = session.scalars(
            select(Characterization).where(
                Characterization.process_area_id == pa_id,
                Characterization.practice_id == practice_id,
                Characterization.unit_id == unit_id,
            )
        ).first()
        before = (row.review_flag, row.review_comment) if row is not None else (False, "")
        if row is None:
            row = Characterization(process_area_id=pa_id, practice_id=practice_id, unit_id=unit_id)
            session.add(row)
        row.review_flag = flag
        row.review_comment = comment if flag else ""
        row.updated_at = datetime.now()
        row.updated_by = ws.who
        session.flush()
        what = f"marked for review: {comment}" if flag else "review mark removed"
        uow.log("review", "characterization", row.id, f"{key.model} {key.pa} {key.practice} / {key.unit}: {what}")
        uow.commit()
        return before


# --- one cell ---------------------------------------------------------------------------------------------
