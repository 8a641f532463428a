"""Roll-up of instantiations to the organizational unit: every row of both tables, team decisions, properties."""

from __future__ import annotations

import json
from dataclasses import replace
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.rating import OuDecision, PracticeKey, Scale, roll_up
from app.domain.rating.rules import (
    ROLLUP_INVALID_VALUE,
    ROLLUP_NO_INSTANTIATIONS,
    ROLLUP_TABLES,
    ROLLUP_V2_ALL_DM_OR_NY,
    ROLLUP_V2_ALL_FM_OR_NY,
    ROLLUP_V2_ALL_LM_FM_OR_NY,
    ROLLUP_V2_ALL_NY,
    ROLLUP_V2_ALL_PM_DM_OR_NY,
    ROLLUP_V2_ANY_NC,
    ROLLUP_V2_MIXED,
    ROLLUP_V2_MIXED_HALF_OR_MORE_PM_DM,
    ROLLUP_V2_NOT_CHARACTERIZED,
    ROLLUP_V13_ALL_FI_OR_NY,
    ROLLUP_V13_ALL_LI_FI_OR_NY,
    ROLLUP_V13_ALL_NY,
    ROLLUP_V13_ANY_PI_OR_NI,
    ROLLUP_V13_NOT_CHARACTERIZED,
)

KEY = PracticeKey("CMMI-SVC", "IRP", "SP1.1")


def decision(value: str) -> OuDecision:
    return OuDecision(KEY, value, "Weaknesses in two of three units are minor", "Lee")


# --- v1.3 table (method-rules §2) -----------------------------------------------------------------------


def test_rollup_no_instantiations_is_not_characterized() -> None:
    for scale in Scale:
        result = roll_up(scale, [])
        assert (result.value, result.rule, result.allowed, result.judgment_needed) == (
            None,
            ROLLUP_NO_INSTANTIATIONS,
            (),
            False,
        )


def test_rollup_v13_not_characterized_when_any_instantiation_is_empty() -> None:
    result = roll_up(Scale.V13, ["FI", None, "FI"])
    assert (result.value, result.rule, result.allowed) == (None, ROLLUP_V13_NOT_CHARACTERIZED, ())


def test_rollup_v13_not_characterized_wins_over_pi() -> None:
    assert roll_up(Scale.V13, ["PI", None]).rule is ROLLUP_V13_NOT_CHARACTERIZED


def test_rollup_v13_all_ny_gives_ny() -> None:
    result = roll_up(Scale.V13, ["NY", "NY"])
    assert (result.value, result.rule) == ("NY", ROLLUP_V13_ALL_NY)


def test_rollup_v13_all_fi_or_ny_gives_fi() -> None:
    result = roll_up(Scale.V13, ["FI", "NY", "FI"])
    assert (result.value, result.rule, result.allowed, result.judgment_needed) == (
        "FI",
        ROLLUP_V13_ALL_FI_OR_NY,
        ("FI",),
        False,
    )


def test_rollup_v13_all_li_fi_or_ny_gives_li() -> None:
    result = roll_up(Scale.V13, ["FI", "LI", "NY"])
    assert (result.value, result.rule) == ("LI", ROLLUP_V13_ALL_LI_FI_OR_NY)


@pytest.mark.parametrize("values", [["FI", "PI"], ["NI"], ["LI", "NI", "NY"], ["PI", "PI"]])
def test_rollup_v13_any_pi_or_ni_needs_team_judgment_among_li_pi_ni(values: list[str]) -> None:
    result = roll_up(Scale.V13, values)
    assert result.value is None
    assert result.rule is ROLLUP_V13_ANY_PI_OR_NI
    assert result.allowed == ("LI", "PI", "NI")
    assert result.judgment_needed


# --- V2.0/V3.0 table (method-rules §8.1) -------------------------------------------------------------------


def test_rollup_v2_not_characterized_when_any_instantiation_is_empty() -> None:
    result = roll_up(Scale.V2, ["FM", None, "NC"])
    assert (result.value, result.rule) == (None, ROLLUP_V2_NOT_CHARACTERIZED)


def test_rollup_v2_any_nc_propagates_nc() -> None:
    result = roll_up(Scale.V2, ["FM", "NC", "PM"])
    assert (result.value, result.rule, result.judgment_needed) == ("NC", ROLLUP_V2_ANY_NC, False)


def test_rollup_v2_all_ny_gives_ny() -> None:
    assert roll_up(Scale.V2, ["NY"]).rule is ROLLUP_V2_ALL_NY
    assert roll_up(Scale.V2, ["NY"]).value == "NY"


