"""Full-text search across the appraisal's own words: artifact titles and descriptions, session notes,
affirmations, characterization strengths, weaknesses and notes, and findings.

SQLite files use the FTS5 index that migration 0002 keeps current with triggers (ranked, prefix matching, with
snippets). Elsewhere (PostgreSQL, or an SQLite without FTS5) the same call falls back to ILIKE over the same
columns. Participant names are in neither: they are never searchable.

Snippets mark matched words with MARK_START / MARK_END so the UI can highlight them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, or_, select, text
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.services.workspace import Workspace
from app.storage.schema import (
    Affirmation,
    Artifact,
    CatalogModel,
    CatalogPractice,
    CatalogProcessArea,
    Characterization,
    Finding,
    InterviewSession,
    Unit,
)
from app.storage.search_index import (
    INDEX_COLUMNS,
    SEARCH_TABLE,
    SOURCES,
    IndexedSource,
    decode,
    has_search_index,
)

MARK_START = "\x02"
MARK_END = "\x03"
_CONTEXT = 60


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: str
    """What opens it: "artifact", "session", "affirmation", "characterization" or "finding"."""
    id: int
    """The id of that row (an artifact id, a session id, ...)."""
    field: str
    title: str
    snippet: str
    """Text around the match; matched words sit between MARK_START and MARK_END."""
    where: str
    """Where it lives, as the user reads it: "Evidence", "Interviews › S3", "CMMI-SVC IRP SP1.1 · Claims"."""

    @property
    def plain_snippet(self) -> str:
        return self.snippet.replace(MARK_START, "").replace(MARK_END, "")


def _words(query: str) -> list[str]:
    return [w for w in query.split() if re.search(r"\w", w)]


def _fts_query(words: list[str]) -> str:
    # Each word is a quoted phrase (so "SP1.1" or "can't" are taken literally) matched as a prefix.
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


# The ILIKE fallback reads the same columns the index holds, by source code and in index column order.
COLUMNS: dict[int, tuple[InstrumentedAttribute[int], tuple[InstrumentedAttribute[str], ...]]] = {
    1: (Artifact.id, (Artifact.title, Artifact.description)),
    2: (InterviewSession.id, (InterviewSession.notes,)),
    3: (Affirmation.id, (Affirmation.text,)),
    4: (Characterization.id, (Characterization.strengths, Characterization.weaknesses, Characterization.notes)),
    5: (Finding.id, (Finding.text,)),
}
Found = tuple[IndexedSource, int, str, str]
"""(source, source row id, field label, snippet)."""


def search(ws: Workspace, query: str, *, limit: int = 50) -> tuple[SearchHit, ...]:
    """Things holding every word of `query` (as word prefixes, any case, in any of their fields), best first."""
    words = _words(query)
    if not words:
        return ()
    with ws.uow() as uow:
        session = uow.session
        use_index = has_search_index(session.connection())
        found = _fts(session, words, limit) if use_index else _ilike(session, words, limit)
        return tuple(_describe(session, found))


def _best_field(source: IndexedSource, marked: list[str]) -> tuple[str, str]:
    """The field with the most matched words, and a snippet of it."""
    counts = [m.count(MARK_START) for m in marked[: len(source.columns)]]
    best = max(range(len(counts)), key=lambda i: counts[i])
    return source.columns[best][1], _window(marked[best])


def _window(marked: str) -> str:
    """A stretch of text around the first matched word, on one line, matches still marked."""
    flat = " ".join(marked.split())
    first = max(flat.find(MARK_START), 0)
    start = max(0, first - _CONTEXT)
    end = min(len(flat), first + 2 * _CONTEXT)
    if flat.count(MARK_START, start, end) > flat.count(MARK_END, start, end):
        end = flat.find(MARK_END, end) + 1  # never cut a marked word in two
    if start:
        start = flat.find(" ", start, first) + 1 if " " in flat[start:first] else start
    if end < len(flat) and " " in flat[first:end]:
        end = flat.rfind(" ", first, end)
    return ("…" if start else "") + flat[start:end].strip() + ("…" if end < len(flat) else "")


def _fts(session: Session, words: list[str], limit: int) -> list[Found]:
    marks = ", ".join(f"highlight({SEARCH_TABLE}, {i}, :start, :end)" for i in range(len(INDEX_COLUMNS)))
    rows = session.execute(
        text(f"SELECT rowid, {marks} FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :query ORDER BY rank LIMIT :limit"),
        {"start": MARK_START, "end": MARK_END, "query": _fts_query(words), "limit": limit},
    )
    found: list[Found] = []
    for rowid, *marked in rows:
        decoded = decode(rowid) if isinstance(rowid, int) else None
        if decoded is not None:
            source, row_id = decoded
            field, snippet = _best_field(source, [str(m or "") for m in marked])
            found.append((source, row_id, field, snippet))
    return found


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _ilike(session: Session, words: list[str], limit: int) -> list[Found]:
    # Every word must be in some field of the row, as with the index (not necessarily all in one field).
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    pattern = re.compile(f"(?:{alternatives})\\w*", re.IGNORECASE)
    found: list[Found] = []
    for source in SOURCES:
        key, columns = COLUMNS[source.code]
        matches = and_(*(or_(*(c.ilike(f"%{_escape_like(w)}%", escape="\\") for c in columns)) for w in words))
        for row_id, *values in session.execute(select(key, *columns).where(matches).order_by(key).limit(limit)):
            marked = [pattern.sub(lambda m: MARK_START + m.group(0) + MARK_END, str(v)) for v in values]
            field, snippet = _best_field(source, marked)
            found.append((source, int(row_id), field, snippet))
    return found[:limit]


def _first_line(value: str, width: int = 80) -> str:
    line = value.strip().splitlines()[0] if value.strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def _ids(found: Iterable[Found], kind: str) -> list[int]:
    return [row_id for source, row_id, _field, _snippet in found if source.kind == kind]


class _Names:
    """What the user reads for each hit, looked up once for all hits of a search."""

    def __init__(self, session: Session, found: list[Found]) -> None:
        self.artifacts = dict(
            session.execute(select(Artifact.id, Artifact.title).where(Artifact.id.in_(_ids(found, "artifact")))).all()
        )
        self.sessions = dict(session.execute(select(InterviewSession.id, InterviewSession.code)).all())
        self.said = {
            a.id: a for a in session.scalars(select(Affirmation).where(Affirmation.id.in_(_ids(found, "affirmation"))))
        }
        self.cells = {
            row[0]: f"{row[1]} {row[2]} {row[3]} · {row[4]}"
            for row in session.execute(
                select(
                    Characterization.id, CatalogModel.key, CatalogProcessArea.acronym, CatalogPractice.code, Unit.name
                )
                .join(CatalogProcessArea, CatalogProcessArea.id == Characterization.process_area_id)
                .join(CatalogModel, CatalogModel.id == CatalogProcessArea.model_id)
                .join(CatalogPractice, CatalogPractice.id == Characterization.practice_id)
                .join(Unit, Unit.id == Characterization.unit_id)
                .where(Characterization.id.in_(_ids(found, "characterization")))
            )
        }
        self.findings = {
            f.id: f for f in session.scalars(select(Finding).where(Finding.id.in_(_ids(found, "finding"))))
        }
        self.areas = dict(
            session.execute(
                select(CatalogProcessArea.id, CatalogModel.key + " " + CatalogProcessArea.acronym).join(
                    CatalogModel, CatalogModel.id == CatalogProcessArea.model_id
                )
            ).all()
        )

    def hit(self, source: IndexedSource, row_id: int, field: str, snippet: str) -> SearchHit | None:
        """The hit, or None when its row is gone (the index and the rows are one transaction apart at most)."""
        kind = source.kind
        if kind == "artifact" and row_id in self.artifacts:
            return SearchHit(kind, row_id, field, self.artifacts[row_id], snippet, "Evidence")
        if kind == "session" and row_id in self.sessions:
            code = self.sessions[row_id]
            return SearchHit(kind, row_id, field, f"Session {code} notes", snippet, f"Interviews › {code}")
        if kind == "affirmation" and row_id in self.said:
            a = self.said[row_id]
            where = f"Interviews › {self.sessions.get(a.session_id, '?')}, affirmation {a.position + 1}"
            return SearchHit(kind, row_id, field, _first_line(a.text), snippet, where)
        if kind == "characterization" and row_id in self.cells:
            return SearchHit(kind, row_id, field, self.cells[row_id], snippet, f"Characterization › {field}")
        if kind == "finding" and row_id in self.findings:
            f = self.findings[row_id]
            area = self.areas.get(f.process_area_id, "") if f.process_area_id else ""
            title = f"{f.kind.capitalize()}: {_first_line(f.text)}"
            return SearchHit(kind, row_id, field, title, snippet, "Findings" + (f" › {area}" if area else ""))
        return None


def _describe(session: Session, found: list[Found]) -> list[SearchHit]:
    """Turn index hits into hits the user can read and open, dropping any whose row is gone."""
    names = _Names(session, found)
    hits = (names.hit(*entry) for entry in found)
    return [hit for hit in hits if hit is not None]
