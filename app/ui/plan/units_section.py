"""The Basic units and support functions section: who is sampled, in which subgroup, implementing what."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from app.domain.plan import PaKey, Plan, UnitPlan
from app.domain.plan_data import BASIC_UNIT, SUPPORT_FUNCTION, add_unit, set_unit, unit_path
from app.ui.plan.checklist_dialog import ChecklistDialog
from app.ui.plan.editor import Edit, PlanEditor
from app.ui.plan.scope_section import scope_choices
from app.ui.plan.table import Column, ColumnKind
from app.ui.plan.table_section import TableSection
from app.ui.plan.wording import pa_summary

NAME, KIND, SUBGROUP, DESCRIPTION, AREAS, SAMPLED = range(6)
KINDS = (("Basic unit", BASIC_UNIT), ("Support function", SUPPORT_FUNCTION))
NOUNS = {BASIC_UNIT: "basic unit", SUPPORT_FUNCTION: "support function"}
ALL_IN_SCOPE = "All in scope"
COLUMNS = [
    Column("Name", "name", ColumnKind.TEXT, 190),
    Column(
        "Kind", "kind", ColumnKind.CHOICE, 140, "A sampled basic unit, or a support function serving the whole unit"
    ),
    Column("Subgroup", "subgroup", ColumnKind.CHOICE, 160),
    Column("Description", "description", ColumnKind.TEXT),
    Column("Process areas", "process_areas", ColumnKind.DIALOG, 270, "F2 or double click chooses them"),
    Column("Sampled", "sampled", ColumnKind.CHECK, 75, "In the appraisal's sample (Space toggles)"),
]


class UnitsSection(TableSection):
    prefixes = ("basic_units", "support_functions", "units")
    noun = "unit"

    def __init__(self, editor: PlanEditor, parent: QWidget | None = None) -> None:
        super().__init__(
            "Basic &units and support functions",
            editor,
            COLUMNS,
            intro="Basic units are the sampled units of work; a support function implements process areas for "
            "the whole organizational unit. A basic unit without chosen process areas implements all in scope.",
            parent=parent,
        )
        self.keys.setText("Enter adds a row · Del removes · F2 edits a cell or chooses process areas")

    def items(self, plan: Plan) -> Sequence[Any]:
        return plan.units

    def row_path(self, plan: Plan, row: int) -> str:
        return unit_path(plan, row)

    def cell(self, plan: Plan, row: int, col: int) -> tuple[str, Any]:
        unit = plan.units[row]
        if col == NAME:
            return unit.name, unit.name
        if col == KIND:
            return dict((v, k) for k, v in KINDS).get(unit.kind, unit.kind), unit.kind
        if col == SUBGROUP:
            return unit.subgroup or "—", unit.subgroup
        if col == DESCRIPTION:
            return unit.description, unit.description
        if col == AREAS:
            return self._areas_text(plan, unit.kind, unit.process_areas), unit.process_areas
        return "", unit.sampled

    @staticmethod
    def _areas_text(plan: Plan, kind: str, areas: Sequence[PaKey]) -> str:
        if areas:
            return pa_summary(areas, [e.pa for e in plan.scope])
        return ALL_IN_SCOPE if kind == BASIC_UNIT else "none yet: F2 to choose"

    def draft_cells(self) -> list[tuple[str, Any]]:
        return [("", ""), ("Basic unit", BASIC_UNIT), ("—", None), ("", ""), (ALL_IN_SCOPE, ()), ("", True)]

    def choices(self, plan: Plan, row: int, col: int) -> list[tuple[str, Any]]:  # noqa: ARG002 - same for every row
        if col == KIND:
            return list(KINDS)
        return [("—", None), *((sg.name, sg.name) for sg in plan.subgroups)]

    def choose(self, plan: Plan, row: int, col: int, current: Any) -> tuple[str, Any] | None:  # noqa: ARG002
        # Only the process-area column opens a chooser.
        name_item = self.table.item(row, NAME)
        kind = self._value(row, KIND) or BASIC_UNIT
        name = name_item.text() if name_item is not None else ""
        basic = kind == BASIC_UNIT
        areas: tuple[PaKey, ...] = tuple(current or ())
        dialog = ChecklistDialog(
            f"Process areas of {name or 'the new unit'}",
            "Check the process areas this unit implements."
            + ("" if basic else " A support function implements at least one."),
            scope_choices(plan, self.editor.catalog),
            areas,
            all_label="Every process area in scope" if basic else "",
            all_checked=basic and not areas,
            validate=None if basic else _one_at_least,
            parent=self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        chosen = () if dialog.all_chosen() else tuple(dialog.chosen())
        return self._areas_text(plan, kind, chosen), chosen

    def edit(self, plan: Plan, row: int, col: int, value: Any) -> Edit | None:
        unit = plan.units[row]
        key = f"{unit_path(plan, row)}.{COLUMNS[col].field}"
        noun = NOUNS.get(unit.kind, "unit")

        def change(**fields: Any) -> Any:
            return lambda p: set_unit(p, row, replace(p.units[row], **fields))

        if col == NAME:
            new = str(value).strip()
            renamed = {unit.name: new} if new and new != unit.name else {}
            return Edit(key, f"Rename {noun} {unit.name} to {new}", change(name=new), renamed_units=renamed)
        if col == KIND:
            return Edit(key, f"Make {unit.name} a {NOUNS.get(value, value)}", change(kind=value))
        if col == SUBGROUP:
            text = f"Move {unit.name} to subgroup {value}" if value else f"Take {unit.name} out of its subgroup"
            return Edit(key, text, change(subgroup=value))
        if col == DESCRIPTION:
            return Edit(key, f"Edit description of {unit.name}", change(description=value))
        if col == AREAS:
            return Edit(key, f"Choose process areas of {unit.name}", change(process_areas=tuple(value or ())))
        return Edit(key, f"{'Sample' if value else 'Do not sample'} {unit.name}", change(sampled=bool(value)))

    def added(self, values: list[Any]) -> Edit:
        name = str(values[NAME] or "").strip()
        kind = values[KIND] or BASIC_UNIT
        unit = UnitPlan(
            name=name,
            kind=kind,
            description=str(values[DESCRIPTION] or ""),
            subgroup=values[SUBGROUP],
            process_areas=tuple(values[AREAS] or ()),
            sampled=bool(values[SAMPLED]),
        )
        return Edit(self.add_key, f"Add {NOUNS[kind]} {name}", lambda p: add_unit(p, unit), structural=True)

    def removed(self, plan: Plan, row: int) -> Edit:
        unit = plan.units[row]
        name, noun = unit.name, NOUNS.get(unit.kind, "unit")
        return Edit(
            self.remove_key,
            f"Remove {noun} {name}",
            lambda p: replace(p, units=tuple(u for u in p.units if u.name != name)),
            removal=f"the {noun} “{name}”",
            structural=True,
        )


def _one_at_least(_name: str, chosen: list[Any]) -> str:
    return "" if chosen else "Choose at least one process area: a support function implements some."
