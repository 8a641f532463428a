"""The frame of a dialog that asks for a few fields: an optional introduction, the form, a line that says what
is wrong, and OK (named for what it does) with Cancel. OK runs the dialog's own check, which closes it only
when everything holds; until then the problem line says why."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget


def problem_line() -> QLabel:
    """Red, wrapped; tests find it by its name, `dialogMessage`."""
    message = QLabel()
    message.setObjectName("dialogMessage")
    message.setStyleSheet("color: #a00;")
    message.setWordWrap(True)
    return message


def ok_cancel(dialog: QDialog, ok_text: str, accept: Callable[[], None]) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def lay_out(
    dialog: QDialog, form: QFormLayout, message: QLabel, buttons: QDialogButtonBox, intro: QWidget | None = None
) -> QVBoxLayout:
    layout = QVBoxLayout(dialog)
    if intro is not None:
        layout.addWidget(intro)
    layout.addLayout(form)
    layout.addWidget(message)
    layout.addWidget(buttons)
    return layout
