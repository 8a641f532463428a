"""JSON and text output for cases the small appraisal does not show: excluded PAs, V2 values, staged ratings."""

from __future__ import annotations

import json

from app.domain.rating import RatingEngine, Scale, ScopeItem, result_to_json, result_to_text
from tests.unit.rating.rating_builders import SVC, SVC_LEVELS, bu, cell, facts, filled


def test_excluded_process_area_in_json_and_text() -> None:
    scope = [
        ScopeItem(SVC, "SAM", 2, excluded=True, exclusion_reason="no supplier agreements"),
        ScopeItem(SVC, "WP", 2),
    ]
    result = RatingEngine(filled(facts(scope, [bu("Claims")]), "FI")).result
    sam = result_to_json(result)["process_areas"][0]
    assert (sam["pa"], sam["excluded"], sam["capability_level"], sam["capability_rule"]) == (
        "SAM",
        True,
        None,
        "CL_NOT_APPLICABLE",
    )
    assert [(g["id"], g["rating"]) for g in sam["goals"]] == [("SG1", "Not Applicable"), ("GG2", "Not Applicable")]
    assert sam["goals"][0]["reasons"] == ["GOAL_NOT_APPLICABLE: the process area is excluded (no supplier agreements)"]
    assert "CMMI-SVC SAM  SAM area  N/A (target CL2)" in result_to_text(result)


def test_v2_values_and_nc_serialize_as_codes() -> None:
    base = facts([ScopeItem(SVC, "WP", 1)], [bu("Claims"), bu("Policies")], scale=Scale.V2)
    base = filled(base, "FM")
    cells = [c for c in base.instantiations if c.key.unit != "Policies"]
    cells.append(cell(SVC, "WP", "SP1.1", "Policies", "NC"))
    result = RatingEngine(facts(base.scope, base.units, cells, scale=Scale.V2)).result
    data = json.loads(json.dumps(result_to_json(result)))
    practice = data["process_areas"][0]["goals"][0]["practices"][0]
    assert data["scale"] == "v2"
    assert (practice["ou"], practice["rule"], practice["instantiations"]) == (
        "NC",
        "ROLLUP_V2_ANY_NC",
        {"Claims": "FM", "Policies": "NC"},
    )
    assert data["process_areas"][0]["goals"][0]["rating"] == "Not Rated"
    assert "Ratings (CMMI V2.0/V3.0 scale)" in result_to_text(result)


def test_staged_rating_and_maturity_level_in_json() -> None:
    scope = [ScopeItem(SVC, pa) for pa, level in SVC_LEVELS.items() if level == 2]
    data = result_to_json(RatingEngine(filled(facts(scope, [bu("Claims")], target_ml=2), "FI")).result)
    assert (data["maturity_level"], data["target_maturity_level"], data["maturity"]["rule"]) == (2, 2, "ML_2")
    assert {pa["staged_rating"] for pa in data["process_areas"]} == {"Satisfied"}
