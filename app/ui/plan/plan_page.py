"""Plan: everything the plan file holds, edited in one scrolling form, checked as you type.

Each valid edit is written at once as its own undo step; an edit with a problem is marked where it was made
and written nothing. Removing something with recorded evidence asks first and cannot be undone.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.plan import Plan, PlanProblem
from app.services import plan_editing
from app.ui.common.errors import show_error
from app.ui.common.page import Page
from app.ui.plan.appraisal_section import AppraisalSection
from app.ui.plan.editor import Notice, PlanEditor
from app.ui.plan.org_unit_section import OrgUnitSection
from app.ui.plan.sampling_section import SamplingSection
from app.ui.plan.scope_section import ScopeSection
from app.ui.plan.subgroups_section import SubgroupsSection
from app.ui.plan.table import PlanTable
from app.ui.plan.table_section import TableSection, hint_label
from app.ui.plan.team_section import MiniTeamsSection, TeamSection
from app.ui.plan.units_section import UnitsSection
from app.ui.shell.document import Change, Document

Section = (
    AppraisalSection
    | OrgUnitSection
    | ScopeSection
    | SamplingSection
    | SubgroupsSection
    | UnitsSection
    | TeamSection
    | MiniTeamsSection
)


class PlanPage(Page):
    title = "Plan"
    shortcut = "Ctrl+1"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = PlanEditor(self)
        self.appraisal = AppraisalSection(self.editor)
        self.org_unit = OrgUnitSection(self.editor)
        self.scope = ScopeSection(self.editor)
        self.sampling = SamplingSection(self.editor)
        self.subgroups = SubgroupsSection(self.editor)
        self.units = UnitsSection(self.editor)
        self.team = TeamSection(self.editor)
        self.mini_teams = MiniTeamsSection(self.editor)
        self.sections: list[Section] = [
            self.appraisal,
            self.org_unit,
            self.scope,
            self.sampling,
            self.subgroups,
            self.units,
            self.team,
            self.mini_teams,
        ]
        self.editor.shown.connect(self._show_plan)
        self.editor.problems_changed.connect(self._show_problems)
        self.editor.phase_changed.connect(self.appraisal.show_phase)

        heading = QLabel("<h2>Plan</h2>")
        heading.setObjectName("pageHeading")
        note = hint_label(
            "Every change is saved as you make it and can be undone (Ctrl+Z). Fields outlined in red have a "
            "problem and are not saved until it is fixed. Alt+letter jumps to a section."
        )
        self.export_button = QPushButton("Export plan file…")
        self.export_button.setObjectName("exportPlan")
        self.export_button.setToolTip("Write this plan as a YAML plan file (docs/plan-format.md)")
        self.export_button.clicked.connect(self.export)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.export_button)

        content = QWidget()
        content.setObjectName("planContent")
        column = QVBoxLayout(content)
        column.addLayout(top)
        column.addWidget(note)
        for section in self.sections:
            column.addWidget(section)
        column.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroller.setWidget(content)
        self.content = content
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroller)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

        for section in self.sections:
            if isinstance(section, TableSection):
                table = section.table
                table.currentCellChanged.connect(lambda row, col, *_prev, t=table: self._show_cell(t, row, col))

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        # Keep the field being typed in on screen, however focus got there (Tab, Alt+letter, a click).
        if new is None or not self.content.isAncestorOf(new):
            return
        if isinstance(new, PlanTable) and new.currentRow() >= 0:
            self._show_cell(new, new.currentRow(), new.currentColumn())
        else:
            self.scroller.ensureWidgetVisible(new, 24, 24)

    def _show_cell(self, table: PlanTable, row: int, col: int) -> None:
        """The page scrolls, not the tables: arrows moving down a long table bring its rows into view."""
        if row < 0 or col < 0:
            return
        rect = table.visualRect(table.model().index(row, col))
        centre = table.viewport().mapTo(self.content, rect.center())
        self.scroller.ensureVisible(centre.x(), centre.y(), 24, rect.height() + 24)

    # --- the document ----------------------------------------------------------------------------------

    def set_document(self, document: Document | None) -> None:
        # Whatever waits for the typing pause is written before the page lets go of the appraisal.
        self.flush()
        super().set_document(document)

    def wants(self, kinds: set[Change]) -> bool:
        return Change.PLAN in kinds

    def refresh(self) -> None:
        self.editor.load(self.document)
        if self.document is not None:
            self.appraisal.show_scale_lock(plan_editing.scale_lock(self.document.workspace))
        self.setEnabled(self.document is not None)

    def flush(self) -> None:
        self.appraisal.flush()
        self.org_unit.flush()

    def _show_plan(self, plan: Plan, reset: bool) -> None:
        for section in self.sections:
            section.show_plan(plan, reset)

    def _show_problems(self, problems: list[PlanProblem], notices: dict[str, list[Notice]]) -> None:
        for section in self.sections:
            mine = [n for key, found in notices.items() if _section_of(key) in section.prefixes for n in found]
            section.show_problems(problems, mine)

    # --- export ----------------------------------------------------------------------------------------

    def export(self) -> None:
        document = self.document
        if document is None:
            return
        self.flush()
        folder = document.workspace.path.parent if document.workspace.path else Path.home()
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export plan file", str(folder / "plan.yaml"), "Plan file (*.yaml *.yml);;All files (*)"
        )
        if not chosen:
            return
        try:
            # The file dialog asked before replacing an existing file.
            plan_editing.export_plan_yaml(document.workspace, Path(chosen), overwrite=True)
        except Exception as exc:
            show_error(self, exc, title="Export plan file")
            return
        window = self.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(f"Exported the plan to {chosen}", 8000)


def _section_of(key: str) -> str:
    return key.split("[")[0].split(".")[0]
