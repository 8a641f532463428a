"""The two characterization scales: one-key entry, labels, order, and refusing values of the other scale."""

from __future__ import annotations

import pytest

from app.domain.rating import Grade, Scale, V2Value, V13Value


def test_v13_one_key_entry_letters() -> None:
    assert [Scale.V13.from_key(k) for k in "FLPNY"] == list(V13Value)
    assert Scale.V13.from_key("f") is V13Value.FI
    assert Scale.V13.from_key("D") is None
    assert Scale.V13.from_key("C") is None


def test_v2_one_key_entry_letters() -> None:
    assert [Scale.V2.from_key(k) for k in "FLPDYC"] == list(V2Value)
    assert Scale.V2.from_key("N") is None


def test_display_labels() -> None:
    assert Scale.V13.label("PI") == "Partially Implemented"
    assert Scale.V13.label("NY") == "Not Yet"
    assert Scale.V2.label("DM") == "Does Not Meet"
    assert Scale.V2.label("NC") == "Not Characterized"


def test_values_in_display_order() -> None:
    assert Scale.V13.values == (V13Value.FI, V13Value.LI, V13Value.PI, V13Value.NI, V13Value.NY)
    assert sorted(["NY", "PI", "FI", "NI", "LI"], key=Scale.V13.order) == ["FI", "LI", "PI", "NI", "NY"]
    assert sorted(["NC", "DM", "FM"], key=Scale.V2.order) == ["FM", "DM", "NC"]


def test_grades_are_shared_across_scales() -> None:
    for grade in (Grade.FULL, Grade.LARGE, Grade.PARTIAL, Grade.NOT_MET, Grade.NOT_YET):
        assert Scale.V13.grade(Scale.V13.value_for(grade)) is grade
        assert Scale.V2.grade(Scale.V2.value_for(grade)) is grade
    assert Scale.V2.value_for(Grade.NOT_CHARACTERIZED) is V2Value.NC


def test_parse_accepts_lower_case_and_returns_the_scales_own_member() -> None:
    assert Scale.V13.parse(" li ") is V13Value.LI
    assert Scale.V13.parse(V2Value.NY) is V13Value.NY


def test_a_value_of_the_other_scale_is_refused_with_the_valid_values() -> None:
    with pytest.raises(ValueError, match=r"'FM' is not a value of the SCAMPI v1.3 scale \(FI, LI, PI, NI, NY\)"):
        Scale.V13.parse("FM")
    with pytest.raises(ValueError, match="no value meaning 'not characterized'"):
        Scale.V13.value_for(Grade.NOT_CHARACTERIZED)
