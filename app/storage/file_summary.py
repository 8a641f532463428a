"""What `appraisal-desk info` shows of a plain appraisal file, read with sqlite3 alone.

A one-line question (what is in this file) should answer at once: this reads the few rows it needs on a
read-only connection, without SQLAlchemy, its ORM or the schema classes (most of the command's start-up
time). It answers only for a plain file at this version's schema; anything else (a server URL, an
encrypted file, an older schema) is None, and the caller takes the ordinary way, which says what to do.
Every refusal of a file that is no appraisal, or a damaged one, is `inspect_file`'s, the same as on opening.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.storage.file_inspection import inspect_file, is_encrypted, reading
from app.storage.locations import parse_location

APPRAISAL_COLUMNS = (
    "name",
    "sponsor",
    "lead_appraiser",
    "method",
    "scale",
    "phase",
    "start_date",
    "end_date",
    "org_unit_name",
    "target_maturity_level",
)
"""The `appraisal` row's columns the summary holds, in `FileSummary.appraisal` under these names."""

_COUNTS = {
    "artifacts": "SELECT count(*) FROM artifact",
    "interview_sessions": "SELECT count(*) FROM interview_session",
    "affirmations": "SELECT count(*) FROM affirmation",
    "evidence_links": "SELECT count(*) FROM evidence_link",
    "characterizations": "SELECT count(*) FROM characterization WHERE value IS NOT NULL",
    "findings": "SELECT count(*) FROM finding",
}


ScopeRow = tuple[str, str, str, int | None, bool]
"""A process area in scope: model key, acronym, name, target capability level, excluded."""


@dataclass(frozen=True)
class FileSummary:
    location: str
    revision: str
    appraisal: dict[str, object]
    """The appraisal row, by the names in APPRAISAL_COLUMNS (dates as stored: ISO text, or None)."""
    scope: tuple[ScopeRow, ...]
    units_by_kind: dict[str, int]
    counts: dict[str, int]


def read_summary(target: str | Path) -> FileSummary | None:
    """The summary of the plain appraisal file at `target`, or None where the ordinary opening must answer."""
    location = parse_location(target)
    if location.path is None:
        return None
    path = location.path.expanduser().resolve()
    if not path.is_file() or is_encrypted(path):
        return None
    inspection = inspect_file(path)
    if inspection.revision != inspection.head or inspection.revision is None:
        return None
    with reading(path) as conn:
        return _read(conn, path.name, inspection.revision)


def _read(conn: sqlite3.Connection, location: str, revision: str) -> FileSummary | None:
    rows = conn.execute(f"SELECT {', '.join(APPRAISAL_COLUMNS)} FROM appraisal").fetchall()
    if len(rows) != 1:
        return None  # the ordinary way says what is wrong with it
    scope = tuple(
        (model, pa, name, level, bool(excluded))
        for model, pa, name, level, excluded in conn.execute(
            "SELECT m.key, pa.acronym, pa.name, s.target_capability_level, s.excluded FROM scope_item s "
            "JOIN catalog_process_area pa ON pa.id = s.process_area_id "
            "JOIN catalog_model m ON m.id = pa.model_id ORDER BY s.position"
        )
    )
    units = dict(conn.execute("SELECT kind, count(*) FROM unit GROUP BY kind").fetchall())
    counts = {name: int(conn.execute(sql).fetchone()[0]) for name, sql in _COUNTS.items()}
    return FileSummary(location, revision, dict(zip(APPRAISAL_COLUMNS, rows[0], strict=True)), scope, units, counts)
