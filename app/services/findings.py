"""Findings: strengths, weaknesses and improvement opportunities about the organizational unit.

A finding may name what it is about (a process area in scope, one of its goals, or one of its practices) or
nothing (an organization-wide finding). It moves preliminary -> validated -> final one step at a time; going
back is always allowed. Non-attribution (method-rules §9): a finding that names a participant, or a unit
unless the plan allows unit-specific findings, is flagged, and may not be validated or made final, because
from then on the organization sees it.

Every change is one committed, logged transaction; the log never holds the text, which might name someone.
Deleting returns a `FindingRecord` that `restore_finding` puts back with the same id, for undo.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.domain.plan import PaKey
from app.domain.scope import rated_practices
from app.services.attribution import AppraisalNames, finding_location, read_names
from app.services.finding_view import (
    KIND_LABELS,
    KINDS,
    ORGANIZATION,
    STATUSES,
    FindingFields,
    FindingFlag,
    FindingInfo,
    FindingRecord,
    FindingTarget,
    GoalChoice,
    PaChoice,
    PracticeChoice,
)
from app.services.workspace import Workspace
from app.storage.edit_guard import stale_edit
from app.storage.errors import KnownError, StaleEditError
from app.storage.instantiation_repo import practice_ids, scope_in_order
from app.storage.schema import (
    Appraisal,
    CatalogGoal,
    CatalogModel,
    CatalogPractice,
    CatalogProcessArea,
    Finding,
    ScopeItem,
)

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "ORGANIZATION",
    "STATUSES",
    "FindingFields",
    "FindingFlag",
    "FindingInfo",
    "FindingRecord",
    "FindingScanner",
    "FindingTarget",
    "GoalChoice",
    "PaChoice",
    "PracticeChoice",
    "add_finding",
    "attribution_scanner",
    "delete_finding",
    "get_finding",
    "list_findings",
    "location_of",
    "restore_finding",
    "set_status",
    "target_choices",
    "update_finding",
]


# --- non-attribution --------------------------------------------------------------------------------------


class FindingScanner:
    """The appraisal's names and review marks, compiled once; `flags` is cheap enough to run as one types."""

    def __init__(self, names: AppraisalNames) -> None:
        self.names = names

    def all_flags(self, location: str, text: str, finding_id: int | None = None) -> tuple[FindingFlag, ...]:
        """Every match in `text`, reviewed or not (a new, unsaved finding has no id and no review marks)."""
        where = finding_location(finding_id) if finding_id is not None else None
        return tuple(
            FindingFlag(
                f.match.term,
                f.match.kind.value,
                location,
                f.excerpt,
                (f.match.span,),
                f.match.form,
                f.review.reviewed_by if f.review else "",
                f.review.reviewed_at if f.review else None,
                f.review.id if f.review else None,
            )
            for f in self.names.flags(where, text)
        )

    def flags(self, location: str, text: str, finding_id: int | None = None) -> tuple[FindingFlag, ...]:
        """The matches in `text` the lead has not reviewed: each blocks validating the finding."""
        return tuple(f for f in self.all_flags(location, text, finding_id) if not f.reviewed)


def location_of(kind: str, finding_id: int) -> str:
    """How the ratings' attribution flags name a finding (see `app.services.ratings`)."""
    return f"{kind} finding #{finding_id}"


def _scanner(session: Session) -> FindingScanner:
    return FindingScanner(read_names(session))


def attribution_scanner(ws: Workspace) -> FindingScanner:
    """A scanner for checking text as the user types it, before it is saved."""
    with ws.uow() as uow:
        return _scanner(uow.session)


# --- targets ----------------------------------------------------------------------------------------------


