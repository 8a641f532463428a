"""What the exports show: the appraisal as plain frozen values, already filtered for an edition and scrubbed.

`app.services.report_data` builds a `ReportData` from the file; the Excel and PDF writers in `app.storage` only
lay it out. Nothing here knows about sessions, Qt or file formats, so the writers stay simple and the filtering
(what a sponsor may see, which names must never appear) happens in one place.

The text helpers at the end define the one canonical form of a text cell, shared by the workbook writer (what
it puts in a cell and what it fingerprints in the hidden sheet) and the importer (what it compares), so a
cell nobody touched always reads back as unchanged.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime

from app.domain import name_matcher
from app.domain.edition import DEFAULT_MARKINGS as DEFAULT_MARKINGS
from app.domain.edition import Edition as Edition
from app.domain.plan import UnitKind, longest_validity
from app.domain.rating.scales import GoalRating

WITHHELD_NAME = name_matcher.WITHHELD_NAME
"""What replaces a participant's name in any exported text (non-attribution, method-rules §9)."""


@dataclass(frozen=True, slots=True)
class AppraisalIdentity:
    """Which appraisal a workbook came from; the fingerprint survives renames but not a different file."""

    appraisal_id: int
    fingerprint: str
    name: str


@dataclass(frozen=True, slots=True)
class ModelLine:
    key: str
    version: str
    name: str


@dataclass(frozen=True, slots=True)
class AppraisalHeader:
    name: str
    sponsor: str
    lead_appraiser: str
    method: str
    scale: str
    """The scale's display name ("SCAMPI v1.3")."""
    phase: str
    start_date: date | None
    end_date: date | None
    org_unit_name: str
    org_unit_description: str
    target_maturity_level: int | None
    unit_specific_findings: bool
    models: tuple[ModelLine, ...]
    identifier: str = ""
    """The appraisal ID the CMMI Institute or the sponsor assigned ("" when not yet known)."""
    expires: date | None = None
    """The expiry date the plan sets; None for the longest allowed."""

    @property
    def dates(self) -> str:
        if self.start_date and self.end_date:
            return f"{self.start_date.isoformat()} to {self.end_date.isoformat()}"
        only = self.start_date or self.end_date
        return only.isoformat() if only else "not set"

    @property
    def valid_until(self) -> date | None:
        """The plan's expiry date, or the longest the method allows: three years from the end (method-rules §4.2)."""
        if self.expires is not None:
            return self.expires
        return None if self.end_date is None else longest_validity(self.end_date)


@dataclass(frozen=True, slots=True)
class ScaleEntry:
    code: str
    label: str


@dataclass(frozen=True, slots=True)
class ScopeLine:
    model: str
    pa: str
    name: str
    category: str
    maturity_level: int | None
    target_capability_level: int | None
    excluded: bool
    exclusion_reason: str


@dataclass(frozen=True, slots=True)
class FactorLine:
    name: str
    relevant: bool
    rationale: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SubgroupLine:
    name: str
    description: str
    factors: str
    """ "Type of work: Claims and repair"; empty when the subgroup names no factor values."""
    total_units: int | None
    people: int | None
    sampled_units: int


@dataclass(frozen=True, slots=True)
class UnitLine:
    name: str
    kind: str
    """ "basic_unit" or "support_function"."""
    subgroup: str | None
    description: str
    sampled: bool
    process_areas: tuple[str, ...]
    """ "CMMI-SVC:IRP" keys it implements; empty for a basic unit means every process area in scope."""

    @property
    def kind_label(self) -> str:
        return "Basic unit" if self.kind == UnitKind.BASIC_UNIT else "Support function"


@dataclass(frozen=True, slots=True)
class TeamLine:
    name: str
    role: str
    organization: str


@dataclass(frozen=True, slots=True)
class CellLine:
    """One instantiation (a practice in one unit) as the team edition shows it."""

    unit: str
    value: str | None
    proposed: str | None
    weaknesses: str
    strengths: str
    notes: str
    artifacts: tuple[str, ...]
    """Artifact titles; those not judged adequate carry a suffix saying so."""
    affirmation_sources: tuple[str, ...]
    """Interview session codes, never who was in them."""
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class PracticeLine:
    code: str
    title: str
    generic: bool
    ou_value: str | None
    ou_note: str
    """Why the OU value is what it is: the team's judgment rationale, or what is still open."""
    judgment_needed: bool
    cells: tuple[CellLine, ...]
    """Empty in the sponsor edition."""


@dataclass(frozen=True, slots=True)
class GoalLine:
    code: str
    title: str
    generic: bool
    rating: str
    reasons: tuple[str, ...]
    override_rationale: str
    """The team's reason for departing from the computed rating (team edition only)."""
    practices: tuple[PracticeLine, ...]
    decision_pending: bool = False
    """The rules leave the rating to the team (rule 3 significance, a stale decision) and it is not decided."""


@dataclass(frozen=True, slots=True)
class GapLine:
    rule: str
    model: str | None
    pa: str | None
    practice: str | None
    unit: str | None
    missing: str


