"""A small appraisal with two mini-teams (Alpha: IRP, Beta: SM), participants' names planted in its texts, and an
attached file, for the split and merge tests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from app.domain.catalog import Catalog
from app.domain.plan import MiniTeamPlan, PaKey
from app.services import evidence
from app.services.evidence import ArtifactMeta
from app.services.link_scope import EvidenceSource, LinkTarget
from app.services.workspace import Workspace
from app.storage.plan_repo import read_plan, write_plan
from tests.unit.services.output_appraisal import PARTICIPANTS, cell_keys, make_output_appraisal

ALPHA = MiniTeamPlan("Alpha", ("Lee Lead",), (PaKey("CMMI-SVC", "IRP"),))
BETA = MiniTeamPlan("Beta", ("Łukasz Żółć",), (PaKey("SM", "SM"),))
ATTACHED_TEXT = b"Incident review minutes\n"


def make_package_appraisal(path: Path, catalog: Catalog) -> Workspace:
    ws = make_output_appraisal(path, catalog)
    with ws.uow() as uow:
        plan = read_plan(uow.session)
        write_plan(uow.session, replace(plan, mini_teams=(ALPHA, BETA)))
        uow.commit()
    attached = path.parent / f"minutes by {PARTICIPANTS[1]}.txt"
    attached.write_bytes(ATTACHED_TEXT)
    artifact = evidence.add_artifact_from_file(ws, attached, ArtifactMeta("Review minutes"))
    attached.unlink()
    units = {u.name: u.id for u in evidence.unit_options(ws)}
    targets = [LinkTarget(k.model, k.pa, k.practice, units[k.unit]) for k in cell_keys(ws) if k.pa == "IRP"]
    evidence.link_evidence(ws, EvidenceSource.of_artifact(artifact), targets[:2])
    return ws
