"""Undo and redo of a mini-team merge: the rows it changed, taken back or written again as one step.

The change log keeps what happened (the package's entries, the merge, its undo and redo); a step is refused,
with nothing changed, when a row it would write was edited since (`StaleRows`).
"""

from __future__ import annotations

from app.services.package_merge import MergeResult
from app.services.workspace import Workspace
from app.storage.row_changes import RowChanges, apply_changes


def undo_merge(ws: Workspace, result: MergeResult) -> None:
    """Take a merge back as one step; the package may then be merged again."""
    _replay(ws, result.changes.inverted(), result.label, "undo merge")


def redo_merge(ws: Workspace, result: MergeResult) -> None:
    _replay(ws, result.changes, result.label, "redo merge")


def _replay(ws: Workspace, changes: RowChanges, label: str, action: str) -> None:
    with ws.uow() as uow:
        apply_changes(uow.session, changes, what=label)
        uow.log(action, "package", None, f"{label}: {len(changes)} row(s)")
        uow.commit()
