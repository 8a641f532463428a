"""Two people never overwrite each other unknowingly: the one check every write of a versioned row goes through.

On a team server a colleague may change a row between the moment a person saw it and the moment their edit (or
their undo) is written. Three moments are guarded, all ending in the same sentence ("Finding #4 was changed by
morgan at 10:42 — reloaded. …", `stale_edit`):

- **a stale view** (the first time an edit is applied): the service compares the row as stored with what the
  person saw (`refuse_if_changed`, the services' `expected=` arguments);
- **an undo or a redo** of an edit: an `EditGuard` belongs to one undoable edit; every unit of work run under it
  (`UnitOfWorkFactory.guarded`) records, when it commits, the columns the edit wrote in each versioned row, and
  before a later application writes such a row again it checks those columns still hold what it wrote (other
  columns may have moved: nothing of theirs is undone). This needs no code in the services: it holds for every
  kind of row, deletes and link batches included;
- **a race** between the read and the write of one unit of work: the row's version (SQLAlchemy's version
  counter, schema 0007) makes the UPDATE match nothing, and the unit of work turns StaleDataError into the same
  kind of refusal.

On a file one window writes at a time, so none of these ever refuses there; the checks cost a dictionary look-up
per flush when no guard is set, and an in-memory comparison per written row when one is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, event, func, inspect, select
from sqlalchemy.orm import Session, object_session

from app.storage.errors import StaleEditError
from app.storage.schema import (
    Affirmation,
    Appraisal,
    Artifact,
    ChangeLog,
    Characterization,
    EvidenceLink,
    Finding,
    GoalRatingOverride,
    InterviewSession,
    OuCharacterization,
    Versioned,
)

_GUARD = "appraisal_desk.edit_guard"
_PENDING = "appraisal_desk.edit_guard.pending"
_WHO = "appraisal_desk.edit_guard.who"

BOOKKEEPING = frozenset({"version", "updated_at", "updated_by", "decided_at", "inputs"})
"""Columns a repeated application rewrites by itself (when, the version, the inputs read anew): never compared."""

LOG_ENTITIES = {
    GoalRatingOverride.__tablename__: ("goal_rating",),
    Appraisal.__tablename__: ("appraisal", "plan"),
}
"""Where the change log names a table's rows differently (the entities of its entries)."""

NOT_SAVED = "Your change was not saved; make it again if it still holds."

RowKey = tuple[str, int]
RowState = dict[str, Any]


NAMES = {
    Affirmation.__tablename__: "The affirmation",
    EvidenceLink.__tablename__: "The evidence link",
    Characterization.__tablename__: "The characterization",
    OuCharacterization.__tablename__: "The team's judgment",
    GoalRatingOverride.__tablename__: "The team's goal decision",
    Appraisal.__tablename__: "The plan",
}


def describe(row: Versioned) -> str:
    """The row as a person names it, to start the sentence of a refusal."""
    if isinstance(row, Finding):
        return f"Finding #{row.id}"
    if isinstance(row, Artifact):
        return f"The artifact “{row.title}”"
    if isinstance(row, InterviewSession):
        return f"Session {row.code}"
    return NAMES.get(row.__table__.name, "This")  # type: ignore[attr-defined]


def last_change(session: Session, table: str, row_id: int | None) -> tuple[str, datetime] | None:
    """Who last changed a row, and when, by the change log (the login on a team server)."""
    if row_id is None:
        return None
    found = session.execute(
        select(ChangeLog.who, ChangeLog.at)
        .where(ChangeLog.entity.in_(LOG_ENTITIES.get(table, (table,))), ChangeLog.entity_id == row_id)
        .order_by(ChangeLog.id.desc())
        .limit(1)
    ).first()
    return (found[0], found[1]) if found is not None else None


def stale_edit(session: Session, row: Versioned, what: str | None = None) -> StaleEditError:
    """The refusal of a write on a row someone else changed: who and when, and that the view is read again."""
    table: str = row.__table__.name  # type: ignore[attr-defined]
    return stale_edit_after(session, RowChanged(table, getattr(row, "id", 0), what or describe(row)))


def refuse_if_changed(session: Session, row: Versioned | None, changed: bool, what: str | None = None) -> None:
    """The stale-view check of a first application: `changed` says the stored row differs from what was seen."""
    if changed:
        if row is None:
            raise StaleEditError(f"{what or 'This'} was deleted by someone else — reloaded. {NOT_SAVED}")
        raise stale_edit(session, row, what)


class EditGuard:
    """What one undoable edit wrote in each versioned row, as of its last application (see above).

    `since`: the change log's highest id when the edit was made. A row the edit never wrote through the guard
    (rows added before their command existed, e.g. on the worker) is deleted only if nobody else logged a change
    of it since: undoing such an add never deletes a colleague's later work.
    """

    def __init__(self, since: int | None = None) -> None:
        self.left: dict[RowKey, RowState] = {}
        self.since = since

    def watch(self, session: Session, who: str) -> None:
        session.info[_GUARD] = self
        session.info[_WHO] = who
        session.info[_PENDING] = {}


def highest_change(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.max(ChangeLog.id), 0))) or 0)


