"""Slow work from a menu (exports, imports, packages) on the worker thread behind a window-modal progress
dialog: one at a time, with Cancel where the work can stop. A cancelled export stops at its next progress
report (`exports.cancellable`); the files are written to a temporary name and renamed at the end, so nothing
half-written is left.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QProgressDialog

from app.ui.shell.document import Document
from app.ui.shell.tasks import ProgressFn, Task

if TYPE_CHECKING:
    from app.services.workspace import Workspace

T = TypeVar("T")


class WorkerProgress:
    def __init__(self, window: QMainWindow, name: str, busy_message: str) -> None:
        self.window = window
        self.name = name
        """The progress dialog's object name (tests and style sheets find it by it)."""
        self.busy_message = busy_message
        self.dialog: QProgressDialog | None = None
        self.cancel = threading.Event()

    def busy(self) -> bool:
        """Work is running; the next waits until it is done (and the status bar says so)."""
        if self.dialog is not None:
            self.window.statusBar().showMessage(self.busy_message, 5000)
            return True
        return False

    def run(
        self,
        document: Document,
        work: Callable[[Workspace, ProgressFn], T],
        label: str,
        done: Callable[[T], object],
        failed: Callable[[BaseException], object],
        *,
        cancellable: bool = False,
    ) -> bool:
        """Start `work`; `done` or `failed` is called on the UI thread once the dialog is gone. False when busy."""
        if self.busy():
            return False
        cancel = self.cancel = threading.Event()

        def worked(ws: Workspace, progress: ProgressFn) -> T:
            if not cancellable:
                return work(ws, progress)
            from app.services.exports import cancellable as stoppable  # the exports load when first used

            return work(ws, stoppable(progress, cancel.is_set))

        task: Task[T] = document.run(worked, label=label)

        def succeeded(result: T) -> None:
            self._finish()
            done(result)

        def went_wrong(exc: BaseException) -> None:
            self._finish()
            failed(exc)

        task.on_success(succeeded)
        task.on_failure(went_wrong)
        # A busy bar until the work reports how far it is (reading a workbook does not).
        dialog = QProgressDialog(label + "…", "Cancel", 0, 0, self.window)
        dialog.setObjectName(self.name)
        dialog.setWindowTitle("Appraisal Desk")
        if cancellable:
            dialog.canceled.connect(self.request_cancel)
        else:
            dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        task.progressed.connect(self._progressed)
        self.dialog = dialog
        document.start(task)
        return True

    def request_cancel(self) -> None:
        """Stop at the next step; the dialog stays, saying so, until the work has stopped."""
        self.cancel.set()
        if self.dialog is not None:
            self.dialog.setLabelText("Cancelling…")

    def _progressed(self, done: int, total: int, label: str) -> None:
        dialog = self.dialog
        if dialog is None or self.cancel.is_set():
            return
        if label:
            dialog.setLabelText(label + "…")
        dialog.setMaximum(max(total, 1))
        # Last: a window-modal dialog's setValue processes events, which may deliver the work's end.
        dialog.setValue(min(done, max(total, 1)))

    def _finish(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
