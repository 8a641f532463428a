"""The demo's team decisions, recorded the way the rules now want them (method-rules §3 tool implications).

After the demo's rows are in, the practice judgments and the goal override of `demo_content` are tied to the
inputs they were made on, and the team's rule-3 significance decisions are recorded on the goals that need one.
A lead meets the demo on day 3, so a few items are left as work on purpose:

- the rule-3 decisions of the process areas still being examined (`PENDING_SIGNIFICANCE`) are not taken yet;
- one practice judgment and one goal decision were taken before a weakness was reworded (`STALE_*`): they are
  stale and wait for one key to re-confirm them.

Dates and authors are fixed, so the demo stays the same on every run.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from app.domain.rating.decisions import goal_inputs, practice_inputs, weakness_digest
from app.domain.rating.results import RatingResult
from app.domain.rating.rules import GOAL_R3_AWAITING_SIGNIFICANCE
from app.domain.rating.scales import GoalRating, V13Value
from app.services.decisions import (
    GoalOverride,
    OuDecision,
    goal_overrides,
    ou_decisions,
    restore_goal_override,
    restore_ou_decision,
)
from app.services.demo_content import demo_content
from app.services.ratings import rate_appraisal
from app.services.workspace import Workspace

SECURITY = ("SM", "VAR", "KIM", "CTRL", "MON")
PENDING_SIGNIFICANCE = ("CTRL",)
"""Process areas whose significance decisions the team takes on Friday."""
STALE_JUDGMENT = ("CERT-RMM", "CTRL")
"""The first practice judgment here was taken before a weakness was reworded."""
STALE_GOAL = ("CMMI-SVC", "SST")
"""The first significance decision here was taken before a weakness was reworded."""
DECIDED = datetime(2026, 12, 2, 17, 0)


def _lead(pa: str) -> str:
    content = demo_content()
    return (content.security_mini_team if pa in SECURITY else content.delivery_mini_team)[0]


def _reworded(inputs: str) -> str:
    """The same inputs with the first weakness as it read before the team reworded it."""
    data = json.loads(inputs)
    weaknesses = data.get("weaknesses", [])
    if weaknesses:
        weaknesses[0][-1] = weakness_digest("an earlier wording of the weakness")
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def record_decisions(ws: Workspace) -> None:
    _tie_judgments(ws)
    _decide_goals(ws, rate_appraisal(ws))


def _tie_judgments(ws: Workspace) -> None:
    result = rate_appraisal(ws)
    stale_done = False
    for (model, pa, code), decision in sorted(ou_decisions(ws).items()):
        area = result.process_area(model, pa)
        practice = area.practice(code) if area is not None else None
        if practice is None:
            continue
        inputs = practice_inputs(practice.instantiations)
        if (model, pa) == STALE_JUDGMENT and not stale_done:
            inputs, stale_done = _reworded(inputs), True
        tied = OuDecision(decision.value, decision.rationale, decision.decided_by, decision.decided_at, inputs)
        restore_ou_decision(ws, model, pa, practice.goal, code, tied)


def _decide_goals(ws: Workspace, result: RatingResult) -> None:
    stored = goal_overrides(ws)
    stale_done = False
    for area in result.process_areas:
        model, pa = area.key.model, area.key.pa
        for n, goal in enumerate(area.goals):
            inputs = goal_inputs(goal.practices)
            when = DECIDED + timedelta(minutes=5 * n)
            existing = stored.get((model, pa, goal.code))
            if existing is not None:
                tied = GoalOverride(
                    existing.rating, existing.rationale, existing.decided_by, existing.decided_at, inputs
                )
                restore_goal_override(ws, model, pa, goal.code, tied)
                continue
            if goal.computed_rule is not GOAL_R3_AWAITING_SIGNIFICANCE or pa in PENDING_SIGNIFICANCE:
                continue
            weak = [f"{p.code} {p.ou}" for p in goal.practices if p.ou is not None and p.ou.value == V13Value.LI]
            rationale = (
                f"The weaknesses behind {', '.join(weak)} are minor and do not put {goal.code} at risk; "
                "the team judged none of them significant."
            )
            if (model, pa) == STALE_GOAL and not stale_done:
                inputs, stale_done = _reworded(inputs), True
            decision = GoalOverride(GoalRating.SATISFIED.value, rationale, _lead(pa), when, inputs)
            restore_goal_override(ws, model, pa, goal.code, decision)