class _Scope:
    """The targets a finding can name, and the row ids behind them, read once per transaction."""

    def __init__(self, session: Session, ws: Workspace) -> None:
        catalog = ws.catalog()
        appraisal = session.scalars(select(Appraisal)).one()
        ids = practice_ids(session)
        rows = scope_in_order(session)
        self.choices: list[PaChoice] = []
        self.pa_ids: dict[PaKey, int] = {}
        self.practice_ids: dict[tuple[PaKey, str, str], int] = {}
        for item, acronym, model_key in rows:
            model = catalog.model(model_key)
            area = model.process_area(acronym) if model else None
            if model is None or area is None:
                continue
            key = PaKey(model_key, acronym)
            self.pa_ids[key] = item.process_area_id
            owner = model.generic_goals_from if not model.generic_goals and model.generic_goals_from else model_key
            goals: dict[str, tuple[str, bool, list[PracticeChoice]]] = {}
            for rated in rated_practices(
                catalog, model_key, area, item.target_capability_level, appraisal.target_maturity_level
            ):
                # Generic practices are stored once per model (no PA), under the model that defines them.
                where = (owner, None) if rated.generic else (model_key, acronym)
                pid = ids.get((*where, rated.goal.code, rated.practice.code))
                if pid is None:
                    continue
                self.practice_ids[(key, rated.goal.code, rated.practice.code)] = pid
                entry = goals.setdefault(rated.goal.code, (rated.goal.title, rated.generic, []))
                entry[2].append(PracticeChoice(rated.practice.code, rated.practice.title))
            self.choices.append(
                PaChoice(
                    model_key,
                    acronym,
                    area.name,
                    tuple(GoalChoice(code, title, generic, tuple(ps)) for code, (title, generic, ps) in goals.items()),
                )
            )
        self._session = session

    def choice(self, model: str, pa: str) -> PaChoice | None:
        return next((c for c in self.choices if (c.model, c.pa) == (model, pa)), None)

    def resolve(self, target: FindingTarget) -> tuple[int | None, int | None, int | None]:
        """(process area id, goal id, practice id) for a target, or KnownError saying what is wrong."""
        if target.pa is None:
            if target.goal or target.practice:
                raise KnownError("Choose the process area the goal or practice belongs to.")
            return None, None, None
        choice = self.choice(target.model or "", target.pa)
        if choice is None:
            raise KnownError(
                f"{target.model} {target.pa} is not a process area in this appraisal's scope; a finding can only "
                "name one that is."
            )
        key = PaKey(choice.model, choice.pa)
        goal_code = target.goal
        if target.practice is not None and goal_code is None:
            goal_code = next(
                (g.code for g in choice.goals if any(p.code == target.practice for p in g.practices)), None
            )
            if goal_code is None:
                raise KnownError(f"{choice.pa} has no practice {target.practice} that this appraisal rates.")
        if goal_code is None:
            return self.pa_ids[key], None, None
        goal = choice.goal(goal_code)
        if goal is None:
            raise KnownError(f"{choice.pa} has no goal {goal_code} that this appraisal rates.")
        practice_id = None
        if target.practice is not None:
            practice_id = self.practice_ids.get((key, goal.code, target.practice))
            if practice_id is None:
                raise KnownError(f"{target.practice} is not a practice of {choice.pa} {goal.code}.")
        return self.pa_ids[key], self._goal_id(key, goal), practice_id

    def _goal_id(self, key: PaKey, goal: GoalChoice) -> int:
        if goal.generic:
            # Generic goals have no PA of their own; any of the goal's practices leads to its row.
            some_practice = self.practice_ids[(key, goal.code, goal.practices[0].code)]
            return self._session.scalars(
                select(CatalogPractice.goal_id).where(CatalogPractice.id == some_practice)
            ).one()
        return self._session.scalars(
            select(CatalogGoal.id).where(CatalogGoal.code == goal.code, CatalogGoal.process_area_id == self.pa_ids[key])
        ).one()


def target_choices(ws: Workspace) -> tuple[PaChoice, ...]:
    """The process areas in scope (not excluded) with the goals and practices the appraisal rates."""
    with ws.uow() as uow:
        return tuple(_Scope(uow.session, ws).choices)


