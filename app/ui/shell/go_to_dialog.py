"""Go to a practice, goal or process area by typing its id as people write it (Ctrl+G)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.domain.places import Place, find_places


class _Line(QLineEdit):
    """Up and Down move through the matches while typing continues in the line."""

    def __init__(self, matches: QListWidget) -> None:
        super().__init__()
        self._matches = matches

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if event.key() == Qt.Key.Key_Up else 1
            row = min(max(self._matches.currentRow() + step, 0), self._matches.count() - 1)
            self._matches.setCurrentRow(row)
            return
        super().keyPressEvent(event)


class GoToDialog(QDialog):
    def __init__(self, places: Sequence[Place], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("goToDialog")
        self.setWindowTitle("Go to")
        self.resize(460, 320)
        self._places = list(places)
        self._shown: list[Place] = []
        self.matches = QListWidget()
        self.matches.setObjectName("goToMatches")
        self.line = _Line(self.matches)
        self.line.setObjectName("goToLine")
        self.line.setPlaceholderText("IRP SP3.1, SP 3.1, ESP1.4, RSKM, IRP SG3…")
        self.hint = QLabel("Type a practice, goal or process area; Enter goes to the highlighted one.")
        self.hint.setObjectName("goToHint")
        self.hint.setWordWrap(True)
        label = QLabel("&Practice, goal or process area")
        label.setBuddy(self.line)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.line)
        layout.addWidget(self.matches, 1)
        layout.addWidget(self.hint)
        self.line.textChanged.connect(self._update)
        self.line.returnPressed.connect(self.accept)
        self.matches.itemActivated.connect(lambda _item: self.accept())

    def _update(self, text: str) -> None:
        self._shown = find_places(text, self._places)
        self.matches.clear()
        for place in self._shown:
            item = QListWidgetItem(f"{place.label}   {place.title}")
            item.setToolTip(f"{place.kind.value}: {place.label} {place.title}")
            self.matches.addItem(item)
        if self._shown:
            self.matches.setCurrentRow(0)
            self.hint.setText("Enter goes to the highlighted one; Up and Down choose another.")
        else:
            self.hint.setText("Nothing matches yet." if text.strip() else "Type a practice, goal or process area.")

    def chosen(self) -> Place | None:
        row = self.matches.currentRow()
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def accept(self) -> None:
        if self.chosen() is not None:
            super().accept()
