"""Capability levels per process area, staged PA ratings, maturity level and equivalent staging (§4)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.domain.catalog import Catalog, GoalKind, Model, ProcessArea
from app.domain.plan import PaKey
from app.domain.rating.facts import ScopeItem
from app.domain.rating.results import CapabilityResult, GoalResult, MaturityResult, ProcessAreaResult, StagedRating
from app.domain.rating.rules import (
    CAPABILITY_TABLE,
    CL_0_INCOMPLETE,
    CL_NOT_APPLICABLE,
    CL_NOT_RATED,
    EQUIV_ML1,
    EQUIV_NOT_RATED,
    EQUIV_SCOPE_INCOMPLETE,
    EQUIVALENT_STAGING_TABLE,
    MATURITY_TABLE,
    ML_1_INITIAL,
    ML_NO_STAGED_MODEL,
    ML_NOT_RATED,
    ML_NOT_REQUESTED,
    ML_SCOPE_INCOMPLETE,
)
from app.domain.rating.scales import GoalRating

_OK = (GoalRating.SATISFIED, GoalRating.NOT_APPLICABLE)


def _codes(goals: Sequence[GoalResult]) -> str:
    return ", ".join(g.code for g in goals)


def capability_level(excluded: bool, goals: Sequence[GoalResult], max_level: int = 3) -> CapabilityResult:
    """Highest level whose goals and all lower levels' goals are Satisfied (§4.3).

    Levels above the highest rated generic goal are not assessed. A Not Applicable goal does not block.
    """
    if excluded:
        return CapabilityResult(None, CL_NOT_APPLICABLE, "Not Applicable: the process area is excluded", None)
    level, rule, note = 0, CL_0_INCOMPLETE, ""
    for row in CAPABILITY_TABLE:
        if row.level > max_level:
            break
        if row.generic_goal is None:
            needed = [g for g in goals if g.kind is GoalKind.SPECIFIC]
        else:
            needed = [g for g in goals if g.code == row.generic_goal]
            if not needed:
                note = f"CL{level} is the highest level rated here ({row.generic_goal} is not rated for its target)"
                break
        unsatisfied = [g for g in needed if g.rating is GoalRating.UNSATISFIED]
        if unsatisfied:
            note = f"CL{level}; CL{row.level} not reached: {_codes(unsatisfied)} Unsatisfied"
            break
        not_rated = [g for g in needed if g.rating not in _OK]
        if not_rated:
            return CapabilityResult(
                None,
                CL_NOT_RATED,
                f"Not Rated: {_codes(not_rated)} Not Rated; last fully rated level CL{level}",
                level,
            )
        level, rule, note = row.level, row.rule, row.rule.text
    return CapabilityResult(level, rule, note, level)


def staged_pa_rating(excluded: bool, goals: Sequence[GoalResult], generic_goals: Sequence[str]) -> StagedRating:
    """§4.1: Satisfied when every specific goal and every generic goal the maturity level needs is."""
    if excluded:
        return StagedRating(GoalRating.NOT_APPLICABLE, ("the process area is excluded",))
    needed = [g for g in goals if g.kind is GoalKind.SPECIFIC]
    absent = [code for code in generic_goals if not any(g.code == code for g in goals)]
    needed += [g for g in goals if g.code in generic_goals]
    unsatisfied = [g for g in needed if g.rating is GoalRating.UNSATISFIED]
    if unsatisfied:
        return StagedRating(GoalRating.UNSATISFIED, (f"{_codes(unsatisfied)} Unsatisfied",))
    not_rated = [g.code for g in needed if g.rating not in _OK] + [f"{code} (not rated here)" for code in absent]
    if not_rated:
        return StagedRating(GoalRating.NOT_RATED, (f"{', '.join(not_rated)} Not Rated",))
    return StagedRating(GoalRating.SATISFIED, (f"specific goals and {', '.join(generic_goals)} Satisfied",))


def staged_model(catalog: Catalog, scope: Sequence[ScopeItem]) -> Model | None:
    """The first model in scope that has maturity levels (CMMI-SVC); SM and CERT-RMM have none."""
    for item in scope:
        model = catalog.model(item.model)
        # A catalog that gives no process area a maturity level cannot rate one, whatever its flag says.
        if model is not None and model.has_maturity_levels and any(pa.maturity_level for pa in model.process_areas):
            return model
    return None


def _in_scope(model: Model, scope: Sequence[ScopeItem]) -> dict[str, PaKey]:
    """Canonical acronym -> the scope key used for it (the scope may use an alias)."""
    found: dict[str, PaKey] = {}
    for item in scope:
        area = model.process_area(item.pa) if item.model == model.key else None
        if area is not None:
            found[area.acronym] = item.key
    return found


def _areas_up_to(model: Model, level: int) -> list[ProcessArea]:
    return [pa for pa in model.process_areas if pa.maturity_level is not None and pa.maturity_level <= level]


def _missing(model: Model, level: int, scoped: Mapping[str, PaKey]) -> list[str]:
    # An addition (SSD) left out of scope is Not Applicable rather than missing.
    return [pa.acronym for pa in _areas_up_to(model, level) if pa.acronym not in scoped and not pa.addition]


def maturity_level(
    catalog: Catalog,
    scope: Sequence[ScopeItem],
    results: Mapping[PaKey, ProcessAreaResult],
    target: int | None,
) -> MaturityResult:
    """The staged maturity level (§4.2), rated up to the appraisal's target."""
    if target is None:
        return MaturityResult(None, ML_NOT_REQUESTED, ("no target maturity level: only capability levels are rated",))
    model = staged_model(catalog, scope)
    if model is None:
        return MaturityResult(None, ML_NO_STAGED_MODEL, (ML_NO_STAGED_MODEL.text,))
    scoped = _in_scope(model, scope)
    missing = _missing(model, target, scoped)
    if missing:
        reason = f"ML{target} needs {', '.join(missing)} in scope"
        return MaturityResult(None, ML_SCOPE_INCOMPLETE, (reason,), model.key)
    level, rule, reasons = 1, ML_1_INITIAL, [ML_1_INITIAL.text]
    for row in MATURITY_TABLE:
        if row.level > target:
            break
        ratings = {
            pa.acronym: staged_pa_rating(
                results[scoped[pa.acronym]].excluded, results[scoped[pa.acronym]].goals, row.generic_goals
            )
            for pa in _areas_up_to(model, row.level)
            if pa.acronym in scoped
        }
        unsatisfied = [f"{pa} ({r.reasons[0]})" for pa, r in ratings.items() if r.rating is GoalRating.UNSATISFIED]
        if unsatisfied:
            reasons.append(f"ML{row.level} not reached: {'; '.join(unsatisfied)} Unsatisfied")
            break
        not_rated = [f"{pa} ({r.reasons[0]})" for pa, r in ratings.items() if r.rating is GoalRating.NOT_RATED]
        if not_rated:
            return MaturityResult(
                None,
                ML_NOT_RATED,
                (f"ML{row.level} not rated: {'; '.join(not_rated)}", f"last fully rated level ML{level}"),
                model.key,
            )
        level, rule, reasons = row.level, row.rule, [row.rule.text]
    return MaturityResult(level, rule, tuple(reasons), model.key)


