"""Characterize: the grid of practices × units with the OU roll-up, goal ratings and capability levels live,
rated from the keyboard; the linked practices of the other models side by side; the review list.

The grid is read once per refresh (one service call); after an edit made here only the cells written are read
again and only the process areas whose ratings changed are repainted. A refresh while the page is hidden waits
until it is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from app.domain.places import Place, find_places
from app.domain.rating.results import RatingResult
from app.services import grid
from app.services.characterize import CellKey
from app.services.errors import KnownError
from app.services.grid import GridData, RowKind
from app.services.history import Subject
from app.ui.characterize.cell_edits import CellEdits
from app.ui.characterize.fast_entry import Advance
from app.ui.characterize.filter_bar import FilterBar
from app.ui.characterize.grid_navigation import GridNavigation, Position
from app.ui.characterize.grid_table import GridTable, heading_brushes
from app.ui.characterize.grid_view import GridView
from app.ui.characterize.legend import legend_html
from app.ui.characterize.review_list import ReviewList
from app.ui.characterize.side_by_side import SideBySidePanel
from app.ui.characterize.side_reader import SideReader
from app.ui.characterize.side_window import SideDock
from app.ui.characterize.team_decisions import TeamDecisions
from app.ui.common.local_keys import LocalKeys
from app.ui.common.page import Page
from app.ui.shell.commands import ServiceCommand, execute
from app.ui.shell.document import Change, Document

WANTED = frozenset(
    {Change.PLAN, Change.EVIDENCE, Change.INTERVIEWS, Change.CHARACTERIZATION, Change.JUDGMENT, Change.DATA}
)
OWN_KINDS = frozenset({Change.CHARACTERIZATION, Change.JUDGMENT})

if TYPE_CHECKING:
    from app.services.workspace import Workspace


SHOW_FIRST_READ_MS = 1
"""A timer, not a posted call: Qt runs timers (and so the window's input) after the events already posted."""
RATE_AFTER_PAINT_MS = 20
"""How long after a grid is read the full rating starts: after its first paint."""
SHOW_STEP_MS = 1
"""Between the stretches a freshly read grid shows in: a timer, so the window's input and timers come between."""


class CharacterizePage(Page):
    title = "Characterize"
    shortcut = "Ctrl+5"
    shows_ratings = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stale = False
        self._reading: Document | None = None
        """The document whose grid is being read on the worker thread."""
        self._when_shown: list[Callable[[], object]] = []
        self._steps: object | None = None
        """Set while a freshly read grid shows in steps (see _show_in_steps); a newer show or a close drops it."""
        self._read_again = False
        self._own_edit = False
        self._edited_cells: list[CellKey] = []
        self.advance = Advance.DOWN
        """Where the cursor goes after a typed value (the window sets it from the user's setting)."""

        self.edits = CellEdits(self)
        self.decisions = TeamDecisions(self)
        self.model = GridTable(self)
        self.view = GridView()
        self.view.setModel(self.model)
        self.filters = FilterBar()
        self.side = SideBySidePanel()
        self.side_reader = SideReader(self.side, self.model, lambda: self.document)
        self.review = ReviewList()
        self.moves = GridNavigation(self)
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

        self.view.letter_typed.connect(self.edits.letter)
        self.offer_history_on(self.view)
        if self.view.frozen is not None:
            self.offer_history_on(self.view.frozen)
        self.view.clear_requested.connect(self.edits.clear)
        self.view.open_requested.connect(self.edits.open)
        self.view.paste_requested.connect(self.edits.paste)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.filters.changed.connect(self.apply_filters)
        self.filters.go_to_requested.connect(self.go_to)
        self.side.jump_requested.connect(self.jump_to)
        self.side_dock = SideDock(self.tabs, self.side, self)
        self.side.undock_requested.connect(self.side_dock.toggle)
        self.review.chosen.connect(self.select_cell)
        keys = LocalKeys(self)
        keys.add("Ctrl+M", self.edits.toggle_review)

    # --- loading --------------------------------------------------------------------------------------

    @staticmethod
    def first_read(ws: Workspace) -> GridData:
        """The grid, read on the worker as the file opens when this page shows first (MainWindow.open_path)."""
        return grid.grid_data(ws)

    def wants(self, kinds: set[Change]) -> bool:
        return bool(kinds & WANTED)

    def _on_changed(self, kinds: set[Change]) -> None:
        """An edit made here (apply, undo or redo) updates the cells it wrote; anything else reloads."""
        own, cells = self._own_edit, list(self._edited_cells)
        self._own_edit = False
        self._edited_cells.clear()
        if not self.wants(kinds):
            return
        self.say("")  # an edit, undo or redo makes the last message out of date
        if own and kinds <= OWN_KINDS and self.isVisible() and not self._stale and self.model.rows:
            self._follow_edit(cells)
        else:
            self.refresh()

    def note_edit(self, cells: Sequence[CellKey]) -> None:
        """An edit made here (or its undo or redo) wrote these cells: the change that follows updates only them."""
        self._own_edit = True
        self._edited_cells.extend(cells)

    def refresh(self) -> None:
        if self.document is None:
            self._stale = False
            self._drop_steps()
            self.model.clear()
            self.filters.set_options(None)
            self.review.set_items([])
            self.side_reader.show(None, None)
            self.moves.update_counts()
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
        first = document.take_first_read()
        self._reading, self._read_again = document, False
        self.empty_hint.hide()  # nothing is known yet: not "Nothing to characterize"
        if isinstance(first, GridData):
            # Read as the file opened (MainWindow.open_path), nothing changed since: it shows from a timer, so
            # the window's switch to the workbench and the grid's layout are two stretches of the UI thread.
            QTimer.singleShot(SHOW_FIRST_READ_MS, lambda: self._read(document, first))
            return
        self.say("Reading the grid…")
        task = document.run(lambda ws, _progress: grid.grid_data(ws), label="Reading the grid")
        task.on_success(lambda data: self._read(document, data))
        task.on_failure(lambda exc: self._read_failed(document, exc))
        document.start(task)

    def _read(self, document: Document, data: GridData) -> None:
        if self._reading is not document:
            return
        self._reading = None
        self.say("")
        if self.document is not document:
            return
        if self._read_again:
            self._load()
        elif not self.isVisible():
            self._stale = True
        else:
            self._show_in_steps(document, data)

    def _read_failed(self, document: Document, exc: BaseException) -> None:
        if self._reading is document:
            self._reading = None
        if self.document is document:
            self.say(f"The grid could not be read: {exc}")

    def _show(self, data: GridData) -> None:
        self._drop_steps()
        keep = self.moves.position()
        self._lay_out(data)
        self._fill_around(data, keep)
        self._shown()

    def _show_in_steps(self, document: Document, data: GridData) -> None:
        """A grid read on the worker shows in three stretches of the UI thread rather than one, so a key press
        or a paint elsewhere never waits for all of them (at size L each is a third of the whole): the rows and
        their sizes; the filters, the review list and the current cell; then the grid's first paint. The grid
        stays unpainted until the last, so what first shows is the finished grid, as when it showed at once."""
        self._drop_steps()
        steps = self._steps = object()
        keep = self.moves.position()
        self.view.setUpdatesEnabled(False)
        self._lay_out(data)

        def around() -> None:
            if self._steps is steps and self.document is document:
                self._fill_around(data, keep)
                QTimer.singleShot(SHOW_STEP_MS, paint)
            elif self._steps is steps:
                self._drop_steps()

        def paint() -> None:
            if self._steps is steps:
                self._drop_steps()
                if self.document is document:
                    self._shown()

        QTimer.singleShot(SHOW_STEP_MS, around)

    def _paint_next_stretch(self) -> None:
        """The grid's repaint after the work at hand is a stretch of the UI thread of its own (a key press or a
        timer comes between): at size L the two together stalled the window about twice as long as either."""
        if self.view.updatesEnabled():
            self.view.setUpdatesEnabled(False)
            QTimer.singleShot(SHOW_STEP_MS, self._paint_now)

    def _paint_now(self) -> None:
        if self._steps is None:  # a grid showing in steps paints at its last step
            self.view.setUpdatesEnabled(True)

    def _drop_steps(self) -> None:
        if self._steps is not None:
            self._steps = None
            self.view.setUpdatesEnabled(True)

    def _lay_out(self, data: GridData) -> None:
        # The full rating starts once the cells show (_shown), not while the grid is laid out.
        with self.view.frozen_held():
            self.model.set_data(data, self._ratings_now(start=False))
            self.view.size_columns(len(data.units))
            self.view.size_rows(
                {
                    i: row.kind is RowKind.PROCESS_AREA
                    for i, row in enumerate(data.rows)
                    if row.kind is not RowKind.PRACTICE
                }
            )

    def _fill_around(self, data: GridData, keep: Position | None) -> None:
        heading_brushes()  # made here, not in the first paint's stretch (see there)
        self.legend.setText(legend_html(data.scale))
        self.filters.set_options(data)
        self.apply_filters()
        self._refresh_review()
        if keep is None or not self.moves.restore(keep):
            self.moves.select(self.moves.first_cell())
        self.side_reader.forget()  # the grid was read again: so are the links of the cell the team is on
        self.moves.show_side()

    def _shown(self) -> None:
        if self.model.ratings is None:
            # Once the grid has painted (a timer fires after the paint this reset asked for), if the appraisal is
            # still open then: the rating on the worker would otherwise share the interpreter with that paint.
            QTimer.singleShot(RATE_AFTER_PAINT_MS, lambda: self.document is not None and self._ratings_now())
        waiting, self._when_shown = self._when_shown, []
        for action in waiting:
            action()

    def when_ready(self, action: Callable[[], object]) -> None:
        """Run `action` once the grid shows rows: now, or when a grid being read on the worker arrives."""
        if self.model.rows and self._reading is None and self._steps is None and not self._stale:
            action()
        else:
            self._when_shown.append(action)

    def _follow_edit(self, cells: Sequence[CellKey]) -> None:
        assert self.document is not None
        review_changed = False
        self._paint_next_stretch()
        if cells:
            review_changed = self.model.update_cells(grid.grid_cells(self.document.workspace, cells))
            self.moves.select_cells(cells)
        ratings = self._ratings_now()
        if ratings is not None:
            self.model.set_ratings(ratings)
        if review_changed:
            # The review list shows the marked cells only: a value typed elsewhere leaves it as it was (and
            # rebuilding it walks every cell of the grid, a good part of a keystroke at size L).
            self._refresh_review()
        self.side.show_side(self.side.side, self.model)

    def _ratings_now(self, *, start: bool = True) -> RatingResult | None:
        """The ratings if known; None while the first full rating runs on the worker (or cannot be computed:
        the Ratings page says why), and the grid's cells show meanwhile."""
        assert self.document is not None
        try:
            return self.document.ratings_if_ready(start=start)
        except (KnownError, ValueError):
            return None

    def ratings_arrived(self) -> None:
        """The goal, OU and capability column fills in; the cells the team typed are already there."""
        if self._reading is not None and self._reading is self.document:
            return  # the grid being read on the worker shows them when it lands: reading it again costs a read
        ratings = self._ratings_now()
        if not self.model.rows:
            self.refresh()
            return
        if ratings is None:
            # The rating failed (the Ratings page says why: the rules, or a read that failed, as when a team
            # server's connection is lost) or runs again: the cells showing are what the file holds, and reading
            # them again here would fail the same way.
            return
        if self.model.ratings is None:
            # The first ratings of a grid repaint most of it (the OU column, the tool's proposals).
            self._paint_next_stretch()
        # Ratings change neither the cells marked for review nor which rows show: the review list and the count
        # of practices stay as they are.
        self.model.set_ratings(ratings)
        self.side.show_side(self.side.side, self.model)

    def _refresh_review(self) -> None:
        flagged = self.model.flagged()
        self.review.set_items(flagged)
        self.tabs.setTabText(1, f"Review ({len(flagged)})" if flagged else "Review")

    # --- filters and moving around (grid_navigation.py) ------------------------------------------------

    def apply_filters(self) -> None:
        self.moves.apply_filters()

    def select_cell(self, key: CellKey) -> bool:
        """Show one instantiation in the grid (clearing filters that hide it) and give the grid the focus."""
        return self.moves.select_cell(key)

    def jump_to(self, model: str, pa: str, item: str) -> None:
        """Show a practice's or goal's OU cell (a process area: its first practice)."""
        self.moves.jump_to(model, pa, item)

    def places(self) -> list[Place]:
        """The process areas, goals and practices the grid shows rows for, in grid order."""
        return self.moves.places()

    def go_to(self, query: str) -> bool:
        """Jump to the practice, goal or process area the text names (the first when several match)."""
        if self.document is not None and self._stale:
            self._load()
        matches = find_places(query, self.places())
        if not matches:
            self.say(f"Nothing in this appraisal is called “{query.strip()}”: try IRP SP3.1, SP 3.1, RSKM or SG2.")
            return False
        self.show_place(matches[0])
        self.say("" if len(matches) == 1 else f"{len(matches)} places match “{query.strip()}”; showing the first.")
        return True

    def show_place(self, place: Place) -> None:
        """A practice: its first unit cell (ready for a value); a goal: its rating; a PA: its first practice."""
        self.moves.show_place(place)

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        # A message is about the cell it was said on: moving away clears it.
        self.say("")
        self.moves.show_side()
        self.subject_changed.emit()

    def history_subject(self) -> Subject | None:
        """The current cell; a practice's OU cell: the practice; a goal row: the goal; a PA row: the PA."""
        return self.moves.history_subject()

    # --- what the edits (cell_edits.py, team_decisions.py) use ---------------------------------------

    def say(self, text: str) -> None:
        """The message line under the grid (cleared by the next move or edit)."""
        self.message.setText(text)
        self.message.setToolTip(text)

    def execute_edit(self, command: ServiceCommand) -> bool:
        """Apply an edit of this page; a refused one is not followed as this page's own."""
        if execute(self, self.document, command):
            return True
        self._own_edit = False
        self._edited_cells.clear()
        return False
