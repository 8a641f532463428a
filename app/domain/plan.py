"""The appraisal plan: what a plan file holds, and the problems its reader (`plan_reader.py`) reports.

The reader takes already-loaded data (mappings and lists), so it stays pure; mappings that know their source
lines (any object with `line_of(key)`) make every problem name its line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

METHODS = ("SCAMPI A", "SCAMPI B", "SCAMPI C")
SCALES = {"v1.3": "v1.3", "1.3": "v1.3", "v2": "v2", "v3": "v2", "v2/v3": "v2"}
"""How a plan file may name a scale, and the scale it means."""
TEAM_ROLES = ("lead", "member", "observer")


class UnitKind(StrEnum):
    """What the file stores for a unit: a basic unit, or a support function serving several."""

    BASIC_UNIT = "basic_unit"
    SUPPORT_FUNCTION = "support_function"


@dataclass(frozen=True, slots=True)
class PaKey:
    model: str
    pa: str

    def __str__(self) -> str:
        return f"{self.model}:{self.pa}"


@dataclass(frozen=True, slots=True)
class ScopeEntry:
    pa: PaKey
    target_capability_level: int | None = None
    excluded: bool = False
    exclusion_reason: str = ""


@dataclass(frozen=True, slots=True)
class SamplingFactorPlan:
    name: str
    relevant: bool = True
    rationale: str = ""
    values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SubgroupPlan:
    name: str
    description: str = ""
    factors: tuple[tuple[str, str], ...] = ()
    total_units: int | None = None
    people: int | None = None


@dataclass(frozen=True, slots=True)
class UnitPlan:
    name: str
    kind: UnitKind
    description: str = ""
    subgroup: str | None = None
    process_areas: tuple[PaKey, ...] = ()
    """Empty for a basic unit means every process area in scope."""
    sampled: bool = True


@dataclass(frozen=True, slots=True)
class TeamMemberPlan:
    name: str
    role: str = "member"
    organization: str = ""


@dataclass(frozen=True, slots=True)
class MiniTeamPlan:
    name: str
    members: tuple[str, ...] = ()
    process_areas: tuple[PaKey, ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    name: str
    identifier: str = ""
    """The appraisal ID the CMMI Institute or the sponsor assigned; printed on the disclosure statement."""
    sponsor: str = ""
    lead_appraiser: str = ""
    method: str = "SCAMPI A"
    scale: str = "v1.3"
    start_date: date | None = None
    end_date: date | None = None
    valid_until: date | None = None
    """When the ratings expire; None means the longest allowed, three years after the end date (§4.2)."""
    target_maturity_level: int | None = None
    unit_specific_findings: bool = False
    org_unit_name: str = ""
    org_unit_description: str = ""
    scope: tuple[ScopeEntry, ...] = ()
    sampling_factors: tuple[SamplingFactorPlan, ...] = ()
    subgroups: tuple[SubgroupPlan, ...] = ()
    units: tuple[UnitPlan, ...] = ()
    team: tuple[TeamMemberPlan, ...] = ()
    mini_teams: tuple[MiniTeamPlan, ...] = ()

    def models_in_scope(self) -> list[str]:
        seen: list[str] = []
        for entry in self.scope:
            if entry.pa.model not in seen:
                seen.append(entry.pa.model)
        return seen


MAX_IDENTIFIER = 60
VALIDITY_YEARS = 3
"""Ratings are valid for at most three years from the appraisal's end (method-rules §4.2)."""


def longest_validity(end: date) -> date:
    """The last day ratings from an appraisal ending on `end` may be valid."""
    try:
        return end.replace(year=end.year + VALIDITY_YEARS)
    except ValueError:  # 29 February
        return end.replace(year=end.year + VALIDITY_YEARS, day=28)


def validity_problems(valid_until: date, start: date | None, end: date | None) -> list[str]:
    """What is wrong with an expiry date, in plain words; empty when it is acceptable."""
    if end is not None and valid_until < end:
        return ["ends before the appraisal does"]
    if start is not None and valid_until < start:
        return ["ends before the appraisal starts"]
    if end is not None and valid_until > longest_validity(end):
        limit = longest_validity(end).isoformat()
        return [f"is more than {VALIDITY_YEARS} years after the appraisal's end; the latest allowed is {limit}"]
    return []


@dataclass(frozen=True, slots=True)
class PlanProblem:
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        return f"{where}{self.field}: {self.message}"


class PlanError(ValueError):
    def __init__(self, source: str, problems: Sequence[PlanProblem]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__("\n".join(f"{source}: {problem}" for problem in self.problems))
