"""Interview sessions, their participants (kept apart), live notes, and affirmations tagged to practices.

Non-attribution: a session's DTOs never carry participant names. Names are read only through
`session_participants`, the one call the session record uses, so lists, exports and search cannot leak them.

Undo: creating returns an id; deleting returns a record with every row and id; restoring a record puts exactly
those rows back. The UI's undo of "add" is a delete, and its redo a restore, so later commands that refer to
the ids keep working.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.services.evidence_links import (
    EvidenceSource,
    LinkInfo,
    LinkScope,
    LinkTarget,
    create_links,
    link_infos,
    put_links,
    record,
)
from app.services.interview_view import (
    SESSION_KINDS,
    AffirmationInfo,
    AffirmationRecord,
    ParticipantInfo,
    SessionFields,
    SessionInfo,
    SessionRecord,
)
from app.services.workspace import Workspace
from app.storage.edit_guard import refuse_if_changed
from app.storage.errors import KnownError
from app.storage.schema import Affirmation, EvidenceLink, InterviewSession, Participant, Unit

__all__ = [
    "SESSION_KINDS",
    "AffirmationInfo",
    "AffirmationRecord",
    "ParticipantInfo",
    "SessionFields",
    "SessionInfo",
    "SessionRecord",
    "add_affirmation",
    "add_participant",
    "create_session",
    "delete_affirmation",
    "delete_session",
    "get_affirmation",
    "get_session",
    "list_affirmations",
    "list_sessions",
    "remove_participant",
    "restore_affirmation",
    "restore_participant",
    "restore_session",
    "session_participants",
    "set_session_notes",
    "update_affirmation_text",
    "update_participant",
    "update_session",
]


def _session(session: Session, session_id: int) -> InterviewSession:
    row = session.get(InterviewSession, session_id)
    if row is None:
        raise KnownError("That session is no longer in the appraisal (it was deleted).")
    return row


def _trimmed(fields: SessionFields) -> SessionFields:
    """The record as it is stored (what _checked keeps), without checking it."""
    return replace(fields, code=fields.code.strip(), participant_roles=fields.participant_roles.strip())


def _checked(session: Session, fields: SessionFields, session_id: int | None) -> SessionFields:
    code = fields.code.strip()
    if not code:
        raise KnownError("A session needs a code, such as S1 or DEMO-2.")
    if len(code) > 40:
        raise KnownError("A session code takes 40 characters at most.")
    if fields.kind not in SESSION_KINDS:
        raise KnownError(f"{fields.kind!r} is not a kind of session ({', '.join(SESSION_KINDS)}).")
    clash = session.scalars(select(InterviewSession.id).where(InterviewSession.code == code)).first()
    if clash is not None and clash != session_id:
        raise KnownError(f"There is already a session {code}; session codes must be unique.")
    if fields.unit_id is not None and session.get(Unit, fields.unit_id) is None:
        raise KnownError("The unit chosen for the session is no longer in this appraisal.")
    return _trimmed(fields)


def _apply(row: InterviewSession, fields: SessionFields) -> None:
    row.code = fields.code
    row.kind = fields.kind
    row.held_at = fields.held_at
    row.unit_id = fields.unit_id
    row.participant_roles = fields.participant_roles


def _infos(session: Session, *where: object) -> list[SessionInfo]:
    units = dict(session.execute(select(Unit.id, Unit.name)).all())
    people = dict(session.execute(select(Participant.session_id, func.count()).group_by(Participant.session_id)).all())
    said = dict(session.execute(select(Affirmation.session_id, func.count()).group_by(Affirmation.session_id)).all())
    stmt = select(InterviewSession)
    for clause in where:
        stmt = stmt.where(clause)  # type: ignore[arg-type]
    rows = sorted(session.scalars(stmt), key=lambda r: (r.held_at or datetime.max, r.code))
    return [
        SessionInfo(
            r.id,
            r.code,
            r.kind,
            r.held_at,
            r.unit_id,
            units.get(r.unit_id, "") if r.unit_id else "",
            r.participant_roles,
            r.notes,
            people.get(r.id, 0),
            said.get(r.id, 0),
        )
        for r in rows
    ]


# --- sessions ---------------------------------------------------------------------------------------------


def list_sessions(ws: Workspace) -> tuple[SessionInfo, ...]:
    """Sessions in time order (unscheduled last), without participant names."""
    with ws.uow() as uow:
        return tuple(_infos(uow.session))


def get_session(ws: Workspace, session_id: int) -> SessionInfo:
    with ws.uow() as uow:
        found = _infos(uow.session, InterviewSession.id == session_id)
        if not found:
            raise KnownError("That session is no longer in the appraisal (it was deleted).")
        return found[0]


def create_session(ws: Workspace, fields: SessionFields) -> int:
    with ws.uow() as uow:
        checked = _checked(uow.session, fields, None)
        row = InterviewSession(notes="")
        _apply(row, checked)
        uow.session.add(row)
        uow.session.flush()
        uow.log("add", "interview_session", row.id, f"{checked.code} ({checked.kind})")
        uow.commit()
        return row.id


def update_session(
    ws: Workspace, session_id: int, fields: SessionFields, *, expected: SessionFields | None = None
) -> SessionFields:
    """Change a session's record; returns what it was (undo sets it back). `expected`: the record as the person
    saw it; if someone else changed it since, nothing is written (StaleEditError, app/storage/edit_guard.py)."""
    with ws.uow() as uow:
        row = _session(uow.session, session_id)
        before = SessionFields(row.code, row.kind, row.held_at, row.unit_id, row.participant_roles)
        # compared as stored: what an edit wrote was normalised (trimmed) on the way
        seen = None if expected is None else _trimmed(expected)
        refuse_if_changed(uow.session, row, seen is not None and before != seen)
        checked = _checked(uow.session, fields, session_id)
        _apply(row, checked)
        uow.log("edit", "interview_session", session_id, checked.code)
        uow.commit()
        return before


def set_session_notes(ws: Workspace, session_id: int, notes: str, *, expected: str | None = None) -> None:
    """Save the live notes as typed (not on the undo stack: nothing typed is ever thrown away by an undo).

    `expected`: the notes as last read or saved by this window; if a colleague saved other notes since, nothing
    is written (StaleEditError): the notes are read again and the person's text is kept for them to merge.
    """
    with ws.uow() as uow:
        row = _session(uow.session, session_id)
        if row.notes == notes:
            return
        refuse_if_changed(uow.session, row, expected is not None and row.notes != expected)
        row.notes = notes
        uow.log("notes", "interview_session", session_id, f"{row.code}: {len(notes)} characters")
        uow.commit()


def _affirmation_record(session: Session, row: Affirmation) -> AffirmationRecord:
    links = tuple(record(r) for r in session.scalars(select(EvidenceLink).where(EvidenceLink.affirmation_id == row.id)))
    return AffirmationRecord(row.id, row.session_id, row.position, row.text, row.created_at, links)


def delete_session(ws: Workspace, session_id: int) -> SessionRecord:
    """Delete a session with its participants and affirmations (and their tags); returns them for undo."""
    with ws.uow() as uow:
        s = uow.session
        row = _session(s, session_id)
        people = tuple(
            ParticipantInfo(p.id, p.session_id, p.name, p.role)
            for p in s.scalars(select(Participant).where(Participant.session_id == session_id).order_by(Participant.id))
        )
        said = tuple(
            _affirmation_record(s, a)
            for a in s.scalars(select(Affirmation).where(Affirmation.session_id == session_id).order_by(Affirmation.id))
        )
        rec = SessionRecord(
            row.id,
            SessionFields(row.code, row.kind, row.held_at, row.unit_id, row.participant_roles),
            row.notes,
            people,
            said,
        )
        s.delete(row)
        uow.log("delete", "interview_session", session_id, f"{row.code} ({len(said)} affirmation(s))")
        uow.commit()
        return rec


def restore_session(ws: Workspace, rec: SessionRecord) -> int:
    """Put a deleted session back exactly (same ids), with its participants, affirmations and tags."""
    with ws.uow() as uow:
        s = uow.session
        if s.get(InterviewSession, rec.id) is not None:
            raise KnownError(f"Session {rec.fields.code} is already in the appraisal.")
        fields = rec.fields
        if fields.unit_id is not None and s.get(Unit, fields.unit_id) is None:
            fields = SessionFields(fields.code, fields.kind, fields.held_at, None, fields.participant_roles)
        row = InterviewSession(id=rec.id, notes=rec.notes)
        _apply(row, _checked(s, fields, rec.id))
        s.add(row)
        s.flush()
        for p in rec.participants:
            s.add(Participant(id=p.id, session_id=rec.id, name=p.name, role=p.role))
        for a in rec.affirmations:
            _put_affirmation(s, a)
        uow.log("restore", "interview_session", rec.id, rec.fields.code)
        uow.commit()
        return rec.id


# --- participants: the only place names are read ----------------------------------------------------------


def session_participants(ws: Workspace, session_id: int) -> tuple[ParticipantInfo, ...]:
    """Who took part in one session. The session record is the only place that shows them."""
    with ws.uow() as uow:
        _session(uow.session, session_id)
        rows = uow.session.scalars(
            select(Participant).where(Participant.session_id == session_id).order_by(Participant.id)
        )
        return tuple(ParticipantInfo(p.id, p.session_id, p.name, p.role) for p in rows)


def _checked_person(name: str, role: str) -> tuple[str, str]:
    name, role = name.strip(), role.strip()
    if not name:
        raise KnownError("A participant needs a name.")
    if len(name) > 200 or len(role) > 100:
        raise KnownError("The name takes 200 characters at most, the role 100.")
    return name, role


def add_participant(ws: Workspace, session_id: int, name: str, role: str = "") -> int:
    name, role = _checked_person(name, role)
    with ws.uow() as uow:
        row = _session(uow.session, session_id)
        person = Participant(session_id=session_id, name=name, role=role)
        uow.session.add(person)
        uow.session.flush()
        # The change log is readable by the whole team: it records that someone was added, not who.
        uow.log("add", "participant", person.id, f"session {row.code}")
        uow.commit()
        return person.id


def update_participant(ws: Workspace, participant_id: int, name: str, role: str) -> ParticipantInfo:
    """Correct a participant's name or role; returns the previous one."""
    name, role = _checked_person(name, role)
    with ws.uow() as uow:
        person = uow.session.get(Participant, participant_id)
        if person is None:
            raise KnownError("That participant is no longer recorded.")
        before = ParticipantInfo(person.id, person.session_id, person.name, person.role)
        person.name, person.role = name, role
        uow.log("edit", "participant", participant_id, "")
        uow.commit()
        return before