# --- reading ----------------------------------------------------------------------------------------------


def _targets(session: Session) -> tuple[dict[int, tuple[str, str]], dict[int, str], dict[int, str]]:
    pas = {
        pid: (model, acronym)
        for pid, model, acronym in session.execute(
            select(CatalogProcessArea.id, CatalogModel.key, CatalogProcessArea.acronym).join(
                CatalogModel, CatalogModel.id == CatalogProcessArea.model_id
            )
        )
    }
    goals = {gid: code for gid, code in session.execute(select(CatalogGoal.id, CatalogGoal.code))}
    practices = {pid: code for pid, code in session.execute(select(CatalogPractice.id, CatalogPractice.code))}
    return pas, goals, practices


def _infos(session: Session, *where: ColumnElement[bool]) -> list[FindingInfo]:
    pas, goals, practices = _targets(session)
    scanner = _scanner(session)
    order = {
        pid: n for n, pid in enumerate(session.scalars(select(ScopeItem.process_area_id).order_by(ScopeItem.position)))
    }
    rows = list(session.scalars(select(Finding).where(*where)))
    rows.sort(
        key=lambda f: (
            order.get(f.process_area_id, len(order)) if f.process_area_id is not None else -1,
            KINDS.index(f.kind),
            f.id,
        )
    )
    result = []
    for row in rows:
        model, pa = pas.get(row.process_area_id, (None, None)) if row.process_area_id is not None else (None, None)
        target = FindingTarget(
            model,
            pa,
            goals.get(row.goal_id) if row.goal_id is not None else None,
            practices.get(row.practice_id) if row.practice_id is not None else None,
        )
        every = scanner.all_flags(location_of(row.kind, row.id), row.text, row.id)
        result.append(
            FindingInfo(
                row.id,
                row.kind,
                row.status,
                row.text,
                target,
                row.created_at,
                row.updated_at,
                tuple(f for f in every if not f.reviewed),
                tuple(f for f in every if f.reviewed),
            )
        )
    return result


def list_findings(ws: Workspace) -> tuple[FindingInfo, ...]:
    """Every finding with its non-attribution flags: organization-wide first, then in scope order by kind."""
    with ws.uow() as uow:
        return tuple(_infos(uow.session))


def get_finding(ws: Workspace, finding_id: int) -> FindingInfo:
    with ws.uow() as uow:
        found = _infos(uow.session, Finding.id == finding_id)
        if not found:
            raise KnownError("That finding is no longer in the appraisal (it was deleted).")
        return found[0]


# --- changing ---------------------------------------------------------------------------------------------


def _row(session: Session, finding_id: int) -> Finding:
    row = session.get(Finding, finding_id)
    if row is None:
        raise KnownError("That finding is no longer in the appraisal (it was deleted).")
    return row


def _checked(fields: FindingFields) -> FindingFields:
    if fields.kind not in KINDS:
        raise KnownError(f"{fields.kind!r} is not a kind of finding ({', '.join(KINDS)}).")
    text = fields.text.strip()
    if not text:
        raise KnownError("Write the finding first: its text cannot be empty.")
    return FindingFields(fields.kind, text, fields.target)


def _describe(fields: FindingFields) -> str:
    return f"{fields.kind} on {fields.target.label or 'the organizational unit'}"


def add_finding(ws: Workspace, fields: FindingFields) -> int:
    """Record a new preliminary finding; returns its id."""
    checked = _checked(fields)
    with ws.uow() as uow:
        pa_id, goal_id, practice_id = _Scope(uow.session, ws).resolve(checked.target)
        now = datetime.now()
        row = Finding(
            kind=checked.kind,
            status="preliminary",
            text=checked.text,
            process_area_id=pa_id,
            goal_id=goal_id,
            practice_id=practice_id,
            created_at=now,
            updated_at=now,
        )
        uow.session.add(row)
        uow.session.flush()
        uow.log("add", "finding", row.id, _describe(checked))
        uow.commit()
        return row.id


