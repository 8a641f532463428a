"""Team decisions through the services, on a real appraisal file: bounded by the rules, stale with their inputs.

Issue 11's cases 1-5 each have a test here that fails on the engine before it.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, ScopeEntry, SubgroupPlan, UnitKind, UnitPlan
from app.domain.rating import GoalKey, GoalRating, GoalResult, InstantiationKey, PracticeResult, RatingResult
from app.services import appraisals
from app.services.characterize import CellKey, CellState, set_cell
from app.services.decisions import (
    GoalOverride,
    goal_overrides,
    ou_decisions,
    restore_goal_override,
    set_goal_override,
    set_ou_decision,
)
from app.services.ratings import LiveRatings, rate_appraisal
from app.services.workspace import Workspace
from app.storage.errors import KnownError
from app.storage.instantiation_repo import instantiations
from app.storage.schema import Affirmation, Artifact, EvidenceLink, GoalRatingOverride, InterviewSession

IRP = ("CMMI-SVC", "IRP")
PLAN = Plan(
    name="d",
    scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 1),),
    subgroups=(SubgroupPlan("North"),),
    units=(
        UnitPlan("Claims", UnitKind.BASIC_UNIT, subgroup="North"),
        UnitPlan("Policies", UnitKind.BASIC_UNIT, subgroup="North"),
    ),
)
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "schema"


def add_evidence(ws: Workspace, *, skip: tuple[str, str] | None = None) -> None:
    """One adequate artifact and one affirmation for every instantiation (but `skip`'s (practice, unit))."""
    now = datetime(2026, 3, 1)
    with ws.uow() as uow:
        s = uow.session
        artifact = Artifact(title="Incident procedure", added_at=now)
        session = InterviewSession(code="S1", held_at=now)
        s.add_all([artifact, session])
        s.flush()
        affirmation = Affirmation(session_id=session.id, position=0, text="We do it.", created_at=now)
        s.add(affirmation)
        s.flush()
        for cell in instantiations(s, ws.catalog()):
            if skip == (cell.practice, cell.unit):
                continue
            for source in ({"artifact_id": artifact.id}, {"affirmation_id": affirmation.id}):
                s.add(
                    EvidenceLink(
                        process_area_id=cell.pa_id, practice_id=cell.practice_id, unit_id=cell.unit_id, **source
                    )
                )
        uow.commit()


def characterize(ws: Workspace, practice: str, claims: str, policies: str, weakness: str = "") -> None:
    for unit, value in (("Claims", claims), ("Policies", policies)):
        weak = weakness if value != "FI" else ""
        set_cell(ws, CellKey(*IRP, "SG1", practice, unit), CellState(value, weaknesses=weak))


@pytest.fixture
def ws(appraisal_target: str | Path, catalog: Catalog) -> Iterator[Workspace]:
    """On a file and on a team server (tests/conftest.py: appraisal_target)."""
    workspace = appraisals.create_appraisal(appraisal_target, PLAN, catalog, who="Lee")
    add_evidence(workspace)
    yield workspace
    workspace.close()


def goal(result: RatingResult, code: str = "SG1") -> GoalResult:
    area = result.process_area(*IRP)
    assert area is not None
    found = area.goal(code)
    assert found is not None
    return found


def practice(result: RatingResult, code: str) -> PracticeResult:
    area = result.process_area(*IRP)
    assert area is not None
    found = area.practice(code)
    assert found is not None
    return found


# --- case 1: goal decisions never raise a goal past rules 1, 2 or 4 --------------------------------------------


def test_case1_overriding_to_satisfied_a_goal_with_a_pi_practice_is_refused_with_the_rule(ws: Workspace) -> None:
    characterize(ws, "SP1.1", "FI", "FI")
    characterize(ws, "SP1.2", "FI", "PI", "No trend analysis")
    set_ou_decision(ws, *IRP, "SG1", "SP1.2", "PI", "Missing in one of two units")
    with pytest.raises(KnownError, match=r"IRP SG1 cannot be rated Satisfied by the team: GOAL_R4_UNSATISFIED applies"):
        set_goal_override(ws, *IRP, "SG1", "Satisfied", "We like it")
    assert goal_overrides(ws) == {}
    result = rate_appraisal(ws)
    assert goal(result).rating is GoalRating.UNSATISFIED
    assert result.process_areas[0].capability.level == 0


@pytest.mark.parametrize(
    ("setup", "rating", "rule"),
    [
        ("pending", "Satisfied", "GOAL_R1_NOT_CHARACTERIZED_OR_NY"),
        ("ny", "Satisfied", "GOAL_R1_NOT_CHARACTERIZED_OR_NY"),
        ("gap", "Satisfied", "GOAL_R2_COVERAGE"),
        ("all-fi", "Not Applicable", "excluding the process area in the plan"),
        ("all-fi", "Not Rated", "Not Rated is not a team decision"),
    ],
)
def test_case1_overrides_the_rules_do_not_allow_are_refused(
    tmp_path: Path, catalog: Catalog, setup: str, rating: str, rule: str
) -> None:
    ws = appraisals.create_appraisal(tmp_path / "x.appraisal", PLAN, catalog, who="Lee")
    try:
        add_evidence(ws, skip=("SP1.2", "Policies") if setup == "gap" else None)
        characterize(ws, "SP1.1", "FI", "FI")
        second = {"pending": ("FI", "PI"), "ny": ("NY", "NY")}.get(setup, ("FI", "FI"))
        characterize(ws, "SP1.2", *second, weakness="No trend analysis")
        with pytest.raises(KnownError, match=rule):
            set_goal_override(ws, *IRP, "SG1", rating, "The team insists")
        assert goal_overrides(ws) == {}
        assert goal(rate_appraisal(ws)).rating.value != rating
    finally:
        ws.close()


def test_case1_an_override_stored_against_the_rules_is_kept_as_a_conflict_and_not_used(ws: Workspace) -> None:
    characterize(ws, "SP1.1", "FI", "FI")
    characterize(ws, "SP1.2", "FI", "PI", "No trend analysis")
    set_ou_decision(ws, *IRP, "SG1", "SP1.2", "PI", "Missing in one of two units")
    # As an older version of the tool let the team store it.
    restore_goal_override(ws, *IRP, "SG1", GoalOverride("Satisfied", "Seen on site", "Kim"))
    result = rate_appraisal(ws)
    found = goal(result)
    assert (found.rating, found.overridden) == (GoalRating.UNSATISFIED, False)
    assert found.conflict is not None and "GOAL_R4_UNSATISFIED" in found.conflict
    assert result.process_areas[0].capability.level == 0
    assert goal_overrides(ws)[(*IRP, "SG1")].rationale == "Seen on site"


def test_lowering_a_satisfied_goal_is_the_teams_to_make(ws: Workspace) -> None:
    characterize(ws, "SP1.1", "FI", "FI")
    characterize(ws, "SP1.2", "FI", "FI")
    assert goal(rate_appraisal(ws)).rating is GoalRating.SATISFIED
    set_goal_override(ws, *IRP, "SG1", "Unsatisfied", "Backups untested: significant")
    lowered = goal(rate_appraisal(ws))
    assert (lowered.rating, lowered.rule.name) == (GoalRating.UNSATISFIED, "GOAL_R4_TEAM_SIGNIFICANT")
    stored = goal_overrides(ws)[(*IRP, "SG1")]
    assert stored.decided_by == ws.who and stored.decided_at is not None and stored.inputs is not None


# --- case 2: significance is decided by the team -------------------------------------------------------------


def test_case2_a_goal_with_an_li_practice_awaits_the_teams_significance_decision(ws: Workspace) -> None:
    characterize(ws, "SP1.1", "FI", "FI")
    characterize(ws, "SP1.2", "FI", "LI", "Trend analysis is informal")
    pending = goal(rate_appraisal(ws))
    assert (pending.rating, pending.judgment_needed, pending.proposed) == (
        GoalRating.NOT_RATED,
        True,
        GoalRating.SATISFIED,
    )
    assert pending.rule.name == "GOAL_R3_AWAITING_SIGNIFICANCE"
    assert rate_appraisal(ws).process_areas[0].capability.level is None
    set_goal_override(ws, *IRP, "SG1", "Satisfied", "Informal trend analysis is enough at this size")
    decided = goal(rate_appraisal(ws))
    assert (decided.rating, decided.rule.name) == (GoalRating.SATISFIED, "GOAL_R3_TEAM_NOT_SIGNIFICANT")
    assert rate_appraisal(ws).process_areas[0].capability.level == 1


# --- case 3: a decision goes stale when its inputs change -------------------------------------------------------


def test_case3_a_practice_judgment_goes_stale_when_the_values_change(ws: Workspace) -> None:
    characterize(ws, "SP1.1", "FI", "FI")
    characterize(ws, "SP1.2", "FI", "PI", "No trend analysis")
    set_ou_decision(ws, *IRP, "SG1", "SP1.2", "LI", "Minor in one unit")
    set_goal_override(ws, *IRP, "SG1", "Satisfied", "Not significant")
    assert goal(rate_appraisal(ws)).rating is GoalRating.SATISFIED
    characterize(ws, "SP1.2", "NI", "PI", "No trend analysis")
    result = rate_appraisal(ws)
    rollup = practice(result, "SP1.2").rollup
    assert (rollup.value, rollup.judgment_needed, rollup.proposed) == (None, True, "LI")
    assert rollup.stale is not None
    assert goal(result).rating is GoalRating.NOT_RATED
    assert ou_decisions(ws)[(*IRP, "SP1.2")].value == "LI"  # kept, not deleted
    # One step re-confirms it: the same value on today's values.
    set_ou_decision(ws, *IRP, "SG1", "SP1.2", "LI", ou_decisions(ws)[(*IRP, "SP1.2")].rationale)
    assert practice(rate_appraisal(ws), "SP1.2").rollup.stale is None


def test_a_judgment_outside_the_allowed_values_is_refused_with_the_rule(ws: Workspace) -> None:
    characterize(ws, "SP1.2", "FI", "PI", "No trend analysis")
    with pytest.raises(KnownError, match=r"IRP SP1\.2 cannot be judged FI: ROLLUP_V13_ANY_PI_OR_NI allows only"):
        set_ou_decision(ws, *IRP, "SG1", "SP1.2", "FI", "All fine really")
    assert ou_decisions(ws) == {}


def test_live_ratings_follow_decisions_and_their_staleness_like_a_full_rating(ws: Workspace) -> None:
    characterize(ws, "SP1.1", "FI", "FI")
    characterize(ws, "SP1.2", "FI", "LI", "Informal")
    live = LiveRatings(ws)
    set_goal_override(ws, *IRP, "SG1", "Satisfied", "Not significant")
    live.goal_changed(GoalKey(*IRP, "SG1"))
    assert live.result == rate_appraisal(ws)
    characterize(ws, "SP1.2", "FI", "LI", "Informal and undocumented")
    live.cells_changed([InstantiationKey(*IRP, "SP1.2", "Policies")])
    assert goal(live.result).stale is not None
    assert live.result == rate_appraisal(ws)


# --- case 4: §1 values are applied ---------------------------------------------------------------------------------


def test_case4_fi_with_a_weakness_counts_as_not_characterized(ws: Workspace) -> None:
    characterize(ws, "SP1.1", "FI", "FI")
    characterize(ws, "SP1.2", "FI", "FI")
    set_cell(ws, CellKey(*IRP, "SG1", "SP1.2", "Policies"), CellState("FI", weaknesses="Reviews skipped"))
    result = rate_appraisal(ws)
    assert practice(result, "SP1.2").rollup.rule.name == "ROLLUP_INVALID_VALUE"
    found = goal(result)
    assert found.rating is GoalRating.NOT_RATED
    assert any("breaks a value rule" in r and "Policies" in r for r in found.reasons)


def test_case4_li_without_a_weakness_counts_as_not_characterized(ws: Workspace) -> None:
    characterize(ws, "SP1.1", "FI", "FI")
    set_cell(ws, CellKey(*IRP, "SG1", "SP1.2", "Claims"), CellState("FI"))
    set_cell(ws, CellKey(*IRP, "SG1", "SP1.2", "Policies"), CellState("LI"))
    assert practice(rate_appraisal(ws), "SP1.2").ou is None
    assert goal(rate_appraisal(ws)).rating is GoalRating.NOT_RATED


# --- case 5: subgroup coverage reaches the ratings -------------------------------------------------------------


def test_case5_a_subgroup_gap_makes_the_subgroups_goals_not_rated(tmp_path: Path, catalog: Catalog) -> None:
    ws = appraisals.create_appraisal(tmp_path / "s.appraisal", PLAN, catalog, who="Lee")
    try:
        add_evidence(ws)
        with ws.uow() as uow:  # the affirmations go: no unit provides artifacts and affirmations (B1, B2)
            for link in uow.session.scalars(select(EvidenceLink).where(EvidenceLink.affirmation_id.is_not(None))):
                uow.session.delete(link)
            uow.commit()
        characterize(ws, "SP1.1", "FI", "FI")
        characterize(ws, "SP1.2", "FI", "FI")
        found = goal(rate_appraisal(ws))
        assert (found.rating, found.rule.name) == (GoalRating.NOT_RATED, "GOAL_R2_COVERAGE")
        assert any(r.startswith("B1: ") and "'North'" in r for r in found.reasons)
    finally:
        ws.close()


# --- the migration: decisions of older files are kept ---------------------------------------------------------


def test_decisions_of_a_schema_0002_file_open_intact_and_are_shown_stale_or_in_conflict(tmp_path: Path) -> None:
    path = tmp_path / "old.appraisal"
    shutil.copy(FIXTURES / "0002.appraisal", path)
    with sqlite3.connect(path) as conn:
        pa_id, practice_id, goal_id = conn.execute(
            "SELECT p.id, pr.id, g.id FROM catalog_process_area p JOIN catalog_goal g ON g.process_area_id = p.id "
            "JOIN catalog_practice pr ON pr.goal_id = g.id WHERE p.acronym = 'IRP' AND pr.code = 'SP1.1'"
        ).fetchone()
        conn.execute(
            "INSERT INTO ou_characterization (process_area_id, practice_id, value, rationale, decided_by, decided_at)"
            " VALUES (?, ?, 'FI', 'Old judgment', 'Kim', '2026-11-26 12:00:00')",
            (pa_id, practice_id),
        )
        conn.execute(
            "INSERT INTO goal_rating_override (process_area_id, goal_id, rating, rationale, decided_by, decided_at)"
            " VALUES (?, ?, 'Not Applicable', 'Not for us', 'Kim', '2026-11-26 12:00:00')",
            (pa_id, goal_id),
        )
    ws = appraisals.open_appraisal(path)
    try:
        with ws.uow() as uow:
            rows = uow.session.scalars(select(GoalRatingOverride)).all()
            assert [(r.rating, r.rationale, r.inputs) for r in rows] == [("Not Applicable", "Not for us", None)]
        assert [d.rationale for d in ou_decisions(ws).values()] == ["Old judgment"]
        result = rate_appraisal(ws)
        area = result.process_area("CMMI-SVC", "IRP")
        assert area is not None
        found = next(g for g in area.goals if g.practices and g.practices[0].code == "SP1.1")
        assert found.rating is not GoalRating.NOT_APPLICABLE
        assert found.conflict is not None and "excluding the process area" in found.conflict
    finally:
        ws.close()


def test_decisions_need_a_rationale_and_a_real_rating(ws: Workspace) -> None:
    characterize(ws, "SP1.2", "FI", "PI", "No trend analysis")
    with pytest.raises(KnownError, match="rationale"):
        set_ou_decision(ws, *IRP, "SG1", "SP1.2", "PI", "  ")
    with pytest.raises(KnownError, match="needs a rationale"):
        set_goal_override(ws, *IRP, "SG1", "Unsatisfied", "")
    with pytest.raises(KnownError, match="not a goal rating"):
        set_goal_override(ws, *IRP, "SG1", "Maybe", "x")
    assert set_ou_decision(ws, *IRP, "SG1", "SP1.2", "PI", "Weakness in one unit") is None
    previous = set_ou_decision(ws, *IRP, "SG1", "SP1.2", None)
    assert previous is not None and previous.rationale == "Weakness in one unit" and previous.decided_by == ws.who
    assert ou_decisions(ws) == {}