def remove_participant(ws: Workspace, participant_id: int) -> ParticipantInfo:
    with ws.uow() as uow:
        person = uow.session.get(Participant, participant_id)
        if person is None:
            raise KnownError("That participant is no longer recorded.")
        before = ParticipantInfo(person.id, person.session_id, person.name, person.role)
        uow.session.delete(person)
        uow.log("delete", "participant", participant_id, "")
        uow.commit()
        return before


def restore_participant(ws: Workspace, info: ParticipantInfo) -> None:
    """Put a removed participant back (same id), or set an edited one back to `info`."""
    with ws.uow() as uow:
        _session(uow.session, info.session_id)
        person = uow.session.get(Participant, info.id)
        if person is None:
            uow.session.add(Participant(id=info.id, session_id=info.session_id, name=info.name, role=info.role))
        else:
            person.name, person.role = info.name, info.role
        uow.log("restore", "participant", info.id, "")
        uow.commit()


# --- affirmations -----------------------------------------------------------------------------------------


def list_affirmations(ws: Workspace, session_id: int) -> tuple[AffirmationInfo, ...]:
    """A session's affirmations in the order they were said, each with its practice × unit tags."""
    with ws.uow() as uow:
        rows = list(
            uow.session.scalars(
                select(Affirmation).where(Affirmation.session_id == session_id).order_by(Affirmation.position)
            )
        )
        tags: dict[int, list[LinkInfo]] = {}
        if rows:
            ids = [r.id for r in rows]
            for info in link_infos(uow.session, EvidenceLink.affirmation_id.in_(ids)):
                assert info.affirmation_id is not None
                tags.setdefault(info.affirmation_id, []).append(info)
        return tuple(
            AffirmationInfo(r.id, r.session_id, r.position, r.text, r.created_at, tuple(tags.get(r.id, ())))
            for r in rows
        )


