"""What the interview services hand out: frozen DTOs. Session DTOs never carry participant names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.services.link_scope import LinkInfo, LinkRecord

SESSION_KINDS = ("interview", "demonstration", "presentation", "written")


@dataclass(frozen=True, slots=True)
class SessionFields:
    """What the session record edits (notes are saved apart, as they are typed)."""

    code: str
    kind: str = "interview"
    held_at: datetime | None = None
    unit_id: int | None = None
    participant_roles: str = ""


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """A session as lists show it: never the participants' names."""

    id: int
    code: str
    kind: str
    held_at: datetime | None
    unit_id: int | None
    unit: str
    participant_roles: str
    notes: str
    participant_count: int
    affirmation_count: int

    @property
    def fields(self) -> SessionFields:
        return SessionFields(self.code, self.kind, self.held_at, self.unit_id, self.participant_roles)


@dataclass(frozen=True, slots=True)
class ParticipantInfo:
    id: int
    session_id: int
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class AffirmationInfo:
    id: int
    session_id: int
    position: int
    text: str
    created_at: datetime
    tags: tuple[LinkInfo, ...]


@dataclass(frozen=True, slots=True)
class AffirmationRecord:
    id: int
    session_id: int
    position: int
    text: str
    created_at: datetime
    links: tuple[LinkRecord, ...]


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A deleted session with its participants, affirmations and their links (ids included), for undo."""

    id: int
    fields: SessionFields
    notes: str
    participants: tuple[ParticipantInfo, ...]
    affirmations: tuple[AffirmationRecord, ...]
