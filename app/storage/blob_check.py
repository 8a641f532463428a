"""Checking stored attachments against the SHA-256 recorded when they were added (for `check`).

Works on a raw, read-only DB-API connection (sqlite3 or SQLCipher) so a file can be checked without opening
it for editing. Content is read in chunks through incremental blob I/O where the driver has it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator

CHUNK = 1 << 20


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _chunks(conn: sqlite3.Connection, blob_id: int) -> Iterator[bytes]:
    if hasattr(conn, "blobopen"):
        with conn.blobopen("blob", "data", blob_id, readonly=True) as blob:
            while chunk := blob.read(CHUNK):
                yield chunk
        return
    row = conn.execute("SELECT data FROM blob WHERE id = ?", (blob_id,)).fetchone()
    yield bytes(row[0] or b"") if row else b""


def damaged_attachments(conn: sqlite3.Connection) -> list[str]:
    """One line per stored document whose bytes no longer match their recorded SHA-256 (empty when all do)."""
    if not {"blob", "artifact_revision", "artifact"} <= _tables(conn):
        return []
    problems: list[str] = []
    for blob_id, expected, size in conn.execute("SELECT id, sha256, size FROM blob ORDER BY id").fetchall():
        digest = hashlib.sha256()
        length = 0
        for chunk in _chunks(conn, blob_id):
            digest.update(chunk)
            length += len(chunk)
        if digest.hexdigest() == expected and length == size:
            continue
        users = conn.execute(
            "SELECT a.title, r.revision, r.file_name FROM artifact_revision r JOIN artifact a ON a.id = r.artifact_id "
            "WHERE r.blob_id = ? ORDER BY a.title, r.revision",
            (blob_id,),
        ).fetchall()
        named = "; ".join(f"{title} (revision {rev}, {name})" for title, rev, name in users) or "an unused document"
        problems.append(
            f"{named}: the stored copy no longer matches the SHA-256 recorded when it was added, so it is damaged; "
            "add the document again from its original"
        )
    return problems
