"""Moving around the Characterize grid: which rows the filters leave, the cell a place, a link or the review list
names, the cells an edit wrote, where the cursor is by name (so a reload keeps it), and what the cursor rests on
for the history and the side-by-side pane. The page (`characterize_page.py`) answers through these."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView

from app.domain.places import Place, PlaceKind
from app.domain.plan import PaKey
from app.services.characterize import CellKey
from app.services.grid import RowKind
from app.services.history import Subject, area_subject, cell_subject, goal_subject, practice_subject
from app.ui.characterize.filter_bar import rows_shown
from app.ui.characterize.side_reader import Target

if TYPE_CHECKING:
    from app.ui.characterize.characterize_page import CharacterizePage

ENABLED = Qt.ItemFlag.ItemIsEnabled
Position = tuple[RowKind, str, str, str, str, str | None]
"""Where the cursor is, by name (survives a reload): row kind, model, PA, goal, practice, unit (None: OU)."""


class GridNavigation:
    """The cursor and the filters of one page's grid."""

    def __init__(self, page: CharacterizePage) -> None:
        self.page = page
        self.view = page.view
        self.model = page.model

    def apply_filters(self) -> None:
        for i, shown in enumerate(rows_shown(self.model, self.page.filters.criteria())):
            if self.view.isRowHidden(i) == shown:
                self.view.setRowHidden(i, not shown)
        current = self.view.currentIndex()
        if current.isValid() and self.view.isRowHidden(current.row()):
            self.select(self.first_cell())
        self.update_counts()

    def update_counts(self) -> None:
        practices = list(self.model.practice_rows())
        shown = sum(1 for i in practices if not self.view.isRowHidden(i))
        self.page.filters.count.setText(f"{shown} of {len(practices)} practices" if practices else "")
        self.page.empty_hint.setVisible(self.page.document is not None and not practices)

    def first_cell(self) -> QModelIndex:
        for i in self.model.practice_rows():
            if self.view.isRowHidden(i):
                continue
            for column in range(self.model.columnCount()):
                index = self.model.index(i, column)
                if self.model.flags(index) & Qt.ItemFlag.ItemIsEnabled:
                    return index
        return QModelIndex()

    def select(self, index: QModelIndex) -> None:
        if not index.isValid():
            self.view.setCurrentIndex(QModelIndex())
            return
        if self.view.isRowHidden(index.row()):
            self.page.filters.clear_filters()
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def _centre_on(self, index: QModelIndex) -> None:
        self.select(index)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.view.setFocus()

    def select_cells(self, cells: Sequence[CellKey]) -> None:
        """Show the cells an edit, undo or redo wrote: the first becomes current, all are selected."""
        indexes = [i for i in (self.model.index_of(k) for k in cells) if i.isValid()]
        if not indexes:
            return
        indexes.sort(key=lambda i: (i.row(), i.column()))
        selection = QItemSelection()
        for index in indexes:
            selection.select(index, index)
        chooser = self.view.selectionModel()
        chooser.setCurrentIndex(indexes[0], QItemSelectionModel.SelectionFlag.NoUpdate)
        chooser.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.view.scrollTo(indexes[0], QAbstractItemView.ScrollHint.EnsureVisible)

    def select_cell(self, key: CellKey) -> bool:
        index = self.model.index_of(key)
        if not index.isValid():
            return False
        self._centre_on(index)
        return True

    def jump_to(self, model: str, pa: str, item: str) -> None:
        row = self.model.practice_row(model, pa, item) if item else None
        if row is None and item:
            row = self.model.goal_row(model, pa, item)
        if row is None:
            span = self.model.pa_rows(PaKey(model, pa))
            row = next((i for i in self.model.practice_rows() if span and span[0] <= i <= span[1]), None)
        if row is None:
            self.page.say(f"{model} {pa} {item} is not rated in this appraisal.")
            return
        self._centre_on(self.model.index(row, self.model.ou_column))

    def places(self) -> list[Place]:
        kinds = {RowKind.PROCESS_AREA: PlaceKind.PROCESS_AREA, RowKind.GOAL: PlaceKind.GOAL}
        found = []
        for row in self.model.rows:
            kind = PlaceKind.PRACTICE if row.kind is RowKind.PRACTICE else kinds.get(row.kind)
            if kind is not None:
                found.append(Place(kind, row.model, row.pa, row.goal, row.practice, row.title))
        return found

    def show_place(self, place: Place) -> None:
        row = self.model.practice_row(place.model, place.pa, place.practice) if place.practice else None
        if row is None:
            self.jump_to(place.model, place.pa, place.practice or place.goal)
            return
        column = next(
            (c for c in range(self.model.columnCount()) if self.model.flags(self.model.index(row, c)) & ENABLED),
            self.model.ou_column,
        )
        self._centre_on(self.model.index(row, column))

    def position(self) -> Position | None:
        index = self.view.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        row = self.model.row(index.row())
        return (row.kind, row.model, row.pa, row.goal, row.practice, self.model.unit_of(index.column()))

    def restore(self, position: Position) -> bool:
        kind, model, pa, goal, practice, unit = position
        if kind is RowKind.PRACTICE:
            row = self.model.practice_row(model, pa, practice)
        else:
            row = self.model.goal_row(model, pa, goal)
        if row is None:
            return False
        column = self.model.ou_column
        if unit is not None:
            column = next((i for i, u in enumerate(self.model.units) if u.name == unit), column)
        index = self.model.index(row, column)
        if not self.model.flags(index) & Qt.ItemFlag.ItemIsEnabled or self.view.isRowHidden(row):
            return False
        self.view.setCurrentIndex(index)
        return True

    def history_subject(self) -> Subject | None:
        index = self.view.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        row = self.model.row(index.row())
        units = [u.name for u in self.model.units]
        key = self.model.key_at(index)
        if key is not None:
            return cell_subject(key)
        if row.kind is RowKind.PRACTICE:
            return practice_subject(row.model, row.pa, row.practice, units)
        if row.kind is RowKind.GOAL:
            practices = [
                r.practice
                for r in self.model.rows
                if r.kind is RowKind.PRACTICE and (r.model, r.pa, r.goal) == (row.model, row.pa, row.goal)
            ]
            return goal_subject(row.model, row.pa, row.goal, practices, units)
        if row.kind is RowKind.PROCESS_AREA:
            return area_subject(row.model, row.pa)
        return None

    def show_side(self) -> None:
        index = self.view.currentIndex()
        target: Target | None = None
        if index.isValid() and self.page.document is not None:
            row = self.model.row(index.row())
            if row.kind is RowKind.PRACTICE:
                target = (row.model, row.pa, row.goal, row.practice)
            elif row.kind is RowKind.GOAL:
                target = (row.model, row.pa, row.goal, None)
        self.page.side_reader.show(self.page.document, target)
