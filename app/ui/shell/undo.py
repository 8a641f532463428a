"""Undo commands for adds and deletes whose inverse must bring back the very same rows (same ids).

Later commands on the stack refer to ids (edit artifact 7, unlink link 12), so undoing a delete restores the
recorded rows instead of re-creating look-alikes, and redoing an add restores what its undo deleted. Several
rows are one transaction (`app.services.batch.each`): a failure part way leaves every row as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from app.services import batch
from app.ui.shell.commands import ServiceCommand
from app.ui.shell.document import Change, Document

R = TypeVar("R")


class _Records(Generic[R]):
    def __init__(self) -> None:
        self.records: list[R] = []


class _Rows(Generic[R]):
    """Rows by id, deleted as records that restore them exactly (same ids), each way in one transaction."""

    def __init__(
        self,
        document: Document,
        ids: Sequence[int],
        delete: Callable[[int], R],
        restore: Callable[[R], object],
        *,
        newest_first: bool = False,
    ) -> None:
        self.ws, self.ids, self._delete, self._restore = document.workspace, ids, delete, restore
        self.newest_first = newest_first
        self.records: list[R] = []

    def delete(self) -> None:
        if self.newest_first:
            self.records = batch.each(self.ws, self._delete, list(reversed(self.ids)))[::-1]
        else:
            self.records = batch.each(self.ws, self._delete, self.ids)

    def restore(self) -> None:
        batch.each(self.ws, self._restore, self.records)
        self.records = []


def added_command(
    document: Document,
    text: str,
    ids: Sequence[int],
    delete: Callable[[int], R],
    restore: Callable[[R], object],
    *kinds: Change,
) -> ServiceCommand:
    """For rows already added (perhaps in the background): undo deletes them, redo restores them exactly.
    The first application happened when the rows were added; later ones put back what undo removed."""
    rows = _Rows(document, ids, delete, restore, newest_first=True)
    return ServiceCommand(document, text, rows.restore, rows.delete, *kinds)


def deleted_command(
    document: Document,
    text: str,
    ids: Sequence[int],
    delete: Callable[[int], R],
    restore: Callable[[R], object],
    *kinds: Change,
) -> ServiceCommand:
    """Delete rows now; undo restores them with their ids, redo deletes them again."""
    rows = _Rows(document, ids, delete, restore)
    return ServiceCommand(document, text, rows.delete, rows.restore, *kinds)


def recorded_command(
    document: Document,
    text: str,
    do: Callable[[], R],
    undo: Callable[[R], object],
    redo: Callable[[R], object],
    *kinds: Change,
) -> ServiceCommand:
    """An edit whose result says how to undo it (e.g. a link batch): `do` once, then `undo`/`redo` with it."""
    held: _Records[R] = _Records()

    def apply() -> None:
        if held.records:
            redo(held.records[0])
        else:
            held.records = [do()]

    def revert() -> None:
        undo(held.records[0])

    return ServiceCommand(document, text, apply, revert, *kinds)
