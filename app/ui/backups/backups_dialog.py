"""The backups of the open appraisal: when each was taken and what it holds; back up now; restore one.

Restoring never touches the open file: the chosen backup is copied into a new file the user names, and the
window then opens that file (`restored` is emitted with its path).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import backups
from app.services.appraisals import SUFFIX
from app.services.backups import Backup, BackupSummary
from app.ui.common import prompts
from app.ui.common.dialog_size import fit_dialog
from app.ui.common.errors import show_error
from app.ui.shell.document import Document
from app.ui.shell.passphrase_dialog import ask_to_unlock

COLUMNS = ("Taken", "Why", "Size", "Characterizations", "Artifacts", "Interviews", "Findings", "Last edit in it")
_COUNT_KEYS = ("characterizations", "artifacts", "interview sessions", "findings")


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, size // 1024)} KB"


class BackupsDialog(QDialog):
    """Signals:
    restored(Path): a backup was copied into this new file; the window should open it.
    """

    restored = Signal(object)

    def __init__(self, document: Document, *, keep: int = backups.DEFAULT_KEEP, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        path = document.workspace.path
        assert path is not None, "backups are for appraisal files"
        self.path: Path = path
        self.passphrase = document.workspace.store.passphrase
        self.keep = keep
        self.backups: list[Backup] = []
        self.summaries: dict[Path, BackupSummary] = {}
        self.setWindowTitle(f"Backups of {path.name}")

        folder = backups.backup_folder(path)
        intro = QLabel(
            f"Appraisal Desk backs this file up when you open it, every few minutes while you edit, and when you "
            f"close it, keeping the last {keep} copies in <b>{folder.name}</b> beside it. Restoring copies a backup "
            "into a <b>new file</b> and opens it; this file stays as it is."
        )
        intro.setWordWrap(True)
        intro.setObjectName("backupsIntro")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("backupsTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        self.message = QLabel()
        self.message.setObjectName("dialogMessage")
        self.message.setWordWrap(True)

        self.backup_now_button = QPushButton("Back up now")
        self.backup_now_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton("Restore into a new file…")
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_button.setEnabled(False)
        folder_button = QPushButton("Show folder")
        folder_button.clicked.connect(self._show_folder)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_now_button)
        buttons.addWidget(folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        fit_dialog(self, 1000, 460)
        self.reload()

    # --- listing ------------------------------------------------------------------------------------------

    def reload(self) -> None:
        """List the backups at once, then fill in what each holds from a background read."""
        self.backups = backups.backups_of(self.path)
        self._fill()
        if not self.backups:
            self.message.setText("No backups yet: one is taken when you open the file and while you edit.")
            return
        paths, passphrase = [b.path for b in self.backups], self.passphrase
        task = self.document.run(
            lambda _ws, _p: {path: backups.summarize(path, passphrase) for path in paths}, label="Reading backups"
        )
        task.on_success(self._summarized).on_failure(lambda exc: self._error(exc, "Backups"))
        self.document.start(task)

    def _summarized(self, summaries: dict[Path, BackupSummary]) -> None:
        self.summaries.update(summaries)
        self._fill()

    def _fill(self) -> None:
        selected = self.selected()
        self.table.setRowCount(len(self.backups))
        for row, backup in enumerate(self.backups):
            summary = self.summaries.get(backup.path)
            cells = [f"{backup.taken_at:%Y-%m-%d %H:%M:%S}", backup.label or "-", _size(backup.size)]
            if summary is None:
                cells += ["…"] * 5
            elif summary.problem is not None:
                cells += ["-"] * 4 + [summary.problem]
            else:
                cells += [str(summary.counts.get(key, 0)) for key in _COUNT_KEYS]
                cells.append(f"{summary.last_edit:%Y-%m-%d %H:%M}" if summary.last_edit else "no edits")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if 2 <= column <= 6:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setToolTip(str(backup.path))
                self.table.setItem(row, column, item)
        if selected is not None and selected in self.backups:
            self.table.selectRow(self.backups.index(selected))
        elif self.backups and not self.table.selectedItems():
            self.table.selectRow(0)

    def selected(self) -> Backup | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self.backups[min(rows)] if rows and min(rows) < len(self.backups) else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    # --- actions ------------------------------------------------------------------------------------------

    def backup_now(self) -> None:
        keep = self.keep
        task = self.document.run(lambda ws, _p: backups.take_backup(ws, label="by hand", keep=keep), label="Backup")
        task.on_success(lambda _b: self.reload()).on_failure(lambda exc: self._error(exc, "Back up now"))
        self.document.start(task)

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None:
            return
        passphrase = self.passphrase
        summary = self.summaries.get(backup.path)
        if summary is not None and summary.locked:
            passphrase = ask_to_unlock(self, backup.path)
            if passphrase is None:
                return
        suggested = self.path.with_name(f"{self.path.stem} (restored {backup.taken_at:%Y-%m-%d %H%M}){SUFFIX}")
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Restore the backup into a new file", str(suggested), f"Appraisal (*{SUFFIX})"
        )
        if chosen:
            self.restore_to(backup, Path(chosen if chosen.endswith(SUFFIX) else chosen + SUFFIX), passphrase)

    def restore_to(self, backup: Backup, target: Path, passphrase: str | None) -> None:
        if target.expanduser().resolve() == self.path:
            self.message.setText("Choose a new file: the open appraisal is never overwritten by a restore.")
            return
        task = self.document.run(
            lambda _ws, _p: backups.restore(backup.path, target, passphrase=passphrase), label="Restoring"
        )
        task.on_success(self._restored).on_failure(lambda exc: self._error(exc, "Restore"))
        self.document.start(task)

    def _restored(self, target: Path) -> None:
        self.message.setText(f"Restored into {target}.")
        self.accept()
        self.restored.emit(target)

    def _error(self, exc: BaseException, title: str) -> None:
        show_error(self, exc, title=title)

    def _show_folder(self) -> None:
        folder = backups.backup_folder(self.path)
        if not folder.is_dir() or not prompts.open_externally(QUrl.fromLocalFile(str(folder))):
            self.message.setText(f"The backups are in {folder}.")
