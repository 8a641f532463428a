"""Undoable edits of interview sessions, participants and affirmations, as commands for Document.execute.

Adds happen first (the id is needed at once, e.g. to select the new session); their commands then undo by
deleting and redo by restoring the recorded rows, so ids stay the same across undo and redo.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from app.services import interviews as iv
from app.services.interviews import ParticipantInfo, SessionFields
from app.ui.shell.commands import ServiceCommand
from app.ui.shell.document import Change, Document
from app.ui.shell.undo import added_command, deleted_command

KINDS = (Change.INTERVIEWS,)
TAG_KINDS = (Change.INTERVIEWS, Change.EVIDENCE)


def added_session(document: Document, session_id: int, code: str) -> ServiceCommand:
    ws = document.workspace
    return added_command(
        document,
        f"Add session {code}",
        [session_id],
        partial(iv.delete_session, ws),
        partial(iv.restore_session, ws),
        *KINDS,
    )


def edit_session(document: Document, session_id: int, before: SessionFields, after: SessionFields) -> ServiceCommand:
    ws = document.workspace
    return ServiceCommand(
        document,
        f"Edit session {after.code or before.code}",
        lambda: iv.update_session(ws, session_id, after, expected=before),
        lambda: iv.update_session(ws, session_id, before, expected=after),
        *KINDS,
    )


def delete_session(document: Document, session_id: int, code: str) -> ServiceCommand:
    ws = document.workspace
    return deleted_command(
        document,
        f"Delete session {code}",
        [session_id],
        partial(iv.delete_session, ws),
        partial(iv.restore_session, ws),
        *TAG_KINDS,
    )


def added_participant(document: Document, participant_id: int) -> ServiceCommand:
    ws = document.workspace
    return added_command(
        document,
        "Add participant",
        [participant_id],
        partial(iv.remove_participant, ws),
        partial(iv.restore_participant, ws),
        *KINDS,
    )


def edit_participant(document: Document, before: ParticipantInfo, name: str, role: str) -> ServiceCommand:
    ws = document.workspace
    return ServiceCommand(
        document,
        "Edit participant",
        lambda: iv.update_participant(ws, before.id, name, role),
        lambda: iv.restore_participant(ws, before),
        *KINDS,
    )


def remove_participants(document: Document, ids: Sequence[int]) -> ServiceCommand:
    ws = document.workspace
    return deleted_command(
        document,
        f"Remove {len(ids)} participant(s)",
        ids,
        partial(iv.remove_participant, ws),
        partial(iv.restore_participant, ws),
        *KINDS,
    )


def added_affirmation(document: Document, affirmation_id: int) -> ServiceCommand:
    ws = document.workspace
    return added_command(
        document,
        "Add affirmation",
        [affirmation_id],
        partial(iv.delete_affirmation, ws),
        partial(iv.restore_affirmation, ws),
        *TAG_KINDS,
    )


def edit_affirmation(document: Document, affirmation_id: int, before: str, after: str) -> ServiceCommand:
    ws = document.workspace
    return ServiceCommand(
        document,
        "Edit affirmation",
        lambda: iv.update_affirmation_text(ws, affirmation_id, after, expected=before),
        lambda: iv.update_affirmation_text(ws, affirmation_id, before, expected=after.strip()),
        *KINDS,
    )


def delete_affirmation(document: Document, affirmation_id: int) -> ServiceCommand:
    ws = document.workspace
    return deleted_command(
        document,
        "Delete affirmation",
        [affirmation_id],
        partial(iv.delete_affirmation, ws),
        partial(iv.restore_affirmation, ws),
        *TAG_KINDS,
    )
