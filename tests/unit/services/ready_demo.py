"""The demo appraisal brought to "ready for the final outputs": team judgments made, findings validated.

The demo deliberately holds a finding that names a participant (non-attribution practice); validating it is
refused, so it is reworded first, as a lead would.
"""

from __future__ import annotations

from pathlib import Path

from app.domain.report import Edition
from app.services import demo, findings, release_gate
from app.services.decisions import set_goal_override, set_ou_decision
from app.services.ratings import rate_appraisal
from app.services.workspace import Workspace
from app.storage.catalog_files import builtin_catalog
from app.storage.errors import KnownError


def make_ready_demo(path: Path) -> Workspace:
    ws = demo.create_demo(path, builtin_catalog())
    result = rate_appraisal(ws)
    for pa in result.process_areas:
        for goal in pa.goals:
            for practice in goal.practices:
                if practice.judgment_needed:
                    chosen = practice.rollup.proposed or practice.allowed[0]
                    set_ou_decision(
                        ws, pa.key.model, pa.key.pa, goal.code, practice.code, chosen.value, "Team consensus"
                    )
    # Then the goals the rules leave to the team (rule 3 significance, stale decisions).
    for pa in rate_appraisal(ws).process_areas:
        for goal in pa.goals:
            if goal.judgment_needed and goal.proposed is not None:
                set_goal_override(ws, pa.key.model, pa.key.pa, goal.code, goal.proposed.value, "Team consensus")
    for info in findings.list_findings(ws):
        if info.status != "preliminary":
            continue
        try:
            findings.set_status(ws, info.id, "validated")
        except KnownError:
            reworded = findings.FindingFields(info.kind, "Reviews of recurring incidents are not held.", info.target)
            findings.update_finding(ws, info.id, reworded)
            findings.set_status(ws, info.id, "validated")
    # A goal the team rated Unsatisfied needs a validated weakness that says why before the sponsor may see it.
    for block in release_gate.release_blocks(ws, Edition.SPONSOR):
        if block.finding_id is None and block.goal is not None:
            target = findings.FindingTarget(block.model, block.pa, block.goal)
            text = "The goal's practices are not performed consistently across the organizational unit."
            fid = findings.add_finding(ws, findings.FindingFields("weakness", text, target))
            findings.set_status(ws, fid, "validated")
    return ws
