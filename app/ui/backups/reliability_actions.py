"""The window's reliability hooks: File > Backups… and File > Change passphrase…, and the automatic backups.

`install_reliability_actions(window)` is called once by the composition root; everything it adds is owned by the
window (Qt parent), so nothing else needs to keep it alive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from app.services import backups, security
from app.ui.backups.backup_timer import DEFAULT_MINUTES, BackupTimer
from app.ui.common.errors import show_error
from app.ui.shell.document import Document
from app.ui.shell.passphrase_dialog import change_dialog

if TYPE_CHECKING:
    from app.ui.backups.backups_dialog import BackupsDialog
    from app.ui.shell.main_window import MainWindow


class ReliabilityActions(QObject):
    def __init__(self, window: MainWindow, *, minutes: float, keep: int) -> None:
        super().__init__(window)
        self.window = window
        self.keep = keep
        self.timer = BackupTimer(window, minutes=minutes, keep=keep)
        self.backups_action = QAction("&Backups…", window)
        self.backups_action.setObjectName("backupsAction")
        self.backups_action.setStatusTip("See the automatic backups of this appraisal and restore one")
        self.backups_action.triggered.connect(lambda _checked=False: self.show_backups())
        self.passphrase_action = QAction("Change &passphrase…", window)
        self.passphrase_action.setObjectName("passphraseAction")
        self.passphrase_action.setStatusTip("Choose a new passphrase for this encrypted appraisal")
        self.passphrase_action.triggered.connect(lambda _checked=False: self.change_passphrase())
        # Before the separator that precedes Quit, after Save a copy / Close.
        window.file_menu.insertAction(window.file_menu_end, self.backups_action)
        window.file_menu.insertAction(window.file_menu_end, self.passphrase_action)
        window.document_opened.connect(self._update)
        window.document_closed.connect(self._update)
        self._update()

    def _update(self, _document: object = None) -> None:
        document = self.window.document
        self.backups_action.setEnabled(document is not None and document.workspace.path is not None)
        self.passphrase_action.setEnabled(document is not None and document.workspace.store.encrypted)

    def show_backups(self) -> BackupsDialog | None:
        document = self.window.document
        if document is None or document.workspace.path is None:
            return None
        from app.ui.backups.backups_dialog import BackupsDialog  # its table is built when first asked for

        dialog = BackupsDialog(document, keep=self.keep, parent=self.window)
        dialog.setObjectName("backupsDialog")
        dialog.restored.connect(self.window.open_path)
        dialog.open()
        return dialog

    def change_passphrase(self) -> None:
        document = self.window.document
        if document is None or not document.workspace.store.encrypted:
            return
        workspace = document.workspace

        def check(values: list[str]) -> None:
            security.check_change(workspace, values[0], values[1], values[2])

        dialog = change_dialog(check, workspace.display_name, self.window)
        if dialog.exec() != dialog.DialogCode.Accepted:
            return
        current, new, again = dialog.values()
        self._rekey(document, current, new, again)

    def _rekey(self, document: Document, current: str, new: str, again: str) -> None:
        task = document.run(lambda ws, _p: security.change_passphrase(ws, current, new, again), label="Re-encrypting")
        task.on_success(lambda _r: self._rekeyed(document))
        task.on_failure(self._rekey_failed)
        document.start(task)

    def _rekey_failed(self, exc: BaseException) -> None:
        show_error(self.window, exc, title="Change passphrase")

    def _rekeyed(self, document: Document) -> None:
        self.timer.passphrase_changed(document)
        self.window.statusBar().showMessage(
            "The passphrase was changed. Backups taken before keep the old passphrase.", 10000
        )


def install_reliability_actions(
    window: MainWindow, *, minutes: float = DEFAULT_MINUTES, keep: int = backups.DEFAULT_KEEP
) -> ReliabilityActions:
    """Add the Backups… and Change passphrase… menu items and start automatic backups for `window`."""
    return ReliabilityActions(window, minutes=minutes, keep=keep)
