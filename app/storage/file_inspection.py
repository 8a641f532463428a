"""Looking at an appraisal file without changing it: is it one this version opens, is it encrypted, is it
sound, and a read-only connection that never leaves a sidecar behind.

Every refusal happens here, before anything writes to the file, so a refused file stays byte-identical.
Reading takes SQLite's shared read locks (`mode=ro`), or none at all (`immutable=1`) where nobody can be
writing; a `-wal`/`-shm` a reader made is removed afterwards only when it is empty and no Appraisal Desk
holds the file (proved by taking the lock for a moment); one that existed before is never touched.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from app.storage import encryption, migrate
from app.storage.blob_check import damaged_attachments
from app.storage.errors import CorruptFileError, KnownError, NotAnAppraisalError, TooNewError, WrongPassphraseError
from app.storage.lock import unused

# 'APPD' in the SQLite header marks a file as an appraisal even before its tables are read.
APPLICATION_ID = 0x41505044
SQLITE_MAGIC = b"SQLite format 3\x00"
SIDECARS = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class FileInspection:
    revision: str | None
    head: str


def writable_here(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def read_uri(path: Path) -> str:
    """The SQLite URI for reading `path` without writing it.

    `mode=ro` takes SQLite's shared-memory read locks, so it reads consistently while the window edits the
    file. `immutable=1` (no locks at all) only where no process can be writing: no WAL beside the file and
    neither the file nor its folder writable.
    """
    mode = "mode=ro" if Path(str(path) + "-wal").exists() or writable_here(path) else "immutable=1"
    return f"{path.resolve().as_uri()}?{mode}"


def sidecars_of(path: Path) -> frozenset[str]:
    return frozenset(suffix for suffix in SIDECARS if Path(str(path) + suffix).exists())


def tidy_sidecars(path: Path, before: frozenset[str]) -> None:
    """Remove the empty `-wal` and the `-shm` a reader made, if no Appraisal Desk holds the file now."""
    made = [suffix for suffix in ("-wal", "-shm") if suffix not in before and Path(str(path) + suffix).exists()]
    if not made:
        return
    wal = Path(str(path) + "-wal")
    with unused(path) as free:
        if not free:
            return  # someone opened it meanwhile: the sidecars are theirs now
        with suppress(OSError):
            if wal.exists() and wal.stat().st_size:
                return  # written by someone else: leave it for SQLite to recover on the next open
            for suffix in made:
                Path(str(path) + suffix).unlink(missing_ok=True)


def drop_stale_log(path: Path) -> None:
    """The file was replaced while open: the `-wal`/`-shm` at its path are the old file's (SQLite could not fold
    them into it), and must not be replayed into the file now there, unless another Appraisal Desk uses them."""
    with unused(path) as free:
        if free:
            for suffix in ("-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)


def _ro_connection(path: Path, passphrase: str | None = None) -> sqlite3.Connection:
    uri = read_uri(path)
    if passphrase is not None:
        return encryption.connect(uri, passphrase, uri=True)
    return sqlite3.connect(uri, uri=True)


@contextmanager
def reading(path: Path, passphrase: str | None = None) -> Iterator[sqlite3.Connection]:
    """A read-only connection to an appraisal file, open elsewhere or not, that never deletes what others use."""
    before = sidecars_of(path)
    try:
        with closing(_ro_connection(path, passphrase)) as conn:
            yield conn
    finally:
        tidy_sidecars(path, before)


def _first_page_readable(conn: sqlite3.Connection) -> bool:
    """Whether the schema page decrypts: if so the passphrase is right and a failure elsewhere is damage."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except encryption.database_errors():
        return False
    return True


