"""Goal ratings (method-rules §3): each rule in order, overrides, and which reasons the team sees."""

from __future__ import annotations

import pytest

from app.domain.catalog import Goal, GoalKind, Practice
from app.domain.rating import (
    CoverageGap,
    GoalKey,
    GoalOverride,
    GoalRating,
    GoalResult,
    OuDecision,
    PracticeKey,
    Scale,
    roll_up,
)
from app.domain.rating.characterization import propose
from app.domain.rating.decisions import goal_inputs
from app.domain.rating.goals import rate_goal
from app.domain.rating.results import InstantiationResult, PracticeResult
from app.domain.rating.rules import (
    COVERAGE_F1,
    GOAL_DECISION_STALE,
    GOAL_NOT_APPLICABLE,
    GOAL_R1_NOT_CHARACTERIZED_OR_NY,
    GOAL_R2_COVERAGE,
    GOAL_R3_AWAITING_SIGNIFICANCE,
    GOAL_R3_SATISFIED,
    GOAL_R3_TEAM_NOT_SIGNIFICANT,
    GOAL_R4_TEAM_SIGNIFICANT,
    GOAL_R4_UNSATISFIED,
    GOAL_TABLE,
    SUFFICIENCY_ARTIFACT,
)

UNITS = ("Claims", "Policies")
GOAL = Goal("SG1", "Prepare", GoalKind.SPECIFIC, (Practice("SP1.1", "a"), Practice("SP1.2", "b")))


def practice(
    code: str, values: tuple[str | None, ...], weaknesses: tuple[str, ...] = (), decided: str | None = None
) -> PracticeResult:
    weak = weaknesses or ("",) * len(values)
    cells = tuple(
        InstantiationResult(
            unit,
            None if v is None else Scale.V13.parse(v),
            propose(Scale.V13, adequate_artifacts=1, affirmations=1),
            (),
            w,
        )
        for unit, v, w in zip(UNITS, values, weak, strict=True)
    )
    decision = OuDecision(PracticeKey("CMMI-SVC", "IRP", code), decided, "team view") if decided else None
    return PracticeResult(code, "SG1", False, roll_up(Scale.V13, values, decision), cells)


def rate(
    *practices: PracticeResult,
    gaps: tuple[CoverageGap, ...] = (),
    excluded: bool = False,
    exclusion_reason: str = "",
    override: GoalOverride | None = None,
) -> GoalResult:
    return rate_goal(
        Scale.V13, GOAL, practices, gaps, excluded=excluded, exclusion_reason=exclusion_reason, override=override
    )


def gap(practice_code: str | None, unit: str | None = "Claims") -> CoverageGap:
    return CoverageGap(
        "CMMI-SVC",
        "IRP",
        practice_code,
        unit,
        f"Sufficiency: no adequate artifact for IRP {practice_code}",
        SUFFICIENCY_ARTIFACT,
    )


def test_goal_table_rows_in_order() -> None:
    assert [row.rule for row in GOAL_TABLE] == [
        GOAL_NOT_APPLICABLE,
        GOAL_R1_NOT_CHARACTERIZED_OR_NY,
        GOAL_R2_COVERAGE,
        GOAL_R3_SATISFIED,
        GOAL_R3_AWAITING_SIGNIFICANCE,
        GOAL_R4_UNSATISFIED,
    ]


def test_goal_not_applicable_when_the_process_area_is_excluded() -> None:
    result = rate(practice("SP1.1", (None, None)), excluded=True, exclusion_reason="no suppliers")
    assert (result.rating, result.rule) == (GoalRating.NOT_APPLICABLE, GOAL_NOT_APPLICABLE)
    assert result.reasons == ("GOAL_NOT_APPLICABLE: the process area is excluded (no suppliers)",)


