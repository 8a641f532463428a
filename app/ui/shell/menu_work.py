"""What the File menu's slow work shares (exports, imports, reports, packages): its actions sit before Quit,
one job at a time runs on the worker thread behind a window-modal progress dialog, and a failure is said in a
message box, a cancelled export in the status bar."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QProgressDialog

from app.ui.common.errors import show_error
from app.ui.shell.worker_progress import WorkerProgress

if TYPE_CHECKING:
    from app.ui.shell.main_window import MainWindow


class MenuWork(QObject):
    """Signals:
    failed(str): the work was refused or failed; the text is what the user was told.
    cancelled(): the person cancelled the work; nothing was written.
    """

    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, window: MainWindow, progress_name: str, busy_text: str) -> None:
        super().__init__(window)
        self.window = window
        self.worker = WorkerProgress(window, progress_name, busy_text)

    def _action(self, text: str, name: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _add_to_file_menu(self, actions: Sequence[QAction], *, separator: bool = True) -> None:
        menu = self.window.file_menu
        if separator:
            menu.insertSeparator(self.window.file_menu_end)
        for action in actions:
            menu.insertAction(self.window.file_menu_end, action)

    def _enable_while_open(self, actions: Sequence[QAction]) -> None:
        """The actions work on the open appraisal: enabled only while one is open."""

        def update(_document: object = None) -> None:
            for action in actions:
                action.setEnabled(self.window.document is not None)

        self.window.document_opened.connect(update)
        self.window.document_closed.connect(update)
        update()

    @property
    def progress(self) -> QProgressDialog | None:
        """The progress dialog while the work runs."""
        return self.worker.dialog

    def busy(self) -> bool:
        """Work is running; more waits until it is done (one progress dialog at a time)."""
        return self.worker.busy()

    def _failed(self, exc: BaseException, title: str) -> None:
        from app.services.exports import ExportCancelled

        if isinstance(exc, ExportCancelled):
            self.window.statusBar().showMessage(str(exc), 10000)
            self.cancelled.emit()
            return
        box = show_error(self.window, exc, title=title)
        self.failed.emit(box.text())
