"""A small but complete appraisal for the export and import tests: evidence, interviews, characterizations and
findings, with participants' names planted in free texts so the tests can prove they never leave the file."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from app.domain.catalog import Catalog
from app.domain.plan import (
    PaKey,
    Plan,
    SamplingFactorPlan,
    ScopeEntry,
    SubgroupPlan,
    TeamMemberPlan,
    UnitKind,
    UnitPlan,
)
from app.services import appraisals, decisions, evidence, findings, interviews
from app.services.characterize import CellKey, CellState, get_cell, set_cell
from app.services.evidence import ArtifactMeta
from app.services.interview_view import SessionFields
from app.services.link_scope import EvidenceSource, LinkTarget
from app.services.workspace import Workspace
from app.storage.instantiation_repo import instantiations

PARTICIPANTS = ("Zoë Ørsted", "Harold Finch", "Ann-Marie O'Neill")
TEAM = ("Lee Lead", "Łukasz Żółć")
NAMED_WEAKNESS = "Harold Finch said incident trends are never reviewed"
NAMED_FINDING = "Zoë Ørsted reports that recurring incidents are fixed one by one"

PLAN = Plan(
    name="Outputs test appraisal",
    sponsor="Chief Operating Officer",
    lead_appraiser="Lee Lead",
    start_date=date(2026, 3, 2),
    end_date=date(2026, 3, 6),
    org_unit_name="Customer services",
    org_unit_description="Claims and policy services of a car insurer.",
    scope=(
        ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2),
        ScopeEntry(PaKey("SM", "SM"), 2),
        ScopeEntry(PaKey("CMMI-SVC", "MA"), 1, excluded=True, exclusion_reason="Measurement is run by the group"),
    ),
    sampling_factors=(SamplingFactorPlan("Location", False, "One site"),),
    subgroups=(SubgroupPlan("All", total_units=2, people=40),),
    units=(
        UnitPlan("Claims", UnitKind.BASIC_UNIT, subgroup="All"),
        UnitPlan("Policies", UnitKind.BASIC_UNIT, subgroup="All"),
        UnitPlan("Sec", UnitKind.SUPPORT_FUNCTION, process_areas=(PaKey("SM", "SM"),)),
    ),
    team=(TeamMemberPlan("Lee Lead", "lead", "External"), TeamMemberPlan("Łukasz Żółć", "member", "Internal audit")),
)


def cell_keys(ws: Workspace) -> list[CellKey]:
    with ws.uow() as uow:
        return [CellKey(i.model, i.pa, i.goal, i.practice, i.unit) for i in instantiations(uow.session, ws.catalog())]


def make_output_appraisal(path: Path, catalog: Catalog) -> Workspace:
    """Every cell characterized FI with an artifact and an affirmation, then a few notes and findings."""
    ws = appraisals.create_appraisal(path, PLAN, catalog, who="Lee Lead")
    units = {u.name: u.id for u in evidence.unit_options(ws)}
    keys = cell_keys(ws)
    targets = [LinkTarget(k.model, k.pa, k.practice, units[k.unit]) for k in keys]
    procedure = evidence.add_artifact_by_reference(
        ws, "https://intranet.example/irp", ArtifactMeta("Incident procedure (owner: Harold Finch)")
    )
    evidence.link_evidence(ws, EvidenceSource.of_artifact(procedure), targets)
    for n, unit in enumerate(("Claims", "Policies", "Sec"), start=1):
        session_id = interviews.create_session(
            ws, SessionFields(f"S{n:02d}", unit_id=units[unit], participant_roles="Service desk staff")
        )
        for name in PARTICIPANTS:
            interviews.add_participant(ws, session_id, name, "Analyst")
        interviews.set_session_notes(ws, session_id, f"{PARTICIPANTS[0]} walked us through the records.")
        mine = [t for t in targets if t.unit_id == units[unit]]
        interviews.add_affirmation(ws, session_id, "We record and follow every incident to closure.", mine)
    for key in keys:
        set_cell(ws, key, CellState("FI"))
    weak = CellKey("CMMI-SVC", "IRP", "GG2", "GP2.2", "Claims")
    set_cell(ws, weak, replace(get_cell(ws, weak), value="LI", weaknesses=NAMED_WEAKNESS, notes="Ask Harold Finch"))
    # GG2 now has an LI practice: the team judges its weakness not significant (goal rule 3).
    decisions.set_goal_override(ws, "CMMI-SVC", "IRP", "GG2", "Satisfied", "The weakness is minor for the goal")
    strong = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.2", "Policies")
    set_cell(ws, strong, replace(get_cell(ws, strong), strengths="Exemplary ticket hygiene (per Ann-Marie O'Neill)"))
    findings.add_finding(
        ws, findings.FindingFields("weakness", NAMED_FINDING, findings.FindingTarget("CMMI-SVC", "IRP"))
    )
    findings.add_finding(
        ws, findings.FindingFields("strength", "Incidents are recorded and followed to closure consistently.")
    )
    findings.add_finding(
        ws,
        findings.FindingFields(
            "improvement", '=HYPERLINK("http://x") consider trend reviews', findings.FindingTarget("SM", "SM")
        ),
    )
    return ws