def test_goal_rule_1_a_practice_not_characterized_gives_not_rated() -> None:
    result = rate(practice("SP1.1", ("FI", "FI")), practice("SP1.2", ("FI", None)))
    assert (result.rating, result.rule) == (GoalRating.NOT_RATED, GOAL_R1_NOT_CHARACTERIZED_OR_NY)
    assert "SP1.2 is not characterized in Policies" in result.reasons


def test_goal_rule_1_a_practice_ny_at_ou_level_gives_not_rated() -> None:
    result = rate(practice("SP1.1", ("FI", "FI")), practice("SP1.2", ("NY", "NY")))
    assert result.rating is GoalRating.NOT_RATED
    assert "SP1.2 is NY (Not Yet) at OU level" in result.reasons


def test_goal_rule_1_a_pending_team_judgment_gives_not_rated_and_says_what_to_choose() -> None:
    result = rate(practice("SP1.1", ("FI", "PI"), ("", "no records")), practice("SP1.2", ("FI", "FI")))
    assert result.rule is GOAL_R1_NOT_CHARACTERIZED_OR_NY
    assert "SP1.1 awaits the team's judgment among LI, PI, NI (ROLLUP_V13_ANY_PI_OR_NI)" in result.reasons


def test_goal_rule_1_comes_before_rule_2() -> None:
    result = rate(practice("SP1.1", ("FI", None)), practice("SP1.2", ("FI", "FI")), gaps=(gap("SP1.2"),))
    assert result.rule is GOAL_R1_NOT_CHARACTERIZED_OR_NY


def test_goal_rule_2_a_coverage_gap_on_one_of_its_practices_gives_not_rated() -> None:
    result = rate(practice("SP1.1", ("FI", "FI")), practice("SP1.2", ("FI", "FI")), gaps=(gap("SP1.2"),))
    assert (result.rating, result.rule) == (GoalRating.NOT_RATED, GOAL_R2_COVERAGE)
    assert "Sufficiency: no adequate artifact for IRP SP1.2" in result.reasons


def test_goal_rule_2_a_process_area_level_gap_gives_not_rated() -> None:
    f1 = CoverageGap("CMMI-SVC", "IRP", None, "QA", "F1: support function 'QA' ...", COVERAGE_F1)
    result = rate(practice("SP1.1", ("FI", "FI")), practice("SP1.2", ("FI", "FI")), gaps=(f1,))
    assert result.rule is GOAL_R2_COVERAGE


def test_goal_rule_2_ignores_gaps_of_other_goals_practices() -> None:
    result = rate(practice("SP1.1", ("FI", "FI")), practice("SP1.2", ("FI", "FI")), gaps=(gap("SP2.1"),))
    assert result.rating is GoalRating.SATISFIED


def test_goal_rule_3_all_fi_gives_satisfied_without_a_team_decision() -> None:
    result = rate(practice("SP1.1", ("FI", "FI")), practice("SP1.2", ("FI", "FI")))
    assert (result.rating, result.rule, result.judgment_needed, result.proposed) == (
        GoalRating.SATISFIED,
        GOAL_R3_SATISFIED,
        False,
        None,
    )
    assert result.allowed == (GoalRating.SATISFIED, GoalRating.UNSATISFIED)
    assert result.reasons == ("GOAL_R3_SATISFIED: every practice is FI at OU level (SP1.1 FI, SP1.2 FI)",)


def test_goal_rule_3_with_an_li_practice_awaits_the_teams_significance_judgment() -> None:
    result = rate(practice("SP1.1", ("FI", "FI")), practice("SP1.2", ("LI", "FI"), ("Minor: plan not dated", "")))
    assert (result.rating, result.rule, result.overridden) == (
        GoalRating.NOT_RATED,
        GOAL_R3_AWAITING_SIGNIFICANCE,
        False,
    )
    assert (result.judgment_needed, result.proposed) == (True, GoalRating.SATISFIED)
    assert result.reasons == (
        "GOAL_R3_AWAITING_SIGNIFICANCE: every practice is FI or LI at OU level (SP1.1 FI, SP1.2 LI); the team decides "
        "whether the weaknesses are significant (proposed: Satisfied)",
        "Weakness SP1.2 / Claims: Minor: plan not dated",
    )


