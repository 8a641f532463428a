"""Go-to: practice, goal and process-area ids typed in any common form name the right place."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.pasted_values import read_block, read_value, split_block
from app.domain.places import Place, PlaceKind, find_places, spelling
from app.domain.rating.scales import Scale

PLACES = [
    Place(PlaceKind.PROCESS_AREA, "SM", "SM", title="Security Management"),
    Place(PlaceKind.GOAL, "SM", "SM", "ESG1"),
    Place(PlaceKind.PRACTICE, "SM", "SM", "ESG1", "ESP1.4"),
    Place(PlaceKind.PRACTICE, "SM", "SM", "GG2", "GP2.9"),
    Place(PlaceKind.PROCESS_AREA, "CMMI-SVC", "IRP"),
    Place(PlaceKind.GOAL, "CMMI-SVC", "IRP", "SG3"),
    Place(PlaceKind.PRACTICE, "CMMI-SVC", "IRP", "SG3", "SP3.1"),
    Place(PlaceKind.PRACTICE, "CMMI-SVC", "IRP", "SG3", "SP3.2"),
    Place(PlaceKind.PRACTICE, "CMMI-SVC", "IRP", "GG2", "GP2.9"),
    Place(PlaceKind.PROCESS_AREA, "CMMI-SVC", "RSKM"),
    Place(PlaceKind.PRACTICE, "CMMI-SVC", "RSKM", "SG3", "SP3.1"),
    Place(PlaceKind.PROCESS_AREA, "CERT-RMM", "MON"),
    Place(PlaceKind.GOAL, "CERT-RMM", "MON", "MON:SG1"),
    Place(PlaceKind.PRACTICE, "CERT-RMM", "MON", "MON:SG1", "MON:SG1.SP1"),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("IRP SP3.1", ["CMMI-SVC IRP SP3.1"]),
        ("irp sp 3.1", ["CMMI-SVC IRP SP3.1"]),
        ("IRP:SP3.1", ["CMMI-SVC IRP SP3.1"]),
        ("CMMI-SVC IRP SP3.1", ["CMMI-SVC IRP SP3.1"]),
        ("SVC IRP SP3.1", ["CMMI-SVC IRP SP3.1"]),
        ("SP 3.1", ["CMMI-SVC IRP SP3.1", "CMMI-SVC RSKM SP3.1"]),
        ("ESP1.4", ["SM ESP1.4"]),
        ("SM ESP1.4", ["SM ESP1.4"]),
        ("SM SM ESP1.4", ["SM ESP1.4"]),
        ("RSKM", ["CMMI-SVC RSKM"]),
        ("SM", ["SM"]),
        ("IRP SG3", ["CMMI-SVC IRP SG3"]),
        ("SG3", ["CMMI-SVC IRP SG3"]),
        ("MON SG1.SP1", ["CERT-RMM MON SG1.SP1"]),
        ("MON:SG1.SP1", ["CERT-RMM MON SG1.SP1"]),
        ("CERT-RMM MON:SG1.SP1", ["CERT-RMM MON SG1.SP1"]),
        ("RMM MON SG1", ["CERT-RMM MON SG1"]),
        ("SM GP2.9", ["SM GP2.9"]),
        ("GP2.9", ["SM GP2.9", "CMMI-SVC IRP GP2.9"]),
        ("IRP SP3", ["CMMI-SVC IRP SP3.1", "CMMI-SVC IRP SP3.2"]),
        ("SP9.9", []),
        ("3.1", []),
        ("", []),
    ],
)
def test_a_typed_id_names_its_places(query: str, expected: list[str]) -> None:
    assert [p.label for p in find_places(query, PLACES)] == expected


def test_a_prefix_offers_the_closest_completion_first() -> None:
    assert [p.label for p in find_places("IRP S", PLACES)][:1] == ["CMMI-SVC IRP SG3"]


@given(st.text(max_size=30))
def test_any_text_is_answered_without_error_and_within_the_limit(text: str) -> None:
    found = find_places(text, PLACES, limit=5)
    assert len(found) <= 5
    assert all(place in PLACES for place in found)


@given(st.sampled_from(PLACES), st.sampled_from([" ", "", ":", "  "]), st.booleans())
def test_every_place_is_found_by_its_own_label_however_spaced_and_cased(place: Place, sep: str, lower: bool) -> None:
    typed = place.label.replace(" ", sep)
    assert place in find_places(typed.lower() if lower else typed, PLACES)


def test_spelling_drops_case_spaces_and_separators_but_keeps_the_dot() -> None:
    assert spelling(" irp: sp 3.1 ") == "IRPSP3.1"


@pytest.mark.parametrize(
    ("text", "value"),
    [("FI", "FI"), ("fi", "FI"), ("F", "FI"), (" largely implemented ", "LI"), ("Not Yet", "NY"), ("X", None)],
)
def test_a_pasted_text_names_a_value_by_code_key_or_label(text: str, value: str | None) -> None:
    assert read_value(Scale.V13, text) == value


def test_a_pasted_block_keeps_its_shape_skips_blanks_and_explains_bad_values() -> None:
    assert split_block("FI\tLI\r\n\tPI\r\n") == [["FI", "LI"], ["", "PI"]]
    cells = read_block(Scale.V2, "FM\n\nmaybe\nd\n")
    assert [(c.row, c.column, c.value) for c in cells] == [(0, 0, "FM"), (2, 0, None), (3, 0, "DM")]
    assert "FM (F)" in cells[1].problem and "“maybe”" in cells[1].problem
