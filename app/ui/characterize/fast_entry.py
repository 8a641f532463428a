"""Entering many values fast: where the cursor goes after a value, which cells a range fill writes, and a
pasted block (a column copied from Excel) mapped onto the grid's visible cells with a preview before it is
written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.pasted_values import read_block
from app.services.characterize import CellKey
from app.services.grid import RowKind
from app.ui.characterize.grid_table import GridTable

PROBLEM_FILL = QColor("#f6d3d6")


class Advance(StrEnum):
    """Where the cursor goes after a value is typed (a setting; down by default)."""

    DOWN = "down"
    RIGHT = "right"
    STAY = "stay"


def _usable(view: QTableView, model: GridTable, row: int, column: int) -> bool:
    index = model.index(row, column)
    return not view.isRowHidden(row) and bool(model.flags(index) & Qt.ItemFlag.ItemIsEnabled)


def next_cell(view: QTableView, model: GridTable, index: QModelIndex, advance: Advance) -> QModelIndex:
    """The next cell a typed value moves to: the next visible row that has this column (down), or the next
    cell along the row, then the first of the next row (right). Invalid at the end of the grid."""
    if not index.isValid() or advance is Advance.STAY:
        return QModelIndex()
    rows, columns = model.rowCount(), model.columnCount()
    if advance is Advance.DOWN:
        for row in range(index.row() + 1, rows):
            if _usable(view, model, row, index.column()):
                return model.index(row, index.column())
        return QModelIndex()
    row, column = index.row(), index.column() + 1
    while row < rows:
        while column < columns:
            if _usable(view, model, row, column):
                return model.index(row, column)
            column += 1
        row, column = row + 1, 0
    return QModelIndex()


def selected_unit_cells(view: QTableView, model: GridTable) -> list[CellKey]:
    """The unit cells selected in the grid (the OU column and headings are never filled), in grid order."""
    indexes = sorted(view.selectionModel().selectedIndexes(), key=lambda i: (i.row(), i.column()))
    keys = [model.key_at(i) for i in indexes if not view.isRowHidden(i.row())]
    return [k for k in keys if k is not None]


@dataclass(frozen=True, slots=True)
class PastedChange:
    key: CellKey
    where: str
    before: str | None
    after: str


@dataclass(frozen=True, slots=True)
class PastePlan:
    changes: tuple[PastedChange, ...]
    unchanged: int
    problems: tuple[str, ...]


def plan_paste(view: QTableView, model: GridTable, start: QModelIndex, text: str) -> PastePlan:
    """Map a pasted block onto the grid from `start`: each pasted line goes to the next visible practice row,
    each tab-separated cell to the next unit column. Blank cells leave theirs alone."""
    scale = model.scale
    cells = read_block(scale, text)
    problems: list[str] = []
    if not cells:
        return PastePlan((), 0, ("The clipboard holds no values to paste.",))
    rows = _rows_from(view, model, start.row())
    changes: list[PastedChange] = []
    unchanged = 0
    for cell in cells:
        place = f"line {cell.row + 1}" + (f", column {cell.column + 1}" if cell.column else "")
        if cell.problem:
            problems.append(f"{place}: {cell.problem}.")
            continue
        column = start.column() + cell.column
        if cell.row >= len(rows):
            problems.append(f"{place}: below the last practice shown in the grid.")
            continue
        row = rows[cell.row]
        grid_row = model.row(row)
        if column >= model.ou_column:
            problems.append(
                f"{place}: falls on the OU column of {grid_row.pa} {grid_row.code}; OU values come from the units "
                "or a team judgment."
            )
            continue
        key = model.key_at(model.index(row, column))
        unit = model.unit_of(column) or ""
        where = f"{grid_row.pa} {grid_row.code} in {unit}"
        if key is None:
            problems.append(f"{place}: {unit} does not implement {grid_row.pa}, so {grid_row.code} has no cell there.")
            continue
        now = model.cell(row, column)
        before = now.value if now is not None else None
        if before == cell.value:
            unchanged += 1
            continue
        assert cell.value is not None
        changes.append(PastedChange(key, where, before, cell.value))
    return PastePlan(tuple(changes), unchanged, tuple(problems))


def _rows_from(view: QTableView, model: GridTable, first: int) -> list[int]:
    shown = (r for r in range(first, model.rowCount()) if not view.isRowHidden(r))
    return [r for r in shown if model.row(r).kind is RowKind.PRACTICE]


class PastePreviewDialog(QDialog):
    """What a paste would change; it is applied only when every pasted value lands on a cell it can fill."""

    def __init__(self, plan: PastePlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pastePreviewDialog")
        self.setWindowTitle("Paste values")
        self.resize(620, 420)
        changes, problems = plan.changes, plan.problems
        summary = f"{len(changes)} cell(s) change"
        if plan.unchanged:
            summary += f"; {plan.unchanged} already hold the pasted value"
        if problems:
            summary += f". {len(problems)} pasted value(s) cannot be placed: fix them and paste again."
        self.summary = QLabel(summary + ("." if not problems else ""))
        self.summary.setObjectName("pasteSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(problems) + len(changes), 3)
        self.table.setObjectName("pasteChanges")
        self.table.setHorizontalHeaderLabels(["Cell", "Now", "Pasted"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        for r, problem in enumerate(problems):
            item = QTableWidgetItem(problem)
            item.setBackground(QBrush(PROBLEM_FILL))
            self.table.setItem(r, 0, item)
            self.table.setSpan(r, 0, 1, 3)
        for r, change in enumerate(changes, start=len(problems)):
            for c, text in enumerate((change.where, change.before or "—", change.after)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.addButton(
            f"&Apply {len(changes)} change(s)", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setEnabled(bool(changes) and not problems)
        self.apply_button.setDefault(True)

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Enter applies what the preview shows (Esc cancels); Tab reaches the list of changes.
        (self.apply_button if self.apply_button.isEnabled() else self.table).setFocus()


def describe_fill(keys: Sequence[CellKey], value: str) -> str:
    return f"Set {len(keys)} cells to {value}"