def get_affirmation(ws: Workspace, affirmation_id: int) -> AffirmationInfo:
    with ws.uow() as uow:
        row = uow.session.get(Affirmation, affirmation_id)
        if row is None:
            raise KnownError("That affirmation is no longer recorded (it was deleted).")
        session_id = row.session_id
    return next(a for a in list_affirmations(ws, session_id) if a.id == affirmation_id)


def add_affirmation(
    ws: Workspace, session_id: int, text: str, tags: Sequence[LinkTarget] = (), *, adequacy: str = "adequate"
) -> int:
    """Record what was affirmed, tagged to practices × units in the same transaction; returns its id."""
    text = text.strip()
    if not text:
        raise KnownError("Type what was affirmed first.")
    with ws.uow() as uow:
        s = uow.session
        row = _session(s, session_id)
        last = s.scalar(select(func.max(Affirmation.position)).where(Affirmation.session_id == session_id))
        said = Affirmation(
            session_id=session_id, position=(last if last is not None else -1) + 1, text=text, created_at=datetime.now()
        )
        s.add(said)
        s.flush()
        if tags:
            scope = LinkScope(s, ws.catalog())
            create_links(s, scope, EvidenceSource.of_affirmation(said.id), tags, adequacy, "")
        uow.log("add", "affirmation", said.id, f"session {row.code}, {len(tags)} tag(s)")
        uow.commit()
        return said.id