def equivalent_staging(
    catalog: Catalog, scope: Sequence[ScopeItem], results: Mapping[PaKey, ProcessAreaResult]
) -> MaturityResult:
    """The maturity level a capability profile is equivalent to (§4.3), as far as the scope allows."""
    model = staged_model(catalog, scope)
    if model is None:
        return MaturityResult(None, ML_NO_STAGED_MODEL, (ML_NO_STAGED_MODEL.text,))
    scoped = _in_scope(model, scope)
    level, rule, reasons = 1, EQUIV_ML1, [EQUIV_ML1.text]
    for row in EQUIVALENT_STAGING_TABLE:
        missing = _missing(model, row.pa_levels_up_to, scoped)
        if missing:
            reason = f"equivalent ML{row.level} needs {', '.join(missing)} in scope"
            if row.level == EQUIVALENT_STAGING_TABLE[0].level:
                return MaturityResult(None, EQUIV_SCOPE_INCOMPLETE, (reason,), model.key)
            reasons.append(reason)
            break
        capability = {
            pa.acronym: results[scoped[pa.acronym]].capability
            for pa in _areas_up_to(model, row.pa_levels_up_to)
            if pa.acronym in scoped and not results[scoped[pa.acronym]].excluded
        }
        below = [
            f"{pa} CL{c.level}"
            for pa, c in capability.items()
            if c.level is not None and c.level < row.capability_level
        ]
        if below:
            reasons.append(f"equivalent ML{row.level} not reached (needs CL{row.capability_level}): {', '.join(below)}")
            break
        unrated = [pa for pa, c in capability.items() if c.level is None]
        if unrated:
            return MaturityResult(
                None,
                EQUIV_NOT_RATED,
                (
                    f"equivalent ML{row.level} not rated: {', '.join(unrated)} Not Rated",
                    f"last fully rated level ML{level}",
                ),
                model.key,
            )
        level, rule, reasons = row.level, row.rule, [row.rule.text]
    return MaturityResult(level, rule, tuple(reasons), model.key)
