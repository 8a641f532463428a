"""Undoable characterization edits: a cell's state, its review mark, a team judgment, a goal override.

Each command names exactly what it touched so the live ratings follow incrementally, and calls `edited`
after every apply or revert (redo and undo too) with the cells it wrote, so the grid re-reads only those.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from app.domain.rating.facts import GoalKey, InstantiationKey, PracticeKey
from app.services import characterize as ch
from app.services import decisions, grid_edits
from app.services.characterize import CellKey, CellState
from app.services.decisions import GoalOverride, OuDecision
from app.ui.shell.commands import ServiceCommand
from app.ui.shell.document import Change, Document, Touched

Edited = Callable[[Sequence[CellKey]], None]
"""Told which cells an apply or revert just wrote (empty for judgments and overrides)."""


def _instantiation(key: CellKey) -> InstantiationKey:
    return InstantiationKey(key.model, key.pa, key.practice, key.unit)


def _cell_text(key: CellKey, before: CellState, after: CellState) -> str:
    where = f"{key.pa} {key.practice} in {key.unit}"
    if before.value != after.value and (before.strengths, before.weaknesses, before.notes) == (
        after.strengths,
        after.weaknesses,
        after.notes,
    ):
        return f"Set {where} to {after.value}" if after.value else f"Clear {where}"
    return f"Edit {where}"


def set_cell(document: Document, key: CellKey, before: CellState, after: CellState, edited: Edited) -> ServiceCommand:
    ws = document.workspace

    def write(state: CellState, expected: CellState) -> None:
        try:
            ch.set_cell(ws, key, state, expected=expected)
        finally:
            edited([key])  # written, or refused as stale: either way the grid shows what the file holds

    return ServiceCommand(
        document,
        _cell_text(key, before, after),
        lambda: write(after, before),
        lambda: write(before, after),
        Change.CHARACTERIZATION,
        touched=Touched.of(cells=[_instantiation(key)]),
    )


def set_cells(
    document: Document,
    befores: Mapping[CellKey, CellState],
    afters: Mapping[CellKey, CellState],
    text: str,
    edited: Edited,
) -> ServiceCommand:
    """Several cells written (and undone) together: one transaction, one undo step."""
    ws = document.workspace

    def write(states: Mapping[CellKey, CellState], expected: Mapping[CellKey, CellState]) -> None:
        try:
            ch.set_cells(ws, states, expected=expected)
        finally:
            edited(list(states))

    return ServiceCommand(
        document,
        text,
        lambda: write(afters, befores),
        lambda: write(befores, afters),
        Change.CHARACTERIZATION,
        touched=Touched.of(cells=[_instantiation(k) for k in afters]),
    )


def set_review_flag(
    document: Document, key: CellKey, flag: bool, comment: str, before: tuple[bool, str], edited: Edited
) -> ServiceCommand:
    ws = document.workspace

    def write(flag: bool, comment: str, expected: tuple[bool, str]) -> None:
        try:
            grid_edits.set_review_flag(ws, key, flag, comment, expected=expected)
        finally:
            edited([key])

    where = f"{key.pa} {key.practice} in {key.unit}"
    mark = (flag, comment.strip() if flag else "")
    return ServiceCommand(
        document,
        f"Mark {where} for review" if flag else f"Unmark {where}",
        lambda: write(flag, comment, before),
        lambda: write(*before, mark),
        Change.CHARACTERIZATION,
        touched=Touched.of(cells=[_instantiation(key)]),
    )


def set_ou_decision(
    document: Document,
    practice: CellKey,
    value: str | None,
    rationale: str,
    before: OuDecision | None,
    edited: Edited,
) -> ServiceCommand:
    """`practice` names the practice (its unit is ignored): the team's OU value with its rationale."""
    ws = document.workspace
    m, pa, goal, code = practice.model, practice.pa, practice.goal, practice.practice

    def write() -> None:
        try:
            decisions.set_ou_decision(ws, m, pa, goal, code, value, rationale, expected=before)
        finally:
            edited([])

    def revert() -> None:
        decisions.restore_ou_decision(ws, m, pa, goal, code, before)
        edited([])

    return ServiceCommand(
        document,
        f"Team judgment {pa} {code} = {value}" if value else f"Clear the team judgment of {pa} {code}",
        write,
        revert,
        Change.JUDGMENT,
        touched=Touched.of(practices=[PracticeKey(m, pa, code)]),
    )


def set_goal_override(
    document: Document,
    model: str,
    pa: str,
    goal: str,
    rating: str | None,
    rationale: str,
    before: GoalOverride | None,
    edited: Edited,
) -> ServiceCommand:
    ws = document.workspace

    def write() -> None:
        try:
            decisions.set_goal_override(ws, model, pa, goal, rating, rationale, expected=before)
        finally:
            edited([])

    def revert() -> None:
        decisions.restore_goal_override(ws, model, pa, goal, before)
        edited([])

    return ServiceCommand(
        document,
        f"Team decision {pa} {goal}: {rating}" if rating else f"Clear the team decision on {pa} {goal}",
        write,
        revert,
        Change.JUDGMENT,
        touched=Touched.of(goals=[GoalKey(model, pa, goal)]),
    )
