"""The worklist: what the team has to do next, one line each, with counts per mini-team and filters by
mini-team and process area. Enter or a double-click opens the line's place (a cell, a goal, a finding).

Signals:
    open_requested(WorkTarget): open this item's place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.plan import PaKey
from app.services.grid import place_name
from app.services.worklist import WorkItem, WorkKind, Worklist, build_worklist

COLUMNS = ("To do", "Why / what")
TARGET_ROLE = Qt.ItemDataRole.UserRole + 1
PLACE_WIDTH = 190
ROOM_SIDE_BY_SIDE = 560
"""Narrower than this (a dock), the two filters go one under the other."""
KIND_FILLS = {
    WorkKind.JUDGMENT: "#fff3cd",
    WorkKind.GOAL_DECISION: "#fff3cd",
    WorkKind.RULE: "#f6d3d6",
    WorkKind.NAMES: "#f6d3d6",
}

if TYPE_CHECKING:
    from app.domain.rating.results import RatingResult
    from app.ui.shell.document import Document


def _pa_data(key: PaKey) -> str:
    return f"{key.model}\t{key.pa}"


class WorklistPanel(QWidget):
    open_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("worklistPanel")
        self.worklist: Worklist | None = None
        self.shown: list[WorkItem] = []
        self._wanted: object | None = None
        self.team = QComboBox()
        self.team.setObjectName("worklistTeam")
        self.pa = QComboBox()
        self.pa.setObjectName("worklistPa")
        self.pa.setMinimumContentsLength(12)
        self.counts = QLabel()
        self.counts.setObjectName("worklistCounts")
        self.counts.setWordWrap(True)
        self.counts.setStyleSheet("color: #37474f;")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("worklistTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, PLACE_WIDTH)
        self.table.setToolTip("Enter or double-click: open the item where it lives")
        self.empty = QLabel("Nothing to do here: every judgment is made and every finding validated.")
        self.empty.setObjectName("worklistEmpty")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #555; padding: 6px;")
        self.empty.hide()

        self.filters = QGridLayout()
        self.filters.setContentsMargins(0, 0, 0, 0)
        self._filter_pairs: list[tuple[QLabel, QComboBox]] = []
        for text, combo in (("Mini-&team", self.team), ("Process &area", self.pa)):
            label = QLabel(text)
            label.setBuddy(combo)
            self._filter_pairs.append((label, combo))
        self._stacked: bool | None = None
        self._place_filters(stacked=False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.filters)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self.setFocusProxy(self.table)
        self.team.currentIndexChanged.connect(lambda _i: self._show())
        self.pa.currentIndexChanged.connect(lambda _i: self._show())
        self.table.activated.connect(lambda index: self.open_row(index.row()))

    def _place_filters(self, *, stacked: bool) -> None:
        """Side by side where there is room (the Overview); one under the other in a narrow dock, where side by
        side the combos would cut their texts ("All mini-t")."""
        if stacked == self._stacked:
            return
        self._stacked = stacked
        for column in range(4):
            self.filters.setColumnStretch(column, 0)
        for row, (label, combo) in enumerate(self._filter_pairs):
            line, column = (row, 0) if stacked else (0, 2 * row)
            self.filters.addWidget(label, line, column)
            self.filters.addWidget(combo, line, column + 1)
            self.filters.setColumnStretch(column + 1, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_filters(stacked=event.size().width() < ROOM_SIDE_BY_SIDE)

    def read(
        self, document: Document, ratings: RatingResult, shown: Callable[[Worklist], object] | None = None
    ) -> None:
        """Build the worklist on the worker (at size L its reads and wording take 50-70 ms, too long for the UI
        thread after every edit or rating) and show it when it arrives, then call `shown`; a newer read, or
        `forget`, sets an older one aside."""
        self._wanted = wanted = object()
        task = document.run(lambda ws, _progress: build_worklist(ws, ratings), label="Reading the worklist")
        task.on_success(lambda worklist: self._arrived(wanted, worklist, shown))
        task.on_failure(lambda exc: self._failed(wanted, exc))
        document.start(task)

    def forget(self) -> None:
        """The worklist being read no longer matters (the appraisal closed, or there are no ratings now)."""
        self._wanted = None

    def _arrived(self, wanted: object, worklist: Worklist, shown: Callable[[Worklist], object] | None) -> None:
        if wanted is self._wanted:
            self.set_worklist(worklist)
            if shown is not None:
                shown(worklist)

    def _failed(self, wanted: object, exc: BaseException) -> None:
        if wanted is self._wanted:
            self.counts.setText(f"The worklist could not be read: {exc}")

    def set_worklist(self, worklist: Worklist | None) -> None:
        self.worklist = worklist
        team, pa = self.team.currentData(), self.pa.currentData()
        for combo in (self.team, self.pa):
            combo.blockSignals(True)
            combo.clear()
        self.team.addItem("All mini-teams", None)
        self.pa.addItem("All process areas", None)
        if worklist is not None:
            for name in worklist.teams:
                self.team.addItem(name, name)
            keys = list(dict.fromkeys(i.pa for i in worklist.items if i.pa is not None))
            for key in keys:
                self.pa.addItem(place_name(key.model, key.pa), _pa_data(key))
        self.team.setCurrentIndex(max(self.team.findData(team), 0) if team is not None else 0)
        self.pa.setCurrentIndex(max(self.pa.findData(pa), 0) if pa is not None else 0)
        for combo in (self.team, self.pa):
            combo.blockSignals(False)
        self._show()

    def _chosen_pa(self) -> PaKey | None:
        data = self.pa.currentData()
        if not isinstance(data, str):
            return None
        model, _tab, pa = data.partition("\t")
        return PaKey(model, pa)

    def _show(self) -> None:
        worklist = self.worklist
        self.shown = worklist.chosen(self.team.currentData(), self._chosen_pa()) if worklist else []
        keep = self.table.currentRow()
        self.table.setRowCount(len(self.shown))
        for row, item in enumerate(self.shown):
            # What to do and where on two short lines, so the reason keeps the width even in a narrow dock.
            for column, text in enumerate((f"{item.kind.value}\n{item.where}", item.detail)):
                cell = QTableWidgetItem(text)
                cell.setData(TARGET_ROLE, row)
                cell.setToolTip(f"{item.kind.value}: {item.where}\n{item.detail}")
                fill = KIND_FILLS.get(item.kind)
                if fill and column == 0:
                    cell.setBackground(QBrush(QColor(fill)))
                self.table.setItem(row, column, cell)
        self.table.resizeRowsToContents()
        if self.shown:
            self.table.setCurrentCell(min(max(keep, 0), len(self.shown) - 1), 0)
        self.empty.setVisible(worklist is not None and not self.shown)
        if worklist is None:
            self.counts.clear()
            return
        counts = worklist.counts()
        per_team = " · ".join(f"{team}: {n}" for team, n in counts.items())
        self.counts.setText(f"{len(worklist.items)} to do" + (f" — {per_team}" if per_team else ""))

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.shown):
            self.open_requested.emit(self.shown[row].target)
