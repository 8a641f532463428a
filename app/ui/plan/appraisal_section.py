"""The Appraisal section: name, ID, sponsor, lead, method, scale, dates, validity, target ML, phase, findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from app.domain.plan import METHODS, Plan, PlanProblem
from app.services.plan_editing import PHASES
from app.ui.plan.editor import Notice, PlanEditor
from app.ui.plan.fields import Binding, CheckBinding, ComboBinding, Field, TextBinding, parse_date
from app.ui.plan.table_section import section_body

SCALES = (("SCAMPI v1.3: FI, LI, PI, NI, NY", "v1.3"), ("CMMI V2.0/V3.0: FM, LM, PM, DM, NY, NC", "v2"))
TARGETS = (("None (capability levels only)", None), *((f"Maturity level {n}", n) for n in range(2, 6)))


def _combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    return combo


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


class AppraisalSection(QGroupBox):
    prefixes = ("appraisal",)

    def __init__(self, editor: PlanEditor, parent: QWidget | None = None) -> None:
        super().__init__("Appr&aisal", parent)
        body = section_body(self)
        self.editor = editor
        self.name = _line("appraisalName", "Required, e.g. “OVIG service resilience appraisal”")
        self.identifier = _line("appraisalId", "As the CMMI Institute or the sponsor assigns it")
        self.sponsor = _line("sponsor")
        self.lead = _line("leadAppraiser")
        self.method = _combo("method")
        self.scale = _combo("scale")
        self.start = _line("startDate", "YYYY-MM-DD")
        self.end = _line("endDate", "YYYY-MM-DD")
        self.valid_until = _line("validUntil", "Empty: three years after the end")
        self.valid_until.setToolTip("When the ratings expire: at most three years after the appraisal ends")
        self.target = _combo("targetMaturityLevel")
        self.phase = _combo("phase")
        self.phase.addItems([p.capitalize() for p in PHASES])
        self.phase.setToolTip("Plan → Conduct → Report → Closed")
        self.phase.activated.connect(lambda index: editor.set_phase(PHASES[index]))
        self.unit_findings = QCheckBox("Findings may name a basic unit")
        self.unit_findings.setObjectName("unitSpecificFindings")
        self.unit_findings.setToolTip("The plan allows unit-specific findings; participants are told so beforehand.")

        def text(widget: QLineEdit, key: str, label: str, attr: str, **kw: Any) -> TextBinding:
            return TextBinding(
                editor, Field(widget), key, f"Edit {label}", lambda p: getattr(p, attr),
                lambda p, v: replace(p, **{attr: v}), **kw,
            )  # fmt: skip

        def combo(
            widget: QComboBox, key: str, label: str, attr: str, choices: Sequence[tuple[str, Any]]
        ) -> ComboBinding:
            return ComboBinding(
                editor, Field(widget), key, f"Change {label}", lambda p: getattr(p, attr),
                lambda p, v: replace(p, **{attr: v}), choices=choices,
            )  # fmt: skip

        self.bindings: list[Binding] = [
            text(self.name, "appraisal.name", "appraisal name", "name"),
            text(self.identifier, "appraisal.id", "appraisal ID", "identifier"),
            text(self.sponsor, "appraisal.sponsor", "sponsor", "sponsor"),
            text(self.lead, "appraisal.lead_appraiser", "lead appraiser", "lead_appraiser"),
            combo(self.method, "appraisal.method", "method", "method", [(m, m) for m in METHODS]),
            combo(self.scale, "appraisal.scale", "scale", "scale", SCALES),
            text(self.start, "appraisal.start", "start date", "start_date", parse=parse_date),
            text(self.end, "appraisal.end", "end date", "end_date", parse=parse_date),
            text(self.valid_until, "appraisal.valid_until", "validity date", "valid_until", parse=parse_date),
            combo(
                self.target, "appraisal.target_maturity_level", "target maturity level", "target_maturity_level",
                TARGETS,
            ),
            CheckBinding(
                editor, Field(self.unit_findings), "appraisal.unit_specific_findings", "Change unit-specific findings",
                lambda p: p.unit_specific_findings, lambda p, v: replace(p, unit_specific_findings=v),
            ),
        ]  # fmt: skip
        self.phase_field = Field(self.phase)
        fields = {b.key: b.field for b in self.bindings}

        left, right = QFormLayout(), QFormLayout()
        left.addRow("Name", fields["appraisal.name"])
        left.addRow("Appraisal ID", fields["appraisal.id"])
        left.addRow("Sponsor", fields["appraisal.sponsor"])
        left.addRow("Lead appraiser", fields["appraisal.lead_appraiser"])
        left.addRow("Method", fields["appraisal.method"])
        left.addRow("Rating scale", fields["appraisal.scale"])
        right.addRow("Starts", fields["appraisal.start"])
        right.addRow("Ends", fields["appraisal.end"])
        right.addRow("Ratings valid until", fields["appraisal.valid_until"])
        right.addRow("Target maturity level", fields["appraisal.target_maturity_level"])
        right.addRow("Phase", self.phase_field)
        right.addRow("", fields["appraisal.unit_specific_findings"])
        row = QHBoxLayout(body)
        row.addLayout(left, 3)
        row.addSpacing(16)
        row.addLayout(right, 2)

    def show_plan(self, plan: Plan, reset: bool) -> None:
        for binding in self.bindings:
            binding.load(plan, reset)

    def show_phase(self, phase: str) -> None:
        self.phase.setCurrentIndex(PHASES.index(phase) if phase in PHASES else 0)

    def show_scale_lock(self, reason: str | None) -> None:
        """Say before anyone tries that the scale is fixed once practices are characterized."""
        field = next(b.field for b in self.bindings if b.key == "appraisal.scale")
        field.set_tip(reason or "The values practices are characterized with")

    def show_problems(self, problems: Sequence[PlanProblem], notices: Sequence[Notice]) -> None:
        refused = [n.problem for n in notices]
        for binding in self.bindings:
            binding.show_problems([*problems, *refused])
        phase = [n.problem.message for n in notices if n.problem.field == "appraisal.phase"]
        self.phase_field.set_problem("\n".join(phase) or None)

    def flush(self) -> None:
        for binding in self.bindings:
            if isinstance(binding, TextBinding):
                binding.flush()
