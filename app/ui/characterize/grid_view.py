"""The grid's table view: keyboard-first characterization.

One letter sets a value (the page maps it through the scale; with a range selected, every cell of it),
Delete or Backspace clears, Enter opens the cell (its detail, the team's judgment, or a goal override),
arrows move and skip headings, Shift+arrows select a range, Tab and Shift+Tab move between cells, Ctrl+V
pastes a block copied from a spreadsheet.

Signals:
    letter_typed(QModelIndex, str): a letter was typed on a cell.
    clear_requested(QModelIndex): Delete or Backspace on a cell.
    open_requested(QModelIndex): Enter or a double-click on a cell.
    paste_requested(QModelIndex): Ctrl+V on a cell (the top-left cell of the pasted block).
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.ui.characterize.frozen_ou import FrozenOuColumn
from app.ui.characterize.grid_delegate import CellDelegate

UNIT_WIDTH = 68
OU_WIDTH = 86
ROW_HEIGHT = 40
HEADING_HEIGHT = 28
PA_HEADING_HEIGHT = 36
LABEL_WIDTH = 190
LABEL_MAX_WIDTH = 440

_NO_TEXT_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)


class GridView(QTableView):
    letter_typed = Signal(QModelIndex, str)
    clear_requested = Signal(QModelIndex)
    open_requested = Signal(QModelIndex)
    paste_requested = Signal(QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("characterizationGrid")
        self.setItemDelegate(CellDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(True)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setStyleSheet("QTableView#characterizationGrid { gridline-color: #dde3e6; }")
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(ROW_HEIGHT)
        rows.setMinimumWidth(LABEL_WIDTH)
        rows.setMaximumWidth(LABEL_WIDTH)
        rows.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows.setHighlightSections(False)
        columns = self.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        columns.setDefaultSectionSize(UNIT_WIDTH)
        columns.setHighlightSections(True)
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.doubleClicked.connect(self.open_requested)
        # Sideways by pixels: a cell is brought out from under the frozen OU column exactly.
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.frozen: FrozenOuColumn | None = None
        frozen = FrozenOuColumn(self)
        frozen.doubleClicked.connect(self.open_requested)
        self.frozen = frozen

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        if self.frozen is not None:
            self.frozen.follow_model()

    def frozen_held(self) -> AbstractContextManager[None]:
        """While the grid is reset and sized, the frozen OU column follows once, at the end."""
        return self.frozen.held() if self.frozen is not None else nullcontext()

    def setRowHidden(self, row: int, hide: bool) -> None:
        super().setRowHidden(row, hide)
        if self.frozen is not None:
            self.frozen.setRowHidden(row, hide)

    def updateGeometries(self) -> None:
        super().updateGeometries()
        frozen = getattr(self, "frozen", None)  # Qt lays the view out before __init__ has made it
        if frozen is not None:
            frozen.place()

    def scrollTo(
        self,
        index: QModelIndex | QPersistentModelIndex,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        super().scrollTo(index, hint)
        if self.frozen is not None and isinstance(index, QModelIndex):
            covered = self.frozen.covers(index)
            if covered:
                bar = self.horizontalScrollBar()
                bar.setValue(bar.value() + covered)

    def size_columns(self, units: int) -> None:
        header = self.horizontalHeader()
        for column in range(units):
            header.resizeSection(column, UNIT_WIDTH)
        header.resizeSection(units, OU_WIDTH)
        self._fit_labels()
        if self.frozen is not None:
            self.frozen.follow_rows()

    def size_rows(self, headings: dict[int, bool]) -> None:
        """Headings are lower than practice rows; process-area headings (True) hold two lines."""
        header = self.verticalHeader()
        for row, process_area in headings.items():
            header.resizeSection(row, PA_HEADING_HEIGHT if process_area else HEADING_HEIGHT)
        if self.frozen is not None:
            self.frozen.follow_rows()

    def _fit_labels(self) -> None:
        """Give practice titles the room the unit columns leave, within bounds."""
        model = self.model()
        columns = model.columnCount() if model is not None else 0
        used = sum(self.horizontalHeader().sectionSize(c) for c in range(columns))
        spare = self.width() - used - self.verticalScrollBar().sizeHint().width() - 2 * self.frameWidth()
        width = max(LABEL_WIDTH, min(LABEL_MAX_WIDTH, spare))
        rows = self.verticalHeader()
        if rows.minimumWidth() != width:
            rows.setMinimumWidth(width)
            rows.setMaximumWidth(width)
            # The viewport starts where the titles end: without this the titles would cover the first units.
            self.updateGeometries()
            if self.currentIndex().isValid():
                self.scrollTo(self.currentIndex(), QAbstractItemView.ScrollHint.EnsureVisible)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_labels()

    def keyboardSearch(self, search: str) -> None:
        """Typing never jumps to a row: letters are values (see keyPressEvent), other keys do nothing."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        plain = not event.modifiers() & _NO_TEXT_MODIFIERS
        key = event.key()
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if index.isValid():
                self.open_requested.emit(index)
            event.accept()
            return
        if plain and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if index.isValid():
                self.clear_requested.emit(index)
            event.accept()
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            if index.isValid():
                self.paste_requested.emit(index)
            event.accept()
            return
        text = event.text()
        if plain and len(text) == 1 and text.isalpha():
            # Letters are values, never a jump to a row that starts with them (Qt's keyboard search).
            if index.isValid():
                self.letter_typed.emit(index, text)
            event.accept()
            return
        super().keyPressEvent(event)
