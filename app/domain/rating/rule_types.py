"""The shapes of the rule tables in `rules.py`: a named rule, and one row type per table.

The rows and the inputs they test are named tuples: read-only like frozen dataclasses, and a tenth of their cost
to define at import (the window imports the rating package on its way to the first screen)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from app.domain.rating.scales import GoalRating, Grade


@dataclass(frozen=True, slots=True)
class Rule:
    """A rating rule: its stable name, its sentence and its source."""

    name: str
    text: str
    """The rule in plain words."""
    source: str
    """Where it comes from: a method-rules section and its evidence tag."""
    unverified: bool = False

    def __str__(self) -> str:
        return self.name


class EvidenceSignal(NamedTuple):
    artifact_ok: bool
    affirmation_ok: bool
    not_yet: bool
    weakness: bool


class ProposalRow(NamedTuple):
    rule: Rule
    applies: Callable[[EvidenceSignal], bool]
    grade: Grade


class ValidationRow(NamedTuple):
    rule: Rule
    violated: Callable[[Grade, bool], bool]
    """(grade of the team value, weakness recorded) -> the value breaks the rule."""
    problem: str
    """Plain words; {value} is the team's value, {alternatives} the values to choose instead."""


class GradeCounts(NamedTuple):
    """How many instantiations of one practice have each grade; `missing` are not characterized yet."""

    full: int = 0
    large: int = 0
    partial: int = 0
    not_met: int = 0
    not_yet: int = 0
    not_characterized: int = 0
    missing: int = 0
    invalid: int = 0
    """Team values that break a §1 value rule: they count as not characterized."""

    @property
    def total(self) -> int:
        return (
            self.full
            + self.large
            + self.partial
            + self.not_met
            + self.not_yet
            + self.not_characterized
            + self.missing
            + self.invalid
        )

    @property
    def weak(self) -> int:
        """PI/NI (PM/DM) instantiations."""
        return self.partial + self.not_met

    @property
    def counted(self) -> int:
        """Instantiations that count for the 50% rule: characterized and not NY (NY is neutral)."""
        return self.full + self.large + self.partial + self.not_met

    def only(self, *grades: Grade) -> bool:
        """Every instantiation has one of `grades`."""
        return self.total == sum(self.of(grade) for grade in grades)

    def of(self, grade: Grade) -> int:
        return {
            Grade.FULL: self.full,
            Grade.LARGE: self.large,
            Grade.PARTIAL: self.partial,
            Grade.NOT_MET: self.not_met,
            Grade.NOT_YET: self.not_yet,
            Grade.NOT_CHARACTERIZED: self.not_characterized,
        }[grade]


class RollupRow(NamedTuple):
    rule: Rule
    applies: Callable[[GradeCounts], bool]
    outcome: tuple[Grade, ...]
    """One grade: the rules decide. Several: the team chooses among them. None: not characterized."""

    @property
    def judgment(self) -> bool:
        return len(self.outcome) > 1


class GoalInputs(NamedTuple):
    excluded: bool
    """The process area is excluded from the appraisal (Not Applicable)."""
    ou_grades: tuple[Grade | None, ...]
    """The OU grade of each associated practice; None where it is not characterized (or awaits judgment)."""
    coverage_gaps: int


class GoalRow(NamedTuple):
    rule: Rule
    applies: Callable[[GoalInputs], bool]
    rating: GoalRating
    """The rating by the rules alone (Not Rated while a required decision is pending)."""
    team_may: tuple[GoalRating, ...] = ()
    """Ratings a team decision may give here: never more than the rules allow (lowering only)."""
    decision_required: bool = False
    """The rules leave the rating to the team (rule 3 significance)."""


class CapabilityRow(NamedTuple):
    level: int
    rule: Rule
    generic_goal: str | None
    """The generic goal this level adds; None for CL1, which needs every specific goal (GG1)."""


class MaturityRow(NamedTuple):
    level: int
    rule: Rule
    generic_goals: tuple[str, ...]
    """Goals every process area of this and lower levels needs besides its specific goals."""


class EquivalentRow(NamedTuple):
    level: int
    rule: Rule
    pa_levels_up_to: int
    """Process areas whose maturity level is at most this must reach `capability_level`."""
    capability_level: int
