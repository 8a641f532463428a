"""Rating one process area: its instantiations, OU values, coverage gaps, goals and capability level.

Everything here depends only on the process area's own facts, which is what lets the engine recompute one
process area after an edit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.domain.catalog import Catalog, Goal, GoalKind, Model, ProcessArea
from app.domain.plan import PaKey
from app.domain.rating.characterization import Proposal, propose, validate_team_value
from app.domain.rating.coverage import CoverageGap, UnitPaEvidence, process_area_gaps
from app.domain.rating.decisions import practice_inputs
from app.domain.rating.facts import NO_CELLS, AreaCells, Cell, GoalOverride, OuDecision, ScopeItem, UnitFact
from app.domain.rating.goals import rate_goal
from app.domain.rating.levels import capability_level, staged_pa_rating
from app.domain.rating.nonattribution import AttributionFlag, NameScanner
from app.domain.rating.results import InstantiationResult, PracticeResult, ProcessAreaResult
from app.domain.rating.rollup import roll_up
from app.domain.rating.rules import MATURITY_TABLE
from app.domain.rating.scales import Scale, Value
from app.domain.scope import rated_practices


@dataclass(frozen=True, slots=True)
class PaLayout:
    """What is rated in one process area: its goals (specific, then rated generic) and implementing units."""

    item: ScopeItem
    model: Model
    area: ProcessArea
    goals: tuple[Goal, ...]
    practices: tuple[str, ...]
    """The codes of every rated practice, in goal order."""
    units: tuple[UnitFact, ...]
    """Sampled units that implement the process area, in plan order (none when it is excluded)."""
    empty_cells: tuple[Cell, ...]
    """An empty cell of each of `units`, in the same order: what a cell with nothing recorded rates as."""

    @property
    def key(self) -> PaKey:
        return self.item.key

    def has_practice(self, code: str) -> bool:
        return code in self.practices

    def has_unit(self, name: str) -> bool:
        return any(u.name == name for u in self.units)


def layout_for(catalog: Catalog, item: ScopeItem, units: Sequence[UnitFact], target_ml: int | None) -> PaLayout:
    model = catalog.model(item.model)
    area = model.process_area(item.pa) if model else None
    if model is None or area is None:
        raise ValueError(f"{item.model} {item.pa} is in scope but not in the catalog.")
    rated = rated_practices(catalog, item.model, area, item.target_capability_level, target_ml)
    goals = list(area.goals)
    for entry in rated:
        if entry.generic and entry.goal.code not in {g.code for g in goals}:
            goals.append(entry.goal)
    codes = tuple(p.code for goal in goals for p in goal.practices)
    doers = () if item.excluded else tuple(u for u in units if u.sampled and u.implements(item.key))
    return PaLayout(item, model, area, tuple(goals), codes, doers, tuple(Cell(u.name) for u in doers))


def compute_process_area(
    layout: PaLayout,
    scale: Scale,
    target_ml: int | None,
    facts: AreaCells,
    decisions: Mapping[str, OuDecision],
    overrides: Mapping[str, GoalOverride],
    scanner: NameScanner,
    reuse: Mapping[str, PracticeResult] | None = None,
    subgroup_gaps: Sequence[CoverageGap] = (),
    evidence: tuple[UnitPaEvidence, ...] | None = None,
    seen: dict[Cell, InstantiationResult] | None = None,
) -> ProcessAreaResult:
    """`facts` by practice code, then unit name; `decisions` by practice code; `overrides` by goal code;
    `subgroup_gaps` the subgroup gaps that reach this process area.

    `reuse`: practice results still valid (their cells and OU decision unchanged since they were computed),
    by practice code; after an edit only the edited practices are rated again, the goals and levels from them.
    `evidence`: `pa_evidence(layout, facts)` when the caller has it already. `seen`: cells' results by what they
    show, shared between calls (the engine keeps one).
    """
    reuse = reuse or {}
    seen = {} if seen is None else seen
    item = layout.item
    if evidence is None:
        evidence = pa_evidence(layout, facts)
    reaching = tuple(subgroup_gaps) if not item.excluded else ()
    gaps = (
        process_area_gaps(scale, layout.key, layout.practices, layout.units, facts, evidence)
        if not item.excluded
        else ()
    )
    goals = []
    for goal in layout.goals:
        practices = [
            reuse.get(p.code) or _practice(scale, goal, p.code, layout, facts, decisions.get(p.code), seen)
            for p in goal.practices
        ]
        goals.append(
            rate_goal(
                scale,
                goal,
                practices,
                gaps,
                excluded=item.excluded,
                exclusion_reason=item.exclusion_reason,
                override=overrides.get(goal.code),
                subgroup_gaps=reaching,
            )
        )
    capability = capability_level(item.excluded, goals, layout.model.max_capability_level)
    staged = None
    if target_ml is not None and layout.model.has_maturity_levels:
        row = next(
            (r for r in MATURITY_TABLE if r.level == max(target_ml, MATURITY_TABLE[0].level)), MATURITY_TABLE[-1]
        )
        staged = staged_pa_rating(item.excluded, goals, row.generic_goals)
    return ProcessAreaResult(
        key=layout.key,
        name=layout.area.name,
        maturity_level=layout.area.maturity_level,
        target_capability_level=item.target_capability_level,
        excluded=item.excluded,
        exclusion_reason=item.exclusion_reason,
        goals=tuple(goals),
        capability=capability,
        staged=staged,
        gaps=gaps,
        subgroup_gaps=reaching,
        unit_evidence=evidence,
        attribution_flags=tuple(_flags(layout, facts, decisions, overrides, scanner)),
    )


def pa_evidence(layout: PaLayout, facts: AreaCells) -> tuple[UnitPaEvidence, ...]:
    """Which units provide artifacts and affirmations for the process area (none when it is excluded)."""
    if layout.item.excluded:
        return ()
    # From the recorded facts alone: building every expected cell first costs more than the answer at size L.
    practices = frozenset(layout.practices)
    artifacts = dict.fromkeys((u.name for u in layout.units), False)
    affirmations = dict.fromkeys((u.name for u in layout.units), False)
    for code, row in facts.items():
        if code in practices:
            for unit, fact in row.items():
                if unit in artifacts:
                    artifacts[unit] |= fact.adequate_artifacts > 0
                    affirmations[unit] |= fact.affirmations > 0
    return tuple(UnitPaEvidence(u, artifacts[u.name], affirmations[u.name]) for u in layout.units)


def _practice(
    scale: Scale,
    goal: Goal,
    code: str,
    layout: PaLayout,
    facts: AreaCells,
    decision: OuDecision | None,
    seen: dict[Cell, InstantiationResult],
) -> PracticeResult:
    results = []
    valid: list[Value | None] = []
    invalid = 0
    get = facts.get(code, NO_CELLS).get
    for empty in layout.empty_cells:
        # A cell's result depends on the cell alone (an empty one on its unit): most cells without texts repeat a
        # few combinations per unit, and equal cells share one (frozen) result.
        shown = get(empty.unit) or empty
        result = seen.get(shown)
        if result is None:
            result = seen[shown] = _instantiation(scale, *shown)
        results.append(result)
        # A value that breaks a §1 rule is not a valid characterization until the team fixes it (§3 tool
        # implications).
        if result.problems:
            invalid += 1
        else:
            valid.append(result.value)
    rollup = roll_up(
        scale,
        valid,
        decision,
        invalid=invalid,
        # Only a recorded decision is compared with today's inputs: without one they are not needed.
        inputs=practice_inputs(results) if decision is not None else None,
    )
    return PracticeResult(code, goal.code, goal.kind is GoalKind.GENERIC, rollup, tuple(results))


def _instantiation(
    scale: Scale,
    unit: str,
    text: str | None,
    artifacts: int,
    affirmations: int,
    not_yet: bool,
    weakness: str,
    strength: str,
) -> InstantiationResult:
    value, proposal, problems = _judged(scale, text, artifacts, affirmations, not_yet, bool(weakness.strip()))
    return InstantiationResult(unit, value, proposal, problems, weakness, strength)


@lru_cache(maxsize=8192)
def _judged(
    scale: Scale, text: str | None, artifacts: int, affirmations: int, not_yet: bool, weak: bool
) -> tuple[Value | None, Proposal, tuple[str, ...]]:
    """One cell's parsed value, proposal and problems: few distinct inputs occur among thousands of cells."""
    value = None if text is None else scale.parse(text)
    proposal = propose(
        scale, adequate_artifacts=artifacts, affirmations=affirmations, not_yet=not_yet, weakness="x" if weak else ""
    )
    return value, proposal, tuple(validate_team_value(scale, value, "x" if weak else ""))