def test_goal_rule_4_one_pi_practice_gives_unsatisfied_naming_practice_weakness_and_judgment() -> None:
    result = rate(
        practice("SP1.1", ("FI", "FI")),
        practice("SP1.2", ("PI", "FI"), ("No incident records kept", ""), decided="PI"),
    )
    assert (result.rating, result.rule) == (GoalRating.UNSATISFIED, GOAL_R4_UNSATISFIED)
    assert result.reasons == (
        "GOAL_R4_UNSATISFIED: SP1.2 PI at OU level",
        "Weakness SP1.2 / Claims: No incident records kept",
        "Team judgment SP1.2 = PI: team view",
    )


LI_GOAL = (practice("SP1.1", ("LI", "LI"), ("reviews missing", "reviews missing")), practice("SP1.2", ("FI", "FI")))


def decided(rating: GoalRating, *practices: PracticeResult, inputs: str | None = "now") -> GoalOverride:
    made_on = goal_inputs(practices) if inputs == "now" else inputs
    key = GoalKey("CMMI-SVC", "IRP", "SG1")
    return GoalOverride(key, rating, "Missing reviews are significant", "Lee", None, made_on)


def test_goal_rule_3_team_judges_the_weaknesses_not_significant() -> None:
    result = rate(*LI_GOAL, override=decided(GoalRating.SATISFIED, *LI_GOAL))
    assert (result.rating, result.rule, result.judgment_needed) == (
        GoalRating.SATISFIED,
        GOAL_R3_TEAM_NOT_SIGNIFICANT,
        False,
    )
    assert result.computed_rating is GoalRating.NOT_RATED and result.computed_rule is GOAL_R3_AWAITING_SIGNIFICANCE


def test_goal_rule_4_team_judges_a_weakness_significant() -> None:
    result = rate(*LI_GOAL, override=decided(GoalRating.UNSATISFIED, *LI_GOAL))
    assert result.rating is GoalRating.UNSATISFIED
    assert result.overridden and result.rule is GOAL_R4_TEAM_SIGNIFICANT
    assert result.reasons[:2] == (
        "GOAL_R4_TEAM_SIGNIFICANT: the team rated Unsatisfied (Lee): Missing reviews are significant",
        "Computed without the team's decision: Not Rated (GOAL_R3_AWAITING_SIGNIFICANCE)",
    )


def test_goal_decision_may_lower_an_all_fi_goal() -> None:
    all_fi = (practice("SP1.1", ("FI", "FI")), practice("SP1.2", ("FI", "FI")))
    result = rate(*all_fi, override=decided(GoalRating.UNSATISFIED, *all_fi))
    assert (result.rating, result.rule, result.computed_rating) == (
        GoalRating.UNSATISFIED,
        GOAL_R4_TEAM_SIGNIFICANT,
        GoalRating.SATISFIED,
    )


