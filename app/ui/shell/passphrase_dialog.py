"""Asking for a passphrase: to unlock an encrypted file, or to change the open file's passphrase.

The dialog checks what it is given before it closes (through a `check` callback that calls a service), so a
mistyped passphrase is said in the dialog, next to the field, and the user simply types it again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.services import security
from app.services.errors import KnownError
from app.ui.common.form_dialog import lay_out, ok_cancel, problem_line

Check = Callable[[list[str]], None]


def _secret_field(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMinimumWidth(320)
    return edit


class PassphraseDialog(QDialog):
    """Fields for one or more passphrases, an explanation, and an inline message for what `check` refuses."""

    def __init__(
        self,
        title: str,
        explanation: str,
        labels: list[str],
        check: Check,
        *,
        ok_text: str = "OK",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self._check = check
        intro = QLabel(explanation)
        intro.setObjectName("passphraseIntro")
        intro.setWordWrap(True)
        self.fields = [_secret_field(f"passphrase{n}") for n in range(len(labels))]
        form = QFormLayout()
        for label, field in zip(labels, self.fields, strict=True):
            form.addRow(label, field)
        self.show_text = QCheckBox("Show what I type")
        self.show_text.toggled.connect(self._show_text)
        form.addRow("", self.show_text)
        self.message = problem_line()
        self.buttons = ok_cancel(self, ok_text, self._accept)
        lay_out(self, form, self.message, self.buttons, intro)

    def _show_text(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for field in self.fields:
            field.setEchoMode(mode)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        # The dialog does not grow by itself for a wrapped label: make room so the message is never cut.
        self.adjustSize()

    def values(self) -> list[str]:
        return [field.text() for field in self.fields]

    def _accept(self) -> None:
        self._say("Checking…")
        QApplication.processEvents()
        try:
            self._check(self.values())
        except KnownError as exc:
            self._say(str(exc))
            self.fields[0].setFocus()
            self.fields[0].selectAll()
            return
        self.message.clear()
        self.accept()


def unlock_dialog(path: Path, parent: QWidget | None = None) -> PassphraseDialog:
    def check(values: list[str]) -> None:
        security.check_passphrase(path, values[0])

    return PassphraseDialog(
        f"Open {path.name}",
        f"{path.name} is encrypted. Type its passphrase to open it.",
        ["Passphrase"],
        check,
        ok_text="Open",
        parent=parent,
    )


def ask_to_unlock(parent: QWidget | None, path: Path) -> str | None:
    """The passphrase that unlocks `path`, asked until right; None when the user cancelled."""
    dialog = unlock_dialog(path, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.values()[0]


def change_dialog(check: Check, file_name: str, parent: QWidget | None = None) -> PassphraseDialog:
    """Current passphrase, new one, and the new one again; `check` refuses a wrong or weak one inline."""
    return PassphraseDialog(
        "Change passphrase",
        f"Choose a new passphrase for {file_name}: at least {security.MIN_LENGTH} characters, a short phrase of "
        "words is best. Nobody can open the file without it, and it cannot be recovered if forgotten. Backups "
        "taken before keep the passphrase they had.",
        ["Current passphrase", "New passphrase", "New passphrase again"],
        check,
        ok_text="Change passphrase",
        parent=parent,
    )
