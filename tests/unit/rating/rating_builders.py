"""Tiny catalogs and appraisal facts for the rating tests, built straight from the dataclasses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from app.domain.catalog import Catalog, Goal, GoalKind, Model, ModelKind, Practice, ProcessArea
from app.domain.plan import PaKey, UnitKind
from app.domain.rating import (
    AppraisalFacts,
    FindingText,
    GoalOverride,
    GoalResult,
    InstantiationFact,
    InstantiationKey,
    OuDecision,
    PracticeResult,
    ProcessAreaResult,
    RatingEngine,
    RatingResult,
    Scale,
    ScopeItem,
    UnitFact,
)

SVC = "CMMI-SVC"

# CMMI-SVC v1.3 process areas by maturity level (method-rules §4.4); SSD is the optional addition.
SVC_LEVELS: dict[str, int] = {
    **dict.fromkeys(("CM", "MA", "PPQA", "REQM", "SAM", "SD", "WMC", "WP"), 2),
    **dict.fromkeys(("CAM", "DAR", "IRP", "IWM", "OPD", "OPF", "OT", "RSKM", "SCON", "SSD", "SST", "STSM"), 3),
    **dict.fromkeys(("OPP", "QWM"), 4),
    **dict.fromkeys(("CAR", "OPM"), 5),
}


def generic_goals() -> tuple[Goal, ...]:
    def goal(code: str, gps: Iterable[str]) -> Goal:
        return Goal(code, f"Generic goal {code}", GoalKind.GENERIC, tuple(Practice(gp, f"GP {gp}") for gp in gps))

    return (goal("GG1", ["GP1.1"]), goal("GG2", ["GP2.1", "GP2.2"]), goal("GG3", ["GP3.1"]))


def area(acronym: str, goals: Mapping[str, Iterable[str]] | None = None, level: int | None = None) -> ProcessArea:
    goals = goals if goals is not None else {"SG1": ["SP1.1"]}
    return ProcessArea(
        acronym,
        f"{acronym} area",
        "Category",
        tuple(
            Goal(code, f"Goal {code}", GoalKind.SPECIFIC, tuple(Practice(sp, f"Practice {sp}") for sp in sps))
            for code, sps in goals.items()
        ),
        maturity_level=level,
        addition=acronym == "SSD",
    )


def svc_model(overrides: Mapping[str, ProcessArea] | None = None) -> Model:
    """Every CMMI-SVC process area with one goal and one practice, unless `overrides` gives it more."""
    overrides = overrides or {}
    areas = tuple(overrides.get(acronym, area(acronym, level=level)) for acronym, level in SVC_LEVELS.items())
    areas = tuple(a if a.maturity_level is not None else _with_level(a, SVC_LEVELS[a.acronym]) for a in areas)
    return Model(SVC, "1.3", "CMMI-SVC (test)", ModelKind.MODEL, areas, generic_goals(), has_maturity_levels=True)


def _with_level(pa: ProcessArea, level: int) -> ProcessArea:
    return ProcessArea(pa.acronym, pa.name, pa.category, pa.goals, maturity_level=level, addition=pa.addition)


def sm_model() -> Model:
    return Model(
        "SM",
        "1.0",
        "Security Management",
        ModelKind.PSEUDO_PA,
        (area("SM", {"ESG1": ["ESP1.1", "ESP1.2"], "ESG2": ["ESP2.1"]}),),
        generic_goals_from=SVC,
    )


def rmm_model() -> Model:
    return Model("CERT-RMM", "1.1", "CERT-RMM", ModelKind.MODEL, (area("IMC"),), generic_goals())


def catalog(svc_overrides: Mapping[str, ProcessArea] | None = None) -> Catalog:
    return Catalog((svc_model(svc_overrides), sm_model(), rmm_model()))


def bu(name: str, subgroup: str | None = None, pas: Iterable[PaKey] = (), sampled: bool = True) -> UnitFact:
    return UnitFact(name, UnitKind.BASIC_UNIT, subgroup, tuple(pas), sampled)


def sf(name: str, pas: Iterable[PaKey]) -> UnitFact:
    return UnitFact(name, UnitKind.SUPPORT_FUNCTION, None, tuple(pas))


def cell(
    model: str,
    pa: str,
    practice: str,
    unit: str,
    value: str | None,
    *,
    weakness: str = "",
    artifacts: int = 1,
    affirmations: int = 1,
    not_yet: bool = False,
) -> InstantiationFact:
    return InstantiationFact(
        InstantiationKey(model, pa, practice, unit),
        value,
        weakness=weakness,
        adequate_artifacts=artifacts,
        affirmations=affirmations,
        not_yet_flagged=not_yet,
    )


def facts(
    scope: Iterable[ScopeItem],
    units: Iterable[UnitFact],
    cells: Iterable[InstantiationFact] = (),
    *,
    scale: Scale = Scale.V13,
    target_ml: int | None = None,
    cat: Catalog | None = None,
    ou_decisions: tuple[OuDecision, ...] = (),
    goal_overrides: tuple[GoalOverride, ...] = (),
    participant_names: tuple[str, ...] = (),
    findings: tuple[FindingText, ...] = (),
) -> AppraisalFacts:
    return AppraisalFacts(
        scale=scale,
        catalog=cat or catalog(),
        scope=tuple(scope),
        units=tuple(units),
        target_maturity_level=target_ml,
        instantiations=tuple(cells),
        ou_decisions=ou_decisions,
        goal_overrides=goal_overrides,
        participant_names=participant_names,
        findings=findings,
    )


def filled(base: AppraisalFacts, value: str) -> AppraisalFacts:
    """Every rated instantiation characterized `value` with one artifact and one affirmation."""
    result = RatingEngine(base).result
    cells = [
        cell(pa.key.model, pa.key.pa, practice.code, inst.unit, value)
        for pa in result.process_areas
        for goal in pa.goals
        for practice in goal.practices
        for inst in practice.instantiations
    ]
    return replace(base, instantiations=tuple(cells))


def pa_of(result: RatingResult, model: str, pa: str) -> ProcessAreaResult:
    found = result.process_area(model, pa)
    assert found is not None, f"{model} {pa} is not in the result"
    return found


def goal_of(result: RatingResult, model: str, pa: str, goal: str) -> GoalResult:
    found = pa_of(result, model, pa).goal(goal)
    assert found is not None, f"{model} {pa} has no rated goal {goal}"
    return found


def practice_of(result: RatingResult, model: str, pa: str, practice: str) -> PracticeResult:
    found = pa_of(result, model, pa).practice(practice)
    assert found is not None, f"{model} {pa} has no rated practice {practice}"
    return found
