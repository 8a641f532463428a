"""Progress of slow work on the worker thread, shown in a page: a label and a bar while anything runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from app.services.workspace import Workspace
from app.ui.common.errors import show_error
from app.ui.shell.document import Document
from app.ui.shell.tasks import ProgressFn, Task

T = TypeVar("T")


class TaskProgress(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.busy = 0
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setObjectName("taskProgress")
        self.bar.setRange(0, 1000)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 1)
        self.setVisible(False)

    def run(
        self,
        document: Document,
        work: Callable[[Workspace, ProgressFn], T],
        label: str,
        done: Callable[[T], object],
    ) -> None:
        """Run `work` on the worker thread with progress shown here; `done` gets its result on the UI thread.
        A failure is shown to the user with `label` as the title."""
        task: Task[T] = document.run(work, label=label)
        task.progressed.connect(self._progress)

        def succeeded(result: T) -> None:
            self._busy(-1)
            done(result)

        def failed(exc: BaseException) -> None:
            self._busy(-1)
            show_error(self.window(), exc, title=label)

        task.on_success(succeeded).on_failure(failed)
        self._busy(1, label + "…")
        document.start(task)

    def _busy(self, delta: int, label: str = "") -> None:
        self.busy += delta
        self.setVisible(self.busy > 0)
        if label:
            self.label.setText(label)
        if self.busy == 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(0)

    def _progress(self, done: int, total: int, label: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.label.setText(label)
