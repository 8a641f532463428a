"""The team's decisions on the OU column: a practice's OU value where the roll-up leaves it to the team, a
goal's significance or lowering where the rules allow it, each with its rationale; and re-confirming a stale
decision (R) on today's inputs. The rules bound every choice (`app/domain/rating/rules.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from app.services import decisions, grid
from app.services.decisions import GoalOverride
from app.services.grid import GridRow, RowKind
from app.ui.characterize import commands
from app.ui.characterize.judgment_dialog import Choice, RationaleDialog
from app.ui.ratings.goal_decision_dialog import goal_decision_dialog, has_choice

if TYPE_CHECKING:
    from app.ui.characterize.characterize_page import CharacterizePage


def _mnemonic(code: str, key: str) -> str:
    at = code.find(key)
    return code if at < 0 else f"{code[:at]}&{code[at:]}"


class TeamDecisions:
    """The OU column's decisions, for one page."""

    def __init__(self, page: CharacterizePage) -> None:
        self.page = page

    def judge(self, row: GridRow, preselect: str | None) -> None:
        """The team's OU value for a practice whose roll-up leaves it to them, with the rationale."""
        if self.page.document is None:
            return
        result = self.page.model.practice_result(row.model, row.pa, row.practice)
        if result is None:
            return
        rollup = result.rollup
        if not rollup.requires_judgment:
            self.page.say(
                f"{row.pa} {row.code} at OU level follows from its units ({rollup.rule.text}); "
                "it needs no team judgment."
            )
            return
        before = decisions.ou_decisions(self.page.document.workspace).get((row.model, row.pa, row.practice))
        scale = self.page.model.scale
        choices: list[Choice] = [
            (v.value, f"{_mnemonic(v.value, scale.info(v).key)}   {scale.label(v)}") for v in rollup.allowed
        ]
        if before is not None:
            choices.append((None, "Clear the team's judgment"))
        units = ", ".join(f"{i.unit} {i.value or '—'}" for i in result.instantiations)
        why = f"{rollup.rule.text.rstrip('.')}.\nUnits: {units}."
        if rollup.stale:
            why += f"\n⚠ {rollup.stale} Choose it again (or another value) to decide on today's values."
        if rollup.conflict:
            why += f"\n⚠ {rollup.conflict}"
        stored = before.value if before is not None and before.value in rollup.allowed else None
        dialog = RationaleDialog(
            "Team judgment",
            f"{grid.place_name(row.model, row.pa)} {row.code} {row.title}: organizational-unit value",
            why,
            choices,
            stored if stored is not None else (rollup.proposed.value if rollup.proposed else None),
            before.rationale if stored is not None and before is not None else "",
            parent=self.page,
        )
        dialog.explanation.setToolTip(f"{rollup.rule.name} ({rollup.rule.source})")
        if preselect in rollup.allowed and preselect != stored:
            dialog.choose(preselect)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        value, rationale = dialog.value(), dialog.rationale_text()
        unchanged = before is not None and (value, rationale) == (before.value, before.rationale)
        if unchanged and rollup.stale is None:
            return
        if before is None and value is None:
            return
        self.page.say("")
        self.page.execute_edit(
            commands.set_ou_decision(self.page.document, row.key(""), value, rationale, before, self.page.note_edit)
        )

    def stored_override(self, row: GridRow) -> GoalOverride | None:
        """The goal decision stored in the file (used, stale or in conflict), for undo."""
        if self.page.document is None:
            return None
        return decisions.goal_overrides(self.page.document.workspace).get((row.model, row.pa, row.goal))

    def override_goal(self, row: GridRow) -> None:
        """The team's decision on a goal (significance, or lowering), with the rationale; or clearing it."""
        goal = self.page.model.goal_result(row.model, row.pa, row.goal)
        if goal is None or self.page.document is None:
            return
        before = self.stored_override(row)
        stored = (before.rating, before.rationale) if before else None
        if not has_choice(goal, stored):
            self.page.say(
                f"{row.pa} {row.code} is {goal.rating.value} ({goal.computed_rule.text.rstrip('.')}); the rules leave "
                "the team nothing to decide here."
            )
            return
        heading = f"{grid.place_name(row.model, row.pa)} {row.code} {row.title}"
        dialog = goal_decision_dialog(heading, goal, stored, self.page)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        rating, rationale = dialog.value(), dialog.rationale_text()
        unchanged = (rating, rationale if rating else "") == (
            (before.rating, before.rationale) if before else (None, "")
        )
        if unchanged and goal.stale is None:
            return  # a stale decision chosen again is re-confirmed on today's inputs
        self.page.execute_edit(
            commands.set_goal_override(
                self.page.document, row.model, row.pa, row.goal, rating, rationale, before, self.page.note_edit
            )
        )

    def reconfirm(self, row: GridRow) -> bool:
        """Re-confirm the stale decision on the row (R on the OU column): the same value and rationale, today."""
        if self.page.document is None:
            return False
        if row.kind is RowKind.GOAL:
            goal = self.page.model.goal_result(row.model, row.pa, row.goal)
            if goal is None or goal.stale is None or goal.decision is None:
                self.page.say(f"{row.pa} {row.code} has no stale decision to re-confirm.")
                return False
            before = self.stored_override(row)
            decision = goal.decision
            return self.page.execute_edit(
                commands.set_goal_override(
                    self.page.document,
                    row.model,
                    row.pa,
                    row.goal,
                    decision.rating.value,
                    decision.rationale,
                    before,
                    self.page.note_edit,
                )
            )
        if row.kind is RowKind.PRACTICE:
            result = self.page.model.practice_result(row.model, row.pa, row.practice)
            rollup = result.rollup if result is not None else None
            if rollup is None or rollup.stale is None or rollup.decision is None or rollup.proposed is None:
                self.page.say(f"{row.pa} {row.code} has no stale judgment to re-confirm.")
                return False
            stored = decisions.ou_decisions(self.page.document.workspace).get((row.model, row.pa, row.practice))
            command = commands.set_ou_decision(
                self.page.document,
                row.key(""),
                rollup.proposed.value,
                rollup.decision.rationale,
                stored,
                self.page.note_edit,
            )
            return self.page.execute_edit(command)
        return False
