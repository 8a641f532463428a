"""The demo appraisal brought to "ready for the final outputs": team judgments made, findings validated.

The demo deliberately holds a finding that names a participant (non-attribution practice); validating it is
refused, so it is reworded first, as a lead would.
"""

from __future__ import annotations

from pathlib import Path

from app.services import demo, findings
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
    return ws
