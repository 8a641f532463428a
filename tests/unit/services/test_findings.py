"""Findings stored in a real appraisal file: targets from the scope, the status lifecycle, non-attribution."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, ScopeEntry, UnitKind, UnitPlan
from app.services import appraisals
from app.services import findings as fs
from app.services.findings import FindingFields, FindingTarget
from app.services.interviews import SessionFields, add_participant, create_session
from app.services.ratings import rate_appraisal
from app.services.workspace import Workspace
from app.storage.errors import KnownError
from app.storage.schema import ChangeLog, Finding

PLAN = Plan(
    name="Findings",
    scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2), ScopeEntry(PaKey("SM", "SM"), 2)),
    units=(
        UnitPlan("Claims", UnitKind.BASIC_UNIT),
        UnitPlan("Policies", UnitKind.BASIC_UNIT),
        UnitPlan("Security office", UnitKind.SUPPORT_FUNCTION, process_areas=(PaKey("SM", "SM"),)),
    ),
)
IRP = FindingTarget("CMMI-SVC", "IRP")


def make(target: Path | str, catalog: Catalog, plan: Plan = PLAN) -> Workspace:
    """`target`: a folder for a new file, or a database on the team server."""
    if isinstance(target, Path):
        target.mkdir(parents=True, exist_ok=True)
        target = target / "f.appraisal"
    ws = appraisals.create_appraisal(target, plan, catalog, who="Lee")
    session_id = create_session(ws, SessionFields("S1"))
    add_participant(ws, session_id, "Ann Lee", "Service manager")
    return ws


@pytest.fixture
def ws(appraisal_target: str | Path, catalog: Catalog) -> Iterator[Workspace]:
    """On a file and on a team server (tests/conftest.py: appraisal_target)."""
    workspace = make(appraisal_target if isinstance(appraisal_target, str) else appraisal_target.parent, catalog)
    yield workspace
    workspace.close()


def test_a_finding_names_a_practice_goal_or_process_area_in_scope(ws: Workspace) -> None:
    on_practice = fs.add_finding(
        ws, FindingFields("weakness", "  No approach to incidents. ", FindingTarget("CMMI-SVC", "IRP", None, "SP1.2"))
    )
    on_generic = fs.add_finding(
        ws, FindingFields("strength", "Policy is clear.", FindingTarget("CMMI-SVC", "IRP", "GG2", "GP2.1"))
    )
    on_goal = fs.add_finding(ws, FindingFields("improvement", "Measure more.", FindingTarget("SM", "SM", "ESG1")))
    wide = fs.add_finding(ws, FindingFields("strength", "Committed staff."))

    found = {f.id: f for f in fs.list_findings(ws)}
    assert found[on_practice].target == FindingTarget("CMMI-SVC", "IRP", "SG1", "SP1.2")
    assert found[on_practice].text == "No approach to incidents."
    assert found[on_practice].status == "preliminary"
    assert found[on_generic].target.label == "IRP GP2.1"
    assert found[on_goal].target.label == "SM ESG1"
    assert found[wide].target == fs.ORGANIZATION
    # Organization-wide findings come first, then scope order.
    assert fs.list_findings(ws)[0].id == wide


def test_targets_offered_are_the_scope_with_its_rated_goals(ws: Workspace) -> None:
    choices = fs.target_choices(ws)
    assert [(c.model, c.pa) for c in choices] == [("CMMI-SVC", "IRP"), ("SM", "SM")]
    irp = choices[0]
    assert [g.code for g in irp.goals] == ["SG1", "GG2"]
    assert [p.code for p in irp.goals[0].practices] == ["SP1.1", "SP1.2"]
    assert irp.goals[1].generic


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (FindingFields("weakness", "   "), "cannot be empty"),
        (FindingFields("opinion", "Text"), "not a kind of finding"),
        (FindingFields("weakness", "Text", FindingTarget("CMMI-SVC", "MA")), "not a process area in this appraisal"),
        (FindingFields("weakness", "Text", FindingTarget("CMMI-SVC", "IRP", "SG9")), "no goal SG9"),
        (FindingFields("weakness", "Text", FindingTarget("CMMI-SVC", "IRP", "SG1", "SP9.9")), "not a practice"),
        (FindingFields("weakness", "Text", FindingTarget("CMMI-SVC", "IRP", "GG3", "GP3.1")), "no goal GG3"),
    ],
)
def test_bad_input_is_refused_in_plain_words_and_changes_nothing(
    ws: Workspace, fields: FindingFields, message: str
) -> None:
    with pytest.raises(KnownError, match=message):
        fs.add_finding(ws, fields)
    assert fs.list_findings(ws) == ()


def test_update_returns_what_it_was_and_keeps_the_status(ws: Workspace) -> None:
    finding = fs.add_finding(ws, FindingFields("weakness", "Old text", IRP))
    fs.set_status(ws, finding, "validated")
    before = fs.update_finding(ws, finding, FindingFields("improvement", "New text", FindingTarget("SM", "SM")))
    assert before == FindingFields("weakness", "Old text", IRP)
    info = fs.get_finding(ws, finding)
    assert (info.kind, info.text, info.target.label, info.status) == ("improvement", "New text", "SM", "validated")
    with pytest.raises(KnownError, match="cannot be empty"):
        fs.update_finding(ws, finding, FindingFields("weakness", ""))
    assert fs.get_finding(ws, finding).text == "New text"


def test_status_moves_one_step_forward_and_back_freely(ws: Workspace) -> None:
    finding = fs.add_finding(ws, FindingFields("weakness", "Text", IRP))
    with pytest.raises(KnownError, match="validated with the organization before it can be final"):
        fs.set_status(ws, finding, "final")
    assert fs.set_status(ws, finding, "validated") == "preliminary"
    assert fs.set_status(ws, finding, "final") == "validated"
    assert fs.get_finding(ws, finding).status == "final"
    assert fs.set_status(ws, finding, "preliminary") == "final"
    with pytest.raises(KnownError, match="not a status"):
        fs.set_status(ws, finding, "approved")


def test_a_finding_naming_a_participant_is_flagged_where_the_name_occurs(ws: Workspace) -> None:
    text = "Incidents are closed without review; as ann   lee said, nobody checks them."
    finding = fs.add_finding(ws, FindingFields("weakness", text, IRP))
    info = fs.get_finding(ws, finding)
    assert info.flagged
    (flag,) = info.flags
    assert (flag.term, flag.kind) == ("Ann Lee", "participant")
    assert flag.location == f"weakness finding #{finding}"
    start, end = flag.spans[0]
    assert text[start:end] == "ann   lee"
    assert "ann lee said" in flag.excerpt
    # The ratings carry the same flag, under the same location.
    assert [(f.location, f.term) for f in rate_appraisal(ws).attribution_flags] == [(flag.location, "Ann Lee")]


def test_a_flagged_finding_cannot_be_validated_until_reworded(ws: Workspace) -> None:
    finding = fs.add_finding(ws, FindingFields("weakness", "Ann Lee keeps no records.", IRP))
    with pytest.raises(
        KnownError, match=r"names a participant \(full name\), “Ann Lee”.*reword it.*before marking it validated"
    ):
        fs.set_status(ws, finding, "validated")
    assert fs.get_finding(ws, finding).status == "preliminary"
    fs.update_finding(ws, finding, FindingFields("weakness", "Service managers keep no records.", IRP))
    fs.set_status(ws, finding, "validated")
    assert fs.get_finding(ws, finding).status == "validated"


def test_unit_names_are_flagged_unless_the_plan_allows_unit_specific_findings(tmp_path: Path, catalog: Catalog) -> None:
    text = "Claims closes incidents without review."
    strict = make(tmp_path / "a", catalog)
    try:
        finding = fs.add_finding(strict, FindingFields("weakness", text, IRP))
        assert [(f.term, f.kind) for f in fs.get_finding(strict, finding).flags] == [("Claims", "unit")]
    finally:
        strict.close()
    allowed = make(tmp_path / "b", catalog, replace(PLAN, unit_specific_findings=True))
    try:
        finding = fs.add_finding(allowed, FindingFields("weakness", text, IRP))
        assert fs.get_finding(allowed, finding).flags == ()
    finally:
        allowed.close()


def test_the_scanner_checks_text_before_it_is_saved(ws: Workspace) -> None:
    scanner = fs.attribution_scanner(ws)
    assert [f.term for f in scanner.flags("draft", "Per Ann Lee and the Security office")] == [
        "Ann Lee",
        "Security office",
    ]
    assert scanner.flags("draft", "Annual leave") == ()


def test_delete_and_restore_bring_back_the_same_finding(ws: Workspace) -> None:
    finding = fs.add_finding(ws, FindingFields("weakness", "Text", FindingTarget("CMMI-SVC", "IRP", "SG1", "SP1.1")))
    fs.set_status(ws, finding, "validated")
    before = fs.get_finding(ws, finding)
    rec = fs.delete_finding(ws, finding)
    assert fs.list_findings(ws) == ()
    with pytest.raises(KnownError, match="no longer in the appraisal"):
        fs.get_finding(ws, finding)
    fs.restore_finding(ws, rec)
    assert fs.get_finding(ws, finding) == before


def test_the_change_log_never_holds_the_text(ws: Workspace) -> None:
    finding = fs.add_finding(ws, FindingFields("weakness", "Ann Lee keeps no records.", IRP))
    fs.update_finding(ws, finding, FindingFields("weakness", "Ann Lee still keeps none.", IRP))
    fs.delete_finding(ws, finding)
    with ws.uow() as uow:
        details = uow.session.scalars(select(ChangeLog.detail).where(ChangeLog.entity == "finding")).all()
        assert uow.session.scalars(select(Finding)).all() == []
    assert len(details) == 3
    assert not any("Ann" in d for d in details)
