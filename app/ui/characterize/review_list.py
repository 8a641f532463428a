"""The cells team members marked for review, with their comments; Enter or a double-click shows the cell.

Signals:
    chosen(CellKey): show this cell in the grid.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListView, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.services.characterize import CellKey
from app.services.grid import GridCell, place_name, short_code

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


class ReviewList(QWidget):
    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName("reviewList")
        # Comments are sentences: wrap them rather than cut them off.
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setSpacing(3)
        self.list.setAlternatingRowColors(True)
        self.list.itemActivated.connect(self._activated)
        self.empty = QLabel("No cell is marked for review. Select a cell and press Ctrl+M to mark it.")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #607d8b; padding: 6px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)

    def set_items(self, items: Sequence[tuple[CellKey, GridCell]]) -> None:
        current = self.current_key()
        self.list.clear()
        for key, cell in items:
            where = f"{place_name(key.model, key.pa)} {short_code(key.pa, key.practice)} in {key.unit}"
            text = f"{where}  ·  {cell.value or 'not characterized'}"
            if cell.review_comment:
                text += f"\n{cell.review_comment}"
            entry = QListWidgetItem(text)
            entry.setData(KEY_ROLE, key)
            entry.setToolTip(text)
            self.list.addItem(entry)
            if key == current:
                self.list.setCurrentItem(entry)
        self.empty.setVisible(not items)

    def keys(self) -> list[CellKey]:
        found = []
        for i in range(self.list.count()):
            key = self.list.item(i).data(KEY_ROLE)
            if isinstance(key, CellKey):
                found.append(key)
        return found

    def current_key(self) -> CellKey | None:
        item = self.list.currentItem()
        key = item.data(KEY_ROLE) if item is not None else None
        return key if isinstance(key, CellKey) else None

    def _activated(self, item: QListWidgetItem) -> None:
        key = item.data(KEY_ROLE)
        if isinstance(key, CellKey):
            self.chosen.emit(key)
