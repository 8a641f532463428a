"""The appraisal's extra identifiers: nicknames, e-mail handles, team names that point at someone without being a
participant's name. Each is matched and scrubbed like a name everywhere (method-rules §9); adding and removing
are undoable edits."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services import attribution
from app.ui.findings import commands
from app.ui.shell.commands import execute
from app.ui.shell.document import Document


class IdentifiersDialog(QDialog):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("identifiersDialog")
        self.setWindowTitle("Identifiers to withhold")
        self.resize(520, 400)
        intro = QLabel(
            "Participants' names, and roles only one participant holds, are found on their own. Add here what "
            "else points at someone: nicknames, e-mail handles, team or project names. They are flagged in "
            "findings and withheld from every export like a name."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("identifierList")
        self.list.currentRowChanged.connect(lambda _row: self._update())
        self.text = QLineEdit()
        self.text.setObjectName("identifierText")
        self.text.setPlaceholderText("e.g. rokafor, Big E, Blue Team")
        self.text.setMaxLength(attribution.MAX_IDENTIFIER)
        self.text.textChanged.connect(lambda _t: self._update())
        self.text.returnPressed.connect(self.add)
        self.note = QLineEdit()
        self.note.setPlaceholderText("what it is (optional): nickname, e-mail handle…")
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove)
        entry = QHBoxLayout()
        entry.addWidget(self.text, 2)
        entry.addWidget(self.note, 2)
        entry.addWidget(self.add_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(entry)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for info in attribution.list_identifiers(self.document.workspace):
            item = QListWidgetItem(info.text + (f"  —  {info.note}" if info.note else ""))
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            self.list.addItem(item)
        self._update()

    def _update(self) -> None:
        self.add_button.setEnabled(bool(self.text.text().strip()))
        self.remove_button.setEnabled(self.list.currentItem() is not None)

    def add(self) -> None:
        if not self.text.text().strip():
            return
        if execute(self, self.document, commands.AddIdentifier(self.document, self.text.text(), self.note.text())):
            self.text.clear()
            self.note.clear()
            self.refresh()

    def remove(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            execute(
                self, self.document, commands.RemoveIdentifier(self.document, int(item.data(Qt.ItemDataRole.UserRole)))
            )
            self.refresh()