def update_affirmation_text(ws: Workspace, affirmation_id: int, text: str, *, expected: str | None = None) -> str:
    """Correct an affirmation's text; returns the previous text. `expected`: the text as the person saw it
    (StaleEditError when someone else changed it since, app/storage/edit_guard.py)."""
    text = text.strip()
    if not text:
        raise KnownError("An affirmation cannot be empty; delete it instead.")
    with ws.uow() as uow:
        row = uow.session.get(Affirmation, affirmation_id)
        if row is None:
            raise KnownError("That affirmation is no longer recorded (it was deleted).")
        refuse_if_changed(uow.session, row, expected is not None and row.text != expected.strip())
        before, row.text = row.text, text
        uow.log("edit", "affirmation", affirmation_id, "an affirmation corrected")
        uow.commit()
        return before


def delete_affirmation(ws: Workspace, affirmation_id: int) -> AffirmationRecord:
    with ws.uow() as uow:
        row = uow.session.get(Affirmation, affirmation_id)
        if row is None:
            raise KnownError("That affirmation is no longer recorded (it was deleted).")
        rec = _affirmation_record(uow.session, row)
        uow.session.delete(row)
        uow.log("delete", "affirmation", affirmation_id, f"{len(rec.links)} tag(s)")
        uow.commit()
        return rec


def _put_affirmation(s: Session, rec: AffirmationRecord) -> None:
    s.add(
        Affirmation(
            id=rec.id, session_id=rec.session_id, position=rec.position, text=rec.text, created_at=rec.created_at
        )
    )
    s.flush()
    put_links(s, rec.links)


def restore_affirmation(ws: Workspace, rec: AffirmationRecord) -> None:
    """Put a deleted affirmation back with the same id, position and tags."""
    with ws.uow() as uow:
        _session(uow.session, rec.session_id)
        if uow.session.get(Affirmation, rec.id) is not None:
            raise KnownError("That affirmation is already recorded.")
        _put_affirmation(uow.session, rec)
        uow.log("restore", "affirmation", rec.id, "")
        uow.commit()