@pytest.mark.parametrize(
    ("practices", "rating", "because"),
    [
        ((practice("SP1.1", ("PI", "FI"), ("no log", ""), decided="PI"),), GoalRating.SATISFIED, "GOAL_R4_UNSATISFIED"),
        ((practice("SP1.1", ("FI", "PI"), ("", "no log")),), GoalRating.SATISFIED, "GOAL_R1_NOT_CHARACTERIZED_OR_NY"),
        ((practice("SP1.1", ("NY", "NY")),), GoalRating.SATISFIED, "GOAL_R1_NOT_CHARACTERIZED_OR_NY"),
        ((practice("SP1.1", ("FI", None)),), GoalRating.UNSATISFIED, "GOAL_R1_NOT_CHARACTERIZED_OR_NY"),
        ((practice("SP1.1", ("FI", "FI")),), GoalRating.NOT_APPLICABLE, "excluding the process area in the plan"),
        ((practice("SP1.1", ("FI", "FI")),), GoalRating.NOT_RATED, "Not Rated is not a team decision"),
    ],
    ids=["raise-past-rule-4", "pending-practice", "ny-practice", "rate-an-uncharacterized", "not-applicable", "nr"],
)
def test_goal_decision_never_raises_past_the_rules_and_is_kept_as_a_conflict(
    practices: tuple[PracticeResult, ...], rating: GoalRating, because: str
) -> None:
    plain = rate(*practices)
    result = rate(*practices, override=decided(rating, *practices))
    assert (result.rating, result.rule, result.overridden) == (plain.rating, plain.rule, False)
    assert result.conflict is not None and because in result.conflict
    assert result.conflict.startswith(f"The team recorded {rating.value} for SG1, but ")


def test_goal_decision_on_a_coverage_gap_is_a_conflict() -> None:
    ok = (practice("SP1.1", ("FI", "FI")),)
    result = rate(*ok, gaps=(gap("SP1.1"),), override=decided(GoalRating.SATISFIED, *ok))
    assert (result.rating, result.rule) == (GoalRating.NOT_RATED, GOAL_R2_COVERAGE)
    assert result.conflict is not None and "GOAL_R2_COVERAGE" in result.conflict


def test_goal_decision_made_on_other_inputs_is_stale_and_offered_again() -> None:
    before = (practice("SP1.1", ("LI", "LI"), ("reviews missing", "reviews missing")), practice("SP1.2", ("FI", "FI")))
    after = (practice("SP1.1", ("LI", "LI"), ("reviews missing", "no reviews at all")), practice("SP1.2", ("FI", "FI")))
    result = rate(*after, override=decided(GoalRating.SATISFIED, *before))
    assert (result.rating, result.rule, result.overridden) == (GoalRating.NOT_RATED, GOAL_DECISION_STALE, False)
    assert (result.judgment_needed, result.proposed, result.decision) == (True, GoalRating.SATISFIED, result.decision)
    assert result.stale is not None and "weaknesses changed (SP1.1 Policies)" in result.stale
    assert "no reviews at all" not in result.stale, "inputs keep digests of weaknesses, never their text"


def test_goal_decision_without_recorded_inputs_is_stale() -> None:
    result = rate(*LI_GOAL, override=decided(GoalRating.UNSATISFIED, *LI_GOAL, inputs=None))
    assert (result.rating, result.rule, result.proposed) == (
        GoalRating.NOT_RATED,
        GOAL_DECISION_STALE,
        GoalRating.UNSATISFIED,
    )
    assert result.stale is not None and "recorded before the tool kept" in result.stale


def test_goal_decision_that_agrees_with_the_rules_changes_nothing_and_never_goes_stale() -> None:
    failing = (practice("SP1.1", ("PI", "FI"), ("no log", ""), decided="PI"),)
    result = rate(*failing, override=decided(GoalRating.UNSATISFIED, *failing, inputs=None))
    assert (result.rating, result.rule, result.stale, result.conflict) == (
        GoalRating.UNSATISFIED,
        GOAL_R4_UNSATISFIED,
        None,
        None,
    )
    assert result.decision is not None and not result.overridden


def test_goal_override_without_rationale_is_refused() -> None:
    with pytest.raises(ValueError, match=r"Overriding CMMI-SVC IRP SG1 to Satisfied needs a rationale"):
        GoalOverride(GoalKey("CMMI-SVC", "IRP", "SG1"), GoalRating.SATISFIED, "")


def test_goal_without_practices_is_not_rated() -> None:
    empty = Goal("SG9", "Empty", GoalKind.SPECIFIC, ())
    result = rate_goal(Scale.V13, empty, (), ())
    assert result.rule is GOAL_R1_NOT_CHARACTERIZED_OR_NY