def _flags(
    layout: PaLayout,
    facts: AreaCells,
    decisions: Mapping[str, OuDecision],
    overrides: Mapping[str, GoalOverride],
    scanner: NameScanner,
) -> list[AttributionFlag]:
    """Names in this process area's texts (weaknesses and strengths feed the findings; rationales the record)."""
    where = f"{layout.key.model} {layout.key.pa}"
    flags: list[AttributionFlag] = []
    terms = scanner.terms
    # Most texts name nobody: those that do are listed in the grid's order (practice, then unit) with their places
    # spelled out.
    unit_at: dict[str, int] | None = None
    for code in layout.practices:
        named = [
            (unit, fact)
            for unit, fact in facts.get(code, NO_CELLS).items()
            if (fact.weakness and terms(fact.weakness)) or (fact.strength and terms(fact.strength))
        ]
        if named:
            unit_at = unit_at or {u.name: n for n, u in enumerate(layout.units)}
            for unit, fact in sorted((hit for hit in named if hit[0] in unit_at), key=lambda hit: unit_at[hit[0]]):
                if fact.weakness and terms(fact.weakness):
                    flags += scanner.scan(f"weakness {where} {code} / {unit}", fact.weakness)
                if fact.strength and terms(fact.strength):
                    flags += scanner.scan(f"strength {where} {code} / {unit}", fact.strength)
        if code in decisions:
            flags += scanner.scan(f"OU rationale {where} {code}", decisions[code].rationale)
    for goal in layout.goals:
        if goal.code in overrides:
            flags += scanner.scan(f"goal override rationale {where} {goal.code}", overrides[goal.code].rationale)
    return flags
