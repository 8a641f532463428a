"""The open appraisal inside the window: its workspace, undo stack and change notifications.

Pages never open sessions: they call services with `document.workspace`, push undo commands through
`document.push()`, and refresh on `changed` for the parts they show.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.services.workspace import Workspace
from app.ui.tasks import ProgressFn, Task, TaskRunner

T = TypeVar("T")


class Document(QObject):
    """Signals:
    changed(set[str]): what kinds of data an edit touched ("plan", "evidence", "ratings", ...).
    saved(): an edit was committed to the file.
    failed(BaseException): an undo or redo step could not be applied; the file is unchanged by it.
    """

    changed = Signal(object)
    saved = Signal()
    failed = Signal(object)

    def __init__(self, workspace: Workspace, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.undo_stack = QUndoStack(self)

    def notify(self, *kinds: str) -> None:
        self.changed.emit(set(kinds))
        self.saved.emit()

    def execute(self, command: QUndoCommand) -> None:
        """Apply an edit now (committed at once) and record it for undo.

        A command with `apply_now` is applied before it is recorded: if the service refuses the edit, the
        exception reaches the caller and nothing lands on the undo stack.
        """
        apply_now = getattr(command, "apply_now", None)
        if callable(apply_now):
            apply_now()
        self.undo_stack.push(command)

    def guard(self, fn: Callable[[], object]) -> None:
        """Run an undo/redo step; a failure is reported through `failed` instead of escaping into Qt."""
        try:
            fn()
        except Exception as exc:
            self.failed.emit(exc)

    def run(self, fn: Callable[[Workspace, ProgressFn], T], *, label: str = "") -> Task[T]:
        """Run `fn(workspace, progress)` on the worker thread; chain .on_success/.on_failure then it starts."""
        workspace = self.workspace
        task: Task[T] = Task(lambda progress: fn(workspace, progress), label=label)
        return task

    def start(self, task: Task[Any]) -> None:
        self.runner.start(task)

    def close(self) -> None:
        self.runner.wait()
        self.undo_stack.clear()
        self.workspace.close()