def is_encrypted(path: Path) -> bool:
    """Whether `path` looks like an encrypted appraisal (only its passphrase can prove it)."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError:
        return False
    return header != SQLITE_MAGIC and encryption.looks_encrypted(path)


def passphrase_if_encrypted(path: Path, passphrase: str | None) -> str | None:
    """None for a plain file; for an encrypted one the passphrase given, or one asked for (or a refusal)."""
    return encryption.passphrase_for(path, passphrase) if is_encrypted(path) else None


def inspect_file(path: Path, passphrase: str | None = None, *, check_pages: bool = True) -> FileInspection:
    """Check that `path` is an appraisal file this version can open, without changing it.

    Raises a KnownError subclass with a message for the user when it is not (PassphraseNeededError for an
    encrypted file opened without a passphrase, WrongPassphraseError when the passphrase does not unlock it).
    Without `check_pages` every page is not read (`PRAGMA quick_check`): the caller runs `check_every_page`
    before it trusts the file (the window does it while it reads the first page's data).
    """
    if not path.exists():
        raise KnownError(f"{path} does not exist.")
    if not path.is_file():
        raise NotAnAppraisalError(f"{path} is a folder, not an appraisal file.")
    with open(path, "rb") as handle:
        header = handle.read(len(SQLITE_MAGIC))
    if header != SQLITE_MAGIC and not encryption.looks_encrypted(path):
        raise NotAnAppraisalError(f"{path.name} is not an appraisal file (it is not an SQLite database).")
    passphrase = passphrase_if_encrypted(path, passphrase)
    if check_pages:
        check_every_page(path, passphrase)
    with reading(path, passphrase) as conn:
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if app_id != APPLICATION_ID or "alembic_version" not in tables or "appraisal" not in tables:
                raise NotAnAppraisalError(
                    f"{path.name} is an SQLite database, but not an appraisal file made by Appraisal Desk."
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except encryption.database_errors():
            if check_pages:
                raise
            check_every_page(path, passphrase)  # says what is wrong, as when every page is read first
            raise
    revision = row[0] if row else None
    head = migrate.head_revision()
    if revision not in migrate.known_revisions():
        raise TooNewError(
            f"{path.name} was written by a newer version of Appraisal Desk (schema {revision}; "
            f"this version knows up to {head}). Update Appraisal Desk to open it; the file was not changed."
        )
    return FileInspection(revision=revision, head=head)


def check_every_page(path: Path, passphrase: str | None = None) -> None:
    """Read every page of the file (`PRAGMA quick_check`): a damaged file (or a wrong passphrase) is refused
    with a message for the user. SQLite does this outside Python's lock, so it can run beside other work."""
    with reading(path, passphrase) as conn:
        try:
            check = conn.execute("PRAGMA quick_check").fetchall()
        except encryption.database_errors() as exc:
            if passphrase is not None and not _first_page_readable(conn):
                raise WrongPassphraseError(
                    f"The passphrase does not unlock {path.name}. Check it and try again "
                    "(if it is right, the file is damaged: open its most recent backup)."
                ) from None
            raise CorruptFileError(
                f"{path.name} is damaged and cannot be opened ({exc}). "
                "Open the most recent backup instead (File > Backups…)."
            ) from None
        if check != [("ok",)]:
            problems = "; ".join(row[0] for row in check[:3])
            raise CorruptFileError(
                f"{path.name} is damaged and cannot be opened (integrity check: {problems}). "
                "Open the most recent backup instead (File > Backups…)."
            )


def integrity_problems(target: Path, passphrase: str | None = None) -> tuple[FileInspection, list[str]]:
    """Where the file's schema stands, and the problems found in it (empty when it is sound).

    Besides SQLite's own checks: every page's HMAC of an encrypted file, and every stored attachment's bytes
    against the SHA-256 recorded when it was added.
    """
    problems: list[str] = []
    passphrase = passphrase_if_encrypted(target, passphrase)
    inspection = inspect_file(target, passphrase)
    with reading(target, passphrase) as conn:
        check = conn.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            problems.extend(f"integrity: {row[0]}" for row in check[:20])
        if passphrase is not None:
            problems.extend(f"encryption: {row[0]}" for row in conn.execute("PRAGMA cipher_integrity_check"))
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchall()[:50]:
            problems.append(f"foreign key: {table} row {rowid} points to a missing {parent} row")
        problems.extend(f"attachment: {line}" for line in damaged_attachments(conn))
    return inspection, problems
