"""Edits the grid makes besides characterizations (those are `characterize`): the review mark on a cell."""

from __future__ import annotations

from app.services.characterize import CellKey, Resolver
from app.services.workspace import Workspace
from app.storage.characterization_repo import find_cell, new_cell, stamp
from app.storage.edit_guard import refuse_if_changed


def set_review_flag(
    ws: Workspace, key: CellKey, flag: bool, comment: str = "", *, expected: tuple[bool, str] | None = None
) -> tuple[bool, str]:
    """Mark (or unmark) a cell for the team to review, with a comment; returns the previous (flag, comment).
    `expected`: the mark as the person saw it (StaleEditError when a colleague changed it since)."""
    comment = comment.strip()
    with ws.uow() as uow:
        session = uow.session
        pa_id, practice_id, unit_id = Resolver(session, ws).instantiation_ids(key)
        row = find_cell(session, pa_id, practice_id, unit_id)
        before = (row.review_flag, row.review_comment) if row is not None else (False, "")
        refuse_if_changed(
            session, row, expected is not None and before != expected, f"{key.pa} {key.practice} in {key.unit}"
        )
        row = row or new_cell(session, pa_id, practice_id, unit_id)
        row.review_flag = flag
        row.review_comment = comment if flag else ""
        stamp(row, ws.who)
        session.flush()
        what = f"marked for review: {comment}" if flag else "review mark removed"
        uow.log("review", "characterization", row.id, f"{key.model} {key.pa} {key.practice} / {key.unit}: {what}")
        uow.commit()
        return before


# --- one cell ---------------------------------------------------------------------------------------------
