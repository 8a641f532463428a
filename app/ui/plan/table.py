"""Editable tables of the Plan page: rows of one plan list, edited in place, checked as you type.

Keyboard: Enter adds a row (and starts typing its name), Del removes the current row after asking, F2 or
typing edits a cell, Space toggles a check box, F2 or a double click opens the chooser of a list cell.
Tab leaves the table, so the form keeps one tab order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QWidget,
)

from app.ui.plan.fields import PROBLEM_COLOR

PROBLEM_FILL = QColor("#f6cfcb")
Index = QModelIndex | QPersistentModelIndex


class ColumnKind(StrEnum):
    """How a column's cells are edited."""

    TEXT = "text"
    """Typed in place."""
    CHECK = "check"
    """Space toggles it."""
    CHOICE = "choice"
    """A drop-down."""
    NUMBER = "number"
    """A spin box; its lowest value means "not given"."""
    DIALOG = "dialog"
    """A chooser opens (F2 or a double click)."""
    LABEL = "label"
    """Read only."""


IN_PLACE = frozenset({ColumnKind.TEXT, ColumnKind.CHOICE, ColumnKind.NUMBER})
"""The kinds edited in the cell itself (an editor opens over it)."""


@dataclass(frozen=True)
class Column:
    """One column: its header, the plan-file field its problems name, and how it is edited."""

    header: str
    field: str
    kind: ColumnKind
    width: int = 0
    """Initial width in pixels; 0 stretches the column over the room left."""
    tip: str = ""


class PlanTable(QTableWidget):
    """Signals:
    add_requested(): Enter outside an editor.
    remove_requested(int): Del on a row.
    open_requested(int, int): F2 or a double click on a "dialog" cell (row, column).
    editor_closed(int, int): an in-place editor closed (row, column), committed or not.
    """

    add_requested = Signal()
    remove_requested = Signal(int)
    open_requested = Signal(int, int)
    editor_closed = Signal(int, int)

    def __init__(self, columns: list[Column], parent: QWidget | None = None) -> None:
        super().__init__(0, len(columns), parent)
        self.columns: list[Column] = []
        self.verticalHeader().setVisible(False)
        self.setTabKeyNavigation(False)
        self.setWordWrap(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.horizontalHeader().setHighlightSections(False)
        # Wrapped text needs more or fewer lines once a column is wider or narrower: fit again, once.
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.fit_height)
        self.horizontalHeader().sectionResized.connect(lambda *_args: self._refit.start())
        self.set_columns(columns)
        self.cellDoubleClicked.connect(self._double_clicked)

    def set_columns(self, columns: list[Column]) -> None:
        """Lay out the columns (the subgroups table has one per sampling factor, so they change)."""
        if columns == self.columns:
            return
        self.columns = list(columns)
        self.setColumnCount(len(columns))
        self.setHorizontalHeaderLabels([c.header for c in columns])
        header = self.horizontalHeader()
        for i, column in enumerate(columns):
            head = self.horizontalHeaderItem(i)
            if head is not None:
                head.setToolTip(column.tip)
            if column.width:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
                self.setColumnWidth(i, column.width)
            else:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)

    placeholder = ""
    """Shown in an empty table, saying how to add the first row."""

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.rowCount() == 0 and self.placeholder:
            painter = QPainter(self.viewport())
            painter.setPen(QColor("#5f6368"))
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder)

    def _double_clicked(self, row: int, col: int) -> None:
        if self.columns[col].kind == ColumnKind.DIALOG:
            self.open_requested.emit(row, col)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() != QAbstractItemView.State.EditingState:
            key, row, col = event.key(), self.currentRow(), self.currentColumn()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                self.add_requested.emit()
                return
            if key == Qt.Key.Key_Delete and row >= 0:
                self.remove_requested.emit(row)
                return
            if key == Qt.Key.Key_F2 and col >= 0 and self.columns[col].kind == ColumnKind.DIALOG and row >= 0:
                self.open_requested.emit(row, col)
                return
        super().keyPressEvent(event)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        index = self.currentIndex()
        super().closeEditor(editor, hint)
        self.editor_closed.emit(index.row(), index.column())

    def fit_height(self, min_rows: int = 2) -> None:
        """Show every row: the page scrolls, not the table (nested scrolling loses the keyboard user)."""
        self.resizeRowsToContents()
        rows = sum(self.rowHeight(r) for r in range(self.rowCount()))
        rows += max(0, min_rows - self.rowCount()) * self.verticalHeader().defaultSectionSize()
        self.setFixedHeight(rows + self.horizontalHeader().height() + 2 * self.frameWidth() + 2)

    def mark(self, row: int, col: int, problem: str) -> None:
        item = self.item(row, col)
        if item is None:
            return
        # Marking is not an edit: without this, itemChanged would propose the cell again, and mark it again.
        with quiet(self):
            item.setBackground(QBrush(PROBLEM_FILL) if problem else QBrush())
            item.setToolTip(problem)


