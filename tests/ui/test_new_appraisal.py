"""File > New appraisal from the window: a named file from a preset, and an encrypted one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from app.services import security
from app.ui.shell.main_window import MainWindow
from app.ui.shell.new_appraisal_dialog import NewAppraisalDialog


def fill_and_accept(monkeypatch: pytest.MonkeyPatch, fill: Callable[[NewAppraisalDialog], None]) -> None:
    def exec_(dialog: NewAppraisalDialog) -> int:
        fill(dialog)
        dialog._accept()
        return int(dialog.result())

    monkeypatch.setattr(NewAppraisalDialog, "exec", exec_)


def test_new_appraisal_creates_the_file_and_opens_it(qtbot, make_window, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "ovig.appraisal"

    def fill(dialog: NewAppraisalDialog) -> None:
        dialog.name.setText("OVIG security appraisal")
        dialog.path.setText(str(target))

    fill_and_accept(monkeypatch, fill)
    window: MainWindow = make_window()
    window.new_appraisal()
    qtbot.waitUntil(lambda: window.document is not None, timeout=10000)
    assert target.is_file() and not security.file_is_encrypted(target)
    assert window.windowTitle().startswith("OVIG security appraisal")


def test_the_dialog_refuses_an_existing_file_and_a_mismatched_passphrase(qtbot, tmp_path: Path) -> None:
    (tmp_path / "taken.appraisal").write_bytes(b"")
    dialog = NewAppraisalDialog(tmp_path)
    qtbot.addWidget(dialog)
    dialog.name.setText("x")
    dialog.path.setText(str(tmp_path / "taken.appraisal"))
    dialog._accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and "already exists" in dialog.message.text()

    if not security.available():
        pytest.skip("SQLCipher (the 'encryption' extra) is not installed")
    dialog.path.setText(str(tmp_path / "new.appraisal"))
    dialog.encrypt.setChecked(True)
    dialog.passphrase.setText("correct horse battery")
    dialog.repeat.setText("correct horse battery staple")
    dialog._accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.message.text()
    assert dialog.passphrase_value() == "correct horse battery"


def test_an_encrypted_new_appraisal_is_unreadable_without_its_passphrase(
    qtbot, make_window, tmp_path: Path, monkeypatch
) -> None:
    if not security.available():
        pytest.skip("SQLCipher (the 'encryption' extra) is not installed")
    target = tmp_path / "secret.appraisal"

    def fill(dialog: NewAppraisalDialog) -> None:
        dialog.name.setText("Secret appraisal")
        dialog.path.setText(str(target))
        dialog.encrypt.setChecked(True)
        dialog.passphrase.setText("correct horse battery")
        dialog.repeat.setText("correct horse battery")

    fill_and_accept(monkeypatch, fill)
    window: MainWindow = make_window()
    window.new_appraisal()
    qtbot.waitUntil(lambda: window.document is not None, timeout=10000)
    assert window.windowTitle().startswith("Secret appraisal")
    assert window.close_document()
    assert security.file_is_encrypted(target)
    assert b"Secret appraisal" not in target.read_bytes()