@dataclass(frozen=True, slots=True)
class ProcessAreaReport:
    model: str
    pa: str
    name: str
    category: str
    maturity_level: int | None
    target_capability_level: int | None
    capability_level: int | None
    capability_note: str
    staged_rating: str | None
    units: tuple[str, ...]
    """The sampled units that implement it, in plan order (the team edition's rows)."""
    goals: tuple[GoalLine, ...]
    gap_count: int

    @property
    def label(self) -> str:
        return f"{self.pa} {self.name}"

    @property
    def capability_text(self) -> str:
        return "Not Rated" if self.capability_level is None else f"CL{self.capability_level}"

    @property
    def status(self) -> str:
        """Against the target: "Meets target", "Below target", "Not Rated" or "Rated" (no target)."""
        if self.capability_level is None:
            return "Not Rated"
        if self.target_capability_level is None:
            return "Rated"
        return "Meets target" if self.capability_level >= self.target_capability_level else "Below target"

    @property
    def goals_satisfied(self) -> tuple[int, int]:
        return sum(1 for g in self.goals if g.rating == GoalRating.SATISFIED), len(self.goals)


@dataclass(frozen=True, slots=True)
class FindingLine:
    id: int
    kind: str
    status: str
    text: str
    model: str | None
    pa: str | None
    target: str
    """What it is about ("IRP SP1.1", "IRP SG1", "IRP") or "" for an organization-wide finding."""

    @property
    def kind_label(self) -> str:
        return {"strength": "Strength", "weakness": "Weakness", "improvement": "Improvement opportunity"}.get(
            self.kind, self.kind
        )


@dataclass(frozen=True, slots=True)
class CoverageLine:
    """A process area (practice None, totals) or a practice, with one text per matrix unit ("2A 1F")."""

    model: str
    pa: str
    practice: str | None
    title: str
    cells: tuple[str | None, ...]
    """None where the unit does not implement the process area; "" where it shows nothing yet."""
    gaps: tuple[str, ...]
    """What the coverage rules still miss on this row, in plain words."""


@dataclass(frozen=True, slots=True)
class RuleStatus:
    name: str
    text: str
    gaps: int


@dataclass(frozen=True, slots=True)
class CoverageReport:
    units: tuple[str, ...]
    rows: tuple[CoverageLine, ...]
    """Team edition: process-area and practice rows; sponsor edition: process-area rows only."""
    rules: tuple[RuleStatus, ...]
    general_gaps: tuple[str, ...]
    """Gaps that span process areas (basic-unit rules B1-B3)."""
    gaps: tuple[GapLine, ...]
    """Every gap (team edition); empty in the sponsor edition, which shows the counts only."""

    @property
    def total_gaps(self) -> int:
        return sum(rule.gaps for rule in self.rules)


@dataclass(frozen=True, slots=True)
class Deficiency:
    """A practice below LI at OU level, or an Unsatisfied goal, with the weaknesses behind it."""

    model: str
    pa: str
    kind: str
    """ "practice" or "goal"."""
    code: str
    title: str
    rating: str
    weaknesses: tuple[str, ...]
    """Team edition: the units' weakness notes ("weakness (Unit)") and the override rationale; sponsor edition:
    the texts of the validated findings about the goal or practice, never team notes."""


@dataclass(frozen=True, slots=True)
class LevelLine:
    level: int | None
    text: str


@dataclass(frozen=True, slots=True)
class ReportData:
    edition: Edition
    marking: str
    generated_at: datetime
    identity: AppraisalIdentity
    header: AppraisalHeader
    scale_key: str
    """ "v1.3" or "v2": the stored scale."""
    scale_values: tuple[ScaleEntry, ...]
    scope: tuple[ScopeLine, ...]
    factors: tuple[FactorLine, ...]
    subgroups: tuple[SubgroupLine, ...]
    units: tuple[UnitLine, ...]
    team: tuple[TeamLine, ...]
    process_areas: tuple[ProcessAreaReport, ...]
    """Rated (not excluded) process areas in scope order."""
    maturity: LevelLine
    equivalent_staging: LevelLine
    findings: tuple[FindingLine, ...]
    unvalidated_findings: int
    """Preliminary findings the sponsor edition leaves out until the organization validates them (0 for the
    team edition, which shows every finding)."""
    coverage: CoverageReport
    deficiencies: tuple[Deficiency, ...]

    @property
    def excluded(self) -> tuple[ScopeLine, ...]:
        return tuple(line for line in self.scope if line.excluded)

    @property
    def cell_count(self) -> int:
        return sum(len(p.cells) for pa in self.process_areas for g in pa.goals for p in g.practices)


# --- the canonical text of a cell ------------------------------------------------------------------------

EXCEL_CELL_LIMIT = 32767
"""Excel refuses longer text in one cell."""
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cell_text(text: str | None) -> str:
    """A text as the workbook holds it: no control characters, "\\n" line ends, trimmed, within Excel's limit."""
    if not text:
        return ""
    clean = _XML_ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return clean[:EXCEL_CELL_LIMIT]


def text_digest(text: str | None) -> str:
    """A short fingerprint of a text's canonical form: enough to tell whether a cell changed since export."""
    return hashlib.blake2b(cell_text(text).encode("utf-8"), digest_size=8).hexdigest()
