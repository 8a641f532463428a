"""full-text search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 10:00:00

SQLite: an FTS5 table `search_index(c0, c1, c2)` with one row per artifact (title, description), session
(notes), affirmation (text), characterization (strengths, weaknesses, notes) and finding (text), filled from
the rows already in the file and kept current by triggers. A row's rowid is `source id * 8 + source code`
(the codes are frozen here and mirrored in app/storage/search_index.py). Participant names are deliberately
not indexed.

PostgreSQL (and an SQLite built without FTS5): nothing; search falls back to ILIKE there.

Note for later revisions: a batch ALTER of one of the indexed tables rebuilds the table on SQLite and drops its
triggers; such a revision must create that table's search triggers again.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

STRIDE = 8
# table -> (source code, indexed columns in index column order c0, c1, c2): frozen, never renumber.
INDEXED: dict[str, tuple[int, tuple[str, ...]]] = {
    "artifact": (1, ("title", "description")),
    "interview_session": (2, ("notes",)),
    "affirmation": (3, ("text",)),
    "characterization": (4, ("strengths", "weaknesses", "notes")),
    "finding": (5, ("text",)),
}


def _has_fts5() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    return bool(bind.exec_driver_sql("SELECT sqlite_compileoption_used('ENABLE_FTS5')").scalar())


def _insert(row: str, code: int, columns: tuple[str, ...], source: str = "") -> str:
    """INSERT ... SELECT of one source row (or all rows of `source`), skipping rows with no text at all."""
    targets = ", ".join(f"c{i}" for i in range(len(columns)))
    values = ", ".join(f"{row}.{c}" for c in columns)
    not_empty = " OR ".join(f"{row}.{c} <> ''" for c in columns)
    return (
        f"INSERT INTO search_index(rowid, {targets}) SELECT {row}.id * {STRIDE} + {code}, {values} "
        f"{source}WHERE {not_empty}"
    )


def upgrade() -> None:
    if not _has_fts5():
        return
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5(c0, c1, c2, tokenize = 'unicode61 remove_diacritics 2')"
    )
    for table, (code, columns) in INDEXED.items():
        insert = _insert("new", code, columns)
        delete = f"DELETE FROM search_index WHERE rowid = old.id * {STRIDE} + {code};"
        watched = ", ".join(columns)
        op.execute(f"CREATE TRIGGER search_{table}_insert AFTER INSERT ON {table} BEGIN {insert}; END")
        op.execute(
            f"CREATE TRIGGER search_{table}_update AFTER UPDATE OF {watched} ON {table} "
            f"BEGIN {delete} {insert}; END"
        )
        op.execute(f"CREATE TRIGGER search_{table}_delete AFTER DELETE ON {table} BEGIN {delete} END")
        op.execute(_insert(table, code, columns, source=f"FROM {table} "))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for table in INDEXED:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{event}")
    op.execute("DROP TABLE IF EXISTS search_index")
