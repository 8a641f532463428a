"""The OU column held at the grid's right edge while the unit columns scroll beneath it.

With more units than the window has room for (seven in the demo at 1000x640), the organizational-unit column
would scroll out of view, and with it the value the team is deciding. A second view of the same model and
selection shows only that column, laid over the grid's right edge; it scrolls with the grid's rows, and the
grid keeps the cell in hand out from under it. It appears only when the grid scrolls sideways: otherwise the
grid's own OU column is in view.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QTableView

from app.ui.characterize.grid_delegate import CellDelegate


class FrozenOuColumn(QTableView):
    def __init__(self, grid: QTableView) -> None:
        super().__init__(grid)
        self.grid = grid
        self.setObjectName("frozenOuColumn")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the grid: letters, Enter, arrows
        self.verticalHeader().hide()
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setItemDelegate(CellDelegate(self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(grid.selectionMode())
        self.setSelectionBehavior(grid.selectionBehavior())
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setStyleSheet("QTableView#frozenOuColumn { gridline-color: #dde3e6; border-left: 2px solid #90a4ae; }")
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setHighlightSections(True)
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        grid.verticalHeader().sectionResized.connect(self._row_resized)
        grid.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(grid.verticalScrollBar().setValue)
        grid.horizontalScrollBar().rangeChanged.connect(lambda _low, _high: self.place())
        self.pressed.connect(lambda _index: grid.setFocus(Qt.FocusReason.MouseFocusReason))
        self._held = 0
        self._missed = False
        self.hide()
        # Styled now, with the page: the first show (when a grid wider than the window arrives) is then a
        # layout, not also a style sheet's polish in the same stretch of the UI thread.
        for widget in (self, self.horizontalHeader(), self.verticalHeader(), self.viewport()):
            widget.ensurePolished()

    @contextmanager
    def held(self) -> Iterator[None]:
        """Follow the grid once, at the end: a grid read anew is reset, then sized by columns and by rows, and
        each step would otherwise walk its thousand rows and more again."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            if not self._held and self._missed:
                self._missed = False
                self.follow_rows()

    def follow_model(self) -> None:
        """Take the grid's model and selection, and show only its last column (the OU)."""
        model = self.grid.model()
        if model is not self.model():
            self.setModel(model)
            model.modelReset.connect(self.follow_rows)
            model.layoutChanged.connect(self.follow_rows)
        self.setSelectionModel(self.grid.selectionModel())
        self.follow_rows()

    def _row_resized(self, row: int, _old: int, new: int) -> None:
        if not self._held:  # while held, follow_rows takes every height at the end
            self.setRowHeight(row, new)

    def follow_rows(self) -> None:
        """Row heights, hidden rows and the column shown, as the grid has them."""
        if self._held:
            self._missed = True
            return
        model = self.model()
        if model is None:
            return
        columns = model.columnCount()
        for column in range(columns):
            self.setColumnHidden(column, column != columns - 1)
        grid_rows = self.grid.verticalHeader()
        rows = self.verticalHeader()
        rows.setDefaultSectionSize(grid_rows.defaultSectionSize())
        for row in range(model.rowCount()):
            # Only what differs: a grid of a thousand rows and more is followed on every reset and filter.
            size = grid_rows.sectionSize(row)
            if rows.sectionSize(row) != size:
                rows.resizeSection(row, size)
            hidden = self.grid.isRowHidden(row)
            if self.isRowHidden(row) != hidden:
                self.setRowHidden(row, hidden)
        self.place()

    def ou_column(self) -> int:
        model = self.model()
        return model.columnCount() - 1 if model is not None else -1

    def width_needed(self) -> int:
        return self.grid.horizontalHeader().sectionSize(self.ou_column())

    def place(self) -> None:
        """Over the grid's right edge while the grid scrolls sideways; hidden when everything fits."""
        column = self.ou_column()
        scrolls = self.grid.horizontalScrollBar().maximum() > 0
        if column < 0 or not scrolls:
            self.hide()
            return
        width = self.width_needed()
        self.setColumnWidth(column, width)
        viewport = self.grid.viewport().geometry()
        header = self.grid.horizontalHeader()
        self.horizontalHeader().setFixedHeight(header.height())
        self.setGeometry(
            viewport.right() + 1 - width,
            header.geometry().top(),
            width,
            viewport.bottom() + 1 - header.geometry().top(),
        )
        self.verticalScrollBar().setValue(self.grid.verticalScrollBar().value())
        self.show()
        self.raise_()

    def covers(self, index: QModelIndex) -> int:
        """How many pixels of `index`'s cell lie under this column (0 when it is hidden or the OU itself)."""
        if not self.isVisible() or not index.isValid() or index.column() == self.ou_column():
            return 0
        rect = self.grid.visualRect(index)
        edge = self.grid.viewport().width() - self.width()
        # Never so far that the cell's own left edge goes out of view (a viewport narrower than cell and OU).
        return max(min(rect.right() + 1 - edge, rect.left()), 0)
