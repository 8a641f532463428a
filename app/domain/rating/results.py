"""What the rating engine computes: frozen values, compared by value, safe to hand to any thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.domain.plan import PaKey

if TYPE_CHECKING:
    # Types of the fields only: the window imports these result types at start, the engine that makes them later.
    from app.domain.catalog import GoalKind
    from app.domain.rating.characterization import Proposal
    from app.domain.rating.coverage import CoverageGap, UnitPaEvidence
    from app.domain.rating.facts import GoalOverride
    from app.domain.rating.nonattribution import AttributionFlag
    from app.domain.rating.rollup import Rollup
    from app.domain.rating.rule_types import Rule
    from app.domain.rating.scales import GoalRating, Scale, Value


@dataclass(frozen=True, slots=True)
class InstantiationResult:
    """One cell rated: the team's value, the proposal from the evidence and what is wrong with the value."""

    unit: str
    value: Value | None
    proposal: Proposal
    problems: tuple[str, ...]
    """What is inconsistent about the team's value (empty when fine or not characterized yet)."""
    weakness: str = ""
    strength: str = ""


@dataclass(frozen=True, slots=True)
class PracticeResult:
    """One practice rolled up to the organizational unit from its cells."""

    code: str
    goal: str
    generic: bool
    rollup: Rollup
    instantiations: tuple[InstantiationResult, ...]

    @property
    def ou(self) -> Value | None:
        return self.rollup.value

    @property
    def allowed(self) -> tuple[Value, ...]:
        return self.rollup.allowed

    @property
    def judgment_needed(self) -> bool:
        return self.rollup.judgment_needed

    @property
    def rule(self) -> Rule:
        return self.rollup.rule


@dataclass(frozen=True, slots=True)
class GoalResult:
    """One goal rated from its practices, with the rule, the reasons and the team's decision."""

    code: str
    kind: GoalKind
    rating: GoalRating
    rule: Rule
    reasons: tuple[str, ...]
    practices: tuple[PracticeResult, ...]
    computed_rating: GoalRating
    """The rating by the rules alone, before any team decision (Not Rated while a decision is required)."""
    computed_rule: Rule
    """The goal rule that gave `computed_rating`."""
    override: GoalOverride | None = None
    """The team decision in use (it sets `rating`); None when there is none, or it is stale or in conflict."""
    allowed: tuple[GoalRating, ...] = ()
    """Ratings a team decision may give: Satisfied/Unsatisfied under rule 3, Unsatisfied to lower, else none."""
    judgment_needed: bool = False
    """The team has to decide (rule 3 significance), or decide again (a stale decision)."""
    proposed: GoalRating | None = None
    """While `judgment_needed`: the rules' proposal, or the stale decision's rating to re-confirm."""
    decision: GoalOverride | None = None
    """The recorded team decision when it is used, agrees with the rules, or is stale."""
    stale: str | None = None
    """Why the recorded decision no longer holds (its inputs changed)."""
    conflict: str | None = None
    """Why a recorded decision breaks the rules and is not used."""

    @property
    def overridden(self) -> bool:
        return self.override is not None


@dataclass(frozen=True, slots=True)
class CapabilityResult:
    """A process area's capability level and the rule that gave it."""

    level: int | None
    """None: Not Rated or Not Applicable (see `rule`)."""
    rule: Rule
    note: str
    last_fully_rated: int | None
    """The highest level whose goals are all rated and Satisfied (None when Not Applicable)."""


@dataclass(frozen=True, slots=True)
class StagedRating:
    """The process-area rating for a staged (maturity-level) appraisal, method-rules §4.1."""

    rating: GoalRating
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProcessAreaResult:
    """One process area rated: its goals, levels, coverage gaps and names found in its texts."""

    key: PaKey
    name: str
    maturity_level: int | None
    target_capability_level: int | None
    excluded: bool
    exclusion_reason: str
    goals: tuple[GoalResult, ...]
    capability: CapabilityResult
    staged: StagedRating | None
    """Only when the appraisal has a target maturity level and the PA belongs to a staged model."""
    gaps: tuple[CoverageGap, ...]
    subgroup_gaps: tuple[CoverageGap, ...]
    """Subgroup coverage gaps (B1-B3, F2) of subgroups whose basic units implement this PA: its goals are Not
    Rated (they are listed once, in `RatingResult.coverage_gaps`)."""
    unit_evidence: tuple[UnitPaEvidence, ...]
    attribution_flags: tuple[AttributionFlag, ...]

    def goal(self, code: str) -> GoalResult | None:
        return next((g for g in self.goals if g.code == code), None)

    def practice(self, code: str) -> PracticeResult | None:
        return next((p for g in self.goals for p in g.practices if p.code == code), None)


@dataclass(frozen=True, slots=True)
class MaturityResult:
    """A maturity level (staged, or equivalent staging) and why."""

    level: int | None
    """None: not rated (see `rule` and `reasons`)."""
    rule: Rule
    reasons: tuple[str, ...]
    model: str | None = None


@dataclass(frozen=True, slots=True)
class RatingResult:
    """The whole appraisal rated."""

    scale: Scale
    target_maturity_level: int | None
    process_areas: tuple[ProcessAreaResult, ...]
    coverage_gaps: tuple[CoverageGap, ...]
    maturity: MaturityResult
    """The staged maturity level the appraisal asked for."""
    equivalent_staging: MaturityResult
    """The maturity level the capability profile is equivalent to (§4.3)."""
    attribution_flags: tuple[AttributionFlag, ...]

    def process_area(self, model: str, pa: str) -> ProcessAreaResult | None:
        return next((r for r in self.process_areas if r.key == PaKey(model, pa)), None)
