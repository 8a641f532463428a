"""Capability levels per process area (method-rules §4.3), from goal ratings and through the engine."""

from __future__ import annotations

from app.domain.catalog import GoalKind
from app.domain.plan import PaKey
from app.domain.rating import GoalKey, GoalRating, GoalResult, RatingEngine, ScopeItem
from app.domain.rating.levels import capability_level
from app.domain.rating.rules import (
    CAPABILITY_TABLE,
    CL_0_INCOMPLETE,
    CL_1_PERFORMED,
    CL_2_MANAGED,
    CL_3_DEFINED,
    CL_NOT_APPLICABLE,
    CL_NOT_RATED,
    GOAL_R3_SATISFIED,
)
from tests.unit.rating.rating_builders import SVC, bu, facts, filled, pa_of

S, U, NR, NA = GoalRating.SATISFIED, GoalRating.UNSATISFIED, GoalRating.NOT_RATED, GoalRating.NOT_APPLICABLE


def goals(
    sg1: GoalRating, sg2: GoalRating, gg2: GoalRating | None = None, gg3: GoalRating | None = None
) -> list[GoalResult]:
    made = [("SG1", GoalKind.SPECIFIC, sg1), ("SG2", GoalKind.SPECIFIC, sg2)]
    made += [(code, GoalKind.GENERIC, r) for code, r in (("GG2", gg2), ("GG3", gg3)) if r is not None]
    return [
        GoalResult(code, kind, rating, GOAL_R3_SATISFIED, (), (), rating, GOAL_R3_SATISFIED)
        for code, kind, rating in made
    ]


def test_capability_table_levels_and_generic_goals() -> None:
    assert [(row.level, row.rule, row.generic_goal) for row in CAPABILITY_TABLE] == [
        (1, CL_1_PERFORMED, None),
        (2, CL_2_MANAGED, "GG2"),
        (3, CL_3_DEFINED, "GG3"),
    ]


def test_cl0_incomplete_when_a_specific_goal_is_unsatisfied() -> None:
    result = capability_level(False, goals(S, U, S, S))
    assert (result.level, result.rule, result.last_fully_rated) == (0, CL_0_INCOMPLETE, 0)
    assert result.note == "CL0; CL1 not reached: SG2 Unsatisfied"


def test_cl1_performed_when_all_specific_goals_are_satisfied() -> None:
    result = capability_level(False, goals(S, S, U, S))
    assert (result.level, result.rule) == (1, CL_1_PERFORMED)
    assert result.note == "CL1; CL2 not reached: GG2 Unsatisfied"


def test_cl2_managed_adds_gg2() -> None:
    result = capability_level(False, goals(S, S, S, U))
    assert (result.level, result.rule) == (2, CL_2_MANAGED)


def test_cl3_defined_adds_gg3() -> None:
    result = capability_level(False, goals(S, S, S, S))
    assert (result.level, result.rule, result.note) == (3, CL_3_DEFINED, "CL3 Defined: CL2 and GG3 Satisfied")


def test_cl_capped_by_the_target_when_gg3_is_not_rated() -> None:
    result = capability_level(False, goals(S, S, S))
    assert (result.level, result.rule) == (2, CL_2_MANAGED)
    assert result.note == "CL2 is the highest level rated here (GG3 is not rated for its target)"


def test_cl_capped_by_the_models_maximum() -> None:
    assert capability_level(False, goals(S, S, S, S), max_level=2).level == 2


def test_cl_not_rated_when_a_needed_goal_is_not_rated_with_last_fully_rated_level() -> None:
    result = capability_level(False, goals(S, S, NR, S))
    assert (result.level, result.rule, result.last_fully_rated) == (None, CL_NOT_RATED, 1)
    assert result.note == "Not Rated: GG2 Not Rated; last fully rated level CL1"


def test_cl_unsatisfied_beats_not_rated_at_the_same_level() -> None:
    # CL1 cannot be reached whatever SG1 turns out to be: the level is known.
    result = capability_level(False, goals(NR, U))
    assert (result.level, result.rule) == (0, CL_0_INCOMPLETE)


def test_cl_not_applicable_when_the_process_area_is_excluded() -> None:
    result = capability_level(True, goals(NA, NA))
    assert (result.level, result.rule, result.last_fully_rated) == (None, CL_NOT_APPLICABLE, None)


def test_a_not_applicable_goal_does_not_block_a_level() -> None:
    assert capability_level(False, goals(S, NA, S)).level == 2


def test_cl_integer_only_and_through_the_engine_for_sm_and_cert_rmm() -> None:
    base = facts(
        [ScopeItem("SM", "SM", 3), ScopeItem("CERT-RMM", "IMC", 2), ScopeItem(SVC, "IRP", 1)],
        [bu("Claims"), bu("Policies")],
    )
    engine = RatingEngine(filled(base, "FI"))
    levels = {pa.key.pa: pa.capability.level for pa in engine.result.process_areas}
    assert levels == {"SM": 3, "IMC": 2, "IRP": 1}
    # SM borrows CMMI-SVC's generic goals: GG2 and GG3 are rated for it.
    assert [g.code for g in pa_of(engine.result, "SM", "SM").goals] == ["ESG1", "ESG2", "GG2", "GG3"]
    engine.set_goal_override(GoalKey("SM", "SM", "GG3"), U, "GP3.1 institutionalization weak")
    assert pa_of(engine.result, "SM", "SM").capability.level == 2
    assert engine.last_changed == PaKey("SM", "SM")
