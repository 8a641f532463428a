"""Undo commands for adds and deletes whose inverse must bring back the very same rows (same ids).

Later commands on the stack refer to ids (edit artifact 7, unlink link 12), so undoing a delete restores the
recorded rows instead of re-creating look-alikes, and redoing an add restores what its undo deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from app.ui.commands import ServiceCommand
from app.ui.document import Document

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
    *kinds: str,
) -> ServiceCommand:
    """For rows already added (perhaps in the background): undo deletes them, redo restores them exactly."""
    held: _Records[R] = _Records()

    def apply() -> None:
        # The first application happened when the rows were added; later ones put back what undo removed.
        for rec in held.records:
            restore(rec)
        held.records = []

    def revert() -> None:
        held.records = [delete(row_id) for row_id in reversed(ids)][::-1]

    return ServiceCommand(document, text, apply, revert, *kinds)


def deleted_command(
    document: Document,
    text: str,
    ids: Sequence[int],
    delete: Callable[[int], R],
    restore: Callable[[R], object],
    *kinds: str,
) -> ServiceCommand:
    """Delete rows now; undo restores them with their ids, redo deletes them again."""
    held: _Records[R] = _Records()

    def apply() -> None:
        held.records = [delete(row_id) for row_id in ids]

    def revert() -> None:
        for rec in held.records:
            restore(rec)

    return ServiceCommand(document, text, apply, revert, *kinds)


def recorded_command(
    document: Document,
    text: str,
    do: Callable[[], R],
    undo: Callable[[R], object],
    redo: Callable[[R], object],
    *kinds: str,
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
