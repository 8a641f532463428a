"""The rating engine: a full rating from an `AppraisalFacts` snapshot, then cheap updates edit by edit.

An edit touches one process area, so only that process area is recomputed; the appraisal-wide parts
(subgroup coverage rules, maturity level, equivalent staging) are rebuilt from the per-area results, which
costs little.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from app.domain.plan import PaKey
from app.domain.rating.coverage import CoverageGap, UnitPaEvidence, subgroup_gaps
from app.domain.rating.decisions import goal_inputs, practice_inputs
from app.domain.rating.facts import (
    AppraisalFacts,
    Cell,
    CellTable,
    GoalKey,
    GoalOverride,
    InstantiationFact,
    InstantiationKey,
    OuDecision,
    PracticeKey,
    cell_of,
    cells_by_area,
)
from app.domain.rating.levels import equivalent_staging, maturity_level
from app.domain.rating.nonattribution import AttributionFlag, NameScanner
from app.domain.rating.process_area import PaLayout, compute_process_area, layout_for, pa_evidence
from app.domain.rating.results import InstantiationResult, ProcessAreaResult, RatingResult
from app.domain.rating.scales import GoalRating

_SEEN_CELLS = 100_000
"""Cells' results kept by what they show (more than size XL has cells); beyond that the memory starts afresh."""


