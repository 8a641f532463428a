"""Undoable edits. Each step calls a service (one committed transaction) and tells the pages what changed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from app.services.errors import StaleEditError
from app.ui.common.errors import show_error
from app.ui.shell.document import Change, Document, Touched


class ServiceCommand(QUndoCommand):
    """An edit as a pair of service calls: `apply` does it, `revert` undoes it; both commit at once.

    `apply` runs again on redo, so it must be repeatable from the state `revert` leaves (services take
    explicit ids and values, never "the next one"). `kinds` say which pages must refresh. Push it with
    `Document.execute`, which applies it first and only then records it, so a refused edit never lands on
    the undo stack.

    Every application runs under the command's own edit guard: an undo or a redo of it is refused when someone
    else (on a team server) changed a row it wrote since; the pages then read that row again.
    """

    def __init__(
        self,
        document: Document,
        text: str,
        apply: Callable[[], object],
        revert: Callable[[], object],
        *kinds: Change,
        touched: Touched | None = None,
    ) -> None:
        super().__init__(text)
        self.touched = touched
        self.document = document
        self._apply = apply
        self._revert = revert
        self.kinds = tuple(Change(kind) for kind in kinds) or (Change.DATA,)
        self._already_applied = False
        self._guard = document.workspace.edit_guard()

    def _guarded(self, step: Callable[[], object]) -> None:
        try:
            with self.document.workspace.guarded(self._guard):
                step()
        except StaleEditError:
            # Refused because a colleague changed it: the pages read it again, as the refusal says (nothing saved).
            self.document.follow_remote(set(self.kinds), self.touched)
            raise

    def apply_now(self) -> None:
        self._guarded(self._apply)
        self._already_applied = True

    def redo(self) -> None:
        if self._already_applied:
            self._already_applied = False
        elif not self.document.attempt(self, lambda: self._guarded(self._apply), undoing=False):
            return  # nothing changed in the file, so nothing to refresh and nothing "saved"
        self.document.notify(*self.kinds, touched=self.touched)

    def undo(self) -> None:
        if self.document.attempt(self, lambda: self._guarded(self._revert), undoing=True):
            self.document.notify(*self.kinds, touched=self.touched)


def execute(parent: QWidget, document: Document | None, command: QUndoCommand) -> bool:
    """Apply and record a command; a refusal is shown in plain words and nothing lands on the undo stack."""
    if document is None:
        return False
    try:
        document.execute(command)
    except Exception as exc:
        show_error(parent, exc)
        return False
    return True


def done_on_worker(again: Callable[[], object]) -> Callable[[], None]:
    """The apply step of an edit the worker thread already wrote (an import, a merge): pushing it on the undo
    stack applies nothing; each later redo writes it again with `again`."""
    pending = [True]

    def apply() -> None:
        if pending[0]:
            pending[0] = False
            return
        again()

    return apply
