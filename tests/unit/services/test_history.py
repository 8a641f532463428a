"""The change log read back: who changed what, when, from which value to which, per subject, with filters."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import update

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, ScopeEntry, UnitKind, UnitPlan
from app.services import appraisals, findings
from app.services.characterize import CellKey, CellState, set_cell, set_cells
from app.services.decisions import GoalOverride, OuDecision, restore_goal_override, restore_ou_decision
from app.services.finding_view import FindingFields, FindingTarget
from app.services.history import (
    WHOLE_APPRAISAL,
    HistoryFilter,
    area_subject,
    cell_subject,
    finding_subject,
    goal_subject,
    history,
    people,
)
from app.storage.schema import ChangeLog

PLAN = Plan(
    name="h",
    scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2),),
    units=(UnitPlan("Claims", UnitKind.BASIC_UNIT), UnitPlan("Policies", UnitKind.BASIC_UNIT)),
)
SP11 = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")
SP12 = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.2", "Claims")


def make(tmp_path: Path, catalog: Catalog) -> Path:
    path = tmp_path / "h.appraisal"
    appraisals.create_appraisal(path, PLAN, catalog, who="Lee").close()
    return path


def test_a_cells_history_names_each_change_its_author_and_the_values_before_and_after(
    tmp_path: Path, catalog: Catalog
) -> None:
    path = make(tmp_path, catalog)
    lee = appraisals.open_appraisal(path, who="Lee")
    set_cell(lee, SP11, CellState("PI"))
    set_cells(lee, {SP11: CellState("LI"), SP12: CellState("FI")})
    lee.close()
    kim = appraisals.open_appraisal(path, who="Kim")
    set_cell(kim, SP11, CellState(None))
    entries = history(kim, cell_subject(SP11))
    assert [(e.who, e.old, e.new) for e in entries] == [("Kim", "LI", "—"), ("Lee", "PI", "LI"), ("Lee", "—", "PI")]
    assert entries[0].what == "Value: CMMI-SVC IRP SP1.1 / Claims"
    assert entries[0].kind == "Characterization"
    assert people(kim) == ["Kim", "Lee"]
    assert [e.who for e in history(kim, cell_subject(SP11), HistoryFilter(who="Lee"))] == ["Lee", "Lee"]
    kim.close()


def test_lines_written_before_values_were_logged_in_pairs_get_the_old_value_from_the_line_before(
    tmp_path: Path, catalog: Catalog
) -> None:
    path = make(tmp_path, catalog)
    ws = appraisals.open_appraisal(path, who="Lee")
    with ws.uow() as uow:
        for value in ("PI", "FI"):
            uow.log("characterize", "characterization", 7, f"CMMI-SVC IRP SP1.1 / Claims: {value}")
        uow.log("import", "characterization", 7, "CMMI-SVC IRP SP1.1 / Claims: LI (workbook team.xlsx)")
        uow.commit()
    entries = history(ws, cell_subject(SP11))
    assert [(e.old, e.new) for e in entries] == [("FI", "LI"), ("PI", "FI"), ("", "PI")]
    assert entries[0].what == "Value imported from a workbook: CMMI-SVC IRP SP1.1 / Claims"
    ws.close()


def test_a_goal_gathers_its_override_and_its_practices_judgments_and_cells_and_a_pa_everything_in_it(
    tmp_path: Path, catalog: Catalog
) -> None:
    path = make(tmp_path, catalog)
    ws = appraisals.open_appraisal(path, who="Lee")
    set_cell(ws, SP11, CellState("PI"))
    set_cell(ws, CellKey("CMMI-SVC", "IRP", "GG2", "GP2.1", "Claims"), CellState("FI"))
    # Stored as they are (the history, not the rules, is under test here).
    restore_ou_decision(ws, "CMMI-SVC", "IRP", "SG1", "SP1.1", OuDecision("LI", "weakness not significant", "Lee"))
    restore_goal_override(ws, "CMMI-SVC", "IRP", "SG1", GoalOverride("Satisfied", "the team judges it met", "Lee"))
    goal = goal_subject("CMMI-SVC", "IRP", "SG1", ["SP1.1", "SP1.2"], ["Claims", "Policies"])
    kinds = [e.kind for e in history(ws, goal)]
    assert kinds == ["Goal rating", "Team judgment", "Characterization"]
    assert len(history(ws, area_subject("CMMI-SVC", "IRP"))) == 4
    assert [e.kind for e in history(ws, goal, HistoryFilter(kind="Team judgment"))] == ["Team judgment"]
    ws.close()


def test_a_finding_has_its_own_history_and_dates_filter_the_whole_log(tmp_path: Path, catalog: Catalog) -> None:
    path = make(tmp_path, catalog)
    ws = appraisals.open_appraisal(path, who="Lee")
    target = FindingTarget("CMMI-SVC", "IRP")
    first = findings.add_finding(ws, FindingFields("weakness", "No trend analysis", target))
    findings.add_finding(ws, FindingFields("strength", "Fast triage", target))
    findings.set_status(ws, first, "validated")
    mine = history(ws, finding_subject(first, "1"))
    assert (mine[0].what, mine[0].old, mine[0].new) == ("Finding status", "preliminary", "validated")
    assert len(mine) == 2
    with ws.uow() as uow:
        uow.session.execute(update(ChangeLog).where(ChangeLog.entity == "finding").values(at=datetime(2026, 3, 2, 9)))
        uow.commit()
    day = date(2026, 3, 2)
    assert len(history(ws, WHOLE_APPRAISAL, HistoryFilter(since=day, until=day))) == 3
    assert history(ws, WHOLE_APPRAISAL, HistoryFilter(until=day - timedelta(days=1))) == []
    assert len(history(ws)) >= 3
    ws.close()
