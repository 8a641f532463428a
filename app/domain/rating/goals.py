"""Goal ratings (method-rules §3), with the reasons a team member would give for them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from app.domain.catalog import Goal
from app.domain.rating.coverage import CoverageGap
from app.domain.rating.decisions import goal_inputs, what_changed
from app.domain.rating.facts import GoalOverride
from app.domain.rating.results import GoalResult, PracticeResult
from app.domain.rating.rule_types import GoalInputs, Rule
from app.domain.rating.rules import (
    GOAL_DECISION_RULES,
    GOAL_DECISION_STALE,
    GOAL_NOT_APPLICABLE,
    GOAL_R1_NOT_CHARACTERIZED_OR_NY,
    GOAL_R2_COVERAGE,
    GOAL_R3_AWAITING_SIGNIFICANCE,
    GOAL_R3_SATISFIED,
    GOAL_TABLE,
    ROLLUP_INVALID_VALUE,
    ROLLUP_NO_INSTANTIATIONS,
)
from app.domain.rating.scales import GoalRating, Grade, Scale


def goal_gaps(goal: Goal, gaps: Sequence[CoverageGap]) -> list[CoverageGap]:
    """Gaps of this goal's practices, and gaps about its whole process area (no practice named)."""
    codes = {p.code for p in goal.practices}
    return [gap for gap in gaps if gap.pa is not None and (gap.practice is None or gap.practice in codes)]


def rate_goal(
    scale: Scale,
    goal: Goal,
    practices: Sequence[PracticeResult],
    gaps: Sequence[CoverageGap],
    *,
    excluded: bool = False,
    exclusion_reason: str = "",
    override: GoalOverride | None = None,
    subgroup_gaps: Sequence[CoverageGap] = (),
) -> GoalResult:
    """Rate one goal; `gaps` are the coverage gaps of its process area (filtered here to the goal) and
    `subgroup_gaps` the subgroup gaps that reach its process area (all count)."""
    mine = [*goal_gaps(goal, gaps), *subgroup_gaps]
    grades = tuple(None if p.ou is None else scale.grade(p.ou) for p in practices)
    inputs = GoalInputs(excluded, grades, len(mine))
    row = next(row for row in GOAL_TABLE if row.applies(inputs))
    reasons = _reasons(scale, row.rule, practices, mine, exclusion_reason)
    base = GoalResult(
        goal.code,
        goal.kind,
        row.rating,
        row.rule,
        reasons,
        tuple(practices),
        row.rating,
        row.rule,
        allowed=row.team_may,
        judgment_needed=row.decision_required,
        proposed=GoalRating.SATISFIED if row.decision_required else None,
    )
    if override is None:
        return base
    problem = decision_problem(base, override.rating)
    if problem is not None:
        return replace(base, conflict=f"The team recorded {override.rating.value} for {goal.code}, but {problem}")
    if not row.decision_required and override.rating is row.rating:
        return replace(base, decision=override)  # agrees with the rules: nothing to use or to go stale
    who = f" ({override.decided_by})" if override.decided_by else ""
    computed = f"Computed without the team's decision: {row.rating.value} ({row.rule.name})"
    current = goal_inputs(practices)
    if override.inputs != current:
        why = f"{GOAL_DECISION_STALE.name}: the team's {override.rating.value}{who} is stale: " + what_changed(
            override.inputs, current
        )
        return replace(
            base,
            rating=GoalRating.NOT_RATED,
            rule=GOAL_DECISION_STALE,
            reasons=(why, f"Re-confirm {override.rating.value} or decide again", computed, *reasons),
            judgment_needed=True,
            proposed=override.rating,
            decision=override,
            stale=why,
        )
    rule = GOAL_DECISION_RULES[override.rating]
    head = f"{rule.name}: the team rated {override.rating.value}{who}: {override.rationale.strip()}"
    return replace(
        base,
        rating=override.rating,
        rule=rule,
        reasons=(head, computed, *reasons),
        override=override,
        judgment_needed=False,
        proposed=None,
        decision=override,
    )


