"""Which practices the grid shows: a mini-team's process areas, one model, one process area, and/or only the
practices that need attention; `rows_shown` applies that to the grid's rows, keeping the headings over what is left.

A practice box beside them goes to a practice, goal or process area typed as people write it ("IRP SP3.1").

Signals:
    changed(): the user changed a filter.
    go_to_requested(str): Enter in the practice box, with its text.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.domain.plan import PaKey
from app.services.grid import GridData, RowKind
from app.ui.characterize.grid_table import GridTable


@dataclass(frozen=True, slots=True)
class Criteria:
    process_areas: frozenset[PaKey] | None
    """None: every process area."""
    attention: bool

    def shows(self, key: PaKey) -> bool:
        return self.process_areas is None or key in self.process_areas


MAX_COMBO_WIDTH = 220
ROOM_FOR_LABELS = 1040
"""Below this width the filter bar shows the combos without their labels."""


def _pa_data(key: PaKey) -> str:
    # Combo data as a plain string: Qt compares it reliably in findData.
    return f"{key.model}\t{key.pa}"


class FilterBar(QWidget):
    changed = Signal()
    go_to_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data: GridData | None = None
        self._loading = False
        self.team = QComboBox()
        self.team.setObjectName("miniTeamFilter")
        self.model = QComboBox()
        self.model.setObjectName("modelFilter")
        self.pa = QComboBox()
        self.pa.setObjectName("paFilter")
        self.pa.setMinimumContentsLength(14)
        for combo in (self.team, self.model):
            # "All mini-teams", "All models" and the names must read whole even at the smallest window.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.attention = QCheckBox("Needs &attention")
        self.attention.setObjectName("attentionFilter")
        self.attention.setToolTip(
            "Only practices with a cell that has no evidence, an OU value the team must judge, a team value that "
            "differs from the tool's proposal, or a review mark"
        )
        self.practice = QLineEdit()
        self.practice.setObjectName("practiceBox")
        self.practice.setPlaceholderText("Go to… IRP SP3.1")
        self.practice.setToolTip(
            "Go to a practice, goal or process area: IRP SP3.1, SP 3.1, ESP1.4, RSKM, IRP SG3, MON:SG1.SP1 (Enter)"
        )
        self.practice.setClearButtonEnabled(True)
        self.practice.setMinimumWidth(110)
        self.practice.setMaximumWidth(170)
        self.practice.returnPressed.connect(lambda: self.go_to_requested.emit(self.practice.text()))
        self.count = QLabel()
        self.count.setObjectName("filterCount")
        self.count.setStyleSheet("color: #455a64;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.labels: list[QLabel] = []
        for text, combo in (("M&ini-team", self.team), ("&Model", self.model), ("&Process area", self.pa)):
            label = QLabel(text)
            label.setBuddy(combo)
            self.labels.append(label)
            layout.addWidget(label)
            layout.addWidget(combo)
        layout.addWidget(self.attention)
        layout.addWidget(self.practice)
        layout.addStretch(1)
        layout.addWidget(self.count)
        self.team.currentIndexChanged.connect(self._team_or_model_changed)
        self.model.currentIndexChanged.connect(self._team_or_model_changed)
        self.pa.currentIndexChanged.connect(self._emit)
        self.attention.toggled.connect(self._emit)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # The combos' own texts ("All mini-teams") say what they filter; when room is short their labels go.
        for label in self.labels:
            label.setVisible(event.size().width() >= ROOM_FOR_LABELS)

    def set_options(self, data: GridData | None) -> None:
        """Offer the appraisal's mini-teams, models and process areas, keeping the choices still possible."""
        self._data = data
        team, model, pa = self.team.currentText(), self.model.currentData(), self.pa.currentData()
        self._loading = True
        try:
            self.team.clear()
            self.team.addItem("All mini-teams", None)
            self.model.clear()
            self.model.addItem("All models", None)
            if data is not None:
                for option in data.mini_teams:
                    self.team.addItem(option.name, option.name)
                for key, name in data.models:
                    self.model.addItem(key, key)
                    self.model.setItemData(self.model.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
            for combo in (self.team, self.model):
                # Never narrower than its longest choice: a clipped "All mini-t" says nothing.
                combo.setMinimumWidth(min(combo.sizeHint().width(), MAX_COMBO_WIDTH))
            self.team.setCurrentIndex(max(self.team.findText(team), 0))
            self.model.setCurrentIndex(max(self.model.findData(model), 0))
            self._fill_pas(pa)
        finally:
            self._loading = False

    def clear_filters(self) -> None:
        self._loading = True
        try:
            self.team.setCurrentIndex(0)
            self.model.setCurrentIndex(0)
            self._fill_pas(None)
            self.attention.setChecked(False)
        finally:
            self._loading = False
        self.changed.emit()

    def criteria(self) -> Criteria:
        pas = self._allowed()
        chosen = self.pa.currentData()
        if isinstance(chosen, str):
            model, _tab, pa = chosen.partition("\t")
            pas = frozenset({PaKey(model, pa)})
        return Criteria(pas, self.attention.isChecked())

    def _allowed(self) -> frozenset[PaKey] | None:
        """The process areas the mini-team and model choices leave (None: no restriction)."""
        if self._data is None:
            return None
        allowed: set[PaKey] | None = None
        team = self.team.currentData()
        if team is not None:
            found = next((t for t in self._data.mini_teams if t.name == team), None)
            allowed = set(found.process_areas) if found else set()
        model = self.model.currentData()
        if model is not None:
            of_model = {o.key for o in self._data.process_areas if o.model == model}
            allowed = of_model if allowed is None else allowed & of_model
        return frozenset(allowed) if allowed is not None else None

    def choose_pa(self, key: PaKey) -> None:
        self.pa.setCurrentIndex(max(self.pa.findData(_pa_data(key)), 0))

    def _fill_pas(self, keep: object) -> None:
        allowed = self._allowed()
        self.pa.clear()
        self.pa.addItem("All process areas", None)
        for option in self._data.process_areas if self._data else ():
            if allowed is None or option.key in allowed:
                self.pa.addItem(f"{option.pa}  {option.name}", _pa_data(option.key))
                tip = f"{option.model} {option.pa} {option.name}"
                self.pa.setItemData(self.pa.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.pa.setCurrentIndex(max(self.pa.findData(keep), 0) if keep is not None else 0)

    def _team_or_model_changed(self) -> None:
        if self._loading:
            return
        self._loading = True
        try:
            self._fill_pas(self.pa.currentData())
        finally:
            self._loading = False
        self.changed.emit()

    def _emit(self) -> None:
        if not self._loading:
            self.changed.emit()


def rows_shown(model: GridTable, criteria: Criteria) -> list[bool]:
    """Which of the grid's rows the filters keep: the practices that pass, and the goal, process-area and model
    headings above any practice kept (a heading over nothing would only take room)."""
    rows = model.rows
    visible = [False] * len(rows)
    for i in model.practice_rows():
        visible[i] = criteria.shows(rows[i].pa_key) and (not criteria.attention or model.needs_attention(i))
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
    return visible
