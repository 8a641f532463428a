"""The Organizational unit section: the part of the organization appraised, and what it does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLineEdit, QPlainTextEdit, QWidget

from app.domain.plan import Plan, PlanProblem
from app.ui.plan.editor import Notice, PlanEditor
from app.ui.plan.fields import Field, TextBinding
from app.ui.plan.table_section import section_body


class OrgUnitSection(QGroupBox):
    prefixes = ("organizational_unit",)

    def __init__(self, editor: PlanEditor, parent: QWidget | None = None) -> None:
        super().__init__("&Organizational unit", parent)
        body = section_body(self)
        self.name = QLineEdit()
        self.name.setObjectName("orgUnitName")
        self.name.setPlaceholderText("e.g. “Olive Vehicle Insurance – Customer Services”")
        self.description = QPlainTextEdit()
        self.description.setObjectName("orgUnitDescription")
        self.description.setPlaceholderText("What the unit does and for whom; its context and business objectives")
        # About three lines: enough to read a paragraph without scrolling the page away.
        self.description.setFixedHeight(self.description.fontMetrics().lineSpacing() * 4 + 12)
        self.bindings = [
            TextBinding(
                editor, Field(self.name), "organizational_unit.name", "Edit organizational unit name",
                lambda p: p.org_unit_name, lambda p, v: replace(p, org_unit_name=v),
            ),
            TextBinding(
                editor, Field(self.description), "organizational_unit.description",
                "Edit organizational unit description",
                lambda p: p.org_unit_description, lambda p, v: replace(p, org_unit_description=v),
            ),
        ]  # fmt: skip
        form = QFormLayout(body)
        form.addRow("Name", self.bindings[0].field)
        form.addRow("Description", self.bindings[1].field)

    def show_plan(self, plan: Plan, reset: bool) -> None:
        for binding in self.bindings:
            binding.load(plan, reset)

    def show_problems(self, problems: Sequence[PlanProblem], notices: Sequence[Notice]) -> None:
        for binding in self.bindings:
            binding.show_problems([*problems, *(n.problem for n in notices)])

    def flush(self) -> None:
        for binding in self.bindings:
            binding.flush()
