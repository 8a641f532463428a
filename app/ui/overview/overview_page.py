"""Overview: the appraisal at a glance (who, when, method, organizational unit, scope, counts) and the
worklist: what the team has to do next, each line opening its place.

Signals: open_requested(WorkTarget): open a worklist line's (or a scope row's) place.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.rating.open_decisions import describe_open, open_decisions
from app.domain.rating.results import ProcessAreaResult, RatingResult
from app.domain.rating.scales import GoalRating
from app.services.appraisals import AppraisalInfo, appraisal_info
from app.services.errors import KnownError
from app.services.worklist import TargetKind, WorkTarget
from app.ui.common.page import Page
from app.ui.overview.worklist_panel import WorklistPanel
from app.ui.shell.document import RATING_INPUTS, Change

SCOPE_COLUMNS = (
    "Model",
    "Process area",
    "Name",
    "Target",
    "Characterized",
    "Goals satisfied",
    "Capability now",
    "Team decisions to take",
)


class OverviewPage(Page):
    title = "Overview"
    shows_ratings = True
    shortcut = "Ctrl+0"
    open_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.heading.setWordWrap(True)
        facts = QGroupBox("Appraisal")
        self.facts = QFormLayout(facts)
        counts = QGroupBox("Evidence and ratings so far")
        self.counts = QFormLayout(counts)
        self.scope = QTableWidget(0, len(SCOPE_COLUMNS))
        self.scope.setObjectName("scopeTable")
        self.scope.setHorizontalHeaderLabels(list(SCOPE_COLUMNS))
        self.scope.verticalHeader().setVisible(False)
        self.scope.verticalHeader().setDefaultSectionSize(24)
        self.scope.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.scope.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.scope.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.scope.setToolTip("Enter or double-click: open the process area in the Characterize grid")
        self.scope.activated.connect(lambda index: self._open_scope_row(index.row()))
        self._scope_keys: list[tuple[str, str]] = []
        self.worklist = WorklistPanel()
        self.worklist.open_requested.connect(self.open_requested)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("overviewTabs")
        self.tabs.addTab(self.worklist, "What to do &next")
        self.tabs.addTab(self.scope, "&Scope")

        top = QHBoxLayout()
        top.addWidget(facts, 3)
        top.addWidget(counts, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.setFocusProxy(self.worklist)

    def wants(self, kinds: set[Change]) -> bool:
        return bool(kinds & RATING_INPUTS)

    def refresh(self) -> None:
        if self.document is None:
            self.worklist.forget()
            self.worklist.set_worklist(None)
            return
        try:
            ratings = self.document.ratings_if_ready()
        except (KnownError, ValueError):
            ratings = None  # the Ratings page says why the rules cannot run
        self.show_info(appraisal_info(self.document.workspace), ratings)
        if ratings is not None:
            self.worklist.read(
                self.document,
                ratings,
                lambda worklist: self.tabs.setTabText(0, f"What to do &next ({len(worklist.items)})"),
            )

    def _open_scope_row(self, row: int) -> None:
        if 0 <= row < len(self._scope_keys):
            model, pa = self._scope_keys[row]
            self.open_requested.emit(WorkTarget(TargetKind.PROCESS_AREA, model, pa))

    def show_info(self, info: AppraisalInfo, ratings: RatingResult | None = None) -> None:
        self.heading.setText(f"<h2>{_esc(info.name)}</h2>")
        while self.facts.rowCount():
            self.facts.removeRow(0)
        dates = " – ".join(d for d in (info.start_date, info.end_date) if d) or "not set"
        for label, value in (
            ("Sponsor", info.sponsor or "—"),
            ("Lead appraiser", info.lead_appraiser or "—"),
            ("Method", f"{info.method}, {'SCAMPI v1.3 scale' if info.scale == 'v1.3' else 'V2.0/V3.0 scale'}"),
            ("Dates", dates),
            ("Organizational unit", info.org_unit or "—"),
            ("Target maturity level", f"ML{info.target_maturity_level}" if info.target_maturity_level else "—"),
            ("Phase", info.phase.capitalize()),
            ("File", info.location),
        ):
            value_label = QLabel(value)
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value_label.setWordWrap(True)
            self.facts.addRow(label, value_label)
        while self.counts.rowCount():
            self.counts.removeRow(0)
        for key, count in info.counts.items():
            self.counts.addRow(key.replace("_", " ").capitalize(), QLabel(str(count)))
        if ratings is not None:
            work = describe_open(open_decisions(ratings))
            open_label = QLabel(work or "none")
            open_label.setObjectName("openDecisions")
            open_label.setWordWrap(True)
            if work:
                open_label.setStyleSheet("color: #8a4b00; font-weight: bold;")
                open_label.setToolTip(
                    "Decide them on the Ratings page or in the Characterize grid (R re-confirms a stale one)"
                )
            self.counts.addRow("Team decisions to take", open_label)
        self.scope.setRowCount(len(info.scope))
        rating_now = self.document is not None and self.document.rating_in_progress
        self._scope_keys = [(line.model, line.pa) for line in info.scope]
        for row, line in enumerate(info.scope):
            target = "excluded" if line.excluded else "—"
            if line.target_capability_level is not None and not line.excluded:
                target = f"CL{line.target_capability_level}"
            result = ratings.process_area(line.model, line.pa) if ratings is not None else None
            rating = "rating…" if ratings is None and rating_now and not line.excluded else ""
            progress = _progress(result) if result is not None else (rating, rating, rating, "")
            for col, text in enumerate((line.model, line.pa, line.name, target, *progress)):
                item = QTableWidgetItem(text)
                if col >= 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.scope.setItem(row, col, item)
        for col in (0, 1, 3, 4, 5, 6, 7):
            self.scope.resizeColumnToContents(col)


def _progress(result: ProcessAreaResult) -> tuple[str, str, str, str]:
    """Characterized cells, satisfied goals, the capability level reached so far and the open team decisions."""
    if result.excluded:
        return ("—", "—", "N/A", "")
    cells = [i for g in result.goals for p in g.practices for i in p.instantiations]
    done = sum(1 for i in cells if i.value is not None)
    satisfied = sum(1 for g in result.goals if g.rating is GoalRating.SATISFIED)
    level = result.capability.level
    return (
        f"{done} of {len(cells)}",
        f"{satisfied} of {len(result.goals)}",
        f"CL{level}" if level is not None else "Not rated yet",
        describe_open(open_decisions(result)).replace(" (re-confirm with R)", "") or "—",
    )


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
