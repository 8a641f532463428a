"""What the team has to do next, in the order a lead appraiser works through it: OU judgments to make, goal
decisions pending or stale, values that break a rule, cells marked for review, coverage gaps by process area,
findings that name someone, preliminary findings to validate, and every process area still Not Rated with the
reason. Each item says where it lives so the window can open it, and which mini-teams own it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import select

from app.domain.plan import PaKey
from app.domain.rating.results import GoalResult, ProcessAreaResult, RatingResult
from app.domain.rating.scales import GoalRating
from app.domain.rating.wording import in_words
from app.services.grid import mini_team_options, place_name, short_code
from app.services.workspace import Workspace
from app.storage.schema import (
    CatalogGoal,
    CatalogModel,
    CatalogPractice,
    CatalogProcessArea,
    Characterization,
    Unit,
)

if TYPE_CHECKING:
    from app.services.finding_view import FindingInfo

NO_TEAM = "No mini-team"


class WorkKind(StrEnum):
    JUDGMENT = "OU judgment to make"
    GOAL_DECISION = "Goal decision"
    RULE = "Value that breaks a rule"
    REVIEW = "Marked for review"
    GAP = "Coverage gaps"
    NAMES = "Finding names someone"
    VALIDATE = "Finding to validate"
    NOT_RATED = "Not rated yet"


class TargetKind(StrEnum):
    CELL = "cell"
    """A unit's cell: model, pa, goal, practice and unit are set."""
    PRACTICE = "practice"
    """A practice's OU cell (its team judgment)."""
    GOAL = "goal"
    PROCESS_AREA = "process area"
    FINDING = "finding"


@dataclass(frozen=True, slots=True)
class WorkTarget:
    kind: TargetKind
    model: str = ""
    pa: str = ""
    goal: str = ""
    practice: str = ""
    unit: str = ""
    finding_id: int = 0


@dataclass(frozen=True, slots=True)
class WorkItem:
    kind: WorkKind
    where: str
    """The place as the user reads it: "CMMI-SVC IRP SP1.1", "SM ESP1.2 in Claims", "weakness finding"."""
    detail: str
    """What to do or why, in plain words."""
    target: WorkTarget
    pa: PaKey | None
    teams: tuple[str, ...]
    """The mini-teams owning the process area ("No mini-team" when none does)."""


@dataclass(frozen=True, slots=True)
class Worklist:
    items: tuple[WorkItem, ...]
    teams: tuple[str, ...]
    """Every mini-team of the plan, in plan order (plus "No mini-team" when an item has none)."""

    def counts(self, items: Iterable[WorkItem] | None = None) -> dict[str, int]:
        """Items per mini-team (an item owned by two teams counts for both)."""
        tally: Counter[str] = Counter()
        for item in self.items if items is None else items:
            tally.update(item.teams)
        return {team: tally[team] for team in self.teams}

    def chosen(self, team: str | None = None, pa: PaKey | None = None) -> list[WorkItem]:
        return [i for i in self.items if (team is None or team in i.teams) and (pa is None or i.pa == pa)]


