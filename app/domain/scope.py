"""Which goals and practices of a process area are rated, and so which instantiations exist."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.catalog import Catalog, Goal, GoalKind, Practice, ProcessArea


@dataclass(frozen=True, slots=True)
class RatedPractice:
    goal: Goal
    practice: Practice

    @property
    def generic(self) -> bool:
        return self.goal.kind is GoalKind.GENERIC


def rated_generic_goal_codes(target_capability_level: int | None, target_maturity_level: int | None) -> tuple[str, ...]:
    """GG2 and GG3 are characterized practice by practice when the target needs them.

    GG1 ("perform the specific practices") is achieved exactly when the specific goals are, so it is
    never characterized on its own. A capability-level target decides; otherwise the staged target:
    GG2 for ML2, GG2 and GG3 from ML3 (also for the ML2 process areas).
    """
    if target_capability_level is not None:
        level = target_capability_level
    elif target_maturity_level is not None:
        level = 3 if target_maturity_level >= 3 else 2
    else:
        level = 1
    return tuple(code for code, needed in (("GG2", 2), ("GG3", 3)) if level >= needed)


def rated_practices(
    catalog: Catalog,
    model_key: str,
    area: ProcessArea,
    target_capability_level: int | None,
    target_maturity_level: int | None,
) -> list[RatedPractice]:
    """The specific practices of `area`, then the generic practices its target calls for."""
    result = [RatedPractice(goal, practice) for goal in area.goals for practice in goal.practices]
    model = catalog.model(model_key)
    if model is None:
        return result
    wanted = rated_generic_goal_codes(target_capability_level, target_maturity_level)
    for goal in catalog.generic_goals_for(model):
        if goal.code in wanted:
            result.extend(RatedPractice(goal, practice) for practice in goal.practices)
    return result
