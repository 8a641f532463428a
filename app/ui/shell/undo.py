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


def added_command(
    document: Document,
    text: str,
    ids: Sequence[int],
    delete: Callable[[int], R],
    restore: Callable[[R], object],
    *kinds: Change,
) -> ServiceCommand:
    """For rows already added (perhaps in the background): undo deletes them, redo restores them exactly."""
    held: _Records[R] = _Records()
    ws = document.workspace

    def apply() -> None:
        # The first application happened when the rows were added; later ones put back what undo removed.
        batch.each(ws, restore, held.records)
        held.records = []

    def revert() -> None:
        held.records = batch.each(ws, delete, list(reversed(ids)))[::-1]

    return ServiceCommand(document, text, apply, revert, *kinds)


def deleted_command(
    document: Document,
    text: str,
    ids: Sequence[int],
    delete: Callable[[int], R],
    restore: Callable[[R], object],
    *kinds: Change,
) -> ServiceCommand:
    """Delete rows now; undo restores them with their ids, redo deletes them again."""
    held: _Records[R] = _Records()
    ws = document.workspace

    def apply() -> None:
        held.records = batch.each(ws, delete, ids)

    def revert() -> None:
        batch.each(ws, restore, held.records)

    return ServiceCommand(document, text, apply, revert, *kinds)


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
