"""Coverage: for every rated practice and sampled unit, how many artifacts and affirmations the team holds, with
the coverage rules' gaps marked in the grid and listed below it, kept current as evidence and interviews
change."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.rating.coverage import CoverageGap
from app.services.coverage import CoverageMatrix, coverage_matrix
from app.services.errors import KnownError
from app.ui.common.gap_tree import GapTree
from app.ui.common.local_keys import LocalKeys
from app.ui.common.page import Page
from app.ui.coverage.coverage_table import CoverageFilter, CoverageTable
from app.ui.shell.document import Change, Document

LEGEND = (
    "<b>A</b> adequate artifact · <b>A?</b> artifact not (yet) judged adequate · <b>F</b> affirmation · "
    "<span style='background:#f6d3d6'>&nbsp;red&nbsp;</span> coverage gap · "
    "<span style='background:#e2f0e5'>&nbsp;green&nbsp;</span> artifact and affirmation · "
    "<span style='background:#e9ebee'>&nbsp;grey&nbsp;</span> the unit does not implement the process area"
)


class CoveragePage(Page):
    title = "Coverage"
    shortcut = "Ctrl+4"
    shows_ratings = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stale = False
        self._reading: Document | None = None
        """The appraisal whose matrix is being read on the worker thread."""
        self._read_again = False

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("coverageFilter")
        self.filter_edit.setPlaceholderText("Filter by process area or practice… (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(lambda _text: self._filter())
        self.gaps_only = QCheckBox("Only rows with gaps")
        self.gaps_only.toggled.connect(lambda _on: self._filter())
        self.legend = QLabel(LEGEND)
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("color: #444;")

        self.model = CoverageTable()
        self.proxy = CoverageFilter()
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("coverageTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setCornerButtonEnabled(False)
        rows = self.table.verticalHeader()
        rows.setDefaultSectionSize(22)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setMinimumWidth(300)
        rows.setMaximumWidth(380)
        rows.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        rows.setTextElideMode(Qt.TextElideMode.ElideRight)
        columns = self.table.horizontalHeader()
        columns.setDefaultSectionSize(104)
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.selectionModel().currentChanged.connect(lambda _c, _p: self._show_cell())
        self.cell_label = QLabel()
        self.cell_label.setObjectName("coverageCell")
        self.cell_label.setWordWrap(True)

        self.gap_list = GapTree()
        self.gap_list.setObjectName("coverageGaps")
        self.gap_list.currentItemChanged.connect(lambda _c, _p: self._gap_chosen())
        self.gap_list.itemActivated.connect(lambda _item, _col: self.table.setFocus())

        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.gaps_only)
        grid = QWidget()
        grid_layout = QVBoxLayout(grid)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        grid_layout.addWidget(self.table, 1)
        grid_layout.addWidget(self.cell_label)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(grid)
        split.addWidget(self.gap_list)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([420, 170])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.legend)
        layout.addWidget(split, 1)
        keys = LocalKeys(self)
        keys.add("Ctrl+F", self.filter_edit.setFocus)

    # --- showing --------------------------------------------------------------------------------------

    def wants(self, kinds: set[Change]) -> bool:
        # Characterizations matter too: a Not Yet cell needs no artifact, so its gap goes away.
        return bool(kinds & {Change.EVIDENCE, Change.INTERVIEWS, Change.PLAN, Change.CHARACTERIZATION, Change.DATA})

    def refresh(self) -> None:
        if self.document is None:
            self._stale = False
            self.model.set_data(CoverageMatrix((), ()), ())
            self.gap_list.set_gaps(self.model.gaps)
            self._show_cell()
            return
        if not self.isVisible():
            # Rebuilt when shown: linking evidence on another page must not wait for this grid.
            self._stale = True
            return
        self._stale = False
        # Read on the worker: every cell's counts at size L take the UI thread over 100 ms.
        document = self.document
        if self._reading is document:
            self._read_again = True  # something changed while it was being read
            return
        self._reading, self._read_again = document, False
        if not self.model.matrix.rows:
            self.cell_label.setText("Reading the coverage…")
        task = document.run(lambda ws, _progress: coverage_matrix(ws), label="Reading the coverage")
        task.on_success(lambda matrix: self._read(document, matrix))
        task.on_failure(lambda exc: self._read_failed(document, exc))
        document.start(task)

    @property
    def reading(self) -> bool:
        """The matrix is being read on the worker thread (what shows is from before)."""
        return self._reading is not None

    def _read(self, document: Document, matrix: CoverageMatrix) -> None:
        self._reading = None
        if self.document is not document:
            return
        if self._read_again:
            self.refresh()
            return
        current = self._current_place()
        self.model.set_data(matrix, self._gaps())
        self.gap_list.set_gaps(self.model.gaps)
        if current is not None:
            self._select_place(*current)
        self._show_cell()

    def _read_failed(self, document: Document, exc: BaseException) -> None:
        self._reading = None
        if self.document is document:
            self.cell_label.setText(f"The coverage could not be read: {exc}")

    def _gaps(self) -> tuple[CoverageGap, ...]:
        """The coverage rules' gaps; none while the full rating runs (they follow when it lands)."""
        assert self.document is not None
        try:
            ratings = self.document.ratings_if_ready()
        except (KnownError, ValueError):
            ratings = None  # the counts still show; the Ratings page says why the rules cannot run
        return ratings.coverage_gaps if ratings is not None else ()

    def ratings_arrived(self) -> None:
        """Only the gaps change: the counts showing are current (a change re-reads them)."""
        if self.document is None or self._reading is not None or not self.model.matrix.rows:
            self.refresh()
            return
        current = self._current_place()
        self.model.set_data(self.model.matrix, self._gaps())
        self.gap_list.set_gaps(self.model.gaps)
        if current is not None:
            self._select_place(*current)
        self._show_cell()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _filter(self) -> None:
        self.proxy.set_filter(self.filter_edit.text(), self.gaps_only.isChecked())

    # --- the cell in hand -----------------------------------------------------------------------------

    def _current_place(self) -> tuple[str, str, str | None, str] | None:
        index = self.proxy.mapToSource(self.table.currentIndex())
        if not index.isValid():
            return None
        row = self.model.matrix.rows[index.row()]
        return row.model, row.pa, row.practice, self.model.matrix.units[index.column()].name

    def _select_place(self, model: str, pa: str, practice: str | None, unit: str) -> bool:
        row = self.model.matrix.row_index(model, pa, practice)
        column = self.model.matrix.unit_index(unit)
        if row is None or column is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, column))
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def select_cell(self, model: str, pa: str, practice: str | None, unit: str) -> bool:
        """Show one cell (clearing a filter that hides it); False when the matrix has no such cell."""
        if not self._select_place(model, pa, practice, unit):
            self.filter_edit.clear()
            self.gaps_only.setChecked(False)
            return self._select_place(model, pa, practice, unit)
        return True

    def _show_cell(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            total = len(self.model.matrix.rows)
            self.cell_label.setText(
                f"{total} row(s) × {len(self.model.matrix.units)} sampled unit(s). Choose a cell to see its evidence."
                if self.document is not None
                else ""
            )
            return
        tip = str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
        self.cell_label.setText(tip.replace("\n", " · "))

    def _gap_chosen(self) -> None:
        gap = self.gap_list.gap_of(self.gap_list.currentItem())
        if gap is None:
            return
        place = self.model.place_of(gap)
        if place is None:
            # A sampling rule about no single row: say which rule, since the grid cannot point at it.
            self.cell_label.setText(f"{gap.missing} · {gap.rule.text} ({gap.rule.source})")
            return
        row, column = place
        matrix_row = self.model.matrix.rows[row]
        if column is None:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                self.table.scrollTo(index)
                self.table.selectRow(index.row())
            return
        self.select_cell(matrix_row.model, matrix_row.pa, matrix_row.practice, self.model.matrix.units[column].name)