def decision_problem(goal: GoalResult, rating: GoalRating) -> str | None:
    """Why the rules do not let the team rate this goal `rating` (None when they do)."""
    if rating in goal.allowed:
        return None
    rule = goal.computed_rule
    if rating is GoalRating.NOT_APPLICABLE:
        return "Not Applicable comes only from excluding the process area in the plan."
    if rating is GoalRating.NOT_RATED:
        return "Not Rated is not a team decision: rules 1 and 2 decide it."
    if rule is GOAL_NOT_APPLICABLE:
        return f"the process area is excluded ({rule.name}): its goals are Not Applicable."
    if rule in (GOAL_R1_NOT_CHARACTERIZED_OR_NY, GOAL_R2_COVERAGE):
        return f"{rule.name} applies ({rule.text}): a team decision cannot rate this goal."
    return f"{rule.name} applies ({rule.text}): a team decision may only lower a goal the rules allow to be Satisfied."


def _values(practices: Sequence[PracticeResult]) -> str:
    return ", ".join(f"{p.code} {p.ou}" for p in practices)


def _reasons(
    scale: Scale, rule: Rule, practices: Sequence[PracticeResult], gaps: Sequence[CoverageGap], exclusion: str
) -> tuple[str, ...]:
    if rule is GOAL_NOT_APPLICABLE:
        return (f"{rule.name}: the process area is excluded" + (f" ({exclusion})" if exclusion else ""),)
    if rule is GOAL_R1_NOT_CHARACTERIZED_OR_NY:
        if not practices:
            return (f"{rule.name}: the goal has no practices to characterize",)
        open_ones = [_open_practice(scale, p) for p in practices if p.ou is None or scale.grade(p.ou) in _OPEN]
        return (f"{rule.name}: a practice is not characterized at OU level, or is NY", *open_ones)
    if rule is GOAL_R2_COVERAGE:
        return (f"{rule.name}: the evidence does not meet the coverage rules", *(g.missing for g in gaps))
    if rule is GOAL_R3_SATISFIED:
        return (f"{rule.name}: every practice is {scale.value_for(Grade.FULL)} at OU level ({_values(practices)})",)
    if rule is GOAL_R3_AWAITING_SIGNIFICANCE:
        head = (
            f"{rule.name}: every practice is {_full_or_large(scale)} at OU level ({_values(practices)}); the team "
            "decides whether the weaknesses are significant (proposed: Satisfied)"
        )
        return (head, *_weaknesses(practices))
    failing = [p for p in practices if p.ou is not None and scale.grade(p.ou) in (Grade.PARTIAL, Grade.NOT_MET)]
    head = f"{rule.name}: {_values(failing)} at OU level"
    return (head, *_weaknesses(failing), *_decisions(failing))


_OPEN = (Grade.NOT_YET, Grade.NOT_CHARACTERIZED)


def _full_or_large(scale: Scale) -> str:
    return f"{scale.value_for(Grade.FULL)} or {scale.value_for(Grade.LARGE)}"


def _open_practice(scale: Scale, practice: PracticeResult) -> str:
    rollup = practice.rollup
    if rollup.value is not None:
        return f"{practice.code} is {rollup.value} ({scale.label(rollup.value)}) at OU level"
    if rollup.stale is not None:
        return f"{practice.code} awaits the team's judgment again ({rollup.rule.name}). {rollup.stale}"
    if rollup.rule is ROLLUP_INVALID_VALUE:
        broken = [f"{i.unit}: {' '.join(i.problems)}" for i in practice.instantiations if i.problems]
        return f"{practice.code} has a value that breaks a value rule ({rollup.rule.name}): {'; '.join(broken)}"
    if rollup.judgment_needed:
        text = f"{practice.code} awaits the team's judgment among {', '.join(rollup.allowed)} ({rollup.rule.name})"
    elif rollup.rule is ROLLUP_NO_INSTANTIATIONS:
        text = f"{practice.code}: no sampled unit implements it"
    else:
        units = [i.unit for i in practice.instantiations if i.value is None]
        text = f"{practice.code} is not characterized in {', '.join(units)}"
    return text + (f". {rollup.conflict}" if rollup.conflict else "")


def _weaknesses(practices: Sequence[PracticeResult]) -> list[str]:
    return [
        f"Weakness {p.code} / {i.unit}: {i.weakness.strip()}"
        for p in practices
        for i in p.instantiations
        if i.weakness.strip()
    ]


def _decisions(practices: Sequence[PracticeResult]) -> list[str]:
    return [
        f"Team judgment {p.code} = {p.ou}: {p.rollup.decision.rationale.strip()}"
        for p in practices
        if p.rollup.decision is not None
    ]