@contextmanager
def quiet(table: QTableWidget) -> Iterator[None]:
    """Change cells without the change being taken for the user's edit (itemChanged is not emitted)."""
    blocked = table.blockSignals(True)
    try:
        yield
    finally:
        table.blockSignals(blocked)


class TypingDelegate(QStyledItemDelegate):
    """The in-place editor of "text" cells: `check(row, col, text)` runs as the user types and returns the
    problem the text would have ("" when none), shown as a red frame on the editor."""

    def __init__(self, check: Callable[[int, int, str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = check

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: ARG002
        editor = QLineEdit(parent)
        editor.setFrame(False)
        row, col = index.row(), index.column()
        editor.textEdited.connect(lambda text: self._show(editor, self.check(row, col, text)))
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        super().setEditorData(editor, index)
        # Reopened on a cell with a problem (a refused new row): the frame is red from the start.
        if isinstance(editor, QLineEdit):
            self._show(editor, self.check(index.row(), index.column(), editor.text()))

    @staticmethod
    def _show(editor: QLineEdit, problem: str) -> None:
        editor.setStyleSheet(f"QLineEdit {{ border: 2px solid {PROBLEM_COLOR}; }}" if problem else "")
        editor.setToolTip(problem)


Committer = Callable[[int, int, str, Any], None]
"""(row, column, text shown, value): a cell's new value, handed to the section."""
Current = Callable[[int, int], Any]
"""(row, column) -> the value a cell holds."""


class _ChoiceCombo(QComboBox):
    """A drop-down that keeps the plan value of each of its labels."""

    def __init__(self, pairs: list[tuple[str, Any]], parent: QWidget) -> None:
        super().__init__(parent)
        self.values = [value for _label, value in pairs]
        for label, _value in pairs:
            self.addItem(label)


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down whose choice is written at once; `choices(row, col)` gives (label, value) pairs.

    Values stay on the Python side (`current`, `commit`): they never travel as Qt item data.
    """

    def __init__(
        self,
        choices: Callable[[int, int], list[tuple[str, Any]]],
        current: Current,
        commit: Committer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.choices, self.current, self.commit = choices, current, commit

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: ARG002
        combo = _ChoiceCombo(self.choices(index.row(), index.column()), parent)
        combo.activated.connect(lambda _i: self._chosen(combo))
        return combo

    def _chosen(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, _ChoiceCombo)
        values = editor.values
        current = self.current(index.row(), index.column())
        editor.setCurrentIndex(values.index(current) if current in values else 0)
        # Open the list once the editor is in place, so arrows and Enter choose straight away.
        QTimer.singleShot(0, editor.showPopup)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:  # noqa: ARG002
        assert isinstance(editor, _ChoiceCombo)
        values = editor.values
        if 0 <= editor.currentIndex() < len(values):
            self.commit(index.row(), index.column(), editor.currentText(), values[editor.currentIndex()])


class NumberDelegate(QStyledItemDelegate):
    """A spin box for a whole number from `lo` to `hi`; one below `lo` shows "—" and means not given."""

    def __init__(self, lo: int, hi: int, current: Current, commit: Committer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lo, self.hi = lo, hi
        self.current, self.commit = current, commit

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: ARG002
        spin = QSpinBox(parent)
        spin.setRange(self.lo - 1, self.hi)
        spin.setSpecialValueText("—")
        return spin

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QSpinBox)
        value = self.current(index.row(), index.column())
        editor.setValue(self.lo - 1 if value is None else int(value))
        editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:  # noqa: ARG002
        assert isinstance(editor, QSpinBox)
        value = None if editor.value() < self.lo else editor.value()
        self.commit(index.row(), index.column(), "—" if value is None else str(value), value)
