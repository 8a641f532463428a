"""Editing the plan of a real appraisal file: validated whole-plan writes, impact counts, phase, export."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, PlanError, ScopeEntry, SubgroupPlan, TeamMemberPlan, UnitKind, UnitPlan
from app.domain.plan_data import add_unit, remove_item, remove_scope, set_unit
from app.services import appraisals
from app.services.plan_editing import (
    DataLossRefused,
    Impact,
    export_plan_yaml,
    get_phase,
    get_plan,
    plan_change_impact,
    scale_lock,
    set_phase,
    update_plan,
)
from app.services.workspace import Workspace
from app.storage.errors import KnownError
from app.storage.instantiation_repo import practice_ids
from app.storage.plan_repo import pa_ids
from app.storage.schema import (
    Artifact,
    ChangeLog,
    Characterization,
    EvidenceLink,
    InterviewSession,
    OuCharacterization,
    Unit,
)

IRP, SM = PaKey("CMMI-SVC", "IRP"), PaKey("SM", "SM")
PLAN = Plan(
    name="Plan editing",
    sponsor="COO",
    scope=(ScopeEntry(IRP, 2), ScopeEntry(SM, 2)),
    subgroups=(SubgroupPlan("Claims side", total_units=2),),
    units=(
        UnitPlan("Claims", UnitKind.BASIC_UNIT, subgroup="Claims side"),
        UnitPlan("Repair", UnitKind.BASIC_UNIT, subgroup="Claims side"),
        UnitPlan("Security office", UnitKind.SUPPORT_FUNCTION, process_areas=(SM,)),
    ),
    team=(TeamMemberPlan("Morgan", "lead"),),
)


@pytest.fixture
def ws(appraisal_target: str | Path, catalog: Catalog) -> Iterator[Workspace]:
    """On a file and on a team server (tests/conftest.py: appraisal_target)."""
    workspace = appraisals.create_appraisal(appraisal_target, PLAN, catalog, who="Lee")
    yield workspace
    workspace.close()


def unit_id(ws: Workspace, name: str) -> int:
    with ws.uow() as uow:
        return uow.session.scalars(select(Unit.id).where(Unit.name == name)).one()


def add_work(ws: Workspace, unit: str, *, value: str | None = "LI") -> None:
    """An artifact provided by `unit`, linked to IRP SP1.1 there, an interview with it and a characterization."""
    with ws.uow() as uow:
        session = uow.session
        uid = unit_id(ws, unit)
        pa = pa_ids(session)[IRP]
        practice = practice_ids(session)[("CMMI-SVC", "IRP", "SG1", "SP1.1")]
        artifact = Artifact(title="Incident procedure", added_at=datetime.now(), provided_by_unit_id=uid)
        session.add(artifact)
        session.add(InterviewSession(code=f"S-{unit}", unit_id=uid))
        session.flush()
        session.add(EvidenceLink(artifact_id=artifact.id, process_area_id=pa, practice_id=practice, unit_id=uid))
        session.add(Characterization(process_area_id=pa, practice_id=practice, unit_id=uid, value=value))
        uow.commit()


def count(ws: Workspace, table: type) -> int:
    with ws.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(table)) or 0)


def plan_log(ws: Workspace) -> list[str]:
    with ws.uow() as uow:
        return list(uow.session.scalars(select(ChangeLog.detail).where(ChangeLog.entity == "plan")))


def test_get_plan_reads_what_was_created(ws: Workspace) -> None:
    assert get_plan(ws) == PLAN
    assert get_phase(ws) == "plan"


def test_update_plan_writes_normalizes_and_logs(ws: Workspace) -> None:
    new = replace(PLAN, sponsor=" Chief Operating Officer ", scope=(*PLAN.scope, ScopeEntry(PaKey("CMMI-SVC", "PP"))))
    update_plan(ws, new)
    stored = get_plan(ws)
    assert stored.sponsor == "Chief Operating Officer"
    assert stored.scope[-1].pa == PaKey("CMMI-SVC", "WP")  # the old name resolves, as in a plan file
    assert plan_log(ws) == ["sponsor, scope"]
    with ws.uow() as uow:
        assert uow.session.scalars(select(ChangeLog.who).where(ChangeLog.entity == "plan")).one() == ws.who


def test_invalid_plan_is_refused_and_nothing_changes(ws: Workspace) -> None:
    bad = set_unit(PLAN, 0, replace(PLAN.units[0], subgroup="Nowhere"))
    bad = replace(bad, sponsor="Someone else")
    with pytest.raises(PlanError) as caught:
        update_plan(ws, bad)
    assert [p.field for p in caught.value.problems] == ["basic_units[1].subgroup"]
    assert get_plan(ws) == PLAN
    assert plan_log(ws) == []


def test_a_renamed_unit_keeps_its_evidence(ws: Workspace) -> None:
    add_work(ws, "Claims")
    before = unit_id(ws, "Claims")
    renamed = set_unit(PLAN, 0, replace(PLAN.units[0], name="Claims handling"))
    assert plan_change_impact(ws, PLAN, renamed, renamed_units={"Claims": "Claims handling"}) == Impact()
    update_plan(ws, renamed, renamed_units={"Claims": "Claims handling"})
    assert unit_id(ws, "Claims handling") == before
    assert (count(ws, EvidenceLink), count(ws, Characterization)) == (1, 1)
    # Undo writes the old plan back with the reverse rename.
    update_plan(ws, PLAN, renamed_units={"Claims handling": "Claims"})
    assert unit_id(ws, "Claims") == before and get_plan(ws) == PLAN


def test_units_can_swap_names_without_losing_anything(ws: Workspace) -> None:
    add_work(ws, "Claims")
    swapped = replace(
        PLAN, units=(replace(PLAN.units[0], name="Repair"), replace(PLAN.units[1], name="Claims"), PLAN.units[2])
    )
    update_plan(ws, swapped, renamed_units={"Claims": "Repair", "Repair": "Claims"})
    with ws.uow() as uow:
        owner = uow.session.scalars(select(Unit.name).join(EvidenceLink, EvidenceLink.unit_id == Unit.id)).one()
    assert owner == "Repair"


def test_removing_a_unit_with_work_is_counted_and_needs_consent(ws: Workspace) -> None:
    add_work(ws, "Claims")
    without = remove_item(PLAN, "units", 0)
    impact = plan_change_impact(ws, PLAN, without)
    assert impact == Impact(
        removed_units=("Claims",), evidence_links=1, characterizations=1, interview_sessions=1, artifacts=1
    )
    assert impact.irreversible
    assert impact.losses() == [
        "1 evidence link will be deleted",
        "1 practice characterization (values, strengths, weaknesses, notes) will be deleted",
        "1 interview session will stay, but no longer name a unit",
        "1 artifact will stay, but no longer show which unit provided it",
    ]
    with pytest.raises(DataLossRefused, match="Claims"):
        update_plan(ws, without)
    assert get_plan(ws) == PLAN and count(ws, EvidenceLink) == 1
    update_plan(ws, without, allow_loss=True)
    assert [u.name for u in get_plan(ws).units] == ["Repair", "Security office"]
    assert (count(ws, EvidenceLink), count(ws, Characterization)) == (0, 0)
    # Sessions and artifacts stay, without their unit.
    assert (count(ws, InterviewSession), count(ws, Artifact)) == (1, 1)
    assert "removed Claims" in plan_log(ws)[-1]


def test_removing_a_unit_without_work_needs_no_consent(ws: Workspace) -> None:
    add_work(ws, "Claims")
    without = remove_item(PLAN, "units", 1)
    assert not plan_change_impact(ws, PLAN, without).irreversible
    update_plan(ws, without)
    assert [u.name for u in get_plan(ws).units] == ["Claims", "Security office"]
    # Undo of an "add unit" step would delete a unit; it is refused once work was recorded for it.
    added = add_unit(PLAN, UnitPlan("Billing", UnitKind.BASIC_UNIT))
    update_plan(ws, added)
    add_work(ws, "Billing")
    with pytest.raises(DataLossRefused):
        update_plan(ws, PLAN)


def test_scope_removal_sets_work_aside_without_deleting_it(ws: Workspace) -> None:
    add_work(ws, "Claims")
    without_irp = remove_scope(PLAN, [IRP])
    impact = plan_change_impact(ws, PLAN, without_irp)
    assert impact.removed_scope == (IRP,)
    assert (impact.out_of_scope_evidence_links, impact.out_of_scope_characterizations) == (1, 1)
    assert not impact.irreversible
    assert impact.set_aside() == ["1 evidence link", "1 practice characterization"]
    update_plan(ws, without_irp)
    assert (count(ws, EvidenceLink), count(ws, Characterization)) == (1, 1)
    update_plan(ws, PLAN)
    assert get_plan(ws) == PLAN


def test_scale_is_locked_once_practices_are_characterized(ws: Workspace) -> None:
    v2 = replace(PLAN, scale="v2")
    add_work(ws, "Claims", value=None)  # notes only: nothing uses the scale yet
    assert scale_lock(ws) is None
    update_plan(ws, v2)
    update_plan(ws, PLAN)
    with ws.uow() as uow:
        uow.session.execute(update(Characterization).values(value="FI"))
        uow.commit()
    assert scale_lock(ws) is not None
    with pytest.raises(PlanError) as caught:
        update_plan(ws, v2)
    [problem] = caught.value.problems
    assert problem.field == "appraisal.scale"
    assert problem.message.startswith("The scale cannot change: 1 characterization already uses the v1.3 values")
    assert get_plan(ws).scale == "v1.3"
    # Other edits of a characterized appraisal go through.
    update_plan(ws, replace(PLAN, sponsor="CFO"))
    assert get_plan(ws).sponsor == "CFO"


def test_team_judgments_lock_the_scale_too(ws: Workspace) -> None:
    with ws.uow() as uow:
        session = uow.session
        session.add(
            OuCharacterization(
                process_area_id=pa_ids(session)[IRP],
                practice_id=practice_ids(session)[("CMMI-SVC", "IRP", "SG1", "SP1.1")],
                value="LI",
                rationale="r",
                decided_at=datetime.now(),
            )
        )
        uow.commit()
    with pytest.raises(PlanError, match="scale cannot change"):
        update_plan(ws, replace(PLAN, scale="v2"))


def test_phase_moves_and_is_logged(ws: Workspace) -> None:
    assert set_phase(ws, "conduct") == "plan"
    assert set_phase(ws, "report") == "conduct"
    assert get_phase(ws) == "report"
    with pytest.raises(KnownError, match="not a phase"):
        set_phase(ws, "celebrate")
    assert get_phase(ws) == "report"
    with ws.uow() as uow:
        details = list(uow.session.scalars(select(ChangeLog.detail).where(ChangeLog.action == "phase")))
    assert details == ["plan → conduct", "conduct → report"]


def test_export_writes_a_plan_file_that_creates_the_same_plan(ws: Workspace, tmp_path: Path, catalog: Catalog) -> None:
    target = tmp_path / "out" / "plan.yaml"
    target.parent.mkdir()
    export_plan_yaml(ws, target)
    text = target.read_text(encoding="utf-8")
    assert text.startswith(f"# Appraisal plan exported by Appraisal Desk from {ws.display_name} on ")
    assert "- {model: CMMI-SVC, pa: IRP, target_capability_level: 2}" in text
    assert appraisals.read_plan_file(target, catalog) == PLAN
    assert os.listdir(target.parent) == ["plan.yaml"]


def test_failed_export_keeps_the_old_file(ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text("old", encoding="utf-8")

    def broken_replace(_src: object, _dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(KnownError, match="already exists"):
        export_plan_yaml(ws, target)
    with pytest.raises(KnownError, match="disk is full"):
        export_plan_yaml(ws, target, overwrite=True)
    assert target.read_text(encoding="utf-8") == "old"
    assert not [name for name in os.listdir(tmp_path) if name.startswith(".plan.yaml.")]
    with pytest.raises(KnownError, match="does not exist"):
        export_plan_yaml(ws, tmp_path / "missing" / "plan.yaml")


def test_an_undo_of_a_plan_edit_written_normalised_is_not_taken_for_a_colleagues_change(ws: Workspace) -> None:
    new = replace(PLAN, sponsor="  Chief Operating Officer  ")
    update_plan(ws, new, expected=PLAN)
    update_plan(ws, PLAN, expected=new)  # the undo: the stored plan is `new` as written (trimmed)
    assert get_plan(ws) == PLAN
