"""Automatic rolling backups while the appraiser works: on open, every N minutes of editing, and on close.

The timer owns no data: it asks the backups service for a copy (off the UI thread, through the window's task
runner) whenever the open appraisal has been edited since the last one. A backup that fails (disk full, folder
read-only) is said in the status bar and never interrupts the work; the next tick tries again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from app.services import backups
from app.services.backups import Backup
from app.services.errors import KnownError
from app.ui.shell.document import Document

if TYPE_CHECKING:
    from app.ui.shell.main_window import MainWindow

DEFAULT_MINUTES = 10


@dataclass
class _Open:
    document: Document
    path: Path
    passphrase: str | None
    edited: bool = False


class BackupTimer(QObject):
    """Signals:
    backed_up(object): a Backup was taken (or None when nothing had changed since the newest one).
    failed(str): a backup could not be taken; the text is what the status bar said.
    """

    backed_up = Signal(object)
    failed = Signal(str)

    def __init__(self, window: MainWindow, *, minutes: float = DEFAULT_MINUTES, keep: int = backups.DEFAULT_KEEP):
        super().__init__(window)
        self.window = window
        self.keep = keep
        self._open: _Open | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(max(1, int(minutes * 60_000)))
        self.timer.timeout.connect(self.tick)
        window.document_opened.connect(self._opened)
        window.document_closed.connect(self._closed)

    def _opened(self, document: Document) -> None:
        path = document.workspace.path
        if path is None:
            return
        self._open = _Open(document, path, document.workspace.store.passphrase)
        document.saved.connect(self._edited)
        # The state before this session's edits is the one most worth keeping.
        self._backup_open_file("on open")
        self.timer.start()

    def passphrase_changed(self, document: Document) -> None:
        """The open file was re-encrypted: the backup on close must use its new passphrase."""
        if self._open is not None and self._open.document is document:
            self._open.passphrase = document.workspace.store.passphrase

    def _edited(self) -> None:
        if self._open is not None:
            self._open.edited = True

    def tick(self) -> None:
        """Back up now if the appraisal was edited since the last backup (the timer calls this)."""
        current = self._open
        if current is None or not current.edited or self.window.runner.busy:
            return
        self._backup_open_file("while editing")

    def _backup_open_file(self, label: str) -> None:
        current = self._open
        if current is None:
            return
        current.edited = False
        keep = self.keep
        task = current.document.run(lambda ws, _p: backups.take_backup(ws, label=label, keep=keep), label="Backup")
        task.on_success(self._done).on_failure(lambda exc: self._failed(exc, current))
        current.document.start(task)

    def _closed(self) -> None:
        current, self._open = self._open, None
        self.timer.stop()
        if current is None or not current.edited:
            return
        # Synchronously: the window may be quitting, and a copy of the closed file is all that is left to do.
        try:
            backup = backups.backup_closed_file(
                current.path, passphrase=current.passphrase, label="on close", keep=self.keep
            )
        except Exception as exc:
            self._failed(exc, None)
        else:
            self._done(backup)

    def _done(self, backup: Backup | None) -> None:
        if backup is not None and datetime.now() - backup.taken_at < timedelta(minutes=1):
            self.window.statusBar().showMessage(f"Backed up at {backup.taken_at:%H:%M}", 4000)
        self.backed_up.emit(backup)

    def _failed(self, exc: BaseException, current: _Open | None) -> None:
        if current is not None:
            current.edited = True  # try again at the next tick
        reason = str(exc) if isinstance(exc, KnownError) else f"{type(exc).__name__}: {exc}"
        text = f"Automatic backup failed: {reason}"
        self.window.statusBar().showMessage(text, 15000)
        self.failed.emit(text)
