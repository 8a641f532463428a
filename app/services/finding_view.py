"""What the findings services hand out: frozen DTOs for findings, their targets and non-attribution flags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.domain.catalog import item_name

KINDS = ("strength", "weakness", "improvement")
KIND_LABELS = {"strength": "Strength", "weakness": "Weakness", "improvement": "Improvement opportunity"}
STATUSES = ("preliminary", "validated", "final")


@dataclass(frozen=True, slots=True)
class FindingTarget:
    """What a finding is about: nothing (organization-wide), a process area, one of its goals or practices."""

    model: str | None = None
    pa: str | None = None
    goal: str | None = None
    practice: str | None = None

    @property
    def label(self) -> str:
        """ "IRP SP1.1", "IRP SG1", "IRP", or "" for an organization-wide finding."""
        if self.pa is None:
            return ""
        item = self.practice or self.goal
        if item is None:
            return self.pa
        # CERT-RMM codes carry their process area already ("VAR:SG2").
        return item_name(self.pa, item)


ORGANIZATION = FindingTarget()


@dataclass(frozen=True, slots=True)
class FindingFields:
    """What the user edits: the kind, the text and the target (the status moves separately)."""

    kind: str
    text: str
    target: FindingTarget = ORGANIZATION


@dataclass(frozen=True, slots=True)
class FindingFlag:
    """One place a finding's text names someone (or a unit), and whether the lead reviewed it."""

    term: str
    kind: str
    """ "participant", "role", "identifier" or "unit"."""
    location: str
    """The finding as the ratings name it ("weakness finding #3")."""
    excerpt: str
    """The text around the match, the name included."""
    spans: tuple[tuple[int, int], ...]
    """The match as one (start, end) offset pair in the text."""
    form: str = ""
    """How it matched ("surname", "initial and surname", "role" …)."""
    reviewed_by: str = ""
    reviewed_at: datetime | None = None
    """Set when the lead marked this span "reviewed: not an attribution" (for this very text)."""
    review_id: int | None = None

    @property
    def reviewed(self) -> bool:
        return self.reviewed_at is not None

    @property
    def span(self) -> tuple[int, int]:
        return self.spans[0]

    @property
    def description(self) -> str:
        if self.kind == "role":
            return f"may identify the one participant with the role “{self.term}”"
        if self.kind == "unit":
            return f"names a unit, “{self.term}”"
        if self.kind == "identifier":
            return f"contains the identifier “{self.term}”"
        return f"names a participant ({self.form or 'name'}), “{self.term}”"


@dataclass(frozen=True, slots=True)
class FindingInfo:
    id: int
    kind: str
    status: str
    text: str
    target: FindingTarget
    created_at: datetime
    updated_at: datetime
    flags: tuple[FindingFlag, ...]
    """Flags not yet resolved: each blocks validating the finding."""
    reviewed: tuple[FindingFlag, ...] = ()
    """Flags the lead marked "reviewed: not an attribution"."""

    @property
    def fields(self) -> FindingFields:
        return FindingFields(self.kind, self.text, self.target)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


@dataclass(frozen=True, slots=True)
class FindingRecord:
    """A deleted finding row exactly as stored (id included), for undo."""

    id: int
    kind: str
    status: str
    text: str
    process_area_id: int | None
    goal_id: int | None
    practice_id: int | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class PracticeChoice:
    code: str
    title: str


@dataclass(frozen=True, slots=True)
class GoalChoice:
    code: str
    title: str
    generic: bool
    practices: tuple[PracticeChoice, ...]


@dataclass(frozen=True, slots=True)
class PaChoice:
    """A process area in scope with the goals and practices a finding can name."""

    model: str
    pa: str
    name: str
    goals: tuple[GoalChoice, ...]

    def goal(self, code: str) -> GoalChoice | None:
        return next((g for g in self.goals if g.code == code), None)
