"""The one name matcher (method-rules §9): every way people really write a name is found, and masked whole."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.name_matcher import (
    WITHHELD_NAME,
    WITHHELD_ROLE,
    WITHHELD_UNIT,
    IdentifierKind,
    NameMatcher,
    folded,
    restore_names,
    role_acronym,
    unique_roles,
)

PEOPLE = ["Rita Okafor", "Elena Marchetti", "Tomás Ruiz", "Ann Li", "Zoë Ørsted", "Rosalind Okonkwo-Baptiste"]
ROLES = [("Rita Okafor", "Chief Operating Officer"), ("Ann Li", "Analyst"), ("Tomás Ruiz", "Analyst")]
EXTRA = ["rokafor", "Blue Team", "Big E"]
UNITS = ["Claims", "Road Assist"]


def matcher(*, allowed: bool = False) -> NameMatcher:
    return NameMatcher.for_appraisal(
        PEOPLE, roles=ROLES, extra=EXTRA, units=UNITS, unit_specific_findings_allowed=allowed
    )


ZWSP = "\u200b"
# (text, the part of it that must be found, the identifier it names, how)
VARIANTS = [
    ("Okafor reported the log", "Okafor", "Rita Okafor", "surname"),
    ("Rita said so", "Rita", "Rita Okafor", "given name"),
    ("Ms Okafor agreed", "Ms Okafor", "Rita Okafor", "honorific and name"),
    ("Dr. Rita agreed", "Dr. Rita", "Rita Okafor", "honorific and name"),
    ("Okafor's team never analyses trends", "Okafor", "Rita Okafor", "surname"),
    ("Okafor’s team", "Okafor", "Rita Okafor", "surname"),
    ("E. Marchetti showed it", "E. Marchetti", "Elena Marchetti", "initial and surname"),
    ("E Marchetti showed it", "E Marchetti", "Elena Marchetti", "initial and surname"),
    ("Tomas showed it", "Tomas", "Tomás Ruiz", "given name"),
    ("TOMÁS RUIZ showed it", "TOMÁS RUIZ", "Tomás Ruiz", "full name"),
    (
        unicodedata.normalize("NFD", "Tomás showed it"),
        unicodedata.normalize("NFD", "Tomás"),
        "Tomás Ruiz",
        "given name",
    ),
    (f"Oka{ZWSP}for showed it", f"Oka{ZWSP}for", "Rita Okafor", "surname"),
    ("Session INT-OKAFOR-01", "OKAFOR", "Rita Okafor", "surname"),
    ("code S3_Okafor2", "Okafor", "Rita Okafor", "surname"),
    ("code SessionOkafor", "Okafor", "Rita Okafor", "surname"),
    ("mail rita.okafor@ovig.example", "rita.okafor", "Rita Okafor", "full name"),
    ("RitaOkafor wrote", "RitaOkafor", "Rita Okafor", "full name"),
    ("Ｏｋａｆｏｒ (full width)", "Ｏｋａｆｏｒ", "Rita Okafor", "surname"),
    ("Ms Li agreed", "Ms Li", "Ann Li", "honorific and name"),
    ("A. Li agreed", "A. Li", "Ann Li", "initial and surname"),
    ("Zoe Orsted", "Zoe Orsted", "Zoë Ørsted", "full name"),
    ("Ms Okonkwo-Baptiste agreed", "Ms Okonkwo-Baptiste", "Rosalind Okonkwo-Baptiste", "honorific and name"),
    ("Okonkwo said so", "Okonkwo", "Rosalind Okonkwo-Baptiste", "surname"),
    ("R. Okonkwo Baptiste", "R. Okonkwo Baptiste", "Rosalind Okonkwo-Baptiste", "initial and surname"),
    ("Dr Baptiste", "Dr Baptiste", "Rosalind Okonkwo-Baptiste", "honorific and name"),
    ("the Chief Operating Officer said", "Chief Operating Officer", "Chief Operating Officer", "role"),
    ("the chief  operating\nofficer said", "chief  operating\nofficer", "Chief Operating Officer", "role"),
    ("the COO said", "COO", "COO", "role"),
    ("ask rokafor@ovig", "rokafor", "Rita Okafor", "initial and surname"),
    ("the blue-team said", "blue-team", "Blue Team", "identifier"),
    ("Big E said", "Big E", "Big E", "identifier"),
    ("In Claims, nobody", "Claims", "Claims", "unit"),
    ("road assist never", "road assist", "Road Assist", "unit"),
]


@pytest.mark.parametrize(("text", "found", "term", "form"), VARIANTS, ids=[v[0] for v in VARIANTS])
def test_every_way_of_writing_a_name_is_found_where_it_is(text: str, found: str, term: str, form: str) -> None:
    matches = matcher().find(text)
    assert [(m.found_in(text), m.term, m.form) for m in matches] == [(found, term, form)]


@pytest.mark.parametrize(("text", "found", "term", "form"), VARIANTS, ids=[v[0] for v in VARIANTS])
def test_masking_leaves_nothing_of_the_name(text: str, found: str, term: str, form: str) -> None:
    masked = matcher().mask(text)
    assert any(p in masked for p in (WITHHELD_NAME, WITHHELD_ROLE, WITHHELD_UNIT))
    assert folded(found).strip() not in folded(masked)


@pytest.mark.parametrize(
    "text",
    [
        "A LI rating for Policies",  # a short surname needs the initial's full stop
        "the Analyst said",  # a role two people hold identifies nobody
        "Ritas and Okafors",  # whole names only
        "ritual, okay, for",
        "Claimsets",
        "rated LI by the team",
    ],
)
def test_ordinary_words_are_left_alone(text: str) -> None:
    assert [m.found_in(text) for m in matcher().find(text) if m.kind is not IdentifierKind.UNIT] == []
    if "Claims" in text:
        assert matcher().find(text) == []


def test_units_are_found_only_when_the_plan_does_not_announce_unit_specific_findings() -> None:
    assert [m.term for m in matcher(allowed=True).find("In Claims, Okafor")] == ["Rita Okafor"]


def test_roles_held_by_one_person_identify_them_and_shared_roles_do_not() -> None:
    holders = [("A B", "Coach"), ("A B", "coach"), ("C D", "Clerk"), ("E F", "Clerk"), ("G H", "QA")]
    assert unique_roles(holders) == ["Coach"]  # "QA" is too short to match safely; clerks are two


def test_a_role_s_acronym_identifies_its_holder_when_it_is_long_enough() -> None:
    assert role_acronym("Chief Operating Officer") == "COO"
    assert role_acronym("Vice-President of Service Delivery") == "VPSD"
    assert role_acronym("Vice President") is None  # "VP" is too short to take for a role
    assert [m.term for m in matcher().find("Ask the coo or the CEO")] == ["COO"]


def test_segments_give_back_the_original_text_and_the_masked_one() -> None:
    text = "Okafor's log, per E. Marchetti."
    pieces = matcher().segments(text)
    assert "".join(original for _shown, original in pieces) == text
    assert "".join(shown for shown, _original in pieces) == "[name withheld]'s log, per [name withheld]."


NAME_PARTS = st.sampled_from(
    ["Okafor", "OKAFOR", "okafor", "Ms Okafor", "Ms. Okafor", "R. Okafor", "Rita Okafor", "Rita", "rita.okafor"]
)
FILLER = st.text(alphabet=st.sampled_from(list("abc xyz.,;:!?-'()\n0123456789")), max_size=20)


@settings(max_examples=200, deadline=None)
@given(FILLER, NAME_PARTS, FILLER)
def test_a_name_anywhere_in_any_text_is_masked(before: str, name: str, after: str) -> None:
    # Separate the name from the filler so it stands as a word, as a reader would see it.
    text = f"{before} {name} {after}"
    masked = matcher().mask(text)
    assert "okafor" not in folded(masked).replace(folded(WITHHELD_NAME), "")
    assert "rita" not in folded(masked).replace(folded(WITHHELD_NAME), "")


def restored(stored: str, edit: Callable[[str], str]) -> str:
    m = matcher()
    return restore_names(m.segments(stored), edit(m.mask(stored)))


def test_a_masked_text_a_team_member_extended_gets_its_names_back() -> None:
    stored = "Rita Okafor showed the risk log."
    assert restored(stored, lambda masked: masked) == stored
    assert restored(stored, lambda masked: masked + " It is kept weekly.") == stored + " It is kept weekly."
    assert restored(stored, lambda m: "Before that, " + m.replace("risk log", "risk register")) == (
        "Before that, Rita Okafor showed the risk register."
    )
    # What the person deleted stays deleted, names included; a placeholder they typed stays as typed.
    assert restored(stored, lambda m: "Someone showed the risk log.") == "Someone showed the risk log."
    assert restored("Okafor, then Marchetti.", lambda m: m.replace("then", "and later")) == (
        "Okafor, and later Marchetti."
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(FILLER, NAME_PARTS), max_size=8), FILLER)
def test_unchanged_masked_text_restores_byte_for_byte_and_additions_are_kept(pieces: list[str], added: str) -> None:
    stored = " ".join(pieces)
    assert restored(stored, lambda masked: masked) == stored
    assert restored(stored, lambda masked: masked + added) == stored + added
