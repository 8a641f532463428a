"""The characterization grid's read model, review marks and side-by-side links, on a real appraisal file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, select

from app.domain.catalog import Catalog
from app.domain.plan import MiniTeamPlan, PaKey, Plan, ScopeEntry, TeamMemberPlan, UnitKind, UnitPlan
from app.services import appraisals, grid, grid_cell, grid_edits, interviews, side_by_side
from app.services import evidence as ev
from app.services.characterize import CellKey, CellState, get_cell, set_cell
from app.services.grid import GridCell, RowKind
from app.services.interview_view import SessionFields
from app.services.workspace import Workspace
from app.storage.errors import KnownError
from app.storage.schema import ChangeLog

PLAN = Plan(
    name="Grid",
    scope=(
        ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2),
        ScopeEntry(PaKey("SM", "SM"), 2),
        ScopeEntry(PaKey("CMMI-SVC", "MA"), 1),
    ),
    units=(
        UnitPlan("Claims", UnitKind.BASIC_UNIT),
        UnitPlan("Policies", UnitKind.BASIC_UNIT),
        UnitPlan("Sec", UnitKind.SUPPORT_FUNCTION, process_areas=(PaKey("SM", "SM"),)),
    ),
    team=(TeamMemberPlan("Lee", "lead"), TeamMemberPlan("Kim")),
    mini_teams=(
        MiniTeamPlan("Security", ("Lee",), (PaKey("SM", "SM"),)),
        MiniTeamPlan("Delivery", ("Kim",), (PaKey("CMMI-SVC", "IRP"), PaKey("CMMI-SVC", "MA"))),
    ),
)
IRP_SP11 = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")
SM_ESP12 = CellKey("SM", "SM", "ESG1", "ESP1.2", "Claims")


@pytest.fixture
def ws(appraisal_target: str | Path, catalog: Catalog) -> Iterator[Workspace]:
    """On a file and on a team server (tests/conftest.py: appraisal_target)."""
    workspace = appraisals.create_appraisal(appraisal_target, PLAN, catalog, who="Lee")
    yield workspace
    workspace.close()


def unit_id(ws: Workspace, name: str) -> int:
    return next(u.id for u in ev.unit_options(ws) if u.name == name)


def target(ws: Workspace, key: CellKey) -> ev.LinkTarget:
    return ev.LinkTarget(key.model, key.pa, key.practice, unit_id(ws, key.unit))


def artifact(ws: Workspace, title: str) -> int:
    return ev.add_artifact_by_reference(ws, f"https://example.org/{title}", ev.ArtifactMeta(title))


def test_rows_group_practices_by_model_then_process_area_then_goal(ws: Workspace) -> None:
    data = grid.grid_data(ws)
    assert [u.name for u in data.units] == ["Claims", "Policies", "Sec"]
    outline = [(r.kind, r.code) for r in data.rows]
    # CMMI-SVC's two process areas stay together although SM sits between them in the plan's scope.
    assert outline == [
        (RowKind.MODEL, "CMMI-SVC"),
        (RowKind.PROCESS_AREA, "IRP"),
        (RowKind.GOAL, "SG1"),
        (RowKind.PRACTICE, "SP1.1"),
        (RowKind.PRACTICE, "SP1.2"),
        (RowKind.GOAL, "GG2"),
        (RowKind.PRACTICE, "GP2.1"),
        (RowKind.PRACTICE, "GP2.2"),
        (RowKind.PROCESS_AREA, "MA"),
        (RowKind.GOAL, "SG1"),
        (RowKind.PRACTICE, "SP1.1"),
        (RowKind.MODEL, "SM"),
        (RowKind.PROCESS_AREA, "SM"),
        (RowKind.GOAL, "ESG1"),
        (RowKind.PRACTICE, "ESP1.2"),
        (RowKind.GOAL, "GG2"),
        (RowKind.PRACTICE, "GP2.1"),
        (RowKind.PRACTICE, "GP2.2"),
    ]
    irp = next(r for r in data.rows if r.kind is RowKind.PRACTICE and r.pa == "IRP")
    assert irp.cells[2] is None, "the support function does not implement IRP"
    assert irp.cells[0] == GridCell()
    sm_gp = [r for r in data.rows if r.pa == "SM" and r.kind is RowKind.PRACTICE and r.generic]
    assert [r.goal for r in sm_gp] == ["GG2", "GG2"] and all(c is not None for c in sm_gp[0].cells)
    assert [(o.model, o.pa) for o in data.process_areas] == [("CMMI-SVC", "IRP"), ("CMMI-SVC", "MA"), ("SM", "SM")]
    assert data.models[0][0] == "CMMI-SVC" and data.models[1][0] == "SM"
    teams = {t.name: t.process_areas for t in data.mini_teams}
    assert teams == {
        "Security": (PaKey("SM", "SM"),),
        "Delivery": (PaKey("CMMI-SVC", "IRP"), PaKey("CMMI-SVC", "MA")),
    }


def test_cells_carry_value_evidence_counts_texts_and_review_marks(ws: Workspace) -> None:
    first, second = artifact(ws, "Procedure"), artifact(ws, "Draft")
    ev.link_evidence(ws, ev.EvidenceSource.of_artifact(first), [target(ws, IRP_SP11)])
    ev.link_evidence(ws, ev.EvidenceSource.of_artifact(second), [target(ws, IRP_SP11)], adequacy="inadequate")
    session = interviews.create_session(ws, SessionFields("INT-1"))
    interviews.add_affirmation(ws, session, "We triage every incident", [target(ws, IRP_SP11)])
    set_cell(ws, IRP_SP11, CellState("LI", weaknesses="No trend analysis"))
    grid_edits.set_review_flag(ws, IRP_SP11, True, "Check the trend reports")

    data = grid.grid_data(ws)
    row = next(r for r in data.rows if r.kind is RowKind.PRACTICE and (r.pa, r.practice) == ("IRP", "SP1.1"))
    expected = GridCell("LI", 1, 1, 1, True, "Check the trend reports", True)
    assert row.cells[0] == expected
    assert grid.grid_cells(ws, [IRP_SP11]) == {IRP_SP11: expected}
    assert row.cells[1] == GridCell() and not row.cells[1].has_evidence


def test_review_mark_returns_what_it_was_is_logged_and_keeps_the_value(ws: Workspace) -> None:
    set_cell(ws, IRP_SP11, CellState("FI", notes="seen"))
    assert grid_edits.set_review_flag(ws, IRP_SP11, True, "  Ask Kim  ") == (False, "")
    assert get_cell(ws, IRP_SP11) == CellState("FI", notes="seen", review_flag=True, review_comment="Ask Kim")
    assert grid_edits.set_review_flag(ws, IRP_SP11, False) == (True, "Ask Kim")
    assert get_cell(ws, IRP_SP11) == CellState("FI", notes="seen")
    with ws.uow() as uow:
        logged = uow.session.scalars(select(ChangeLog.detail).where(ChangeLog.action == "review")).all()
    assert logged == [
        "CMMI-SVC IRP SP1.1 / Claims: marked for review: Ask Kim",
        "CMMI-SVC IRP SP1.1 / Claims: review mark removed",
    ]
    # A mark on an empty cell creates it without a value.
    grid_edits.set_review_flag(ws, SM_ESP12, True, "No evidence yet")
    assert get_cell(ws, SM_ESP12).value is None and get_cell(ws, SM_ESP12).review_flag


def test_review_mark_on_a_cell_that_is_not_rated_is_refused(ws: Workspace) -> None:
    with pytest.raises(KnownError, match="not rated"):
        grid_edits.set_review_flag(ws, CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Sec"), True, "x")


def test_cell_detail_lists_linked_evidence(ws: Workspace) -> None:
    doc = artifact(ws, "Incident procedure")
    ev.link_evidence(ws, ev.EvidenceSource.of_artifact(doc), [target(ws, SM_ESP12)], note="section 4")
    session = interviews.create_session(ws, SessionFields("INT-7"))
    interviews.add_affirmation(ws, session, "Threats are assessed yearly", [target(ws, SM_ESP12)])
    set_cell(ws, SM_ESP12, CellState("FI", strengths="Clear method"))
    detail = grid_cell.cell_detail(ws, SM_ESP12)
    assert detail.title == "Establish an Approach to Threat Assessment"
    assert detail.statement == "Establish and maintain an approach."
    assert detail.state.strengths == "Clear method"
    assert [(e.kind, e.label, e.adequacy, e.note) for e in detail.evidence] == [
        ("artifact", "Incident procedure", "adequate", "section 4"),
        ("affirmation", "INT-7: Threats are assessed yearly", "adequate", ""),
    ]


def test_side_by_side_lists_linked_practices_both_ways_with_shared_evidence(ws: Workspace) -> None:
    shared = artifact(ws, "Threat assessment method")
    only_sm = artifact(ws, "Security policy")
    irp_policies = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Policies")
    ev.link_evidence(ws, ev.EvidenceSource.of_artifact(shared), [target(ws, SM_ESP12), target(ws, irp_policies)])
    ev.link_evidence(ws, ev.EvidenceSource.of_artifact(only_sm), [target(ws, SM_ESP12)])

    side = side_by_side.side_by_side(ws, "SM", "SM", "ESG1", "ESP1.2")
    assert side.title == "Establish an Approach to Threat Assessment"
    # The ISO 27001 clause is a reference standard, never rated: not offered.
    assert [(i.model, i.pa, i.item, i.kind) for i in side.items] == [("CMMI-SVC", "IRP", "SP1.1", RowKind.PRACTICE)]
    item = side.items[0]
    assert (item.relation, item.outgoing, item.via, item.in_scope) == ("supports", True, "practice", True)
    assert item.practices == ("SP1.1",) and item.goal == "SG1"
    assert [(s.kind, s.label) for s in item.shared] == [("artifact", "Threat assessment method")]

    back = side_by_side.side_by_side(ws, "CMMI-SVC", "IRP", "SG1", "SP1.1")
    assert [(i.model, i.pa, i.item, i.outgoing) for i in back.items] == [("SM", "SM", "ESP1.2", False)]
    assert [s.label for s in back.items[0].shared] == ["Threat assessment method"]
    assert side_by_side.side_by_side(ws, "CMMI-SVC", "MA", "SG1", "SP1.1").items == ()


def test_side_by_side_follows_goal_and_process_area_links(tmp_path: Path, catalog: Catalog) -> None:
    from dataclasses import replace

    from app.domain.catalog import CrossLink, Provenance, Ref

    linked = replace(
        catalog,
        links=(
            *catalog.links,
            CrossLink(Ref("CMMI-SVC", "IRP"), Ref("CMMI-SVC", "MA"), "uses", "same model: left out", Provenance.USER),
            CrossLink(Ref("SM", "SM", "ESG1"), Ref("CMMI-SVC", "MA", "SG1"), "measured-by", "r", Provenance.USER),
            CrossLink(Ref("CMMI-SVC", "WP"), Ref("SM", "SM"), "plans", "WP is out of scope", Provenance.USER),
        ),
    )
    ws = appraisals.create_appraisal(tmp_path / "l.appraisal", PLAN, linked, who="Lee")
    try:
        side = side_by_side.side_by_side(ws, "SM", "SM", "ESG1", "ESP1.2")
        found = [(i.model, i.pa, i.item, i.kind, i.via, i.in_scope, i.practices) for i in side.items]
        assert found == [
            ("CMMI-SVC", "IRP", "SP1.1", RowKind.PRACTICE, "practice", True, ("SP1.1",)),
            ("CMMI-SVC", "MA", "SG1", RowKind.GOAL, "goal ESG1", True, ("SP1.1",)),
            ("CMMI-SVC", "WP", None, RowKind.PROCESS_AREA, "process area", False, ()),
        ]
        goal_only = side_by_side.side_by_side(ws, "SM", "SM", "ESG1")
        assert [i.item for i in goal_only.items] == ["SG1", None], "a goal shows its own and its PA's links"
    finally:
        ws.close()


def test_reading_the_grid_takes_the_same_few_queries_whatever_its_size(tmp_path: Path, catalog: Catalog) -> None:
    small = Plan(name="s", scope=(ScopeEntry(PaKey("CMMI-SVC", "MA"), 1),), units=(UnitPlan("A", UnitKind.BASIC_UNIT),))
    counts = []
    for plan in (small, PLAN):
        ws = appraisals.create_appraisal(tmp_path / f"{plan.name}.appraisal", plan, catalog, who="Lee")
        try:
            ws.catalog()
            statements: list[str] = []

            def listener(*args: object, seen: list[str] = statements) -> None:
                seen.append(str(args[2]))

            event.listen(ws.store.engine, "before_cursor_execute", listener)
            data = grid.grid_data(ws)
            event.remove(ws.store.engine, "before_cursor_execute", listener)
            counts.append(len(statements))
            assert data.rows
        finally:
            ws.close()
    assert counts[0] == counts[1]
