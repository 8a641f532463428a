"""The file mechanics of a mini-team package: a working copy to prune, then a fresh compact file.

The working copy is made with SQLite's backup API (so it is consistent while the lead keeps editing) in a
private temporary folder; after pruning, the package is written anew with VACUUM INTO (or SQLCipher's export
for an encrypted package or lead), so no byte of what was pruned (other process areas, participants' names)
survives in free pages. Reading a package for a merge goes through a read-only connection: the package file
is never changed by merging it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import StaticPool

from app.storage import encryption
from app.storage.appraisal_file import backup_copy
from app.storage.database import make_engine, sqlite_url
from app.storage.errors import KnownError
from app.storage.file_inspection import APPLICATION_ID, inspect_file, is_encrypted, reading


def working_copy(source: Engine, folder: Path) -> tuple[Engine, Path]:
    """A consistent copy of the open appraisal in `folder` (encrypted as the source is) and an engine on it."""
    path = folder / "package-work.appraisal"
    backup_copy(source, path)
    passphrase = encryption.passphrase_of(source.url)
    url = sqlite_url(path) if passphrase is None else encryption.url_for(path, passphrase)
    return make_engine(url), path


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def write_compact(work: Path, work_passphrase: str | None, target: Path, passphrase: str | None) -> None:
    """Write `work` anew into the empty file `target`, encrypted with `passphrase` when given."""
    if work_passphrase is None and passphrase is None:
        with closing(sqlite3.connect(work)) as conn:
            conn.execute("VACUUM INTO ?", (str(target),))
        with closing(sqlite3.connect(target)) as out:
            out.execute("PRAGMA journal_mode=DELETE")
        return
    module = encryption.require()
    conn = module.connect(str(work))
    try:
        if work_passphrase is not None:
            conn.execute(f"PRAGMA key = {_literal(work_passphrase)}")
        conn.execute(f"ATTACH DATABASE ? AS package KEY {_literal(passphrase or '')}", (str(target),))
        conn.execute("SELECT sqlcipher_export('package')")
        conn.execute(f"PRAGMA package.application_id = {APPLICATION_ID}")
        conn.execute("DETACH DATABASE package")
    finally:
        conn.close()


@contextmanager
def read_package(path: Path, passphrase: str | None = None) -> Iterator[Engine]:
    """A read-only engine on a package file (checked first: a damaged or foreign file is refused plainly)."""
    try:
        inspection = inspect_file(path, passphrase)
    except KnownError as exc:
        raise KnownError(f"The package cannot be read: {exc}") from None
    if inspection.revision != inspection.head:
        raise KnownError(
            f"{path.name} was written by another version of Appraisal Desk (schema {inspection.revision}); open it "
            "once in this version, then merge it."
        )
    secret = encryption.passphrase_for(path, passphrase) if is_encrypted(path) else None
    with reading(path, secret) as conn:
        engine = create_engine("sqlite://", creator=lambda: conn, poolclass=StaticPool)
        try:
            yield engine
        finally:
            engine.dispose()
