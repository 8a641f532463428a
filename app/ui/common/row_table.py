"""A table with one row per record (an artifact, a finding): fixed columns, the records' ids, and selecting one
through the filter over it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import ClassVar, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QTableView

from app.ui.common.remote_marks import MarkedRows, with_mark


class _Record(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=_Record)


ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""data() role answering the row's record id."""
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
"""data() role the filter sorts by: the text, case-folded, unless a subclass sorts a column otherwise."""


class RowTable(QAbstractTableModel, Generic[R]):
    """Subclasses name their `columns`, say a cell's `text()` and may answer other roles in `role_data()`; a
    header's tooltip is its `column_tips` entry, or `other_tip`. On a team server the rows a colleague just
    changed (`mark_entity`, the change log's name of the records) are filled and say "by NAME" in `mark_column`."""

    columns: ClassVar[tuple[str, ...]] = ()
    column_tips: ClassVar[Mapping[int, str]] = MappingProxyType({})
    other_tip: ClassVar[str | None] = None
    mark_entity: ClassVar[str] = ""
    mark_column: ClassVar[int] = 0

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[R] = []
        self.marks = MarkedRows(self, self.mark_entity)

    def set_rows(self, rows: list[R]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_of(self, record_id: int) -> int | None:
        return next((n for n, r in enumerate(self.rows) if r.id == record_id), None)

    def text(self, row: R, column: int) -> str:
        raise NotImplementedError

    def sort_key(self, row: R, column: int) -> object:
        return self.text(row, column).casefold()

    def role_data(self, row: R, column: int, role: int) -> object:
        """Any role but display, id and sort (colours, tooltips, alignment); None where there is nothing to say."""
        raise NotImplementedError

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            text = self.text(row, column)
            return with_mark(text, self.marks.by.get(row.id)) if column == self.mark_column else text
        if role == ID_ROLE:
            return row.id
        if role == SORT_ROLE:
            return self.sort_key(row, column)
        return self.marks.data(row.id, role) or self.role_data(row, column, role)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return self.column_tips.get(section, self.other_tip)
        return None


def select_row(table: QTableView, proxy: QSortFilterProxyModel, row: int, clear_filters: Callable[[], None]) -> None:
    """Make a source row current and selected in `table` (through `proxy`), clearing the filters if they hide it."""
    source = proxy.sourceModel()
    index = proxy.mapFromSource(source.index(row, 0))
    if not index.isValid():
        clear_filters()
        index = proxy.mapFromSource(source.index(row, 0))
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    table.selectionModel().setCurrentIndex(index, flags)
    table.scrollTo(index)
