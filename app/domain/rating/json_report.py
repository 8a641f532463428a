"""Ratings as JSON-ready data (schema in docs/ratings-json.md) and as a plain-text table for the CLI."""

from __future__ import annotations

from typing import Any

from app.domain.rating.coverage import CoverageGap
from app.domain.rating.facts import GoalOverride, OuDecision
from app.domain.rating.results import GoalResult, MaturityResult, PracticeResult, ProcessAreaResult, RatingResult
from app.domain.rating.rules import ROLLUP_INVALID_VALUE

JSON_SCHEMA_VERSION = 1


def result_to_json(result: RatingResult) -> dict[str, Any]:
    """A dict of str/int/bool/None/list/dict only, ready for `json.dumps`."""
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "scale": result.scale.value,
        "target_maturity_level": result.target_maturity_level,
        "maturity_level": result.maturity.level,
        "maturity": _maturity(result.maturity),
        "equivalent_staging": _maturity(result.equivalent_staging),
        "process_areas": [_process_area(pa) for pa in result.process_areas],
        "coverage_gaps": [_gap(gap) for gap in result.coverage_gaps],
        "attribution_flags": [
            {"location": f.location, "term": f.term, "kind": f.kind.value} for f in result.attribution_flags
        ],
    }


def _maturity(maturity: MaturityResult) -> dict[str, Any]:
    return {
        "level": maturity.level,
        "model": maturity.model,
        "rule": maturity.rule.name,
        "reasons": list(maturity.reasons),
    }


def _process_area(pa: ProcessAreaResult) -> dict[str, Any]:
    return {
        "model": pa.key.model,
        "pa": pa.key.pa,
        "name": pa.name,
        "excluded": pa.excluded,
        "capability_level": pa.capability.level,
        "target_capability_level": pa.target_capability_level,
        "capability_rule": pa.capability.rule.name,
        "capability_note": pa.capability.note,
        "staged_rating": pa.staged.rating.value if pa.staged else None,
        "goals": [_goal(goal) for goal in pa.goals],
    }


def _goal(goal: GoalResult) -> dict[str, Any]:
    return {
        "id": goal.code,
        "kind": goal.kind.value,
        "rating": goal.rating.value,
        "computed_rating": goal.computed_rating.value,
        "overridden": goal.overridden,
        "rule": goal.rule.name,
        "reasons": list(goal.reasons),
        "judgment_needed": goal.judgment_needed,
        "proposed": goal.proposed.value if goal.proposed is not None else None,
        "decision": (
            _decision(goal.decision.rating.value, goal.decision, goal.stale is not None)
            if goal.decision is not None
            else None
        ),
        "conflict": goal.conflict,
        "practices": [_practice(practice) for practice in goal.practices],
    }


def _decision(value: str, decision: OuDecision | GoalOverride, stale: bool) -> dict[str, Any]:
    return {
        "value": value,
        "rationale": decision.rationale,
        "decided_by": decision.decided_by,
        "decided_at": decision.decided_at.isoformat(timespec="seconds") if decision.decided_at else None,
        "stale": stale,
    }


def _practice(practice: PracticeResult) -> dict[str, Any]:
    rollup = practice.rollup
    return {
        "id": practice.code,
        "ou": rollup.value.value if rollup.value is not None else None,
        "judgment_needed": rollup.judgment_needed,
        "allowed": [value.value for value in rollup.allowed],
        "rule": rollup.rule.name,
        "decision": (
            _decision(rollup.decision.value, rollup.decision, rollup.stale is not None) if rollup.decision else None
        ),
        "conflict": rollup.conflict,
        "instantiations": {i.unit: i.value.value if i.value is not None else None for i in practice.instantiations},
        "proposals": {i.unit: i.proposal.value.value for i in practice.instantiations},
        "problems": {i.unit: list(i.problems) for i in practice.instantiations if i.problems},
    }


def _gap(gap: CoverageGap) -> dict[str, Any]:
    return {
        "model": gap.model,
        "pa": gap.pa,
        "practice": gap.practice,
        "unit": gap.unit,
        "missing": gap.missing,
        "rule": gap.rule.name,
        "subgroup": gap.subgroup,
    }


def result_to_text(result: RatingResult) -> str:
    """A readable summary: one block per process area, goals with their practices, then levels and gaps."""
    lines = [f"Ratings ({result.scale.display_name} scale)", ""]
    for pa in result.process_areas:
        lines += _pa_lines(pa)
    lines.append(_level_line("Maturity level", result.maturity))
    lines.append(_level_line("Equivalent staging", result.equivalent_staging))
    if result.coverage_gaps:
        lines += ["", f"Coverage gaps ({len(result.coverage_gaps)}):"]
        lines += [f"  - {gap.missing}" for gap in result.coverage_gaps]
    if result.attribution_flags:
        lines += ["", f"Non-attribution flags ({len(result.attribution_flags)}):"]
        lines += [f"  - {f.location}: {f.kind.value} name '{f.term}'" for f in result.attribution_flags]
    return "\n".join(lines) + "\n"


def _pa_lines(pa: ProcessAreaResult) -> list[str]:
    level = "N/A" if pa.excluded else ("Not Rated" if pa.capability.level is None else f"CL{pa.capability.level}")
    target = f" (target CL{pa.target_capability_level})" if pa.target_capability_level is not None else ""
    staged = f"  staged: {pa.staged.rating.value}" if pa.staged else ""
    lines = [f"{pa.key.model} {pa.key.pa}  {pa.name}  {level}{target}{staged}"]
    if pa.capability.note:
        lines.append(f"    {pa.capability.note}")
    for goal in pa.goals:
        flag = _goal_flag(goal)
        lines.append(f"  {goal.code:<8} {goal.rating.value:<15} {goal.rule.name}{flag}")
        for practice in goal.practices:
            ou = practice.ou.value if practice.ou is not None else ("?" if practice.judgment_needed else "-")
            cells = "  ".join(f"{i.unit}={i.value.value if i.value else '-'}" for i in practice.instantiations)
            choose = f"  choose: {'/'.join(practice.allowed)}" if practice.judgment_needed else ""
            if practice.rollup.stale:
                choose += f"  STALE (was {practice.rollup.decision.value if practice.rollup.decision else '?'})"
            elif practice.rollup.conflict:
                choose += "  CONFLICT"
            if practice.rollup.rule is ROLLUP_INVALID_VALUE:
                choose += "  a value breaks a rule (see problems)"
            lines.append(f"    {practice.code:<8} OU {ou:<3} {cells}{choose}")
    lines.append("")
    return lines


def _goal_flag(goal: GoalResult) -> str:
    if goal.stale is not None:
        return f"  STALE decision (re-confirm {goal.proposed.value if goal.proposed else '?'})"
    if goal.conflict is not None:
        return "  CONFLICT: " + goal.conflict
    if goal.judgment_needed:
        return "  decide: significant weaknesses? (proposed Satisfied)"
    return "  (team decision)" if goal.overridden else ""


def _level_line(label: str, maturity: MaturityResult) -> str:
    value = "not rated" if maturity.level is None else f"ML{maturity.level}"
    why = "; ".join(maturity.reasons)
    return f"{label}: {value} ({maturity.rule.name}{': ' + why if why else ''})"
