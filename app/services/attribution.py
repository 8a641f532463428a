"""The appraisal's names for non-attribution (method-rules §9): the one matcher, the lead's review marks and
extra identifiers, and the scrubbing of exported text.

- `read_names(session)` gives the appraisal's `AppraisalNames`: the one matcher over participants' names, roles
  held by one participant, the lead's extra identifiers and (unless the plan allows unit-specific findings) units,
  with the review marks. `AppraisalNames.scrub` masks names in any exported text.
- Review marks and extra identifiers are edits with undo pairs (`review_span`/`remove_review`+`restore_review`,
  `add_identifier`/`remove_identifier`).

The sponsor-release gate built on it is `app.services.release_gate`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.name_matcher import IdentifierKind, NameMatch, NameMatcher, words
from app.services.workspace import Workspace
from app.storage import schema as db
from app.storage.errors import KnownError

EXCERPT_CONTEXT = 30
MAX_IDENTIFIER = 200


def finding_location(finding_id: int) -> str:
    """How review marks name a finding's text."""
    return f"finding:{finding_id}"


def text_digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def excerpt(text: str, start: int, end: int) -> str:
    """The text around a span, on one line, with ellipses where it was cut."""
    left = max(0, start - EXCERPT_CONTEXT)
    right = min(len(text), end + EXCERPT_CONTEXT)
    body = " ".join(text[left:right].split())
    return f"{'…' if left > 0 else ''}{body}{'…' if right < len(text) else ''}"


@dataclass(frozen=True, slots=True)
class ReviewMark:
    id: int
    location: str
    start: int
    end: int
    term: str
    text_digest: str
    reviewed_by: str
    reviewed_at: datetime


@dataclass(frozen=True, slots=True)
class Flag:
    """One place a text names someone (or a unit), and whether the lead reviewed it as not an attribution."""

    match: NameMatch
    excerpt: str
    review: ReviewMark | None

    @property
    def reviewed(self) -> bool:
        return self.review is not None

    @property
    def description(self) -> str:
        kind = self.match.kind
        if kind is IdentifierKind.ROLE:
            return f"may identify the one participant with the role “{self.match.term}”"
        if kind is IdentifierKind.UNIT:
            return f"names a unit, “{self.match.term}”"
        if kind is IdentifierKind.EXTRA:
            return f"contains the identifier “{self.match.term}”"
        return f"names a participant ({self.match.form}), “{self.match.term}”"


def _keep_units(match: NameMatch) -> bool:
    return match.kind is IdentifierKind.UNIT


def _term_key(term: str) -> str:
    return " ".join(words(term))


class AppraisalNames:
    """The appraisal's identifiers compiled once, with the lead's review marks."""

    def __init__(self, matcher: NameMatcher, marks: Iterable[ReviewMark] = ()) -> None:
        self.matcher = matcher
        self._scrubbed: dict[str, str] = {}
        self._marks: dict[str, list[ReviewMark]] = {}
        for mark in marks:
            self._marks.setdefault(mark.location, []).append(mark)

    def _review(self, location: str | None, match: NameMatch, digest: str | None) -> ReviewMark | None:
        if location is None or digest is None:
            return None
        for mark in self._marks.get(location, ()):
            if (
                mark.text_digest == digest
                and (mark.start, mark.end) == match.span
                and mark.term == _term_key(match.term)
            ):
                return mark
        return None

    def flags(self, location: str | None, text: str) -> list[Flag]:
        """Every match in `text`, each with the review mark that covers it (if the text is the one reviewed)."""
        digest = text_digest(text) if location is not None and location in self._marks else None
        return [
            Flag(m, excerpt(text, m.start, m.end), self._review(location, m, digest)) for m in self.matcher.find(text)
        ]

    def open_flags(self, location: str | None, text: str) -> list[Flag]:
        return [f for f in self.flags(location, text) if not f.reviewed]

    def scrub(self, text: str | None, location: str | None = None) -> str:
        """`text` as an export shows it: participants' names, roles held by one person and extra identifiers
        replaced by placeholders; units stay (the team edition is per unit; the sponsor gate handles findings),
        and so do spans the lead reviewed as not an attribution."""
        if not text:
            return ""
        if location is None or location not in self._marks:
            # No review can apply, so the answer depends on the text alone: an export scrubs the same artifact
            # titles and session names over and over (some 120,000 texts at size L, few of them distinct).
            known = self._scrubbed.get(text)
            if known is None:
                known = self._scrubbed[text] = self.matcher.mask(text, _keep_units)
            return known
        digest = text_digest(text)

        def keep(match: NameMatch) -> bool:
            return match.kind is IdentifierKind.UNIT or self._review(location, match, digest) is not None

        return self.matcher.mask(text, keep)

    def unreviewed_text(self, location: str, text: str) -> str:
        """`text` with the reviewed spans blanked out, for checks that only know plain text (the ratings)."""
        reviewed = [f.match.span for f in self.flags(location, text) if f.reviewed]
        for start, end in reversed(reviewed):
            text = text[:start] + " " * (end - start) + text[end:]
        return text

    def scrub_segments(self, text: str) -> list[tuple[str, str]]:
        """`text` cut into (as exported, as stored) pieces, for putting names back on import."""
        return self.matcher.segments(text, _keep_units)


def participants(session: Session) -> list[tuple[str, str]]:
    """(name, role) of every participant row."""
    return [(name, role or "") for name, role in session.execute(select(db.Participant.name, db.Participant.role))]


