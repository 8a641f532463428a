"""The Scope section: the process areas rated, each with its target capability level or its exclusion."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from app.domain.catalog import Catalog, ModelKind
from app.domain.plan import PaKey, Plan, ScopeEntry
from app.domain.plan_data import remove_scope, replace_item
from app.ui.plan.checklist_dialog import ChecklistDialog, Choice
from app.ui.plan.editor import Edit, PlanEditor
from app.ui.plan.table import Column, ColumnKind
from app.ui.plan.table_section import TableSection

MODEL, PA, NAME, TARGET, EXCLUDED, REASON = range(6)
COLUMNS = [
    Column("Model", "model", ColumnKind.LABEL, 90),
    Column("PA", "pa", ColumnKind.LABEL, 70),
    Column("Name", "name", ColumnKind.LABEL),
    Column(
        "Target",
        "target_capability_level",
        ColumnKind.CHOICE,
        90,
        "Target capability level (F2 changes it); — leaves it to the target maturity level",
    ),
    Column("Excluded", "excluded", ColumnKind.CHECK, 80, "Excluded from the appraisal (Space toggles); needs a reason"),
    Column("Why excluded", "exclusion_reason", ColumnKind.TEXT, 300),
]


def pa_choices(catalog: Catalog, skip: set[PaKey]) -> list[Choice]:
    """Every rateable process area of the appraisal's models, grouped by model."""
    choices = []
    for model in catalog.models:
        if model.kind is ModelKind.REFERENCE:
            continue
        for area in model.process_areas:
            key = PaKey(model.key, area.acronym)
            if key in skip:
                continue
            detail = f"ML{area.maturity_level}" if area.maturity_level else area.category
            if area.addition:
                detail += " (addition)"
            search = " ".join((area.category, *area.aliases))
            choices.append(Choice(key, f"{area.acronym}  {area.name}", f"{model.key} — {model.name}", detail, search))
    return choices


def scope_choices(plan: Plan, catalog: Catalog | None) -> list[Choice]:
    """The process areas in scope, for choosing what a unit or mini-team covers."""
    choices = []
    for entry in plan.scope:
        model = catalog.model(entry.pa.model) if catalog else None
        area = model.process_area(entry.pa.pa) if model else None
        detail = "excluded" if entry.excluded else ""
        label = f"{entry.pa.pa}  {area.name if area else ''}".rstrip()
        choices.append(Choice(entry.pa, label, model.name if model else entry.pa.model, detail, entry.pa.model))
    return choices


class ScopeSection(TableSection):
    prefixes = ("scope",)
    noun = "process area"

    def __init__(self, editor: PlanEditor, parent: QWidget | None = None) -> None:
        super().__init__(
            "&Scope",
            editor,
            COLUMNS,
            intro="The process areas rated. CMMI-SVC, CERT-RMM and SM rate capability levels 0 to 3; an excluded "
            "process area needs its reason.",
            add_label="Add process areas…",
            parent=parent,
        )
        self.keys.setText("Enter adds process areas · Del removes · F2 edits a cell · Space toggles Excluded")

    def items(self, plan: Plan) -> Sequence[Any]:
        return plan.scope

    def _area_name(self, key: PaKey) -> str:
        catalog = self.editor.catalog
        model = catalog.model(key.model) if catalog else None
        area = model.process_area(key.pa) if model else None
        return area.name if area else ""

    def cell(self, plan: Plan, row: int, col: int) -> tuple[str, Any]:
        entry = plan.scope[row]
        if col == MODEL:
            return entry.pa.model, None
        if col == PA:
            return entry.pa.pa, None
        if col == NAME:
            return self._area_name(entry.pa), None
        if col == TARGET:
            cl = entry.target_capability_level
            return ("—" if cl is None else f"CL{cl}"), cl
        if col == EXCLUDED:
            return "", entry.excluded
        return entry.exclusion_reason, entry.exclusion_reason

    def choices(self, plan: Plan, row: int, col: int) -> list[tuple[str, Any]]:  # noqa: ARG002 - one choice column
        catalog = self.editor.catalog
        model = catalog.model(plan.scope[row].pa.model) if catalog and row < len(plan.scope) else None
        top = model.max_capability_level if model else 3
        return [("—", None), *((f"CL{n}", n) for n in range(top + 1))]

    def edit(self, plan: Plan, row: int, col: int, value: Any) -> Edit | None:
        pa = plan.scope[row].pa
        path = self.row_path(plan, row)

        def entry(change: dict[str, Any]) -> Any:
            return lambda p: replace_item(p, "scope", row, replace(p.scope[row], **change))

        if col == TARGET:
            return Edit(
                f"{path}.target_capability_level", f"Change target of {pa}", entry({"target_capability_level": value})
            )
        if col == EXCLUDED:
            return Edit(f"{path}.excluded", f"{'Exclude' if value else 'Include'} {pa}", entry({"excluded": value}))
        if col == REASON:
            return Edit(f"{path}.exclusion_reason", f"Edit why {pa} is excluded", entry({"exclusion_reason": value}))
        return None

    def add(self) -> None:
        """Enter or "Add process areas…": choose from the models kept in this appraisal, filtering as you type."""
        plan, catalog = self.plan, self.editor.catalog
        if plan is None or catalog is None:
            return
        dialog = ChecklistDialog(
            "Add process areas",
            "Check the process areas to add to the scope. Only the models kept in this appraisal are listed.",
            pa_choices(catalog, {e.pa for e in plan.scope}),
            parent=self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.chosen():
            return
        self.add_areas(dialog.chosen())

    def add_areas(self, keys: list[PaKey]) -> bool:
        plan = self.plan
        if plan is None:
            return False
        # New areas take the target most of the scope has, so a CL2 security scope stays CL2.
        targets = Counter(e.target_capability_level for e in plan.scope)
        target = None if plan.target_maturity_level else (targets.most_common(1)[0][0] if targets else None)
        entries = tuple(ScopeEntry(key, target) for key in keys)
        names = ", ".join(str(k) for k in keys)
        return self.editor.propose(
            Edit(
                self.add_key,
                f"Add {names} to scope",
                lambda p: replace(p, scope=(*p.scope, *entries)),
                structural=True,
            )
        )

    def added(self, values: list[Any]) -> Edit:  # noqa: ARG002
        raise AssertionError("the scope adds rows through the process-area chooser")

    def removed(self, plan: Plan, row: int) -> Edit:
        key = plan.scope[row].pa
        return Edit(
            self.remove_key,
            f"Remove {key} from scope",
            lambda p: remove_scope(p, [key]),
            removal=f"{key} ({self._area_name(key)}) from the scope",
            structural=True,
        )
