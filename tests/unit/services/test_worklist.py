"""The worklist: what to do next, in working order, each item pointing at its place, counted per mini-team."""

from __future__ import annotations

from pathlib import Path

from app.domain.catalog import Catalog
from app.domain.plan import MiniTeamPlan, PaKey, Plan, ScopeEntry, TeamMemberPlan, UnitKind, UnitPlan
from app.services import appraisals, findings, grid_edits
from app.services.characterize import CellKey, CellState, set_cell
from app.services.decisions import set_ou_decision
from app.services.finding_view import FindingFields, FindingTarget
from app.services.ratings import rate_appraisal
from app.services.worklist import NO_TEAM, TargetKind, WorkKind, WorkTarget, build_worklist

IRP = PaKey("CMMI-SVC", "IRP")
PLAN = Plan(
    name="w",
    scope=(ScopeEntry(IRP, 2), ScopeEntry(PaKey("SM", "SM"), 2)),
    units=(UnitPlan("Claims", UnitKind.BASIC_UNIT), UnitPlan("Policies", UnitKind.BASIC_UNIT)),
    team=(TeamMemberPlan("Lee", "lead"), TeamMemberPlan("Kim")),
    mini_teams=(MiniTeamPlan("Delivery", ("Kim",), (IRP,)),),
)


def cell(practice: str, unit: str, goal: str = "SG1") -> CellKey:
    return CellKey("CMMI-SVC", "IRP", goal, practice, unit)


def test_the_worklist_lists_judgments_review_marks_findings_and_not_rated_areas_in_order(
    tmp_path: Path, catalog: Catalog
) -> None:
    ws = appraisals.create_appraisal(tmp_path / "w.appraisal", PLAN, catalog, who="Lee")
    set_cell(ws, cell("SP1.1", "Claims"), CellState("FI"))
    set_cell(ws, cell("SP1.1", "Policies"), CellState("PI", weaknesses="No trend records"))
    grid_edits.set_review_flag(ws, cell("SP1.2", "Claims"), True, "Check the date")
    findings.add_finding(ws, FindingFields("weakness", "No trend analysis", FindingTarget("CMMI-SVC", "IRP")))
    worklist = build_worklist(ws, rate_appraisal(ws))
    kinds = [i.kind for i in worklist.items]
    assert kinds.index(WorkKind.JUDGMENT) < kinds.index(WorkKind.REVIEW) < kinds.index(WorkKind.VALIDATE)
    assert kinds.index(WorkKind.VALIDATE) < kinds.index(WorkKind.NOT_RATED)

    judgment = next(i for i in worklist.items if i.kind is WorkKind.JUDGMENT)
    assert judgment.where == "CMMI-SVC IRP SP1.1"
    assert judgment.target == WorkTarget(TargetKind.PRACTICE, "CMMI-SVC", "IRP", "SG1", "SP1.1")
    assert "Claims FI, Policies PI" in judgment.detail and "_" not in judgment.detail, "words, not rule codes"
    review = next(i for i in worklist.items if i.kind is WorkKind.REVIEW)
    assert (review.where, review.detail) == ("CMMI-SVC IRP SP1.2 in Claims", "Check the date")
    assert review.target == WorkTarget(TargetKind.CELL, "CMMI-SVC", "IRP", "SG1", "SP1.2", "Claims")
    not_rated = [i for i in worklist.items if i.kind is WorkKind.NOT_RATED]
    assert {i.where for i in not_rated} == {"CMMI-SVC IRP", "SM"}
    assert all(i.detail and "_" not in i.detail for i in not_rated), "each says why, in words"

    # Per mini-team: IRP belongs to Delivery, SM to nobody.
    assert worklist.teams == ("Delivery", NO_TEAM)
    counts = worklist.counts()
    assert counts["Delivery"] == len(worklist.chosen("Delivery")) == len(worklist.chosen(pa=IRP)) - 0
    assert counts[NO_TEAM] == len(worklist.chosen(pa=PaKey("SM", "SM")))

    # Deciding the judgment takes it off the list.
    set_ou_decision(ws, "CMMI-SVC", "IRP", "SG1", "SP1.1", "LI", "not significant")
    after = build_worklist(ws, rate_appraisal(ws))
    assert WorkKind.JUDGMENT not in [i.kind for i in after.items]
    ws.close()