def test_rollup_v2_all_fm_or_ny_gives_fm() -> None:
    result = roll_up(Scale.V2, ["FM", "NY"])
    assert (result.value, result.rule) == ("FM", ROLLUP_V2_ALL_FM_OR_NY)


def test_rollup_v2_all_lm_fm_or_ny_gives_lm() -> None:
    result = roll_up(Scale.V2, ["FM", "LM", "LM"])
    assert (result.value, result.rule) == ("LM", ROLLUP_V2_ALL_LM_FM_OR_NY)


def test_rollup_v2_all_dm_or_ny_gives_dm() -> None:
    result = roll_up(Scale.V2, ["DM", "NY", "DM"])
    assert (result.value, result.rule, result.judgment_needed) == ("DM", ROLLUP_V2_ALL_DM_OR_NY, False)


def test_rollup_v2_all_pm_dm_or_ny_needs_judgment_between_pm_and_dm() -> None:
    result = roll_up(Scale.V2, ["PM", "DM", "NY"])
    assert (result.value, result.rule, result.allowed) == (None, ROLLUP_V2_ALL_PM_DM_OR_NY, ("PM", "DM"))


@pytest.mark.parametrize("values", [["FM", "PM"], ["LM", "DM", "NY", "NY"], ["FM", "PM", "DM", "LM"]])
def test_rollup_v2_mixed_half_or_more_pm_dm_forces_pm_or_dm(values: list[str]) -> None:
    result = roll_up(Scale.V2, values)
    assert (result.value, result.rule, result.allowed) == (None, ROLLUP_V2_MIXED_HALF_OR_MORE_PM_DM, ("PM", "DM"))
    assert "LM" not in result.allowed


def test_rollup_v2_mixed_under_half_needs_judgment_between_lm_and_pm() -> None:
    # One PM among three characterized (NY does not count): 33%, so LM is still possible.
    result = roll_up(Scale.V2, ["FM", "LM", "PM", "NY", "NY"])
    assert (result.value, result.rule, result.allowed) == (None, ROLLUP_V2_MIXED, ("LM", "PM"))


def test_every_rollup_row_is_covered_by_a_test() -> None:
    tested = {
        ROLLUP_NO_INSTANTIATIONS, ROLLUP_INVALID_VALUE, ROLLUP_V13_NOT_CHARACTERIZED, ROLLUP_V13_ALL_NY, ROLLUP_V13_ALL_FI_OR_NY,
        ROLLUP_V13_ALL_LI_FI_OR_NY, ROLLUP_V13_ANY_PI_OR_NI, ROLLUP_V2_NOT_CHARACTERIZED, ROLLUP_V2_ANY_NC,
        ROLLUP_V2_ALL_NY, ROLLUP_V2_ALL_FM_OR_NY, ROLLUP_V2_ALL_LM_FM_OR_NY, ROLLUP_V2_ALL_DM_OR_NY,
        ROLLUP_V2_ALL_PM_DM_OR_NY, ROLLUP_V2_MIXED_HALF_OR_MORE_PM_DM, ROLLUP_V2_MIXED,
    }  # fmt: skip
    assert {row.rule for rows in ROLLUP_TABLES.values() for row in rows} == tested


def test_v13_rollup_rules_are_marked_unverified() -> None:
    assert all(row.rule.unverified for row in ROLLUP_TABLES[Scale.V13] if row.rule.name.startswith("ROLLUP_V13"))


# --- team decisions -------------------------------------------------------------------------------------


def test_team_decision_among_allowed_values_becomes_the_ou_value() -> None:
    result = roll_up(Scale.V13, ["FI", "PI"], decision("LI"))
    assert result.value == "LI"
    assert result.decision is not None and result.decision.decided_by == "Lee"
    assert not result.judgment_needed
    assert result.requires_judgment
    assert result.conflict is None


def test_team_decision_of_fi_on_a_judgment_row_is_a_conflict() -> None:
    result = roll_up(Scale.V13, ["FI", "PI"], decision("FI"))
    assert result.value is None
    assert result.judgment_needed
    assert (
        result.conflict
        == "The team recorded FI for SP1.1, which ROLLUP_V13_ANY_PI_OR_NI does not allow: choose LI, PI, NI."
    )


def test_team_decision_of_lm_when_half_are_pm_dm_is_a_conflict() -> None:
    result = roll_up(Scale.V2, ["FM", "PM"], OuDecision(KEY, "LM", "minor"))
    assert result.value is None
    assert result.conflict is not None and "choose PM, DM" in result.conflict


def test_team_decision_differing_from_an_automatic_value_is_reported_and_the_rules_stand() -> None:
    result = roll_up(Scale.V13, ["FI", "FI"], decision("LI"))
    assert result.value == "FI"
    assert (
        result.conflict
        == "The team recorded LI for SP1.1, but the rules give FI (ROLLUP_V13_ALL_FI_OR_NY); the rules' value stands."
    )


