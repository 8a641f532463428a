"""The Sampling factors section: what may make processes differ across the unit, each with its rationale."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import QWidget

from app.domain.plan import Plan, SamplingFactorPlan
from app.domain.plan_data import remove_factor, rename_factor, replace_item
from app.ui.plan.editor import Edit, PlanEditor
from app.ui.plan.table import Column, ColumnKind
from app.ui.plan.table_section import TableSection

NAME, RELEVANT, RATIONALE, VALUES = range(4)
SEPARATOR = ";"
COLUMNS = [
    Column("Factor", "name", ColumnKind.TEXT, 190),
    Column("Relevant", "relevant", ColumnKind.CHECK, 80, "Does it make processes differ? (Space toggles)"),
    Column("Rationale", "rationale", ColumnKind.TEXT, 0, "Why it is (or is not) relevant: needed either way"),
    Column(
        "Values",
        "values",
        ColumnKind.TEXT,
        280,
        f"The values that split the unit into subgroups, separated by “{SEPARATOR}”",
    ),
]
STANDARD = "Location, Customer, Size, Organizational structure, Type of work"


def split_values(text: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in str(text or "").split(SEPARATOR) if v.strip())


class SamplingSection(TableSection):
    prefixes = ("sampling_factors",)
    noun = "sampling factor"

    def __init__(self, editor: PlanEditor, parent: QWidget | None = None) -> None:
        super().__init__(
            "Sa&mpling factors",
            editor,
            COLUMNS,
            intro=f"Declare each factor relevant or not, with a rationale either way. Usual ones: {STANDARD}.",
            parent=parent,
        )

    def items(self, plan: Plan) -> Sequence[Any]:
        return plan.sampling_factors

    def cell(self, plan: Plan, row: int, col: int) -> tuple[str, Any]:
        factor = plan.sampling_factors[row]
        if col == NAME:
            return factor.name, factor.name
        if col == RELEVANT:
            return "", factor.relevant
        if col == RATIONALE:
            return factor.rationale, factor.rationale
        text = f"{SEPARATOR} ".join(factor.values)
        return text, text

    def draft_cells(self) -> list[tuple[str, Any]]:
        return [("", ""), ("", True), ("", ""), ("", "")]

    def edit(self, plan: Plan, row: int, col: int, value: Any) -> Edit | None:
        factor = plan.sampling_factors[row]
        path = self.row_path(plan, row)
        if col == NAME:
            return Edit(
                f"{path}.name",
                f"Rename sampling factor {factor.name} to {str(value).strip()}",
                lambda p: rename_factor(p, p.sampling_factors[row].name, str(value).strip()),
            )
        changes: dict[str, Any]
        if col == RELEVANT:
            changes, text = {"relevant": value}, f"Mark {factor.name} {'relevant' if value else 'not relevant'}"
        elif col == RATIONALE:
            changes, text = {"rationale": value}, f"Edit rationale of {factor.name}"
        else:
            changes, text = {"values": split_values(value)}, f"Edit values of {factor.name}"
        field = COLUMNS[col].field
        return Edit(
            f"{path}.{field}",
            text,
            lambda p: replace_item(p, "sampling_factors", row, replace(p.sampling_factors[row], **changes)),
        )

    def added(self, values: list[Any]) -> Edit:
        name = str(values[NAME]).strip()
        factor = SamplingFactorPlan(
            name, bool(values[RELEVANT]), str(values[RATIONALE] or ""), split_values(values[VALUES])
        )
        return Edit(
            self.add_key,
            f"Add sampling factor {name}",
            lambda p: replace(p, sampling_factors=(*p.sampling_factors, factor)),
            structural=True,
        )

    def removed(self, plan: Plan, row: int) -> Edit:
        name = plan.sampling_factors[row].name
        return Edit(
            self.remove_key,
            f"Remove sampling factor {name}",
            lambda p: remove_factor(p, name),
            removal=f"the sampling factor “{name}” (and its values in the subgroups)",
            structural=True,
        )
