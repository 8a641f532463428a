"""Issue 11's cases through the CLI: `ratings --json` never reports a rating the rules do not allow."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.domain.catalog import Catalog
from app.services import appraisals
from app.services.characterize import CellKey, CellState, set_cell
from app.services.decisions import GoalOverride, restore_goal_override, set_goal_override, set_ou_decision
from app.services.workspace import Workspace
from tests.e2e.conftest import Result
from tests.unit.services.test_decisions import IRP, PLAN, add_evidence, characterize

pytestmark = pytest.mark.e2e
CLI = Callable[..., Result]


def build(path: Path, catalog: Catalog, edit: Callable[[Workspace], None], *, evidence: bool = True) -> Path:
    ws = appraisals.create_appraisal(path, PLAN, catalog, who="Lee")
    try:
        if evidence:
            add_evidence(ws)
        edit(ws)
    finally:
        ws.close()
    return path


def sg1(cli: CLI, path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    shown = cli("ratings", path, "--json")
    assert shown.code == 0, shown.err
    data = json.loads(shown.out)
    area = next(pa for pa in data["process_areas"] if pa["pa"] == "IRP")
    return area, next(g for g in area["goals"] if g["id"] == "SG1")


def test_case1_a_stored_override_that_raises_a_goal_is_a_conflict_and_not_counted(
    cli: CLI, tmp_path: Path, catalog: Catalog
) -> None:
    def edit(ws: Workspace) -> None:
        characterize(ws, "SP1.1", "FI", "FI")
        characterize(ws, "SP1.2", "FI", "PI", "No trend analysis")
        set_ou_decision(ws, *IRP, "SG1", "SP1.2", "PI", "Missing in one unit")
        restore_goal_override(ws, *IRP, "SG1", GoalOverride("Satisfied", "Seen on site", "Kim"))

    area, goal = sg1(cli, build(tmp_path / "c1.appraisal", catalog, edit))
    assert (goal["rating"], goal["overridden"], goal["rule"]) == ("Unsatisfied", False, "GOAL_R4_UNSATISFIED")
    assert "GOAL_R4_UNSATISFIED" in goal["conflict"]
    assert goal["decision"] is None
    assert area["capability_level"] == 0


def test_case2_significance_is_pending_until_the_team_decides(cli: CLI, tmp_path: Path, catalog: Catalog) -> None:
    def edit(ws: Workspace) -> None:
        characterize(ws, "SP1.1", "FI", "FI")
        characterize(ws, "SP1.2", "FI", "LI", "Trend analysis informal")

    path = build(tmp_path / "c2.appraisal", catalog, edit)
    area, goal = sg1(cli, path)
    assert (goal["rating"], goal["judgment_needed"], goal["proposed"]) == ("Not Rated", True, "Satisfied")
    assert goal["rule"] == "GOAL_R3_AWAITING_SIGNIFICANCE" and area["capability_level"] is None
    ws = appraisals.open_appraisal(path, who="Lee")
    try:
        set_goal_override(ws, *IRP, "SG1", "Satisfied", "Informal is enough here")
    finally:
        ws.close()
    area, goal = sg1(cli, path)
    assert (goal["rating"], goal["judgment_needed"], goal["proposed"]) == ("Satisfied", False, None)
    assert goal["decision"]["value"] == "Satisfied" and goal["decision"]["stale"] is False
    assert goal["decision"]["decided_by"] == "Lee" and goal["decision"]["decided_at"]
    assert area["capability_level"] == 1


def test_case3_a_decision_on_changed_values_is_stale(cli: CLI, tmp_path: Path, catalog: Catalog) -> None:
    def edit(ws: Workspace) -> None:
        characterize(ws, "SP1.1", "FI", "FI")
        characterize(ws, "SP1.2", "FI", "PI", "No trend analysis")
        set_ou_decision(ws, *IRP, "SG1", "SP1.2", "LI", "Minor")
        set_goal_override(ws, *IRP, "SG1", "Satisfied", "Not significant")
        characterize(ws, "SP1.2", "NI", "PI", "No trend analysis")

    _, goal = sg1(cli, build(tmp_path / "c3.appraisal", catalog, edit))
    sp12 = next(p for p in goal["practices"] if p["id"] == "SP1.2")
    assert (sp12["ou"], sp12["judgment_needed"]) == (None, True)
    assert sp12["decision"]["value"] == "LI" and sp12["decision"]["stale"] is True
    assert goal["rating"] == "Not Rated"


def test_case4_an_fi_with_a_weakness_does_not_roll_up(cli: CLI, tmp_path: Path, catalog: Catalog) -> None:
    def edit(ws: Workspace) -> None:
        characterize(ws, "SP1.1", "FI", "FI")
        characterize(ws, "SP1.2", "FI", "FI")
        set_cell(ws, CellKey(*IRP, "SG1", "SP1.2", "Policies"), CellState("FI", weaknesses="Reviews skipped"))

    _, goal = sg1(cli, build(tmp_path / "c4.appraisal", catalog, edit))
    sp12 = next(p for p in goal["practices"] if p["id"] == "SP1.2")
    assert (sp12["ou"], sp12["rule"]) == (None, "ROLLUP_INVALID_VALUE")
    assert sp12["problems"]["Policies"]
    assert goal["rating"] == "Not Rated"


def test_case5_a_subgroup_gap_keeps_its_goals_not_rated(cli: CLI, tmp_path: Path, catalog: Catalog) -> None:
    def edit(ws: Workspace) -> None:
        characterize(ws, "SP1.1", "FI", "FI")
        characterize(ws, "SP1.2", "FI", "FI")

    path = build(tmp_path / "c5.appraisal", catalog, edit, evidence=False)
    _, goal = sg1(cli, path)
    assert goal["rating"] == "Not Rated" and goal["rule"] == "GOAL_R2_COVERAGE"
    data = json.loads(cli("ratings", path, "--json").out)
    assert {g["rule"] for g in data["coverage_gaps"] if g["subgroup"] == "North"} >= {"COVERAGE_B1", "COVERAGE_B3"}
