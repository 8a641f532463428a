"""Characterize: the grid of practices × units with the OU roll-up, goal ratings and capability levels live,
rated from the keyboard; the linked practices of the other models side by side; the review list.

The grid is read once per refresh (one service call); after an edit made here only the cells written are read
again and only the process areas whose ratings changed are repainted. A refresh while the page is hidden waits
until it is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.places import Place, PlaceKind, find_places
from app.domain.plan import PaKey
from app.domain.rating.results import RatingResult
from app.services import characterize as ch
from app.services import decisions, grid, grid_cell, side_by_side
from app.services.characterize import CellKey
from app.services.decisions import GoalOverride
from app.services.errors import KnownError
from app.services.grid import GridData, GridRow, RowKind
from app.services.history import Subject, area_subject, cell_subject, goal_subject, practice_subject
from app.ui.characterize import commands
from app.ui.characterize.detail_dialog import CellDetailDialog
from app.ui.characterize.fast_entry import (
    Advance,
    PastePreviewDialog,
    describe_fill,
    next_cell,
    plan_paste,
    selected_unit_cells,
)
from app.ui.characterize.filter_bar import FilterBar
from app.ui.characterize.grid_table import GridModel
from app.ui.characterize.grid_view import GridView
from app.ui.characterize.judgment_dialog import Choice, RationaleDialog
from app.ui.characterize.legend import legend_html
from app.ui.characterize.review_list import ReviewList
from app.ui.characterize.side_by_side import SideBySidePanel
from app.ui.common.errors import show_error
from app.ui.common.local_keys import LocalKeys
from app.ui.common.page import Page
from app.ui.ratings.goal_decision_dialog import goal_decision_dialog, has_choice
from app.ui.shell.commands import ServiceCommand, execute
from app.ui.shell.document import Change, Document

ENABLED = Qt.ItemFlag.ItemIsEnabled
WANTED = frozenset(
    {Change.PLAN, Change.EVIDENCE, Change.INTERVIEWS, Change.CHARACTERIZATION, Change.JUDGMENT, Change.DATA}
)
OWN_KINDS = frozenset({Change.CHARACTERIZATION, Change.JUDGMENT})
_Position = tuple[RowKind, str, str, str, str, str | None]
"""Where the cursor is, by name (survives a reload): row kind, model, PA, goal, practice, unit (None: OU)."""


def _mnemonic(code: str, key: str) -> str:
    at = code.find(key)
    return code if at < 0 else f"{code[:at]}&{code[at:]}"


class CharacterizePage(Page):
    title = "Characterize"
    shortcut = "Ctrl+5"
    shows_ratings = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stale = False
        self._reading: Document | None = None
        self._when_shown: list[Callable[[], object]] = []
        """The document whose grid is being read on the worker thread."""
        self._read_again = False
        self._own_edit = False
        self._edited_cells: list[CellKey] = []
        self._side_target: tuple[str, str, str, str | None] | None = None
        self.advance = Advance.DOWN
        """Where the cursor goes after a typed value (the window sets it from the user's setting)."""

        self.model = GridModel(self)
        self.view = GridView()
        self.view.setModel(self.model)
        self.filters = FilterBar()
        self.side = SideBySidePanel()
        self.review = ReviewList()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("characterizeTabs")
        self.tabs.addTab(self.side, "Side by side")
        self.tabs.addTab(self.review, "Review")
        self.message = QLabel()
        self.message.setObjectName("characterizeMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #8d4b00;")
        self.legend = QLabel()
        self.legend.setObjectName("characterizeLegend")
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("color: #37474f;")
        self.empty_hint = QLabel(
            "Nothing to characterize yet: put process areas in scope and sample units on the Plan page."
        )
        self.empty_hint.setStyleSheet("color: #555; padding: 6px;")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.empty_hint)
        left_layout.addWidget(self.view, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([850, 310])
        split.setChildrenCollapsible(False)
        self.tabs.setMinimumWidth(280)
        # The message line keeps its height, so the grid does not jump when a message appears or goes.
        self.message.setFixedHeight(2 * self.message.fontMetrics().lineSpacing() + 4)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.legend)
        self.setFocusProxy(self.view)

        self.view.letter_typed.connect(self._letter)
        self.offer_history_on(self.view)
        if self.view.frozen is not None:
            self.offer_history_on(self.view.frozen)
        self.view.clear_requested.connect(self._clear)
        self.view.open_requested.connect(self._open)
        self.view.paste_requested.connect(self.paste)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.filters.changed.connect(self.apply_filters)
        self.filters.go_to_requested.connect(self.go_to)
        self.side.jump_requested.connect(self.jump_to)
        self.side.undock_requested.connect(self.toggle_side_window)
        self.side_window: QWidget | None = None
        self.review.chosen.connect(self.select_cell)
        keys = LocalKeys(self)
        keys.add("Ctrl+M", self.toggle_review)

    # --- loading --------------------------------------------------------------------------------------

    def wants(self, kinds: set[Change]) -> bool:
        return bool(kinds & WANTED)

    def _on_changed(self, kinds: set[Change]) -> None:
        """An edit made here (apply, undo or redo) updates the cells it wrote; anything else reloads."""
        own, cells = self._own_edit, list(self._edited_cells)
        self._own_edit = False
        self._edited_cells.clear()
        if not self.wants(kinds):
            return
        self._say("")  # an edit, undo or redo makes the last message out of date
        if own and kinds <= OWN_KINDS and self.isVisible() and not self._stale and self.model.rows:
            self._follow_edit(cells)
        else:
            self.refresh()

    def _edited(self, cells: Sequence[CellKey]) -> None:
        self._own_edit = True
        self._edited_cells.extend(cells)

    def refresh(self) -> None:
        if self.document is None:
            self._stale = False
            self.model.clear()
            self.filters.set_options(None)
            self.review.set_items([])
            self._side_target = None
            self.side.show_side(None, None)
            self._update_counts()
            return
        if not self.isVisible():
            self._stale = True
            return
        self._load()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self.document is not None:
            self._load()

    def _load(self) -> None:
        """Read the grid; a freshly opened appraisal's grid is read on the worker thread (the window answers
        meanwhile), a grid already showing is re-read at once so the cell the team is on stays put."""
        assert self.document is not None
        self._stale = False
        if self.model.rows:
            self._show(grid.grid_data(self.document.workspace))
            return
        document = self.document
        if self._reading is document:
            self._read_again = True  # something changed while the grid was being read
            return
        self._reading, self._read_again = document, False
        self._say("Reading the grid…")
        self.empty_hint.hide()  # nothing is known yet: not "Nothing to characterize"
        task = document.run(lambda ws, _progress: grid.grid_data(ws), label="Reading the grid")
        task.on_success(lambda data: self._read(document, data))
        task.on_failure(lambda exc: self._read_failed(document, exc))
        document.start(task)

    def _read(self, document: Document, data: GridData) -> None:
        if self._reading is not document:
            return
        self._reading = None
        self._say("")
        if self.document is not document:
            return
        if self._read_again:
            self._load()
        elif not self.isVisible():
            self._stale = True
        else:
            self._show(data)

    def _read_failed(self, document: Document, exc: BaseException) -> None:
        if self._reading is document:
            self._reading = None
        if self.document is document:
            self._say(f"The grid could not be read: {exc}")

    def _show(self, data: GridData) -> None:
        keep = self._position()
        self.model.set_data(data, self._ratings_now())
        self.view.size_columns(len(data.units))
        self.view.size_rows(
            {i: row.kind is RowKind.PROCESS_AREA for i, row in enumerate(data.rows) if row.kind is not RowKind.PRACTICE}
        )
        self.legend.setText(legend_html(data.scale))
        self.filters.set_options(data)
        self.apply_filters()
        self._refresh_review()
        if keep is None or not self._restore(keep):
            self._select(self._first_cell())
        self._side_target = None
        self._show_side()
        waiting, self._when_shown = self._when_shown, []
        for action in waiting:
            action()

    def when_ready(self, action: Callable[[], object]) -> None:
        """Run `action` once the grid shows rows: now, or when a grid being read on the worker arrives."""
        if self.model.rows and self._reading is None and not self._stale:
            action()
        else:
            self._when_shown.append(action)

    def _follow_edit(self, cells: Sequence[CellKey]) -> None:
        assert self.document is not None
        if cells:
            self.model.update_cells(grid.grid_cells(self.document.workspace, cells))
            self._select_cells(cells)
        ratings = self._ratings_now()
        if ratings is not None:
            self.model.set_ratings(ratings)
        self._refresh_review()
        self.side.show_side(self.side.side, self.model)
        self._update_counts()

    def _ratings_now(self) -> RatingResult | None:
        """The ratings if known; None while the first full rating runs on the worker (or cannot be computed:
        the Ratings page says why), and the grid's cells show meanwhile."""
        assert self.document is not None
        try:
            return self.document.ratings_if_ready()
        except (KnownError, ValueError):
            return None

    def ratings_arrived(self) -> None:
        """The goal, OU and capability column fills in; the cells the team typed are already there."""
        ratings = self._ratings_now()
        if ratings is None or not self.model.rows:
            self.refresh()
            return
        self.model.set_ratings(ratings)
        self._refresh_review()
        self.side.show_side(self.side.side, self.model)
        self._update_counts()

    def _refresh_review(self) -> None:
        flagged = self.model.flagged()
        self.review.set_items(flagged)
        self.tabs.setTabText(1, f"Review ({len(flagged)})" if flagged else "Review")

    # --- filters and moving around --------------------------------------------------------------------

    def apply_filters(self) -> None:
        criteria = self.filters.criteria()
        rows = self.model.rows
        visible = [False] * len(rows)
        for i in self.model.practice_rows():
            visible[i] = criteria.shows(rows[i].pa_key) and (not criteria.attention or self.model.needs_attention(i))
        goal_any = pa_any = model_any = False
        for i in range(len(rows) - 1, -1, -1):
            kind = rows[i].kind
            if kind is RowKind.PRACTICE:
                goal_any |= visible[i]
            elif kind is RowKind.GOAL:
                visible[i], pa_any, goal_any = goal_any, pa_any or goal_any, False
            elif kind is RowKind.PROCESS_AREA:
                visible[i], model_any, pa_any = pa_any, model_any or pa_any, False
            else:
                visible[i], model_any = model_any, False
        for i, shown in enumerate(visible):
            if self.view.isRowHidden(i) == shown:
                self.view.setRowHidden(i, not shown)
        current = self.view.currentIndex()
        if current.isValid() and self.view.isRowHidden(current.row()):
            self._select(self._first_cell())
        self._update_counts()

    def _update_counts(self) -> None:
        practices = list(self.model.practice_rows())
        shown = sum(1 for i in practices if not self.view.isRowHidden(i))
        self.filters.count.setText(f"{shown} of {len(practices)} practices" if practices else "")
        self.empty_hint.setVisible(self.document is not None and not practices)

    def _first_cell(self) -> QModelIndex:
        for i in self.model.practice_rows():
            if self.view.isRowHidden(i):
                continue
            for column in range(self.model.columnCount()):
                index = self.model.index(i, column)
                if self.model.flags(index) & Qt.ItemFlag.ItemIsEnabled:
                    return index
        return QModelIndex()

    def _select(self, index: QModelIndex) -> None:
        if not index.isValid():
            self.view.setCurrentIndex(QModelIndex())
            return
        if self.view.isRowHidden(index.row()):
            self.filters.clear_filters()
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def _select_cells(self, cells: Sequence[CellKey]) -> None:
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
        """Show one instantiation in the grid (clearing filters that hide it) and give the grid the focus."""
        index = self.model.index_of(key)
        if not index.isValid():
            return False
        self._select(index)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.view.setFocus()
        return True

    def jump_to(self, model: str, pa: str, item: str) -> None:
        """Show a practice's or goal's OU cell (a process area: its first practice)."""
        row = self.model.practice_row(model, pa, item) if item else None
        if row is None and item:
            row = self.model.goal_row(model, pa, item)
        if row is None:
            span = self.model.pa_rows(PaKey(model, pa))
            row = next((i for i in self.model.practice_rows() if span and span[0] <= i <= span[1]), None)
        if row is None:
            self._say(f"{model} {pa} {item} is not rated in this appraisal.")
            return
        index = self.model.index(row, self.model.ou_column)
        self._select(index)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.view.setFocus()

    def places(self) -> list[Place]:
        """The process areas, goals and practices the grid shows rows for, in grid order."""
        kinds = {RowKind.PROCESS_AREA: PlaceKind.PROCESS_AREA, RowKind.GOAL: PlaceKind.GOAL}
        found = []
        for row in self.model.rows:
            kind = PlaceKind.PRACTICE if row.kind is RowKind.PRACTICE else kinds.get(row.kind)
            if kind is not None:
                found.append(Place(kind, row.model, row.pa, row.goal, row.practice, row.title))
        return found

    def go_to(self, query: str) -> bool:
        """Jump to the practice, goal or process area the text names (the first when several match)."""
        if self.document is not None and self._stale:
            self._load()
        matches = find_places(query, self.places())
        if not matches:
            self._say(f"Nothing in this appraisal is called “{query.strip()}”: try IRP SP3.1, SP 3.1, RSKM or SG2.")
            return False
        self.show_place(matches[0])
        self._say("" if len(matches) == 1 else f"{len(matches)} places match “{query.strip()}”; showing the first.")
        return True

    def show_place(self, place: Place) -> None:
        """A practice: its first unit cell (ready for a value); a goal: its rating; a PA: its first practice."""
        row = self.model.practice_row(place.model, place.pa, place.practice) if place.practice else None
        if row is None:
            self.jump_to(place.model, place.pa, place.practice or place.goal)
            return
        column = next(
            (c for c in range(self.model.columnCount()) if self.model.flags(self.model.index(row, c)) & ENABLED),
            self.model.ou_column,
        )
        index = self.model.index(row, column)
        self._select(index)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.view.setFocus()

    def _position(self) -> _Position | None:
        index = self.view.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        row = self.model.row(index.row())
        return (row.kind, row.model, row.pa, row.goal, row.practice, self.model.unit_of(index.column()))

    def _restore(self, position: _Position) -> bool:
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

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        # A message is about the cell it was said on: moving away clears it.
        self._say("")
        self._show_side()
        self.subject_changed.emit()

    def history_subject(self) -> Subject | None:
        """The current cell; a practice's OU cell: the practice; a goal row: the goal; a PA row: the PA."""
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

    def _show_side(self) -> None:
        index = self.view.currentIndex()
        target: tuple[str, str, str, str | None] | None = None
        if index.isValid() and self.document is not None:
            row = self.model.row(index.row())
            if row.kind is RowKind.PRACTICE:
                target = (row.model, row.pa, row.goal, row.practice)
            elif row.kind is RowKind.GOAL:
                target = (row.model, row.pa, row.goal, None)
        if target == self._side_target:
            return
        self._side_target = target
        side = side_by_side.side_by_side(self.document.workspace, *target) if target and self.document else None
        self.side.show_side(side, self.model)

    # --- editing --------------------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setToolTip(text)

    def _execute(self, command: ServiceCommand) -> bool:
        if execute(self, self.document, command):
            return True
        self._own_edit = False
        self._edited_cells.clear()
        return False

    def _letter(self, index: QModelIndex, text: str) -> None:
        if index.column() == self.model.ou_column and text.upper() == "R":
            self.reconfirm(self.model.row(index.row()))
            return
        value = self.model.scale.from_key(text)
        if value is None:
            keys = ", ".join(info.key for info in self.model.scale.infos)
            self._say(f"{text.upper()} is not a value: type {keys} ({self.model.scale.display_name}).")
            return
        row = self.model.row(index.row())
        selected = selected_unit_cells(self.view, self.model)
        if len(selected) > 1:
            self.fill(selected, value.value)
            return
        if index.column() == self.model.ou_column:
            if row.kind is RowKind.PRACTICE:
                self.judge(row, value.value)
            return
        key = self.model.key_at(index)
        if key is not None and self.set_value(key, value.value):
            self._advance(index)

    def _advance(self, index: QModelIndex) -> None:
        following = next_cell(self.view, self.model, index, self.advance)
        if following.isValid():
            self.view.setCurrentIndex(following)
            self.view.scrollTo(following, QAbstractItemView.ScrollHint.EnsureVisible)

    def fill(self, keys: Sequence[CellKey], value: str | None) -> bool:
        """Set (or clear) the value of several cells as one undoable edit; their texts are kept."""
        if self.document is None or not keys:
            return False
        befores = ch.get_cells(self.document.workspace, keys)
        afters = {k: replace(state, value=value) for k, state in befores.items() if state.value != value}
        if not afters:
            return True
        self._say("")
        text = describe_fill(list(afters), value) if value else f"Clear {len(afters)} cells"
        before_changed = {k: befores[k] for k in afters}
        return self._execute(commands.set_cells(self.document, before_changed, afters, text, self._edited))

    def paste(self, index: QModelIndex | None = None) -> bool:
        """Paste a block copied from a spreadsheet from the current cell: preview, then one undoable edit."""
        start = index if index is not None else self.view.currentIndex()
        if self.document is None or not start.isValid():
            return False
        text = QGuiApplication.clipboard().text()
        plan = plan_paste(self.view, self.model, start, text)
        dialog = PastePreviewDialog(plan, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or plan.problems or not plan.changes:
            return False
        keys = [c.key for c in plan.changes]
        befores = ch.get_cells(self.document.workspace, keys)
        afters = {c.key: replace(befores[c.key], value=c.after) for c in plan.changes}
        self._say("")
        text_done = f"Paste {len(afters)} value(s)"
        return self._execute(commands.set_cells(self.document, befores, afters, text_done, self._edited))

    def set_value(self, key: CellKey, value: str | None) -> bool:
        """Set (or with None clear) one cell's value as one undoable edit; its texts are kept."""
        if self.document is None:
            return False
        try:
            before = ch.get_cell(self.document.workspace, key)
        except KnownError as exc:  # a team server out of reach: said, nothing changed
            show_error(self, exc)
            return False
        if before.value == value:
            return True
        self._say("")
        # What the person saw: on a team server a colleague may have changed the cell since the grid showed it,
        # and the service then refuses the edit, saying who (the cell reloads).
        index = self.model.index_of(key)
        shown = self.model.cell(index.row(), index.column()) if index.isValid() else None
        seen = replace(before, value=shown.value) if shown is not None else before
        return self._execute(commands.set_cell(self.document, key, seen, replace(before, value=value), self._edited))

    def _clear(self, index: QModelIndex) -> None:
        selected = selected_unit_cells(self.view, self.model)
        if len(selected) > 1:
            self.fill(selected, None)
            return
        row = self.model.row(index.row())
        if index.column() != self.model.ou_column:
            key = self.model.key_at(index)
            if key is not None:
                self.set_value(key, None)
            return
        if self.document is None:
            return
        if row.kind is RowKind.PRACTICE:
            before = decisions.ou_decisions(self.document.workspace).get((row.model, row.pa, row.practice))
            if before is not None:
                self._execute(commands.set_ou_decision(self.document, row.key(""), None, "", before, self._edited))
        elif row.kind is RowKind.GOAL:
            override = self._override(row)
            if override is not None:
                command = commands.set_goal_override(
                    self.document, row.model, row.pa, row.goal, None, "", override, self._edited
                )
                self._execute(command)

    def _open(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row = self.model.row(index.row())
        if index.column() == self.model.ou_column:
            if row.kind is RowKind.PRACTICE:
                self.judge(row, None)
            elif row.kind is RowKind.GOAL:
                self.override_goal(row)
            return
        key = self.model.key_at(index)
        if key is not None:
            self.open_detail(key)

    def open_detail(self, key: CellKey) -> None:
        if self.document is None:
            return
        detail = grid_cell.cell_detail(self.document.workspace, key)
        result = self.model.instantiation(key.model, key.pa, key.practice, key.unit)
        dialog = CellDetailDialog(detail, self.model.scale, result, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        after = dialog.state()
        if after != detail.state:
            self._execute(commands.set_cell(self.document, key, detail.state, after, self._edited))

    def judge(self, row: GridRow, preselect: str | None) -> None:
        """The team's OU value for a practice whose roll-up leaves it to them, with the rationale."""
        if self.document is None:
            return
        result = self.model.practice_result(row.model, row.pa, row.practice)
        if result is None:
            return
        rollup = result.rollup
        if not rollup.requires_judgment:
            self._say(
                f"{row.pa} {row.code} at OU level follows from its units ({rollup.rule.text}); "
                "it needs no team judgment."
            )
            return
        before = decisions.ou_decisions(self.document.workspace).get((row.model, row.pa, row.practice))
        scale = self.model.scale
        choices: list[Choice] = [
            (v.value, f"{_mnemonic(v.value, scale.info(v).key)}   {scale.label(v)}") for v in rollup.allowed
        ]
        if before is not None:
            choices.append((None, "Clear the team's judgment"))
        units = ", ".join(f"{i.unit} {i.value or '—'}" for i in result.instantiations)
        why = f"{rollup.rule.text.rstrip('.')}.\nUnits: {units}."
        if rollup.stale:
            why += f"\n⚠ {rollup.stale} Choose it again (or another value) to decide on today's values."
        if rollup.conflict:
            why += f"\n⚠ {rollup.conflict}"
        stored = before.value if before is not None and before.value in rollup.allowed else None
        dialog = RationaleDialog(
            "Team judgment",
            f"{grid.place_name(row.model, row.pa)} {row.code} {row.title}: organizational-unit value",
            why,
            choices,
            stored if stored is not None else (rollup.proposed.value if rollup.proposed else None),
            before.rationale if stored is not None and before is not None else "",
            parent=self,
        )
        dialog.explanation.setToolTip(f"{rollup.rule.name} ({rollup.rule.source})")
        if preselect in rollup.allowed and preselect != stored:
            dialog.choose(preselect)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        value, rationale = dialog.value(), dialog.rationale_text()
        unchanged = before is not None and (value, rationale) == (before.value, before.rationale)
        if unchanged and rollup.stale is None:
            return
        if before is None and value is None:
            return
        self._say("")
        self._execute(commands.set_ou_decision(self.document, row.key(""), value, rationale, before, self._edited))

    def _override(self, row: GridRow) -> GoalOverride | None:
        """The goal decision stored in the file (used, stale or in conflict), for undo."""
        if self.document is None:
            return None
        return decisions.goal_overrides(self.document.workspace).get((row.model, row.pa, row.goal))

    def override_goal(self, row: GridRow) -> None:
        """The team's decision on a goal (significance, or lowering), with the rationale; or clearing it."""
        goal = self.model.goal_result(row.model, row.pa, row.goal)
        if goal is None or self.document is None:
            return
        before = self._override(row)
        stored = (before.rating, before.rationale) if before else None
        if not has_choice(goal, stored):
            self._say(
                f"{row.pa} {row.code} is {goal.rating.value} ({goal.computed_rule.text.rstrip('.')}); the rules leave "
                "the team nothing to decide here."
            )
            return
        heading = f"{grid.place_name(row.model, row.pa)} {row.code} {row.title}"
        dialog = goal_decision_dialog(heading, goal, stored, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        rating, rationale = dialog.value(), dialog.rationale_text()
        unchanged = (rating, rationale if rating else "") == (
            (before.rating, before.rationale) if before else (None, "")
        )
        if unchanged and goal.stale is None:
            return  # a stale decision chosen again is re-confirmed on today's inputs
        self._execute(
            commands.set_goal_override(
                self.document, row.model, row.pa, row.goal, rating, rationale, before, self._edited
            )
        )

    def toggle_side_window(self) -> None:
        """Side by side in its own window (as wide as the screen allows), or back in its tab."""
        if self.side_window is not None:
            self.side_window.close()
            return
        self.tabs.removeTab(self.tabs.indexOf(self.side))
        window = _SideWindow(self)
        window.box.addWidget(self.side)
        window.closed.connect(self._dock_side)
        self.side.undock.setText("&Dock")
        self.side.show()
        self.side_window = window
        window.show()

    def _dock_side(self) -> None:
        self.side_window = None
        self.tabs.insertTab(0, self.side, "Side by side")
        self.tabs.setCurrentIndex(0)
        self.side.undock.setText("&Undock")

    def reconfirm(self, row: GridRow) -> bool:
        """Re-confirm the stale decision on the row (R on the OU column): the same value and rationale, today."""
        if self.document is None:
            return False
        if row.kind is RowKind.GOAL:
            goal = self.model.goal_result(row.model, row.pa, row.goal)
            if goal is None or goal.stale is None or goal.decision is None:
                self._say(f"{row.pa} {row.code} has no stale decision to re-confirm.")
                return False
            before = self._override(row)
            decision = goal.decision
            return self._execute(
                commands.set_goal_override(
                    self.document,
                    row.model,
                    row.pa,
                    row.goal,
                    decision.rating.value,
                    decision.rationale,
                    before,
                    self._edited,
                )
            )
        if row.kind is RowKind.PRACTICE:
            result = self.model.practice_result(row.model, row.pa, row.practice)
            rollup = result.rollup if result is not None else None
            if rollup is None or rollup.stale is None or rollup.decision is None or rollup.proposed is None:
                self._say(f"{row.pa} {row.code} has no stale judgment to re-confirm.")
                return False
            stored = decisions.ou_decisions(self.document.workspace).get((row.model, row.pa, row.practice))
            command = commands.set_ou_decision(
                self.document, row.key(""), rollup.proposed.value, rollup.decision.rationale, stored, self._edited
            )
            return self._execute(command)
        return False

    def toggle_review(self) -> None:
        """Mark the current cell for review with a comment (Ctrl+M), or remove its mark."""
        index = self.view.currentIndex()
        key = self.model.key_at(index)
        cell = self.model.cell(index.row(), index.column()) if index.isValid() else None
        if key is None or cell is None or self.document is None:
            self._say("Select a unit's cell to mark it for review.")
            return
        before = (cell.review_flag, cell.review_comment)
        if cell.review_flag:
            self._execute(commands.set_review_flag(self.document, key, False, "", before, self._edited))
            return
        dialog = RationaleDialog(
            "Mark for review",
            f"{grid.place_name(key.model, key.pa)} {key.practice} in {key.unit}",
            "The review list collects marked cells for the team's next consolidation.",
            (),
            prompt="&Comment for the team",
            required=False,
            parent=self,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            comment = dialog.rationale_text()
            self._execute(commands.set_review_flag(self.document, key, True, comment, before, self._edited))


class _SideWindow(QWidget):
    """Side by side undocked; closing it docks the pane back into the page."""

    closed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("sideBySideWindow")
        self.setWindowTitle("Side by side — Appraisal Desk")
        self.resize(1000, 380)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(4, 4, 4, 4)

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self.closed.emit()