def build_worklist(ws: Workspace, ratings: RatingResult) -> Worklist:
    """Everything still to do, in working order; reads review marks, findings and mini-teams from the file."""
    teams_of, team_names = _mini_teams(ws)
    found: list[WorkItem] = []

    def add(kind: WorkKind, where: str, detail: str, target: WorkTarget, pa: PaKey | None) -> None:
        teams = tuple(teams_of.get(pa, ())) if pa is not None else ()
        found.append(WorkItem(kind, where, detail, target, pa, teams or (NO_TEAM,)))

    areas = [a for a in ratings.process_areas if not a.excluded]
    for area in areas:
        _judgments(area, add)
    for area in areas:
        _goal_decisions(area, add)
    for area in areas:
        _rule_breaks(area, add)
    for model, pa, goal, practice, unit, comment in _review_marks(ws):
        where = f"{place_name(model, pa)} {short_code(pa, practice)} in {unit}"
        target = WorkTarget(TargetKind.CELL, model, pa, goal, practice, unit)
        add(WorkKind.REVIEW, where, comment or "Marked for the team's review.", target, PaKey(model, pa))
    for area in areas:
        _gaps(area, add)
    from app.services.findings import list_findings  # the findings' reader loads with the first worklist

    findings = list_findings(ws)
    for finding in findings:
        if finding.flagged:
            add(WorkKind.NAMES, _finding_where(finding), _names(finding), _finding_target(finding), _pa(finding))
    for finding in findings:
        if finding.status == "preliminary":
            detail = f"Preliminary {finding.kind}: validate it with the organization. “{_short(finding.text)}”"
            add(WorkKind.VALIDATE, _finding_where(finding), detail, _finding_target(finding), _pa(finding))
    for area in areas:
        _not_rated(area, add)
    used = {t for i in found for t in i.teams}
    names = tuple(team_names) + ((NO_TEAM,) if NO_TEAM in used else ())
    return Worklist(tuple(found), names)


class _Add(Protocol):
    def __call__(self, kind: WorkKind, where: str, detail: str, target: WorkTarget, pa: PaKey | None) -> None: ...


def _judgments(area: ProcessAreaResult, add: _Add) -> None:
    model, pa = area.key.model, area.key.pa
    for goal in area.goals:
        for practice in goal.practices:
            if not practice.judgment_needed:
                continue
            units = ", ".join(f"{i.unit} {i.value or '—'}" for i in practice.instantiations)
            allowed = " or ".join(practice.allowed)
            add(
                WorkKind.JUDGMENT,
                f"{place_name(model, pa)} {short_code(pa, practice.code)}",
                f"The team decides the OU value ({allowed}): {practice.rule.text}. Units: {units}.",
                WorkTarget(TargetKind.PRACTICE, model, pa, goal.code, practice.code),
                area.key,
            )


def _goal_decisions(area: ProcessAreaResult, add: _Add) -> None:
    """Goals whose rating waits for the team, or whose recorded decision the data no longer supports."""
    model, pa = area.key.model, area.key.pa
    for goal in area.goals:
        pending = bool(getattr(goal, "judgment_needed", False))
        stale = bool(getattr(goal, "stale", False))
        conflict = getattr(goal, "conflict", None)
        if not (pending or stale or conflict):
            continue
        if stale or conflict:
            why = f": {in_words(str(conflict))}" if conflict else ""
            detail = f"The team's decision no longer fits the data{why}; decide again."
        else:
            detail = f"The rules leave this goal to the team: {_first_reason(goal)}"
        where = f"{place_name(model, pa)} {short_code(pa, goal.code)}"
        add(WorkKind.GOAL_DECISION, where, detail, WorkTarget(TargetKind.GOAL, model, pa, goal.code), area.key)


def _rule_breaks(area: ProcessAreaResult, add: _Add) -> None:
    model, pa = area.key.model, area.key.pa
    for goal in area.goals:
        for practice in goal.practices:
            code = short_code(pa, practice.code)
            if practice.rollup.conflict:
                target = WorkTarget(TargetKind.PRACTICE, model, pa, goal.code, practice.code)
                why = in_words(practice.rollup.conflict)
                add(WorkKind.RULE, f"{place_name(model, pa)} {code}", why, target, area.key)
            for inst in practice.instantiations:
                if inst.problems:
                    target = WorkTarget(TargetKind.CELL, model, pa, goal.code, practice.code, inst.unit)
                    where = f"{place_name(model, pa)} {code} in {inst.unit}"
                    add(WorkKind.RULE, where, in_words(" ".join(inst.problems)), target, area.key)


