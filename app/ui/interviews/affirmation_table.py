"""A session's affirmations in the order said: number, text (editable in place), and practice × unit tags."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from app.services.interviews import AffirmationInfo
from app.services.link_scope import LinkInfo
from app.ui.common.remote_marks import MARK_FILL, mark_tip, with_mark

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class AffirmationTable(QTableWidget):
    """Signals: text_edited(int affirmation_id, str before, str after)."""

    text_edited = Signal(int, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setObjectName("affirmations")
        self.said: tuple[AffirmationInfo, ...] = ()
        self.marked: dict[int, str] = {}
        """Affirmations a colleague just changed (a team server), by id: who."""
        self._loading = False
        self.setHorizontalHeaderLabels(["#", "Affirmation", "Tags"])
        self.verticalHeader().setVisible(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 190)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setToolTip("Double-click or F2 to correct an affirmation; Del deletes it")
        self.itemChanged.connect(self._changed)
        # Wrapped texts need their rows re-measured whenever the columns change width.
        header.sectionResized.connect(lambda *_: self.resizeRowsToContents())

    def fill(self, said: tuple[AffirmationInfo, ...]) -> None:
        keep = self.selected_id()
        self.said = said
        self._loading = True
        try:
            self.setRowCount(len(said))
            for row, affirmation in enumerate(said):
                number = QTableWidgetItem(str(affirmation.position + 1))
                text = QTableWidgetItem(affirmation.text)
                text.setData(ID_ROLE, affirmation.id)
                tags = QTableWidgetItem(_grouped(affirmation.tags))
                tags.setToolTip(
                    "\n".join(f"{t.model} {t.pa} {t.practice} {t.practice_title} — {t.unit}" for t in affirmation.tags)
                )
                for cell in (number, tags):
                    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                for column, cell in enumerate((number, text, tags)):
                    self.setItem(row, column, cell)
            self.resizeRowsToContents()
        finally:
            self._loading = False
        self.mark(self.marked)
        if keep is None or not self.select_id(keep):
            self.scrollToBottom()

    def mark(self, marked: dict[int, str]) -> None:
        """Show which affirmations a colleague just changed: a fill, and "by NAME" beside the number."""
        self.marked = marked
        self._loading = True  # a fill is no edit of the text
        try:
            for row, affirmation in enumerate(self.said):
                who = marked.get(affirmation.id)
                number = self.item(row, 0)
                if number is not None:
                    number.setText(with_mark(str(affirmation.position + 1), who))
                    number.setToolTip(mark_tip(who) if who else "")
                for column in range(self.columnCount()):
                    cell = self.item(row, column)
                    if cell is not None:
                        cell.setBackground(QBrush(MARK_FILL) if who else QBrush())
        finally:
            self._loading = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resizeRowsToContents()

    def selected_id(self) -> int | None:
        rows = sorted({index.row() for index in self.selectedIndexes()})
        cell = self.item(rows[0], 1) if rows else None
        return int(cell.data(ID_ROLE)) if cell is not None else None

    def select_id(self, affirmation_id: int) -> bool:
        for row, affirmation in enumerate(self.said):
            if affirmation.id == affirmation_id:
                self.selectRow(row)
                cell = self.item(row, 1)
                if cell is not None:
                    self.scrollToItem(cell)
                return True
        return False

    def _changed(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() != 1 or item.row() >= len(self.said):
            return
        before = self.said[item.row()]
        after = item.text().strip()
        if after and after != before.text:
            self.text_edited.emit(before.id, before.text, after)
        else:
            self._loading = True
            item.setText(before.text)
            self._loading = False


def _grouped(tags: Sequence[LinkInfo]) -> str:
    """Tags on few lines: each practice once with its units ("IRP SP1.1 · Claims, Policies"), practices on a line."""
    units: dict[tuple[str, str], list[str]] = {}
    for tag in tags:
        units.setdefault((tag.pa, tag.practice), []).append(tag.unit)
    return "; ".join(f"{pa} {practice} · {', '.join(names)}" for (pa, practice), names in units.items())
