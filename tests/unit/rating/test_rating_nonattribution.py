"""Non-attribution (method-rules §9): names of participants and units found in texts for the organization."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from app.domain.name_matcher import folded
from app.domain.rating import AttributionFlag, AttributionKind, FindingText, RatingEngine, ScopeItem, scan_texts
from app.domain.rating.nonattribution import NameScanner
from tests.unit.rating.rating_builders import SVC, bu, cell, facts

P, U = AttributionKind.PARTICIPANT, AttributionKind.UNIT
PEOPLE = ["Ann Lee", "Bo", "Marta  Ruiz"]
UNITS = ["Claims", "Road Assist"]


def scan(*texts: str, allowed: bool = False) -> list[tuple[str, str, AttributionKind]]:
    items = [FindingText(f"finding #{i}", t) for i, t in enumerate(texts, 1)]
    return [
        (f.location, f.term, f.kind) for f in scan_texts(items, PEOPLE, UNITS, unit_specific_findings_allowed=allowed)
    ]


def test_participant_name_is_flagged_case_insensitively_with_its_location() -> None:
    assert scan("Configuration audits were skipped, said ANN LEE.") == [("finding #1", "Ann Lee", P)]


def test_extra_whitespace_and_line_breaks_between_name_parts_still_match() -> None:
    assert scan("Per Ann \n  Lee the plan is old", "marta ruiz confirmed") == [
        ("finding #1", "Ann Lee", P),
        ("finding #2", "Marta Ruiz", P),
    ]


def test_whole_words_only() -> None:
    assert scan("Claimsets are reviewed; Annlees is a tool", "Road Assistance teams") == []


def test_names_shorter_than_three_characters_are_ignored() -> None:
    assert scan("Bo said the bonus scheme is unclear") == []


def test_unit_names_are_flagged_unless_unit_specific_findings_were_agreed() -> None:
    assert scan("The Claims team has no incident log; road assist neither") == [
        ("finding #1", "Claims", U),
        ("finding #1", "Road Assist", U),
    ]
    assert scan("The Claims team has no incident log", allowed=True) == []


def test_participant_names_are_flagged_even_when_unit_specific_findings_are_allowed() -> None:
    assert scan("Ann Lee in Claims", allowed=True) == [("finding #1", "Ann Lee", P)]


def test_names_with_punctuation_at_the_edges_are_matched_whole() -> None:
    flags = scan_texts([FindingText("x", "the R&D group, and R&Dx")], [], ["R&D"], unit_specific_findings_allowed=False)
    assert flags == [AttributionFlag("x", "R&D", U)]


def test_engine_scans_findings_and_the_weakness_texts_of_instantiations() -> None:
    base = facts(
        [ScopeItem(SVC, "IRP", 1)],
        [bu("Claims"), bu("Policies")],
        [cell(SVC, "IRP", "SP1.1", "Claims", "LI", weakness="Ann Lee could not show the incident log")],
        participant_names=("Ann Lee",),
        findings=(FindingText("finding #3", "Policies lacks a defined approach"),),
    )
    flags = [(f.location, f.term, f.kind) for f in RatingEngine(base).result.attribution_flags]
    assert flags == [
        ("finding #3", "Policies", U),
        ("weakness CMMI-SVC IRP SP1.1 / Claims", "Ann Lee", P),
    ]


_NAME_WORDS = st.sampled_from(
    ["Ann", "Lee", "R&D", "Ops.", "ann", "Kåre", "Ünal", "Kate", "bo_b", "x-ray", "Ian", "\u212aim"]
)
_TEXT_BITS = st.sampled_from(
    [
        "Ann",
        "lee",
        "LEE",
        " ",
        "  ",
        "\n",
        "R&D",
        "r&dx",
        "ops.",
        "OPS",
        "kåre",
        "KÅRE",
        "ünal",
        "\u212aate",
        "İan",
        "bo_b",
        "x-ray",
        "xray",
        ",",
        ".",
        "(",
        "ſ",
        "é",
        "7",
        "kim",
    ]
)


@example(names=["\u212aim"], texts=["kim", "KIM."])  # a Kelvin sign folds to an ASCII k
@example(names=["Ian Lee"], texts=["İan  lee"])
@example(names=["Kåre x-ray"], texts=["kimxray", "ms.x-ray", "msxray"])  # middle initials and honorifics set off
@example(names=["x-ray Ann"], texts=["xray"])  # the initial glued to one part of a double surname
@example(names=["Jan van der Berg"], texts=["janvan derberg", "mr van derberg", "jvan"])  # runs of the name's words
@given(
    names=st.lists(st.lists(_NAME_WORDS, min_size=1, max_size=3).map(" ".join), max_size=6),
    texts=st.lists(st.lists(_TEXT_BITS, max_size=12).map("".join), min_size=1, max_size=4),
)
def test_the_word_gate_flags_exactly_what_matching_every_name_would(names: list[str], texts: list[str]) -> None:
    scanner = NameScanner(names, [], unit_specific_findings_allowed=False)
    matcher = scanner.matcher
    # Without the gate: one regex over every form of every name, run on every text.
    pattern, forms = matcher._pattern_for(tuple(range(len(matcher.identifiers))))
    for text in texts:
        found = [forms[m.lastindex - 1].identifier for m in pattern.finditer(folded(text)) if m.lastindex]
        everything = [AttributionFlag("t", i.text, i.kind) for i in dict.fromkeys(found)]
        assert scanner.scan("t", text) == everything