def _gaps(area: ProcessAreaResult, add: _Add) -> None:
    if not area.gaps:
        return
    model, pa = area.key.model, area.key.pa
    first = area.gaps[0]
    shown = "; ".join(_plain_gap(g.missing) for g in area.gaps[:3])
    more = f" (and {len(area.gaps) - 3} more)" if len(area.gaps) > 3 else ""
    count = f"{len(area.gaps)} coverage gap{'s' if len(area.gaps) != 1 else ''}"
    if first.practice and first.unit:
        goal = next((g.code for g in area.goals for p in g.practices if p.code == first.practice), "")
        target = WorkTarget(TargetKind.CELL, model, pa, goal, first.practice, first.unit)
    else:
        target = WorkTarget(TargetKind.PROCESS_AREA, model, pa)
    add(WorkKind.GAP, place_name(model, pa), f"{count}: {shown}{more}", target, area.key)


def _plain_gap(missing: str) -> str:
    # Gap texts start with their rule's tag ("B1: ..."); the tag stays in the JSON and tooltips.
    head, sep, rest = missing.partition(": ")
    return rest if sep and len(head) <= 4 else missing


def _not_rated(area: ProcessAreaResult, add: _Add) -> None:
    if area.capability.level is not None:
        return
    model, pa = area.key.model, area.key.pa
    waiting = [g for g in area.goals if g.rating is GoalRating.NOT_RATED]
    reason = area.capability.note
    if waiting:
        goal = waiting[0]
        reason = f"{short_code(pa, goal.code)} is Not Rated: {_first_reason(goal)}"
        if len(waiting) > 1:
            reason += f" ({len(waiting) - 1} more goal{'s' if len(waiting) > 2 else ''} not rated)"
        target = WorkTarget(TargetKind.GOAL, model, pa, goal.code)
    else:
        target = WorkTarget(TargetKind.PROCESS_AREA, model, pa)
    add(WorkKind.NOT_RATED, place_name(model, pa), reason, target, area.key)


def _first_reason(goal: GoalResult) -> str:
    return in_words(goal.reasons[0]) if goal.reasons else goal.rule.text


def _finding_where(finding: FindingInfo) -> str:
    return f"{finding.kind.capitalize()} on {finding.target.label or 'the organizational unit'}"


def _finding_target(finding: FindingInfo) -> WorkTarget:
    return WorkTarget(TargetKind.FINDING, finding_id=finding.id)


def _pa(finding: FindingInfo) -> PaKey | None:
    target = finding.target
    return PaKey(target.model, target.pa) if target.model and target.pa else None


def _names(finding: FindingInfo) -> str:
    named = ", ".join(flag.description for flag in finding.flags)
    return f"The text {named}: findings must not point at a person or a unit."


def _short(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _review_marks(ws: Workspace) -> list[tuple[str, str, str, str, str, str]]:
    with ws.uow() as uow:
        rows = uow.session.execute(
            select(
                CatalogModel.key,
                CatalogProcessArea.acronym,
                CatalogGoal.code,
                CatalogPractice.code,
                Unit.name,
                Characterization.review_comment,
            )
            .select_from(Characterization)
            .join(CatalogProcessArea, CatalogProcessArea.id == Characterization.process_area_id)
            .join(CatalogModel, CatalogModel.id == CatalogProcessArea.model_id)
            .join(CatalogPractice, CatalogPractice.id == Characterization.practice_id)
            .join(CatalogGoal, CatalogGoal.id == CatalogPractice.goal_id)
            .join(Unit, Unit.id == Characterization.unit_id)
            .where(Characterization.review_flag.is_(True))
            .order_by(CatalogProcessArea.position, CatalogPractice.id, Unit.position)
        ).all()
    return [(m, pa, g, p, u, c or "") for m, pa, g, p, u, c in rows]


def _mini_teams(ws: Workspace) -> tuple[dict[PaKey, list[str]], list[str]]:
    with ws.uow() as uow:
        options = mini_team_options(uow.session)
    owners: dict[PaKey, list[str]] = {}
    for option in options:
        for key in option.process_areas:
            owners.setdefault(key, []).append(option.name)
    return owners, [o.name for o in options]
