"""Staged maturity level (method-rules §4.1, §4.2, §4.4) and equivalent staging (§4.3), through the engine."""

from __future__ import annotations

from dataclasses import replace

from app.domain.rating import GoalKey, GoalRating, RatingEngine, ScopeItem, StagedRating
from app.domain.rating.rules import (
    EQUIV_ML1,
    EQUIV_ML2,
    EQUIV_ML3,
    EQUIV_ML4,
    EQUIV_ML5,
    EQUIV_NOT_RATED,
    EQUIV_SCOPE_INCOMPLETE,
    ML_1_INITIAL,
    ML_2,
    ML_3,
    ML_4,
    ML_5,
    ML_NO_STAGED_MODEL,
    ML_NOT_RATED,
    ML_NOT_REQUESTED,
    ML_SCOPE_INCOMPLETE,
)
from tests.unit.rating.rating_builders import SVC, SVC_LEVELS, area, bu, catalog, facts, filled, pa_of

UNSAT = GoalRating.UNSATISFIED


def svc_scope(up_to: int, *, target_cl: int | None = None, without: tuple[str, ...] = ("SSD",)) -> list[ScopeItem]:
    return [ScopeItem(SVC, pa, target_cl) for pa, level in SVC_LEVELS.items() if level <= up_to and pa not in without]


def staged(up_to: int, target_ml: int | None, scope: list[ScopeItem] | None = None) -> RatingEngine:
    return RatingEngine(filled(facts(scope or svc_scope(up_to), [bu("Claims")], target_ml=target_ml), "FI"))


def unsatisfy(engine: RatingEngine, pa: str, goal: str) -> None:
    engine.set_goal_override(GoalKey(SVC, pa, goal), UNSAT, "weakness judged significant")


# --- staged maturity level --------------------------------------------------------------------------------


def test_ml_not_requested_without_a_target_maturity_level() -> None:
    result = staged(2, None).result.maturity
    assert (result.level, result.rule) == (None, ML_NOT_REQUESTED)


def test_ml_not_rated_for_sm_and_cert_rmm_only_scopes() -> None:
    engine = staged(2, 2, scope=[ScopeItem("SM", "SM"), ScopeItem("CERT-RMM", "IMC")])
    assert (engine.result.maturity.level, engine.result.maturity.rule) == (None, ML_NO_STAGED_MODEL)
    assert engine.result.equivalent_staging.rule is ML_NO_STAGED_MODEL


def test_ml_scope_incomplete_names_the_missing_process_areas() -> None:
    engine = staged(2, 2, scope=svc_scope(2, without=("SSD", "SD", "WP")))
    result = engine.result.maturity
    assert (result.level, result.rule, result.reasons) == (None, ML_SCOPE_INCOMPLETE, ("ML2 needs SD, WP in scope",))


def test_ml2_when_every_ml2_process_area_is_satisfied() -> None:
    result = staged(2, 2).result
    assert (result.maturity.level, result.maturity.rule, result.maturity.model) == (2, ML_2, SVC)
    assert all(pa.staged is not None and pa.staged.rating is GoalRating.SATISFIED for pa in result.process_areas)


def test_ml1_initial_when_an_ml2_process_area_is_unsatisfied() -> None:
    engine = staged(2, 2)
    unsatisfy(engine, "SAM", "SG1")
    result = engine.result.maturity
    assert (result.level, result.rule) == (1, ML_1_INITIAL)
    assert result.reasons[-1] == "ML2 not reached: SAM (SG1 Unsatisfied) Unsatisfied"
    assert pa_of(engine.result, SVC, "SAM").staged == StagedRating(UNSAT, ("SG1 Unsatisfied",))


def test_ml2_allows_a_not_applicable_process_area() -> None:
    scope = [
        replace(item, excluded=True, exclusion_reason="no suppliers") if item.pa == "SAM" else item
        for item in svc_scope(2)
    ]
    engine = staged(2, 2, scope=scope)
    assert engine.result.maturity.level == 2
    sam = engine.result.process_area(SVC, "SAM")
    assert sam is not None and sam.staged is not None and sam.staged.rating is GoalRating.NOT_APPLICABLE
    assert {g.rating for g in sam.goals} == {GoalRating.NOT_APPLICABLE}


def test_ml3_when_ml2_and_ml3_process_areas_are_satisfied_with_gg3() -> None:
    engine = staged(3, 3)
    assert (engine.result.maturity.level, engine.result.maturity.rule) == (3, ML_3)
    # From ML3 the ML2 process areas are rated on GG3 too.
    assert [g.code for g in pa_of(engine.result, SVC, "CM").goals] == ["SG1", "GG2", "GG3"]


def test_ml3_needs_gg3_satisfied_on_ml2_process_areas() -> None:
    engine = staged(3, 3)
    unsatisfy(engine, "CM", "GG3")
    result = engine.result.maturity
    assert (result.level, result.rule) == (2, ML_2)
    assert result.reasons[-1] == "ML3 not reached: CM (GG3 Unsatisfied) Unsatisfied"


def test_ml3_ssd_addition_out_of_scope_is_not_applicable_but_counts_when_in_scope() -> None:
    assert staged(3, 3, scope=svc_scope(3)).result.maturity.level == 3
    engine = staged(3, 3, scope=svc_scope(3, without=()))
    unsatisfy(engine, "SSD", "SG1")
    assert engine.result.maturity.level == 2


