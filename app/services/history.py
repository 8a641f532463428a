"""Reading the change log: who changed what, when, and from which value to which, for one cell, goal,
finding or artifact, or for the whole appraisal; filtered by person, kind of change and dates.

Every edit writes one log line in its own transaction (`UnitOfWork.log`): an action, the kind of thing changed,
its row id and a detail such as "CMMI-SVC IRP SP1.1 / Claims: LI -> FI". Lines written before the detail named
the previous value ("…: FI") get it from the line before them for the same cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, or_, select

from app.domain.catalog import item_name
from app.services.characterize import CellKey
from app.services.workspace import Workspace
from app.storage.schema import ChangeLog

ARROWS = (" -> ", " → ")
NO_VALUE = "—"
_VALUE_ACTIONS = frozenset({"characterize", "import", "undo import", "redo import"})

KINDS: dict[str, str] = {
    "characterization": "Characterization",
    "ou_characterization": "Team judgment",
    "goal_rating": "Goal rating",
    "artifact": "Evidence",
    "blob": "Evidence",
    "evidence_link": "Evidence link",
    "interview_session": "Interviews",
    "participant": "Interviews",
    "affirmation": "Interviews",
    "finding": "Finding",
    "plan": "Plan",
    "appraisal": "Appraisal",
    "demo": "Appraisal",
}
"""The kind of change a user filters by, for each entity the log names."""

_VERBS: dict[tuple[str, str], str] = {
    ("characterization", "characterize"): "Value",
    ("characterization", "import"): "Value imported from a workbook",
    ("characterization", "undo import"): "Workbook import undone",
    ("characterization", "redo import"): "Workbook import redone",
    ("characterization", "review"): "Review mark",
    ("ou_characterization", "judge"): "Team judgment of the OU value",
    ("goal_rating", "override"): "Goal rating overridden",
    ("artifact", "add"): "Artifact added",
    ("artifact", "edit"): "Artifact edited",
    ("artifact", "delete"): "Artifact deleted",
    ("artifact", "restore"): "Artifact restored",
    ("artifact", "revise"): "New revision",
    ("artifact", "unrevise"): "Revision removed",
    ("blob", "purge"): "Unused stored files removed",
    ("evidence_link", "link"): "Evidence linked",
    ("evidence_link", "unlink"): "Evidence unlinked",
    ("evidence_link", "edit"): "Evidence adequacy",
    ("interview_session", "add"): "Session added",
    ("interview_session", "edit"): "Session edited",
    ("interview_session", "notes"): "Session notes",
    ("interview_session", "delete"): "Session deleted",
    ("interview_session", "restore"): "Session restored",
    ("participant", "add"): "Participant added",
    ("participant", "edit"): "Participant edited",
    ("participant", "delete"): "Participant removed",
    ("participant", "restore"): "Participant restored",
    ("affirmation", "add"): "Affirmation added",
    ("affirmation", "edit"): "Affirmation edited",
    ("affirmation", "delete"): "Affirmation deleted",
    ("affirmation", "restore"): "Affirmation restored",
    ("finding", "add"): "Finding added",
    ("finding", "edit"): "Finding edited",
    ("finding", "status"): "Finding status",
    ("finding", "delete"): "Finding deleted",
    ("finding", "restore"): "Finding restored",
    ("plan", "update"): "Plan changed",
    ("appraisal", "phase"): "Phase",
    ("appraisal", "passphrase"): "Passphrase changed",
    ("demo", "create"): "Demo appraisal created",
}


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: datetime
    who: str
    kind: str
    """What a user filters by: "Characterization", "Finding", "Evidence", …"""
    what: str
    """A sentence: "Value of CMMI-SVC IRP SP1.1 / Claims", "Finding status: weakness on IRP SG1"."""
    old: str
    """The value before ("" when the log does not say), "—" for none."""
    new: str
    action: str
    entity: str
    entity_id: int | None
    detail: str
    """The log's own line, kept for the JSON and tooltips."""


@dataclass(frozen=True, slots=True)
class Subject:
    """Whose history: a title for the panel, and which log lines belong to it (none given: all of them)."""

    title: str
    entity: str | None = None
    entity_id: int | None = None
    prefixes: tuple[str, ...] = ()
    """Log details starting with one of these belong to it (cells, judgments, overrides are named, not numbered)."""

    def condition(self) -> ColumnElement[bool] | None:
        parts: list[ColumnElement[bool]] = []
        if self.entity is not None:
            parts.append(and_(ChangeLog.entity == self.entity, ChangeLog.entity_id == self.entity_id))
        parts.extend(ChangeLog.detail.startswith(p, autoescape=True) for p in self.prefixes)
        return or_(*parts) if parts else None


WHOLE_APPRAISAL = Subject("the whole appraisal")


def _cell_prefix(model: str, pa: str, practice: str, unit: str) -> str:
    return f"{model} {pa} {practice} / {unit}:"