def test_team_decision_equal_to_the_automatic_value_is_accepted() -> None:
    result = roll_up(Scale.V13, ["FI", "FI"], decision("FI"))
    assert (result.value, result.conflict) == ("FI", None)


def test_team_decision_on_an_uncharacterized_practice_is_a_conflict() -> None:
    result = roll_up(Scale.V13, ["PI", None], decision("PI"))
    assert result.value is None
    assert result.conflict is not None and "cannot be characterized at OU level yet" in result.conflict


def test_team_decision_with_a_value_of_the_other_scale_is_a_conflict() -> None:
    result = roll_up(Scale.V13, ["PI"], decision("PM"))
    assert result.value is None
    assert result.conflict == "The team recorded PM for SP1.1, which is not a value of the SCAMPI v1.3 scale."


@pytest.mark.parametrize("scale", list(Scale))
def test_rollup_an_invalid_value_makes_the_practice_not_characterized_whatever_the_others(scale: Scale) -> None:
    full = scale.values[0]
    result = roll_up(scale, [full, full], invalid=1)
    assert (result.value, result.rule, result.allowed, result.judgment_needed) == (
        None,
        ROLLUP_INVALID_VALUE,
        (),
        False,
    )


def made_on(values: list[str | None]) -> str:
    return json.dumps({"values": [[f"U{i}", v] for i, v in enumerate(values)]}, separators=(",", ":"))


def test_team_judgment_made_on_other_values_is_stale_and_offered_again() -> None:
    """Issue 11 case 3: LI chosen on [FI, PI]; the values became [NI, PI]."""
    chosen = replace(decision("LI"), inputs=made_on(["FI", "PI"]))
    still = roll_up(Scale.V13, ["FI", "PI"], chosen, inputs=made_on(["FI", "PI"]))
    assert (still.value, still.stale) == ("LI", None)
    result = roll_up(Scale.V13, ["NI", "PI"], chosen, inputs=made_on(["NI", "PI"]))
    assert (result.value, result.judgment_needed, result.proposed) == (None, True, "LI")
    assert result.stale is not None and "was U0 FI" in result.stale and "now U0 NI" in result.stale
    assert result.decision is chosen and result.conflict is None


def test_team_judgment_without_recorded_inputs_is_stale() -> None:
    result = roll_up(Scale.V13, ["FI", "PI"], decision("LI"), inputs=made_on(["FI", "PI"]))
    assert (result.value, result.proposed) == (None, "LI")
    assert result.stale is not None and "recorded before" in result.stale


def test_team_decision_without_rationale_is_refused() -> None:
    with pytest.raises(ValueError, match="needs a rationale"):
        OuDecision(KEY, "LI", "   ")


# --- properties -----------------------------------------------------------------------------------------

v13_values = st.lists(st.sampled_from(["FI", "LI", "PI", "NI", "NY", None]), max_size=8)
v2_values = st.lists(st.sampled_from(["FM", "LM", "PM", "DM", "NY", "NC", None]), max_size=8)
Case = tuple[Scale, list[str | None]]
any_scale_values: st.SearchStrategy[Case] = st.one_of(
    st.tuples(st.just(Scale.V13), v13_values),
    st.tuples(st.just(Scale.V2), v2_values),
)


@given(any_scale_values, st.randoms())
def test_property_rollup_is_independent_of_the_order_of_instantiations(case: Case, rnd: Random) -> None:
    scale, values = case
    shuffled = list(values)
    rnd.shuffle(shuffled)
    assert roll_up(scale, shuffled) == roll_up(scale, values)


@given(any_scale_values)
def test_property_adding_an_ny_instantiation_changes_nothing(case: Case) -> None:
    scale, values = case
    if not values:
        return  # with nothing to roll up, one NY is "all NY"
    before, after = roll_up(scale, values), roll_up(scale, [*values, "NY"])
    assert (after.value, after.allowed, after.requires_judgment) == (
        before.value,
        before.allowed,
        before.requires_judgment,
    )


@given(any_scale_values)
def test_property_judgment_never_allows_a_full_value(case: Case) -> None:
    scale, values = case
    result = roll_up(scale, values)
    if result.requires_judgment:
        assert not {"FI", "FM"} & set(result.allowed)
        assert result.value is None  # the tool never picks for the team


@given(st.lists(st.sampled_from(["FI", "NY"]), min_size=1).filter(lambda v: "FI" in v))
def test_property_fi_with_ny_always_rolls_up_to_fi(values: list[str]) -> None:
    assert roll_up(Scale.V13, values).value == "FI"