class RatingEngine:
    """Rates an appraisal and keeps the result current as the team edits it.

    Attributes:
        last_changed: the process area the last edit recomputed (None before any edit).
    """

    def __init__(self, facts: AppraisalFacts) -> None:
        self._base = facts
        self._layouts: dict[PaKey, PaLayout] = {}
        for item in facts.scope:
            if item.key in self._layouts:
                raise ValueError(f"{item.model} {item.pa} is in scope twice.")
            self._layouts[item.key] = layout_for(facts.catalog, item, facts.units, facts.target_maturity_level)
        # Each area's rated practice codes and unit names as sets: every loaded cell is checked against them.
        self._rated_cells = {
            key: (frozenset(layout.practices), frozenset(u.name for u in layout.units))
            for key, layout in self._layouts.items()
        }
        given = facts.instantiations
        by_area = given.by_area if isinstance(given, CellTable) else cells_by_area(given)
        self._cells: dict[PaKey, dict[str, dict[str, Cell]]] = {}
        values: set[str | None] = set()
        for key, (practices, units) in self._rated_cells.items():
            # Cells outside the rated layout (an unsampled unit, a practice no longer rated) do not count.
            mine = {
                code: dict(row) if row.keys() <= units else {u: cell for u, cell in row.items() if u in units}
                for code, row in by_area.get(key, {}).items()
                if code in practices
            }
            self._cells[key] = mine
            for row in mine.values():
                values.update(cell.value for cell in row.values())
        # Few distinct values among the cells: each is checked once against the scale.
        for value in sorted(v for v in values if v is not None):
            try:
                facts.scale.parse(value)
            except ValueError:
                holder = next(
                    InstantiationKey(area.model, area.pa, practice, unit)
                    for area, practices in self._cells.items()
                    for practice, row in practices.items()
                    for unit, cell in row.items()
                    if cell.value == value
                )
                self._check_value(holder, value)  # raises, naming a cell that holds the value
        self._decisions: dict[PaKey, dict[str, OuDecision]] = {key: {} for key in self._layouts}
        self._overrides: dict[PaKey, dict[str, GoalOverride]] = {key: {} for key in self._layouts}
        for decision in facts.ou_decisions:
            if decision.key.pa_key in self._layouts:
                self._decisions[decision.key.pa_key][decision.key.practice] = decision
        for override in facts.goal_overrides:
            if override.key.pa_key in self._layouts:
                self._overrides[override.key.pa_key][override.key.goal] = override
        self._scanner = NameScanner.shared(
            facts.participant_names,
            [u.name for u in facts.units],
            unit_specific_findings_allowed=facts.unit_specific_findings,
            roles=facts.participant_roles,
            extra=facts.extra_identifiers,
        )
        self._finding_flags: tuple[AttributionFlag, ...] = tuple(
            flag for item in facts.findings for flag in self._scanner.scan(item.location, item.text)
        )
        self._units = {u.name: u for u in facts.units}
        # Subgroup gaps reach goals in other process areas: found from every area's evidence before rating any.
        evidence = {
            key: pa_evidence(layout, self._cells[key])
            for key, layout in self._layouts.items()
            if not layout.item.excluded
        }
        found = subgroup_gaps(facts.units, evidence)
        self._reaching = {key: self._gaps_reaching(key, found) for key in self._layouts}
        self._seen: dict[Cell, InstantiationResult] = {}
        self._results = {key: self._compute(key, evidence=evidence.get(key, ())) for key in self._layouts}
        self._subgroup_basis: tuple[dict[PaKey, tuple[UnitPaEvidence, ...]], tuple[CoverageGap, ...]] = (
            evidence,
            found,
        )
        self.last_changed: PaKey | None = None
        self._result = self._assemble()

    @property
    def result(self) -> RatingResult:
        return self._result

    @property
    def facts(self) -> AppraisalFacts:
        """The current facts, edits included (rating them afresh gives `result`)."""
        return replace(
            self._base,
            instantiations=CellTable(
                {key: {code: dict(row) for code, row in area.items()} for key, area in self._cells.items()}
            ),
            ou_decisions=tuple(d for items in self._decisions.values() for d in items.values()),
            goal_overrides=tuple(o for items in self._overrides.values() for o in items.values()),
        )

    def instantiation(self, key: InstantiationKey) -> InstantiationFact:
        """The current facts of one cell (an empty cell if nothing is recorded)."""
        self._require(key)
        cell = self._cells[key.pa_key].get(key.practice, {}).get(key.unit)
        return InstantiationFact(key) if cell is None else cell.fact(key)

    def set_instantiation(
        self,
        key: InstantiationKey,
        *,
        value: str | None,
        weakness: str = "",
        strength: str = "",
        not_yet_flagged: bool = False,
    ) -> PaKey:
        """Record the team's characterization of one cell; evidence counts are kept."""
        self._require(key)
        self._check_value(key, value)
        current = self.instantiation(key)
        fact = replace(current, value=value, weakness=weakness, strength=strength, not_yet_flagged=not_yet_flagged)
        self._put(fact)
        return self._changed(key.pa_key, {key.practice})

    def replace_instantiations(self, facts: Iterable[InstantiationFact]) -> set[PaKey]:
        """Replace whole cells (value, texts and evidence counts) at once; each touched area is rated once."""
        touched: dict[PaKey, set[str]] = {}
        for fact in facts:
            self._require(fact.key)
            self._check_value(fact.key, fact.value)
            self._put(fact)
            touched.setdefault(fact.key.pa_key, set()).add(fact.key.practice)
        for key, practices in touched.items():
            self._results[key] = self._compute(key, changed=practices)
            self.last_changed = key
        if touched:
            self._result = self._assemble()
        return set(touched)

    def set_evidence_counts(self, key: InstantiationKey, *, adequate_artifacts: int, affirmations: int) -> PaKey:
        self._require(key)
        fact = replace(self.instantiation(key), adequate_artifacts=adequate_artifacts, affirmations=affirmations)
        self._put(fact)
        return self._changed(key.pa_key, {key.practice})

    def set_ou_decision(
        self,
        key: PracticeKey,
        value: str | None,
        rationale: str = "",
        decided_by: str = "",
        *,
        decided_at: datetime | None = None,
        inputs: str | None = None,
    ) -> PaKey:
        """Record (value) or clear (None) the team's OU value; a value needs a rationale (ValueError).

        Without `inputs` the decision is taken as made now, on today's instantiation values.
        """
        layout = self._layouts.get(key.pa_key)
        if layout is None or not layout.has_practice(key.practice):
            raise ValueError(f"{key} is not a rated practice of this appraisal.")
        decisions = self._decisions[key.pa_key]
        if value is None:
            decisions.pop(key.practice, None)
        else:
            made_on = inputs if inputs is not None else self.practice_inputs(key)
            decisions[key.practice] = OuDecision(key, value, rationale, decided_by, decided_at, made_on)
        return self._changed(key.pa_key, {key.practice})

    def set_goal_override(
        self,
        key: GoalKey,
        rating: GoalRating | None,
        rationale: str = "",
        decided_by: str = "",
        *,
        decided_at: datetime | None = None,
        inputs: str | None = None,
    ) -> PaKey:
        """Record (rating) or clear (None) the team's goal decision; it needs a rationale (ValueError).

        Without `inputs` the decision is taken as made now, on today's practice values and weaknesses. A
        decision the rules do not allow is kept but not used (see `GoalResult.conflict`).
        """
        layout = self._layouts.get(key.pa_key)
        if layout is None or not any(g.code == key.goal for g in layout.goals):
            raise ValueError(f"{key} is not a rated goal of this appraisal.")
        overrides = self._overrides[key.pa_key]
        if rating is None:
            overrides.pop(key.goal, None)
        else:
            made_on = inputs if inputs is not None else self.goal_inputs(key)
            overrides[key.goal] = GoalOverride(key, rating, rationale, decided_by, decided_at, made_on)
        return self._changed(key.pa_key, set())

    def put_ou_decision(self, key: PracticeKey, decision: OuDecision | None) -> PaKey:
        """Put a stored decision back as it is (its own inputs: None counts as stale), or clear it."""
        if decision is None:
            return self.set_ou_decision(key, None)
        layout = self._layouts.get(key.pa_key)
        if layout is None or not layout.has_practice(key.practice):
            raise ValueError(f"{key} is not a rated practice of this appraisal.")
        self._decisions[key.pa_key][key.practice] = decision
        return self._changed(key.pa_key, {key.practice})

    def put_goal_override(self, key: GoalKey, decision: GoalOverride | None) -> PaKey:
        """Put a stored goal decision back as it is, or clear it."""
        if decision is None:
            return self.set_goal_override(key, None)
        layout = self._layouts.get(key.pa_key)
        if layout is None or not any(g.code == key.goal for g in layout.goals):
            raise ValueError(f"{key} is not a rated goal of this appraisal.")
        self._overrides[key.pa_key][key.goal] = decision
        return self._changed(key.pa_key, set())

    def practice_inputs(self, key: PracticeKey) -> str:
        """Today's inputs of a practice decision (what a decision made now rests on)."""
        found = self._results[key.pa_key].practice(key.practice) if key.pa_key in self._results else None
        if found is None:
            raise ValueError(f"{key} is not a rated practice of this appraisal.")
        return practice_inputs(found.instantiations)

    def goal_inputs(self, key: GoalKey) -> str:
        """Today's inputs of a goal decision."""
        found = self._results[key.pa_key].goal(key.goal) if key.pa_key in self._results else None
        if found is None:
            raise ValueError(f"{key} is not a rated goal of this appraisal.")
        return goal_inputs(found.practices)

    def _put(self, fact: InstantiationFact) -> None:
        key = fact.key
        self._cells[key.pa_key].setdefault(key.practice, {})[key.unit] = cell_of(fact)

    def _expected(self, key: InstantiationKey) -> bool:
        cells = self._rated_cells.get(key.pa_key)
        return cells is not None and key.practice in cells[0] and key.unit in cells[1]

    def _require(self, key: InstantiationKey) -> None:
        if not self._expected(key):
            raise ValueError(
                f"{key} is not an instantiation of this appraisal (practice not rated or unit not sampled)."
            )

    def _check_value(self, key: InstantiationKey, value: str | None) -> None:
        if value is not None:
            try:
                self._base.scale.parse(value)
            except ValueError as error:
                raise ValueError(f"{key}: {error}") from None

    def _compute(
        self, key: PaKey, changed: set[str] | None = None, evidence: tuple[UnitPaEvidence, ...] | None = None
    ) -> ProcessAreaResult:
        """Rate one process area; with `changed` (practice codes), every other practice keeps its result."""
        if len(self._seen) > _SEEN_CELLS:
            self._seen.clear()
        previous = self._results.get(key) if changed is not None else None
        reuse = (
            {p.code: p for goal in previous.goals for p in goal.practices if p.code not in (changed or ())}
            if previous is not None
            else None
        )
        return compute_process_area(
            self._layouts[key],
            self._base.scale,
            self._base.target_maturity_level,
            self._cells[key],
            self._decisions[key],
            self._overrides[key],
            self._scanner,
            reuse,
            self._reaching[key],
            evidence,
            self._seen,
        )

    def _gaps_reaching(self, key: PaKey, gaps: Iterable[CoverageGap]) -> tuple[CoverageGap, ...]:
        if self._layouts[key].item.excluded:
            return ()
        return tuple(gap for gap in gaps if gap.reaches(self._units, key))

    def _changed(self, key: PaKey, practices: set[str]) -> PaKey:
        self._results[key] = self._compute(key, changed=practices)
        self.last_changed = key
        self._result = self._assemble()
        return key

    def _assemble(self) -> RatingResult:
        evidence = {key: r.unit_evidence for key, r in self._results.items() if not r.excluded}
        previous, found = self._subgroup_basis
        # Most edits change no unit's evidence for its area (the areas not re-rated keep the very same tuples):
        # then the subgroup gaps, and the areas they reach, are as they were.
        if evidence.keys() != previous.keys() or any(
            value is not previous[key] and value != previous[key] for key, value in evidence.items()
        ):
            found = subgroup_gaps(self._base.units, evidence)
            for key in self._layouts:
                # An edit in one area can open or close a subgroup gap that reaches others: re-rate just those.
                reaching = self._gaps_reaching(key, found)
                if reaching != self._reaching[key]:
                    self._reaching[key] = reaching
                    self._results[key] = self._compute(key, changed=set())  # its practices still hold
            evidence = {key: r.unit_evidence for key, r in self._results.items() if not r.excluded}
            self._subgroup_basis = (evidence, found)
        areas = tuple(self._results[key] for key in self._layouts)
        gaps = tuple(gap for r in areas for gap in r.gaps) + found
        catalog, scope = self._base.catalog, self._base.scope
        return RatingResult(
            scale=self._base.scale,
            target_maturity_level=self._base.target_maturity_level,
            process_areas=areas,
            coverage_gaps=gaps,
            maturity=maturity_level(catalog, scope, self._results, self._base.target_maturity_level),
            equivalent_staging=equivalent_staging(catalog, scope, self._results),
            attribution_flags=self._finding_flags + tuple(f for r in areas for f in r.attribution_flags),
        )


def rate(facts: AppraisalFacts) -> RatingResult:
    """A one-off full rating."""
    return RatingEngine(facts).result