def cell_subject(key: CellKey) -> Subject:
    return Subject(
        f"{item_name(key.pa, key.practice)} in {key.unit}",
        prefixes=(_cell_prefix(key.model, key.pa, key.practice, key.unit),),
    )


def practice_subject(model: str, pa: str, practice: str, units: Iterable[str]) -> Subject:
    """A practice: its team judgment and its cells in every unit."""
    cells = tuple(_cell_prefix(model, pa, practice, u) for u in units)
    return Subject(item_name(pa, practice), prefixes=(f"{model} {pa} {practice}:", *cells))


def goal_subject(model: str, pa: str, goal: str, practices: Sequence[str], units: Iterable[str]) -> Subject:
    """A goal: its override, and the judgments and cells of its practices."""
    unit_names = tuple(units)
    prefixes = [f"{model} {pa} {goal}:"]
    for practice in practices:
        prefixes.extend(practice_subject(model, pa, practice, unit_names).prefixes)
    return Subject(item_name(pa, goal), prefixes=tuple(prefixes))


def area_subject(model: str, pa: str) -> Subject:
    """A process area: everything logged under its name (the trailing space keeps SC apart from SCON)."""
    return Subject(f"{model} {pa}" if pa != model else pa, prefixes=(f"{model} {pa} ",))


def finding_subject(finding_id: int, label: str) -> Subject:
    return Subject(f"finding {label}", "finding", finding_id)


def artifact_subject(artifact_id: int, title: str) -> Subject:
    return Subject(title, "artifact", artifact_id)


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    who: str | None = None
    kind: str | None = None
    """One of KINDS' values."""
    since: date | None = None
    until: date | None = None
    """Both days included."""


def history(
    ws: Workspace, subject: Subject = WHOLE_APPRAISAL, wanted: HistoryFilter | None = None
) -> list[HistoryEntry]:
    """The log lines of a subject, newest first."""
    wanted = wanted or HistoryFilter()
    stmt = select(ChangeLog).order_by(ChangeLog.at, ChangeLog.id)
    condition = subject.condition()
    if condition is not None:
        stmt = stmt.where(condition)
    if wanted.who:
        stmt = stmt.where(ChangeLog.who == wanted.who)
    if wanted.kind:
        stmt = stmt.where(ChangeLog.entity.in_([e for e, k in KINDS.items() if k == wanted.kind]))
    if wanted.since:
        stmt = stmt.where(ChangeLog.at >= datetime.combine(wanted.since, time()))
    if wanted.until:
        stmt = stmt.where(ChangeLog.at < datetime.combine(wanted.until + timedelta(days=1), time()))
    with ws.uow() as uow:
        rows = [(r.at, r.who, r.action, r.entity, r.entity_id, r.detail or "") for r in uow.session.scalars(stmt)]
    last_value: dict[int | None, str] = {}
    entries: list[HistoryEntry] = []
    for at, who, action, entity, entity_id, detail in rows:
        old, new = _old_new(detail)
        if entity == "characterization" and action in _VALUE_ACTIONS:
            if not new:
                new = _value_of(detail)
            if not old:
                old = last_value.get(entity_id, "")
            last_value[entity_id] = new
        entries.append(
            HistoryEntry(
                at,
                who,
                KINDS.get(entity, entity.replace("_", " ").capitalize()),
                _what(action, entity, detail),
                old,
                new,
                action,
                entity,
                entity_id,
                detail,
            )
        )
    entries.reverse()
    return entries


def people(ws: Workspace) -> list[str]:
    """Everyone who changed something, by name."""
    with ws.uow() as uow:
        return sorted(set(uow.session.scalars(select(ChangeLog.who).distinct())))


def _old_new(detail: str) -> tuple[str, str]:
    for arrow in ARROWS:
        if arrow in detail:
            head, _, new = detail.rpartition(arrow)
            old = head.rpartition(": ")[2] if ": " in head else head
            return old.strip(), new.strip()
    return "", ""


def _value_of(detail: str) -> str:
    """The value a line without an arrow names: "…/ Claims: FI (workbook x.xlsx)" gives "FI"."""
    tail = detail.rpartition(": ")[2].strip()
    value = tail.split(" (", 1)[0].strip()
    return NO_VALUE if value in ("", "None") else value


def _what(action: str, entity: str, detail: str) -> str:
    verb = _VERBS.get((entity, action), f"{action.capitalize()} {entity.replace('_', ' ')}")
    valued = entity == "characterization" and action in _VALUE_ACTIONS
    place = detail.rpartition(": ")[0] if valued and not any(a in detail for a in ARROWS) else _place(detail)
    return f"{verb}: {place}" if place else verb


def _place(detail: str) -> str:
    """The part of a detail that names what changed, without the values (those are in old and new)."""
    if any(arrow in detail for arrow in ARROWS):
        head = detail
        for arrow in ARROWS:
            head = head.rpartition(arrow)[0] or head
        return head.rpartition(": ")[0] if ": " in head else ""
    return detail
