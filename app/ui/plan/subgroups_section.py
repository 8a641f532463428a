"""The Subgroups section: the unit split by the relevant factors, with sizes and the sample-size check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from app.domain.plan import Plan, SubgroupPlan
from app.domain.plan_data import remove_subgroup, rename_subgroup, replace_item, sample_checks, set_subgroup_factor
from app.ui.plan.editor import Edit, PlanEditor
from app.ui.plan.fields import PROBLEM_COLOR
from app.ui.plan.table import Column, ColumnKind, quiet
from app.ui.plan.table_section import TableSection

FACTOR = "factors."
OK_COLOR = "#1e6b33"


def columns_for(plan: Plan) -> list[Column]:
    """Name, description, one column per factor that matters (relevant, or already given a value), sizes."""
    used = {name for sg in plan.subgroups for name, _ in sg.factors}
    factors = [f for f in plan.sampling_factors if f.relevant or f.name in used]
    return [
        Column("Subgroup", "name", ColumnKind.TEXT, 170),
        Column("Description", "description", ColumnKind.TEXT),
        *(
            Column(
                f.name,
                FACTOR + f.name,
                ColumnKind.CHOICE if f.values else ColumnKind.TEXT,
                150,
                f"Its value of “{f.name}”",
            )
            for f in factors
        ),
        Column(
            "Basic units",
            "total_units",
            ColumnKind.NUMBER,
            95,
            "Basic units the subgroup has in the organizational unit",
        ),
        Column("People", "people", ColumnKind.NUMBER, 80, "People working in the subgroup"),
        Column(
            "Sample",
            "sample",
            ColumnKind.LABEL,
            250,
            "SCAMPI v1.3: ceil(basic units in the subgroup × number of subgroups ÷ basic units in the "
            "organizational unit), at least 1; counted: the sampled basic units listed below in this subgroup",
        ),
    ]


class SubgroupsSection(TableSection):
    prefixes = ("subgroups",)
    noun = "subgroup"
    numbers = {"total_units": (1, 100000), "people": (0, 1000000)}  # noqa: RUF012

    def __init__(self, editor: PlanEditor, parent: QWidget | None = None) -> None:
        super().__init__(
            "Su&bgroups",
            editor,
            columns_for(Plan("")),
            intro="Basic units that share the values of the relevant sampling factors. The sample check compares "
            "the SCAMPI v1.3 minimum with the sampled basic units of each subgroup.",
            parent=parent,
        )

    def field_at(self, col: int) -> str:
        return self.table.columns[col].field

    def items(self, plan: Plan) -> Sequence[Any]:
        return plan.subgroups

    def show_plan(self, plan: Plan, reset: bool) -> None:
        self.set_columns(columns_for(plan))
        super().show_plan(plan, reset)
        checks = sample_checks(plan)
        col = len(self.table.columns) - 1
        with quiet(self.table):
            for row, check in enumerate(checks):
                item = self.table.item(row, col)
                if item is not None:
                    item.setText(("✓ " if check.ok else "✗ ") + str(check))
                    item.setForeground(QBrush(QColor(OK_COLOR if check.ok else PROBLEM_COLOR)))

    def cell(self, plan: Plan, row: int, col: int) -> tuple[str, Any]:
        sg, field = plan.subgroups[row], self.field_at(col)
        if field == "name":
            return sg.name, sg.name
        if field == "description":
            return sg.description, sg.description
        if field.startswith(FACTOR):
            value = dict(sg.factors).get(field[len(FACTOR) :], "")
            return value or "—", value
        if field in ("total_units", "people"):
            number = getattr(sg, field)
            return ("—" if number is None else str(number)), number
        return "", None

    def draft_cells(self) -> list[tuple[str, Any]]:
        return [("", "" if c.kind == ColumnKind.TEXT else None) for c in self.table.columns]

    def choices(self, plan: Plan, row: int, col: int) -> list[tuple[str, Any]]:
        name = self.field_at(col)[len(FACTOR) :]
        factor = next((f for f in plan.sampling_factors if f.name == name), None)
        values = list(factor.values) if factor else []
        current = dict(plan.subgroups[row].factors).get(name) if row < len(plan.subgroups) else None
        if current and current not in values:
            values.append(current)
        return [("—", ""), *((v, v) for v in values)]

    def edit(self, plan: Plan, row: int, col: int, value: Any) -> Edit | None:
        sg, field = plan.subgroups[row], self.field_at(col)
        key = f"{self.row_path(plan, row)}.{field}"
        if field == "name":
            new = str(value).strip()
            return Edit(
                key, f"Rename subgroup {sg.name} to {new}", lambda p: rename_subgroup(p, p.subgroups[row].name, new)
            )
        if field.startswith(FACTOR):
            name = field[len(FACTOR) :]
            text = str(value or "").strip()
            return Edit(key, f"Set {name} of {sg.name}", lambda p: set_subgroup_factor(p, row, name, text))
        if field in ("description", "total_units", "people"):
            words = {"description": "description", "total_units": "basic units", "people": "people"}[field]
            return Edit(
                key,
                f"Edit {words} of {sg.name}",
                lambda p: replace_item(p, "subgroups", row, replace(p.subgroups[row], **{field: value})),
            )
        return None

    def added(self, values: list[Any]) -> Edit:
        by_field = {c.field: v for c, v in zip(self.table.columns, values, strict=True)}
        name = str(by_field["name"] or "").strip()
        factors = tuple((f[len(FACTOR) :], str(v).strip()) for f, v in by_field.items() if f.startswith(FACTOR) and v)
        sg = SubgroupPlan(
            name, str(by_field["description"] or ""), factors, by_field["total_units"], by_field["people"]
        )
        return Edit(
            self.add_key, f"Add subgroup {name}", lambda p: replace(p, subgroups=(*p.subgroups, sg)), structural=True
        )

    def removed(self, plan: Plan, row: int) -> Edit:
        name = plan.subgroups[row].name
        members = [u.name for u in plan.units if u.subgroup == name]
        also = f" ({', '.join(members)} will be in no subgroup)" if members else ""
        return Edit(
            self.remove_key,
            f"Remove subgroup {name}",
            lambda p: remove_subgroup(p, name),
            removal=f"the subgroup “{name}”{also}",
            structural=True,
        )
