"""File › Mini-team package…: which mini-team, where to write its package, and whether to encrypt it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.services import security
from app.services.appraisals import SUFFIX
from app.services.errors import KnownError
from app.ui.common.form_dialog import lay_out, ok_cancel, problem_line


@dataclass(frozen=True, slots=True)
class SplitChoice:
    mini_team: str
    path: Path
    passphrase: str | None


class SplitPackageDialog(QDialog):
    def __init__(self, teams: tuple[str, ...], folder: Path, stem: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mini-team package")
        self.setMinimumWidth(600)
        self._folder = folder
        self._stem = stem
        intro = QLabel(
            "Write a package for one mini-team: an appraisal file with only its process areas, their evidence and "
            "findings, and no participants' names. The team works in it with Appraisal Desk; bring it back with "
            "File › Merge mini-team package…"
        )
        intro.setWordWrap(True)
        self.team = QComboBox()
        self.team.setObjectName("miniTeam")
        self.team.addItems(list(teams))
        self.path = QLineEdit()
        self.path.setObjectName("packagePath")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.encrypt = QCheckBox("Encrypt the package with a passphrase")
        self.encrypt.setEnabled(security.available())
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeated = QLineEdit()
        self.repeated.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("Mini-team", self.team)
        form.addRow("Package file", row)
        form.addRow("", self.encrypt)
        form.addRow("Passphrase", self.passphrase)
        form.addRow("Passphrase again", self.repeated)
        self.message = problem_line()
        self.buttons = ok_cancel(self, "Write package", self._accept)
        lay_out(self, form, self.message, self.buttons, intro)
        self.team.currentTextChanged.connect(self._suggest)
        self.encrypt.toggled.connect(self._encrypt_toggled)
        self._encrypt_toggled(False)
        self._suggest(self.team.currentText())

    def _suggest(self, team: str) -> None:
        self.path.setText(str(self._folder / f"{self._stem} - {team}{SUFFIX}"))

    def _encrypt_toggled(self, on: bool) -> None:
        self.passphrase.setEnabled(on)
        self.repeated.setEnabled(on)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Package file", self.path.text(), f"Appraisal (*{SUFFIX});;All files (*)"
        )
        if chosen:
            self.path.setText(chosen if chosen.endswith(SUFFIX) else chosen + SUFFIX)

    def choice(self) -> SplitChoice:
        passphrase = self.passphrase.text() if self.encrypt.isChecked() else None
        return SplitChoice(self.team.currentText(), Path(self.path.text().strip()).expanduser(), passphrase)

    def _accept(self) -> None:
        choice = self.choice()
        try:
            if not choice.mini_team:
                raise KnownError("The plan has no mini-teams yet: add them on the Plan page first.")
            if not self.path.text().strip():
                raise KnownError("Choose where to write the package.")
            if choice.path.exists():
                raise KnownError(f"{choice.path.name} already exists: a package is always a new file.")
            if choice.passphrase is not None:
                security.check_new_passphrase(choice.passphrase, self.repeated.text())
        except KnownError as exc:
            self.message.setText(str(exc))
            return
        self.accept()
