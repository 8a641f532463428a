"""The team decisions still to take, read off a `RatingResult`: the work the Ratings page, the Overview and a
worklist show (method-rules §3 tool implications).

A decision is open when the rules wait for the team (a practice judgment, a goal's rule-3 significance), when a
decision the team took is stale (its inputs changed), or when a stored decision breaks the rules (conflict).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from app.domain.rating.results import ProcessAreaResult, RatingResult


class OpenState(StrEnum):
    PENDING = "pending"
    """The rules leave it to the team and the team has not decided."""
    STALE = "stale"
    """The team decided on inputs that have since changed; one key re-confirms it."""
    CONFLICT = "conflict"
    """A stored decision the rules do not allow; it is not used."""


@dataclass(frozen=True, slots=True)
class OpenDecision:
    """A decision the team still has to make."""

    model: str
    pa: str
    goal: str
    practice: str | None
    """None for a decision on the goal itself."""
    state: OpenState
    proposed: str | None
    """What to choose (the rules' proposal or the stale decision's value), when there is one."""
    why: str

    @property
    def code(self) -> str:
        return self.practice or self.goal


def _of_area(area: ProcessAreaResult) -> Iterable[OpenDecision]:
    model, pa = area.key.model, area.key.pa
    for goal in area.goals:
        for practice in goal.practices:
            rollup = practice.rollup
            proposed = rollup.proposed.value if rollup.proposed is not None else None
            if rollup.stale is not None:
                yield OpenDecision(model, pa, goal.code, practice.code, OpenState.STALE, proposed, rollup.stale)
            elif rollup.judgment_needed:
                why = f"{rollup.rule.name}: the team chooses among {', '.join(rollup.allowed)}"
                yield OpenDecision(model, pa, goal.code, practice.code, OpenState.PENDING, None, why)
            if rollup.conflict is not None:
                yield OpenDecision(model, pa, goal.code, practice.code, OpenState.CONFLICT, None, rollup.conflict)
        proposed = goal.proposed.value if goal.proposed is not None else None
        if goal.stale is not None:
            yield OpenDecision(model, pa, goal.code, None, OpenState.STALE, proposed, goal.stale)
        elif goal.judgment_needed:
            yield OpenDecision(model, pa, goal.code, None, OpenState.PENDING, proposed, goal.computed_rule.text)
        if goal.conflict is not None:
            yield OpenDecision(model, pa, goal.code, None, OpenState.CONFLICT, None, goal.conflict)


def open_decisions(result: RatingResult | ProcessAreaResult) -> tuple[OpenDecision, ...]:
    """Every open decision, in scope and model order."""
    areas = result.process_areas if isinstance(result, RatingResult) else (result,)
    return tuple(d for area in areas for d in _of_area(area))


def describe_open(decisions: Iterable[OpenDecision]) -> str:
    """'3 awaiting the team, 1 stale, 1 in conflict' (empty when nothing is open)."""
    found = list(decisions)
    parts = []
    for state, words in (
        (OpenState.PENDING, "awaiting the team"),
        (OpenState.STALE, "stale (re-confirm with R)"),
        (OpenState.CONFLICT, "in conflict with the rules"),
    ):
        count = sum(1 for d in found if d.state is state)
        if count:
            parts.append(f"{count} {words}")
    return ", ".join(parts)
