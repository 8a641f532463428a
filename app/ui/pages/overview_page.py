"""Overview: the appraisal at a glance (who, when, method, organizational unit, scope, counts)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.appraisals import AppraisalInfo, appraisal_info
from app.ui.pages.base import Page


class OverviewPage(Page):
    title = "Overview"
    shortcut = "Ctrl+0"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.heading.setWordWrap(True)
        facts = QGroupBox("Appraisal")
        self.facts = QFormLayout(facts)
        counts = QGroupBox("Evidence and ratings so far")
        self.counts = QFormLayout(counts)
        self.scope = QTableWidget(0, 4)
        self.scope.setObjectName("scopeTable")
        self.scope.setHorizontalHeaderLabels(["Model", "Process area", "Name", "Target"])
        self.scope.verticalHeader().setVisible(False)
        self.scope.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.scope.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.scope.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        scope_box = QGroupBox("Scope")
        QVBoxLayout(scope_box).addWidget(self.scope)

        top = QHBoxLayout()
        top.addWidget(facts, 3)
        top.addWidget(counts, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(scope_box, 1)

    def wants(self, kinds: set[str]) -> bool:
        return bool(kinds & {"plan", "evidence", "interviews", "characterizations", "findings"})

    def refresh(self) -> None:
        if self.document is None:
            return
        self.show_info(appraisal_info(self.document.workspace))

    def show_info(self, info: AppraisalInfo) -> None:
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
        self.scope.setRowCount(len(info.scope))
        for row, line in enumerate(info.scope):
            target = "excluded" if line.excluded else "—"
            if line.target_capability_level is not None and not line.excluded:
                target = f"CL{line.target_capability_level}"
            for col, text in enumerate((line.model, line.pa, line.name, target)):
                self.scope.setItem(row, col, QTableWidgetItem(text))
        self.scope.resizeColumnToContents(0)
        self.scope.resizeColumnToContents(1)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