def _key(row: Versioned) -> RowKey | None:
    row_id = getattr(row, "id", None)  # every versioned table's key; set by the INSERT once flushed
    if row_id is None:
        return None
    return row.__table__.name, int(row_id)  # type: ignore[attr-defined]


def _stored(row: Versioned) -> RowState:
    """The row as read from the database (before this unit of work's own changes to it)."""
    state = inspect(row)
    values: RowState = {}
    for attr in state.mapper.column_attrs:
        if attr.key in BOOKKEEPING:
            continue
        history = state.attrs[attr.key].history
        old = list(history.deleted) or list(history.unchanged)
        values[attr.key] = old[0] if old else None
    return values


def _written(row: Versioned, *, inserted: bool) -> RowState:
    """What a flush wrote into a row: every column of a new row, the changed columns of an updated one."""
    state = inspect(row)
    values: RowState = {}
    for attr in state.mapper.column_attrs:
        if attr.key in BOOKKEEPING:
            continue
        column = state.attrs[attr.key]
        if inserted or column.history.has_changes():
            values[attr.key] = column.value
    return values


class RowChanged(Exception):
    """Raised inside a flush (where the change log cannot be read) for a row someone else changed since the edit
    last wrote it; the unit of work then names who and when (`stale_edit_after`)."""

    def __init__(self, table: str, row_id: int, what: str) -> None:
        super().__init__(what)
        self.table, self.row_id, self.what = table, row_id, what


def stale_edit_after(session: Session, changed: RowChanged) -> StaleEditError:
    """The refusal for `changed`, read in a fresh transaction once the flush that found it was rolled back."""
    last = last_change(session, changed.table, changed.row_id)
    who = f" by {last[0]} at {last[1]:%H:%M}" if last is not None else " by someone else"
    return StaleEditError(f"{changed.what} was changed{who} — reloaded. {NOT_SAVED}")


def _guard_of(row: Versioned) -> EditGuard | None:
    session = object_session(row)
    guard: EditGuard | None = session.info.get(_GUARD) if session is not None else None
    return guard


# Mapper events, row by row as the flush writes them: no scan of the session's rows, so a batch of a thousand
# cells costs a thousand dictionary look-ups more, and nothing when no guard is set (a script, a file's import).


@event.listens_for(Versioned, "before_update", propagate=True)
def _check(_mapper: object, _connection: object, row: Versioned) -> None:
    guard = _guard_of(row)
    key = _key(row) if guard is not None and guard.left else None
    left = guard.left.get(key) if guard is not None and key is not None else None
    if key is None or left is None:
        return
    # Only what the edit wrote is compared: a colleague's change to other columns (or one's own notes typed
    # meanwhile) is no reason to refuse, and the undo leaves it alone.
    stored = _stored(row)
    if any(stored.get(column) != value for column, value in left.items()):
        raise RowChanged(key[0], key[1], describe(row))


@event.listens_for(Versioned, "before_delete", propagate=True)
def _check_delete(_mapper: object, connection: Connection, row: Versioned) -> None:
    guard = _guard_of(row)
    key = _key(row) if guard is not None else None
    if guard is None or key is None:
        return
    if key in guard.left:
        _check(_mapper, connection, row)
        return
    if guard.since is None:
        return
    session = object_session(row)
    who = session.info.get(_WHO) if session is not None else None
    # Inside the flush: the change log is read on the flush's own connection.
    later = connection.scalar(
        select(ChangeLog.id)
        .where(
            ChangeLog.entity.in_(LOG_ENTITIES.get(key[0], (key[0],))),
            ChangeLog.entity_id == key[1],
            ChangeLog.id > guard.since,
            ChangeLog.who != who,
        )
        .limit(1)
    )
    if later is not None:
        raise RowChanged(key[0], key[1], describe(row))


def _note(row: Versioned, state: RowState | None) -> None:
    """What this unit of work left in a row (None: deleted), kept for the guard until it commits."""
    session = object_session(row)
    pending: dict[RowKey, RowState | None] | None = session.info.get(_PENDING) if session is not None else None
    key = _key(row) if pending is not None else None
    if pending is not None and key is not None:
        earlier = pending.get(key)
        pending[key] = None if state is None else {**(earlier or {}), **state}


@event.listens_for(Versioned, "after_insert", propagate=True)
def _record_inserted(_mapper: object, _connection: object, row: Versioned) -> None:
    if _guard_of(row) is not None:
        _note(row, _written(row, inserted=True))


@event.listens_for(Versioned, "after_update", propagate=True)
def _record(_mapper: object, _connection: object, row: Versioned) -> None:
    if _guard_of(row) is not None:
        _note(row, _written(row, inserted=False))


@event.listens_for(Versioned, "after_delete", propagate=True)
def _record_deleted(_mapper: object, _connection: object, row: Versioned) -> None:
    _note(row, None)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    guard: EditGuard | None = session.info.get(_GUARD)
    pending: dict[RowKey, RowState | None] | None = session.info.get(_PENDING)
    if guard is None or pending is None:
        return
    for key, state in pending.items():
        if state is None:
            guard.left.pop(key, None)
        else:
            guard.left[key] = state
    pending.clear()


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    pending: dict[RowKey, RowState | None] | None = session.info.get(_PENDING)
    if pending is not None:
        pending.clear()
