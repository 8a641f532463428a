"""The full-text search index: what migration 0002 puts in an SQLite file, and how to read it back.

On SQLite the index is an FTS5 virtual table, `search_index(c0, c1, c2)`, kept current by triggers on the
tables it covers, so every writer (services, the demo builder, an upgrade) indexes text without knowing
about it. Each indexed row (an artifact, a session's notes, an affirmation, a characterization, a finding) is
one index row with up to three text columns, so every word of a query may match in a different field of the
same thing ("ciso escalation" finds an artifact with one word in its title and one in its description). The
rowid says where it came from: `source id * STRIDE + source code`, so replacing or deleting is a lookup by
rowid, never a scan.

The migration keeps its own frozen copy of these codes and columns; they must stay equal to it. The index is
not part of the ORM metadata (Alembic cannot describe virtual tables or triggers), so the schema drift
comparison skips its tables with `include_name`. PostgreSQL files have no index and search with ILIKE.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

SEARCH_TABLE = "search_index"
STRIDE = 8
INDEX_COLUMNS = ("c0", "c1", "c2")


@dataclass(frozen=True, slots=True)
class IndexedSource:
    code: int
    table: str
    kind: str
    """What a hit opens: "artifact", "session", "affirmation", "characterization", "finding"."""
    columns: tuple[tuple[str, str], ...]
    """(source column, the field's name as the user reads it), in index column order c0, c1, c2."""


SOURCES: tuple[IndexedSource, ...] = (
    IndexedSource(1, "artifact", "artifact", (("title", "title"), ("description", "description"))),
    IndexedSource(2, "interview_session", "session", (("notes", "notes"),)),
    IndexedSource(3, "affirmation", "affirmation", (("text", "affirmation"),)),
    IndexedSource(
        4,
        "characterization",
        "characterization",
        (("strengths", "strengths"), ("weaknesses", "weaknesses"), ("notes", "notes")),
    ),
    IndexedSource(5, "finding", "finding", (("text", "finding"),)),
)
_BY_CODE = {s.code: s for s in SOURCES}


def decode(rowid: int) -> tuple[IndexedSource, int] | None:
    """The source and source-row id an index row stands for (None for a code this version does not know)."""
    source = _BY_CODE.get(rowid % STRIDE)
    return (source, rowid // STRIDE) if source is not None else None


def is_search_table(name: str) -> bool:
    """The FTS5 table and the shadow tables SQLite keeps beside it (search_index_data, _idx, ...)."""
    return name == SEARCH_TABLE or name.startswith(SEARCH_TABLE + "_")


def include_name(name: str | None, type_: str, _parent_names: object) -> bool:
    """Alembic `include_name` hook: leave the search index out of autogenerate and the drift comparison."""
    return not (type_ == "table" and name is not None and is_search_table(name))


def has_search_index(connection: Connection) -> bool:
    if connection.dialect.name != "sqlite":
        return False
    found = connection.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"), {"name": SEARCH_TABLE}
    ).first()
    return found is not None