def update_finding(
    ws: Workspace, finding_id: int, fields: FindingFields, *, expected: FindingFields | None = None
) -> FindingFields:
    """Change a finding's kind, text and target; returns what they were (undo sets them back).

    `expected`: the finding as the person saw it (undoing: as their edit left it). If someone else changed it
    since (a team server), nothing is written and StaleEditError says who and when.
    """
    checked = _checked(fields)
    with ws.uow() as uow:
        row = _row(uow.session, finding_id)
        before = _infos(uow.session, Finding.id == finding_id)[0].fields
        if expected is not None and before != _checked(expected):
            raise _changed_since(uow.session, finding_id)
        row.process_area_id, row.goal_id, row.practice_id = _Scope(uow.session, ws).resolve(checked.target)
        row.kind = checked.kind
        row.text = checked.text
        row.updated_at = datetime.now()
        uow.log("edit", "finding", finding_id, _describe(checked))
        uow.commit()
        return before


def _changed_since(session: Session, finding_id: int) -> StaleEditError:
    return stale_edit(session, _row(session, finding_id))


def set_status(ws: Workspace, finding_id: int, status: str, *, expected: str | None = None) -> str:
    """Move a finding through preliminary -> validated -> final (or back); returns the previous status.

    Forward moves go one step at a time and refuse a finding that names someone: validated and final
    findings are shown to the organization.
    """
    if status not in STATUSES:
        raise KnownError(f"{status!r} is not a status of a finding ({', '.join(STATUSES)}).")
    with ws.uow() as uow:
        row = _row(uow.session, finding_id)
        before = row.status
        if expected is not None and before != expected:
            raise _changed_since(uow.session, finding_id)
        step = STATUSES.index(status) - STATUSES.index(before)
        if step > 1:
            raise KnownError(
                "A preliminary finding is validated with the organization before it can be final: "
                "mark it validated first."
            )
        if step > 0:
            flags = _scanner(uow.session).flags(location_of(row.kind, row.id), row.text, row.id)
            if flags:
                names = "; ".join(dict.fromkeys(flag.description for flag in flags))
                raise KnownError(
                    f"This finding {names}. Non-attribution forbids showing it to the organization: "
                    f"reword it, or mark each flagged span reviewed as not an attribution, before marking it "
                    f"{status}."
                )
        if step:
            row.status = status
            row.updated_at = datetime.now()
            uow.log("status", "finding", finding_id, f"{before} -> {status}")
            uow.commit()
        return before


def delete_finding(ws: Workspace, finding_id: int) -> FindingRecord:
    with ws.uow() as uow:
        row = _row(uow.session, finding_id)
        rec = FindingRecord(
            row.id,
            row.kind,
            row.status,
            row.text,
            row.process_area_id,
            row.goal_id,
            row.practice_id,
            row.created_at,
            row.updated_at,
        )
        uow.session.delete(row)
        uow.log("delete", "finding", finding_id, rec.kind)
        uow.commit()
        return rec


def restore_finding(ws: Workspace, rec: FindingRecord) -> None:
    """Put a deleted finding back exactly as it was, with the same id."""
    with ws.uow() as uow:
        if uow.session.get(Finding, rec.id) is not None:
            raise KnownError("That finding is already in the appraisal.")
        uow.session.add(
            Finding(
                id=rec.id,
                kind=rec.kind,
                status=rec.status,
                text=rec.text,
                process_area_id=rec.process_area_id,
                goal_id=rec.goal_id,
                practice_id=rec.practice_id,
                created_at=rec.created_at,
                updated_at=rec.updated_at,
            )
        )
        uow.log("restore", "finding", rec.id, rec.kind)
        uow.commit()