def test_ml4_when_ml2_to_ml4_process_areas_are_satisfied() -> None:
    engine = staged(4, 4)
    assert (engine.result.maturity.level, engine.result.maturity.rule) == (4, ML_4)
    unsatisfy(engine, "QWM", "SG1")
    assert engine.result.maturity.level == 3


def test_ml5_when_every_process_area_is_satisfied() -> None:
    engine = staged(5, 5)
    assert (engine.result.maturity.level, engine.result.maturity.rule) == (5, ML_5)


def test_ml_is_rated_no_higher_than_the_target() -> None:
    assert staged(5, 3).result.maturity.level == 3


def test_ml_not_rated_when_a_needed_process_area_is_not_rated() -> None:
    scope = svc_scope(3)
    base = filled(facts(scope, [bu("Claims")], target_ml=3), "FI")
    # IRP's cells stay evidenced (a missing one would open subgroup gap B1 for every PA) but uncharacterized.
    base = replace(
        base, instantiations=tuple(replace(f, value=None) if f.key.pa == "IRP" else f for f in base.instantiations)
    )
    result = RatingEngine(base).result.maturity
    assert (result.level, result.rule) == (None, ML_NOT_RATED)
    assert result.reasons == ("ML3 not rated: IRP (SG1, GG2, GG3 Not Rated)", "last fully rated level ML2")


def test_ml_process_area_levels_come_from_the_catalog() -> None:
    # A catalog that puts MA at ML3: an ML2 appraisal no longer needs it.
    cat = catalog({"MA": area("MA", level=3)})
    engine = RatingEngine(
        filled(facts(svc_scope(2, without=("SSD", "MA")), [bu("Claims")], target_ml=2, cat=cat), "FI")
    )
    assert engine.result.maturity.level == 2


# --- equivalent staging -----------------------------------------------------------------------------------


def continuous(up_to: int, target_cl: int, without: tuple[str, ...] = ("SSD",)) -> RatingEngine:
    return RatingEngine(filled(facts(svc_scope(up_to, target_cl=target_cl, without=without), [bu("Claims")]), "FI"))


def test_equivalent_staging_scope_incomplete_without_all_ml2_process_areas() -> None:
    result = continuous(2, 2, without=("SSD", "REQM")).result.equivalent_staging
    assert (result.level, result.rule, result.reasons) == (
        None,
        EQUIV_SCOPE_INCOMPLETE,
        ("equivalent ML2 needs REQM in scope",),
    )


def test_equivalent_ml2_cl2_for_all_ml2_process_areas() -> None:
    result = continuous(2, 2).result.equivalent_staging
    assert (result.level, result.rule) == (2, EQUIV_ML2)
    assert result.reasons[-1].startswith("equivalent ML3 needs CAM, DAR")


def test_equivalent_ml1_when_an_ml2_process_area_is_below_cl2() -> None:
    engine = continuous(2, 2)
    unsatisfy(engine, "WP", "GG2")
    result = engine.result.equivalent_staging
    assert (result.level, result.rule) == (1, EQUIV_ML1)
    assert result.reasons[-1] == "equivalent ML2 not reached (needs CL2): WP CL1"


def test_equivalent_ml3_cl3_for_all_ml2_and_ml3_process_areas() -> None:
    engine = continuous(3, 3)
    assert (engine.result.equivalent_staging.level, engine.result.equivalent_staging.rule) == (3, EQUIV_ML3)
    unsatisfy(engine, "CM", "GG3")  # an ML2 PA at CL2 stops ML3
    assert engine.result.equivalent_staging.level == 2


def test_equivalent_ml3_is_not_reached_with_cl2_targets() -> None:
    assert continuous(3, 2).result.equivalent_staging.level == 2


def test_equivalent_ml4_cl3_for_all_but_the_ml5_process_areas() -> None:
    result = continuous(4, 3).result.equivalent_staging
    assert (result.level, result.rule) == (4, EQUIV_ML4)
    assert result.reasons[-1] == "equivalent ML5 needs CAR, OPM in scope"


def test_equivalent_ml5_cl3_for_all_process_areas() -> None:
    result = continuous(5, 3).result.equivalent_staging
    assert (result.level, result.rule) == (5, EQUIV_ML5)


def test_equivalent_staging_not_rated_when_a_needed_capability_level_is_not_rated() -> None:
    base = filled(facts(svc_scope(2, target_cl=2), [bu("Claims")]), "FI")
    base = replace(
        base, instantiations=tuple(replace(f, value=None) if f.key.pa == "MA" else f for f in base.instantiations)
    )
    result = RatingEngine(base).result.equivalent_staging
    assert (result.level, result.rule) == (None, EQUIV_NOT_RATED)
    assert result.reasons == ("equivalent ML2 not rated: MA Not Rated", "last fully rated level ML1")


def test_equivalent_staging_ignores_an_excluded_process_area() -> None:
    scope = [replace(i, excluded=True) if i.pa == "SAM" else i for i in svc_scope(2, target_cl=2)]
    engine = RatingEngine(filled(facts(scope, [bu("Claims")]), "FI"))
    assert engine.result.equivalent_staging.level == 2
