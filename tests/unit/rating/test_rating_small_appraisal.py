"""A small appraisal rated end to end, compared with a hand-checked expected JSON file.

SM (target CL2) and CMMI-SVC IRP (target CL1); basic units Claims and Policies (subgroup "Auto") do both,
the support function Security Office does SM only. Why each expected value is what it is:

SM
- ESP1.1 FI/FI/FI -> FI (ROLLUP_V13_ALL_FI_OR_NY). Policies has an artifact but no affirmation: proposal NI.
- ESP1.2 LI/NY/FI -> LI (ROLLUP_V13_ALL_LI_FI_OR_NY); the NY cell needs no artifact (no gap).
- ESP2.1 FI/PI/FI -> team judgment LI/PI/NI; the team chose PI on these very values, so the OU value is PI.
- GP2.1 FI/FI/FI -> FI; GP2.2 FI/FI/LI -> LI.
- ESG1: FI and LI, so rule 3 asks the team whether the weakness is significant. The team said Satisfied when
  the weakness read "Approach not reviewed" (its digest is in the inputs); it now reads "... by management": the decision is stale, ESG1 is
  Not Rated, judgment needed, Satisfied proposed again (GOAL_DECISION_STALE).
- ESG2 Unsatisfied (rule 4: ESP2.1 PI). GG2: FI and LI; the team judged the GP2.2 weakness significant on the
  current inputs: Unsatisfied (GOAL_R4_TEAM_SIGNIFICANT). CL0: ESG2 Unsatisfied stops CL1.
IRP
- SP1.1 FI/LI; Policies' LI has no weakness, so that cell breaks a value rule and counts as not characterized
  (ROLLUP_INVALID_VALUE): the OU value is open.
- SP1.2 PI/NI -> judgment; the team recorded FI, which the rule does not allow: conflict, OU value stays open.
- SP2.1 FI/FI -> FI, but Policies has no adequate artifact: sufficiency gap.
- SG1 Not Rated (rule 1: SP1.1 invalid, SP1.2 awaits judgment); SG2 Not Rated (rule 2: the gap). CL Not Rated.
Coverage: Policies lacks artifacts for SP1.2 and SP2.1. Subgroup Auto meets B1 (Claims has artifacts and
affirmations for SM and IRP), B2 (both units do for IRP), B3 and F2 (Claims covers SM, which the Security
Office shares).
Non-attribution: finding #1 names the unit Policies; a weakness names the participant Ann Lee.
No target ML: maturity not requested; equivalent staging needs WP (the catalog's only ML2 PA) in scope.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from app.domain.catalog import Catalog, Goal, GoalKind, Model, ModelKind, Practice, ProcessArea
from app.domain.plan import PaKey
from app.domain.rating import (
    AppraisalFacts,
    FindingText,
    GoalKey,
    GoalOverride,
    GoalRating,
    OuDecision,
    PracticeKey,
    RatingEngine,
    Scale,
    ScopeItem,
    result_to_json,
    result_to_text,
)
from tests.unit.rating.rating_builders import bu, cell, sf

EXPECTED = Path(__file__).with_name("expected_small_appraisal.json")


def _goal(code: str, kind: GoalKind, practices: list[str]) -> Goal:
    return Goal(code, f"Goal {code}", kind, tuple(Practice(p, f"Practice {p}") for p in practices))


def small_catalog() -> Catalog:
    generic = (
        _goal("GG1", GoalKind.GENERIC, ["GP1.1"]),
        _goal("GG2", GoalKind.GENERIC, ["GP2.1", "GP2.2"]),
        _goal("GG3", GoalKind.GENERIC, ["GP3.1"]),
    )
    irp = ProcessArea(
        "IRP",
        "Incident Resolution and Prevention",
        "Service Establishment and Delivery",
        (_goal("SG1", GoalKind.SPECIFIC, ["SP1.1", "SP1.2"]), _goal("SG2", GoalKind.SPECIFIC, ["SP2.1"])),
        maturity_level=3,
    )
    wp = ProcessArea(
        "WP",
        "Work Planning",
        "Project and Work Management",
        (_goal("SG1", GoalKind.SPECIFIC, ["SP1.1"]),),
        maturity_level=2,
    )
    svc = Model("CMMI-SVC", "1.3", "CMMI-SVC subset", ModelKind.MODEL, (irp, wp), generic, has_maturity_levels=True)
    sm_area = ProcessArea(
        "SM",
        "Security Management",
        "Service Establishment and Delivery",
        (_goal("ESG1", GoalKind.SPECIFIC, ["ESP1.1", "ESP1.2"]), _goal("ESG2", GoalKind.SPECIFIC, ["ESP2.1"])),
    )
    sm = Model("SM", "1.0", "Security Management", ModelKind.PSEUDO_PA, (sm_area,), generic_goals_from="CMMI-SVC")
    return Catalog((svc, sm))


def small_appraisal() -> AppraisalFacts:
    sm, irp = "SM", "CMMI-SVC"
    office = "Security Office"
    return AppraisalFacts(
        scale=Scale.V13,
        catalog=small_catalog(),
        scope=(ScopeItem("SM", "SM", 2), ScopeItem("CMMI-SVC", "IRP", 1)),
        units=(bu("Claims", "Auto"), bu("Policies", "Auto"), sf(office, [PaKey("SM", "SM")])),
        instantiations=(
            cell(sm, "SM", "ESP1.1", "Claims", "FI"),
            cell(sm, "SM", "ESP1.1", "Policies", "FI", affirmations=0),
            cell(sm, "SM", "ESP1.1", office, "FI", artifacts=2),
            cell(sm, "SM", "ESP1.2", "Claims", "LI", weakness="Approach not reviewed by management"),
            cell(sm, "SM", "ESP1.2", "Policies", "NY", artifacts=0, affirmations=0, not_yet=True),
            cell(sm, "SM", "ESP1.2", office, "FI"),
            cell(sm, "SM", "ESP2.1", "Claims", "FI"),
            cell(
                sm,
                "SM",
                "ESP2.1",
                "Policies",
                "PI",
                affirmations=0,
                weakness="Monitoring reports missing for two quarters",
            ),
            cell(sm, "SM", "ESP2.1", office, "FI"),
            cell(sm, "SM", "GP2.1", "Claims", "FI"),
            cell(sm, "SM", "GP2.1", "Policies", "FI", affirmations=0),
            cell(sm, "SM", "GP2.1", office, "FI"),
            cell(sm, "SM", "GP2.2", "Claims", "FI"),
            cell(sm, "SM", "GP2.2", "Policies", "FI", affirmations=0),
            cell(sm, "SM", "GP2.2", office, "LI", weakness="Plan lacks resource estimates"),
            cell(irp, "IRP", "SP1.1", "Claims", "FI"),
            cell(irp, "IRP", "SP1.1", "Policies", "LI"),
            cell(irp, "IRP", "SP1.2", "Claims", "PI", weakness="Ann Lee keeps the incident log on paper only"),
            cell(irp, "IRP", "SP1.2", "Policies", "NI", artifacts=0, affirmations=0, weakness="No incident system"),
            cell(irp, "IRP", "SP2.1", "Claims", "FI"),
            cell(irp, "IRP", "SP2.1", "Policies", "FI", artifacts=0),
        ),
        ou_decisions=(
            OuDecision(
                PracticeKey("SM", "SM", "ESP2.1"),
                "PI",
                "Monitoring gaps in one of three units affect the whole service",
                "Team",
                datetime(2026, 3, 4, 10, 30),
                '{"values":[["Claims","FI"],["Policies","PI"],["Security Office","FI"]],'
                '"weaknesses":[["Policies","73eb57efa4250e95"]]}',
            ),
            OuDecision(PracticeKey("CMMI-SVC", "IRP", "SP1.2"), "FI", "Paper log is acceptable", "Team"),
        ),
        goal_overrides=(
            GoalOverride(
                GoalKey("SM", "SM", "GG2"),
                GoalRating.UNSATISFIED,
                "Resource planning weakness is significant for the security plan",
                "Lead",
                datetime(2026, 3, 5, 16, 0),
                '{"ou":[["GP2.1","FI"],["GP2.2","LI"]],"weaknesses":[["GP2.2","Security Office","87676e7fcaedee5e"]]}',
            ),
            GoalOverride(
                GoalKey("SM", "SM", "ESG1"),
                GoalRating.SATISFIED,
                "An unreviewed approach does not put threat assessment at risk",
                "Lead",
                datetime(2026, 3, 5, 16, 5),
                '{"ou":[["ESP1.1","FI"],["ESP1.2","LI"]],"weaknesses":[["ESP1.2","Claims","097c55de8a099d7e"]]}',
            ),
        ),
        participant_names=("Ann Lee",),
        findings=(
            FindingText("finding #1", "Incident records in Policies are incomplete"),
            FindingText("finding #2", "Threat assessment approach not yet reviewed"),
        ),
    )


def test_small_appraisal_matches_the_hand_checked_json() -> None:
    actual = result_to_json(RatingEngine(small_appraisal()).result)
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert json.loads(json.dumps(actual)) == expected


def test_small_appraisal_json_has_the_stable_schema_keys() -> None:
    data = result_to_json(RatingEngine(small_appraisal()).result)
    assert {"scale", "maturity_level", "process_areas", "coverage_gaps"} <= data.keys()
    pa = data["process_areas"][0]
    assert {"model", "pa", "capability_level", "target_capability_level", "goals"} <= pa.keys()
    goal = pa["goals"][0]
    assert {"id", "kind", "rating", "overridden", "reasons", "practices"} <= goal.keys()
    assert {"id", "ou", "judgment_needed", "allowed", "instantiations"} <= goal["practices"][0].keys()
    assert {"model", "pa", "practice", "unit", "missing"} <= data["coverage_gaps"][0].keys()


def test_small_appraisal_as_text() -> None:
    text = result_to_text(RatingEngine(small_appraisal()).result)
    assert "SM SM  Security Management  CL0 (target CL2)" in text
    assert "  GG2      Unsatisfied     GOAL_R4_TEAM_SIGNIFICANT  (team decision)" in text
    assert "  ESG1     Not Rated       GOAL_DECISION_STALE  STALE decision (re-confirm Satisfied)" in text
    assert "    SP1.2    OU ?   Claims=PI  Policies=NI  choose: LI/PI/NI" in text
    assert "CMMI-SVC IRP  Incident Resolution and Prevention  Not Rated (target CL1)" in text
    assert "Maturity level: not rated (ML_NOT_REQUESTED" in text
    assert "  - Sufficiency: no adequate artifact for IRP SP2.1 in 'Policies'" in text
    assert "  - finding #1: unit name 'Policies'" in text
