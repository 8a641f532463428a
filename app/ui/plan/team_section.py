"""The Team and mini-teams sections: who appraises, and which mini-team covers which process areas."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from app.domain.plan import TEAM_ROLES, MiniTeamPlan, PaKey, Plan, TeamMemberPlan
from app.domain.plan_data import remove_member, rename_member, replace_item
from app.ui.plan.checklist_dialog import ChecklistDialog, Choice
from app.ui.plan.editor import Edit, PlanEditor
from app.ui.plan.scope_section import scope_choices
from app.ui.plan.table import Column, ColumnKind
from app.ui.plan.table_section import TableSection
from app.ui.plan.wording import pa_summary

NAME, ROLE, ORGANIZATION = range(3)
MEMBERS, AREAS = 1, 2


class TeamSection(TableSection):
    prefixes = ("team",)
    noun = "team member"

    def __init__(self, editor: PlanEditor, parent: QWidget | None = None) -> None:
        super().__init__(
            "&Team",
            editor,
            [
                Column("Name", "name", ColumnKind.TEXT, 240),
                Column("Role", "role", ColumnKind.CHOICE, 120),
                Column("Organization", "organization", ColumnKind.TEXT),
            ],
            parent=parent,
        )

    def items(self, plan: Plan) -> Sequence[Any]:
        return plan.team

    def cell(self, plan: Plan, row: int, col: int) -> tuple[str, Any]:
        member = plan.team[row]
        if col == NAME:
            return member.name, member.name
        if col == ROLE:
            return member.role.capitalize(), member.role
        return member.organization, member.organization

    def draft_cells(self) -> list[tuple[str, Any]]:
        return [("", ""), ("Member", "member"), ("", "")]

    def choices(self, plan: Plan, row: int, col: int) -> list[tuple[str, Any]]:  # noqa: ARG002 - roles are fixed
        return [(role.capitalize(), role) for role in TEAM_ROLES]

    def edit(self, plan: Plan, row: int, col: int, value: Any) -> Edit | None:
        member = plan.team[row]
        key = f"{self.row_path(plan, row)}.{self.table.columns[col].field}"
        if col == NAME:
            new = str(value).strip()
            return Edit(key, f"Rename {member.name} to {new}", lambda p: rename_member(p, p.team[row].name, new))
        changes: dict[str, Any] = {"role": value} if col == ROLE else {"organization": value}
        text = f"Make {member.name} {value}" if col == ROLE else f"Edit organization of {member.name}"
        return Edit(key, text, lambda p: replace_item(p, "team", row, replace(p.team[row], **changes)))

    def added(self, values: list[Any]) -> Edit:
        name = str(values[NAME] or "").strip()
        member = TeamMemberPlan(name, values[ROLE] or "member", str(values[ORGANIZATION] or ""))
        return Edit(
            self.add_key, f"Add team member {name}", lambda p: replace(p, team=(*p.team, member)), structural=True
        )

    def removed(self, plan: Plan, row: int) -> Edit:
        name = plan.team[row].name
        minis = [mt.name for mt in plan.mini_teams if name in mt.members]
        also = f" (and from the mini-teams {', '.join(minis)})" if minis else ""
        return Edit(
            self.remove_key,
            f"Remove team member {name}",
            lambda p: remove_member(p, name),
            removal=f"{name} from the team{also}",
            structural=True,
        )


class MiniTeamsSection(TableSection):
    prefixes = ("mini_teams",)
    noun = "mini-team"

    def __init__(self, editor: PlanEditor, parent: QWidget | None = None) -> None:
        super().__init__(
            "Mini-teams",
            editor,
            [
                Column("Mini-team", "name", ColumnKind.TEXT, 180),
                Column("Members", "members", ColumnKind.DIALOG, 330, "F2 or double click chooses them"),
                Column("Process areas", "process_areas", ColumnKind.DIALOG, 0, "F2 or double click chooses them"),
            ],
            intro="A mini-team characterizes its process areas; the whole team then reaches consensus.",
            parent=parent,
        )
        self.keys.setText("Enter adds a row · Del removes · F2 edits a cell or chooses")

    def items(self, plan: Plan) -> Sequence[Any]:
        return plan.mini_teams

    def cell(self, plan: Plan, row: int, col: int) -> tuple[str, Any]:
        team = plan.mini_teams[row]
        if col == NAME:
            return team.name, team.name
        if col == MEMBERS:
            return ", ".join(team.members) or "—", team.members
        return pa_summary(team.process_areas, [e.pa for e in plan.scope]) or "—", team.process_areas

    def draft_cells(self) -> list[tuple[str, Any]]:
        return [("", ""), ("—", ()), ("—", ())]

    def choose(self, plan: Plan, row: int, col: int, current: Any) -> tuple[str, Any] | None:
        name_item = self.table.item(row, NAME)
        name = name_item.text() if name_item is not None else ""
        if col == MEMBERS:
            choices = [Choice(m.name, m.name, "", m.role, m.organization) for m in plan.team]
            prompt = "Check the team members of this mini-team."
        else:
            choices = scope_choices(plan, self.editor.catalog)
            prompt = "Check the process areas this mini-team characterizes."
        dialog = ChecklistDialog(f"{self.table.columns[col].header} of {name or 'the new mini-team'}", prompt,
                                 choices, tuple(current or ()), parent=self)  # fmt: skip
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        chosen = tuple(dialog.chosen())
        if col == MEMBERS:
            return ", ".join(chosen) or "—", chosen
        keys: tuple[PaKey, ...] = chosen
        return pa_summary(keys, [e.pa for e in plan.scope]) or "—", keys

    def edit(self, plan: Plan, row: int, col: int, value: Any) -> Edit | None:
        team = plan.mini_teams[row]
        key = f"{self.row_path(plan, row)}.{self.table.columns[col].field}"
        if col == NAME:
            changes: dict[str, Any] = {"name": str(value).strip()}
            text = f"Rename mini-team {team.name} to {str(value).strip()}"
        elif col == MEMBERS:
            changes, text = {"members": tuple(value or ())}, f"Choose members of {team.name}"
        else:
            changes, text = {"process_areas": tuple(value or ())}, f"Choose process areas of {team.name}"
        return Edit(key, text, lambda p: replace_item(p, "mini_teams", row, replace(p.mini_teams[row], **changes)))

    def added(self, values: list[Any]) -> Edit:
        name = str(values[NAME] or "").strip()
        team = MiniTeamPlan(name, tuple(values[MEMBERS] or ()), tuple(values[AREAS] or ()))
        return Edit(
            self.add_key,
            f"Add mini-team {name}",
            lambda p: replace(p, mini_teams=(*p.mini_teams, team)),
            structural=True,
        )

    def removed(self, plan: Plan, row: int) -> Edit:
        name = plan.mini_teams[row].name
        return Edit(
            self.remove_key,
            f"Remove mini-team {name}",
            lambda p: replace(p, mini_teams=tuple(m for m in p.mini_teams if m.name != name)),
            removal=f"the mini-team “{name}”",
            structural=True,
        )