def extra_identifiers(session: Session) -> list[str]:
    return list(session.scalars(select(db.ExtraIdentifier.text).order_by(db.ExtraIdentifier.id)))


def read_names(session: Session) -> AppraisalNames:
    people = participants(session)
    allowed = bool(session.scalars(select(db.Appraisal.unit_specific_findings)).first())
    matcher = NameMatcher.for_appraisal(
        sorted({name for name, _role in people}),
        roles=people,
        extra=extra_identifiers(session),
        units=list(session.scalars(select(db.Unit.name))),
        unit_specific_findings_allowed=allowed,
    )
    marks = [
        ReviewMark(r.id, r.location, r.start, r.end, r.term, r.text_digest, r.reviewed_by, r.reviewed_at)
        for r in session.scalars(select(db.AttributionReview))
    ]
    return AppraisalNames(matcher, marks)


def appraisal_names(ws: Workspace) -> AppraisalNames:
    with ws.uow() as uow:
        return read_names(uow.session)


# --- review marks -----------------------------------------------------------------------------------------


def review_span(ws: Workspace, finding_id: int, start: int, end: int) -> int:
    """Mark the flagged span [start, end) of a finding as "reviewed: not an attribution"; returns the mark id."""
    with ws.uow() as uow:
        row = uow.session.get(db.Finding, finding_id)
        if row is None:
            raise KnownError("That finding is no longer in the appraisal (it was deleted).")
        location = finding_location(finding_id)
        names = read_names(uow.session)
        flag = next((f for f in names.flags(location, row.text) if f.match.span == (start, end)), None)
        if flag is None:
            raise KnownError("That text no longer names anyone there (it was edited); look at the finding again.")
        if flag.review is not None:
            return flag.review.id
        mark = db.AttributionReview(
            location=location,
            start=start,
            end=end,
            term=_term_key(flag.match.term),
            text_digest=text_digest(row.text),
            reviewed_by=ws.who,
            reviewed_at=datetime.now(),
        )
        uow.session.add(mark)
        uow.session.flush()
        # The log never holds the name itself.
        uow.log("review", "finding", finding_id, f"{flag.match.kind.value} at {start}-{end}: not an attribution")
        uow.commit()
        return mark.id


def remove_review(ws: Workspace, mark_id: int) -> ReviewMark | None:
    """Take a review mark back (undo); returns it so `restore_review` can put it back."""
    with ws.uow() as uow:
        row = uow.session.get(db.AttributionReview, mark_id)
        if row is None:
            return None
        mark = ReviewMark(
            row.id, row.location, row.start, row.end, row.term, row.text_digest, row.reviewed_by, row.reviewed_at
        )
        uow.session.delete(row)
        uow.log("unreview", "finding", None, f"review mark #{mark_id} removed")
        uow.commit()
        return mark


def restore_review(ws: Workspace, mark: ReviewMark) -> None:
    with ws.uow() as uow:
        if uow.session.get(db.AttributionReview, mark.id) is None:
            uow.session.add(
                db.AttributionReview(
                    id=mark.id,
                    location=mark.location,
                    start=mark.start,
                    end=mark.end,
                    term=mark.term,
                    text_digest=mark.text_digest,
                    reviewed_by=mark.reviewed_by,
                    reviewed_at=mark.reviewed_at,
                )
            )
            uow.log("review", "finding", None, f"review mark #{mark.id} restored")
            uow.commit()


# --- extra identifiers ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IdentifierInfo:
    id: int
    text: str
    note: str


def list_identifiers(ws: Workspace) -> tuple[IdentifierInfo, ...]:
    with ws.uow() as uow:
        rows = uow.session.scalars(select(db.ExtraIdentifier).order_by(db.ExtraIdentifier.id))
        return tuple(IdentifierInfo(r.id, r.text, r.note) for r in rows)


def add_identifier(ws: Workspace, text: str, note: str = "", *, identifier_id: int | None = None) -> int:
    """Add a nickname, e-mail handle or team name to match like a participant's name; returns its id."""
    clean = " ".join(text.split())
    if not words(clean):
        raise KnownError("Write the identifier first: a nickname, an e-mail handle or a team name.")
    if len(clean) > MAX_IDENTIFIER:
        raise KnownError(f"An identifier is at most {MAX_IDENTIFIER} characters; this one has {len(clean)}.")
    with ws.uow() as uow:
        known = {_term_key(t) for t in extra_identifiers(uow.session)}
        if _term_key(clean) in known:
            raise KnownError(f"“{clean}” is already in the list of identifiers.")
        row = db.ExtraIdentifier(id=identifier_id, text=clean, note=" ".join(note.split())[:MAX_IDENTIFIER])
        uow.session.add(row)
        uow.session.flush()
        uow.log("add", "identifier", row.id, "extra identifier added")
        uow.commit()
        return row.id


def remove_identifier(ws: Workspace, identifier_id: int) -> IdentifierInfo:
    with ws.uow() as uow:
        row = uow.session.get(db.ExtraIdentifier, identifier_id)
        if row is None:
            raise KnownError("That identifier is no longer in the list.")
        info = IdentifierInfo(row.id, row.text, row.note)
        uow.session.delete(row)
        uow.log("delete", "identifier", identifier_id, "extra identifier removed")
        uow.commit()
        return info
