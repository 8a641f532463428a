"""Small interactions with the user and the desktop, kept in one place so tests can stand in for them."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget, question: str) -> bool:
    """Ask a yes/no question (Enter answers Yes); True for Yes."""
    answer = QMessageBox.question(parent, "Appraisal Desk", question)
    return answer == QMessageBox.StandardButton.Yes


def open_externally(url: QUrl) -> bool:
    """Open a file or web address with the desktop's default application."""
    return QDesktopServices.openUrl(url)
