"""The proposal from evidence (method-rules §1 toolkit table) and the checks on a team's value."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.rating import Scale, propose, validate_team_value
from app.domain.rating.rules import (
    CHECK_LARGE_NEEDS_WEAKNESS,
    CHECK_PARTIAL_OR_NOT_NEEDS_WEAKNESS,
    CHECK_WEAKNESS_EXCLUDES_FULL,
    PROPOSAL_TABLE,
    PROPOSE_FULL,
    PROPOSE_LARGE,
    PROPOSE_NOT_MET,
    PROPOSE_NOT_YET,
    PROPOSE_PARTIAL,
    VALIDATION_TABLE,
)


def test_proposal_table_has_the_five_rows_in_order() -> None:
    assert [row.rule for row in PROPOSAL_TABLE] == [
        PROPOSE_NOT_YET,
        PROPOSE_FULL,
        PROPOSE_LARGE,
        PROPOSE_PARTIAL,
        PROPOSE_NOT_MET,
    ]


def test_propose_not_yet_gives_ny_whatever_the_evidence() -> None:
    proposal = propose(Scale.V13, adequate_artifacts=2, affirmations=1, not_yet=True, weakness="gap")
    assert (proposal.value, proposal.rule) == ("NY", PROPOSE_NOT_YET)
    assert "Not Yet" in proposal.reason
    assert propose(Scale.V2, adequate_artifacts=0, affirmations=0, not_yet=True).value == "NY"


def test_propose_full_artifact_and_affirmation_without_weakness_gives_fi() -> None:
    proposal = propose(Scale.V13, adequate_artifacts=2, affirmations=1)
    assert (proposal.value, proposal.rule) == ("FI", PROPOSE_FULL)
    assert (
        proposal.reason == "FI proposed (PROPOSE_FULL): 2 adequate artifacts and 1 affirmation, no weakness recorded."
    )
    assert propose(Scale.V2, adequate_artifacts=1, affirmations=1).value == "FM"


def test_propose_large_artifact_and_affirmation_with_weakness_gives_li() -> None:
    proposal = propose(Scale.V13, adequate_artifacts=1, affirmations=3, weakness="Plan not reviewed")
    assert (proposal.value, proposal.rule) == ("LI", PROPOSE_LARGE)
    assert "a weakness is recorded" in proposal.reason
    assert propose(Scale.V2, adequate_artifacts=1, affirmations=1, weakness="w").value == "LM"


@pytest.mark.parametrize(("artifacts", "affirmations"), [(1, 0), (0, 2)])
def test_propose_partial_exactly_one_kind_of_evidence_with_weakness_gives_pi(artifacts: int, affirmations: int) -> None:
    proposal = propose(Scale.V13, adequate_artifacts=artifacts, affirmations=affirmations, weakness="w")
    assert (proposal.value, proposal.rule) == ("PI", PROPOSE_PARTIAL)
    assert propose(Scale.V2, adequate_artifacts=artifacts, affirmations=affirmations, weakness="w").value == "PM"


@pytest.mark.parametrize(
    ("artifacts", "affirmations", "weakness"),
    [(0, 0, ""), (0, 0, "nothing shown"), (1, 0, ""), (0, 1, "")],
)
def test_propose_not_met_otherwise_gives_ni(artifacts: int, affirmations: int, weakness: str) -> None:
    proposal = propose(Scale.V13, adequate_artifacts=artifacts, affirmations=affirmations, weakness=weakness)
    assert (proposal.value, proposal.rule) == ("NI", PROPOSE_NOT_MET)
    assert propose(Scale.V2, adequate_artifacts=artifacts, affirmations=affirmations, weakness=weakness).value == "DM"


def test_a_not_met_proposal_without_weakness_asks_for_one() -> None:
    assert "Record the weakness before confirming NI" in propose(Scale.V13, adequate_artifacts=1, affirmations=0).reason
    assert "Record the weakness" not in propose(Scale.V13, adequate_artifacts=0, affirmations=0, weakness="w").reason


def test_blank_weakness_text_is_no_weakness() -> None:
    assert propose(Scale.V13, adequate_artifacts=1, affirmations=1, weakness="  \n").value == "FI"


@given(
    scale=st.sampled_from(Scale),
    artifacts=st.integers(0, 5),
    affirmations=st.integers(0, 5),
    not_yet=st.booleans(),
    weakness=st.text(min_size=1).filter(lambda t: t.strip() != ""),
)
def test_property_a_weakness_never_yields_a_full_proposal(
    scale: Scale, artifacts: int, affirmations: int, not_yet: bool, weakness: str
) -> None:
    proposal = propose(
        scale, adequate_artifacts=artifacts, affirmations=affirmations, not_yet=not_yet, weakness=weakness
    )
    assert proposal.value not in ("FI", "FM")


# --- checks on the team's value -----------------------------------------------------------------------------


def test_validation_table_rows() -> None:
    assert [row.rule for row in VALIDATION_TABLE] == [
        CHECK_WEAKNESS_EXCLUDES_FULL,
        CHECK_LARGE_NEEDS_WEAKNESS,
        CHECK_PARTIAL_OR_NOT_NEEDS_WEAKNESS,
    ]


def test_check_weakness_excludes_full() -> None:
    assert validate_team_value(Scale.V13, "FI", "Reviews skipped") == [
        "FI cannot stand with a recorded weakness: choose LI, PI or NI, or delete the weakness if it no longer applies."
    ]
    assert validate_team_value(Scale.V2, "FM", "w") == [
        "FM cannot stand with a recorded weakness: choose LM, PM or DM, or delete the weakness if it no longer applies."
    ]


@pytest.mark.parametrize(("scale", "value"), [(Scale.V13, "PI"), (Scale.V13, "NI"), (Scale.V2, "PM"), (Scale.V2, "DM")])
def test_check_partial_or_not_needs_weakness(scale: Scale, value: str) -> None:
    assert validate_team_value(scale, value, " ") == [
        f"{value} needs at least one recorded weakness: record what is missing or inadequate."
    ]
    assert validate_team_value(scale, value, "Plan is missing") == []


def test_check_large_needs_weakness() -> None:
    assert validate_team_value(Scale.V13, "LI", "") == [
        "LI means implemented with a weakness, but none is recorded: record the weakness, or choose FI."
    ]
    assert validate_team_value(Scale.V13, "LI", "Minor gap") == []


def test_consistent_and_empty_values_have_no_problems() -> None:
    assert validate_team_value(Scale.V13, "FI", "") == []
    assert validate_team_value(Scale.V13, "NY", "") == []
    assert validate_team_value(Scale.V2, "NC", "") == []
    assert validate_team_value(Scale.V13, None, "anything") == []
