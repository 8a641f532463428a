"""Engines for an appraisal: an SQLite file on the laptop, or a PostgreSQL database for a team."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, ExceptionContext, make_url

from app.storage.errors import (
    CorruptFileError,
    DiskFullError,
    FileLockedError,
    KnownError,
    PackageScopeError,
    PermissionRefusedError,
    ReadOnlyFileError,
    ServerUnreachableError,
    WrongPassphraseError,
)

BUSY_TIMEOUT_MS = 5000
PAGE_CACHE_KIB = 65_536
"""Each connection's page cache, at most (it fills only as pages are read). SQLite's default of 2 MB holds a small
file's cells and evidence links whole, not those of a large one (40 MB at size L): there every full rating and grid
read fetched the same pages from the operating system again (a tenth to a fifth of reading them at L)."""


def sqlite_url(path: Path) -> URL:
    return URL.create("sqlite+pysqlite", database=str(path))


def read_only_url(path: Path, passphrase: str | None, *, immutable: bool) -> URL:
    """A URL that opens `path` for reading only (`mode=ro`, or `immutable=1` where nobody can be writing)."""
    query = {"uri": "true", **({"immutable": "1"} if immutable else {"mode": "ro"})}
    if passphrase is None:
        return URL.create("sqlite+pysqlite", database=path.resolve().as_uri(), query=query)
    from app.storage import encryption

    return encryption.url_for(path, passphrase).set(database=path.resolve().as_uri(), query=query)


def make_engine(url: URL | str, *, read_only: bool = False) -> Engine:
    """An engine with the connection settings this app relies on.

    SQLite: foreign keys on, WAL so readers never block the writer, and synchronous=FULL because an
    appraiser's laptop can lose power: every acknowledged edit must be on disk, not only in the WAL.
    A read-only engine changes no setting of the file and refuses any write (query_only).
    """
    url = make_url(url)
    if url.get_backend_name() != "sqlite":
        # A server that does not answer is reported within seconds, not after the system's TCP timeout.
        connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": 5}
        engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
        event.listen(engine, "handle_error", _on_server_error)
        return engine
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # pysqlite opens transactions lazily and never for PRAGMAs; let SQLAlchemy control BEGIN.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        if url.get_driver_name() == "pysqlcipher":
            # A wrong passphrase is reported to the user; SQLCipher's own log lines on stderr would only confuse.
            cursor.execute("PRAGMA cipher_log_level = NONE")
        cursor.execute("PRAGMA foreign_keys=ON")
        if read_only:
            cursor.execute("PRAGMA query_only=ON")
        else:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        name = Path((url.database or "the appraisal file").removeprefix("file:")).name
        known = known_error(context.original_exception, name, encrypted=url.get_driver_name() == "pysqlcipher")
        if known is not None:
            raise known from context.original_exception

    return engine


# SQLite's primary result codes (the low byte of an extended code).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26
_READONLY_DBMOVED = _READONLY | (4 << 8)
_CONSTRAINT_TRIGGER = 19 | (7 << 8)
PACKAGE_REFUSAL = "Mini-team package"
"""How every refusal of a package's guard triggers begins (app/storage/package_guard.py)."""


def known_error(exc: BaseException, name: str, *, encrypted: bool = False) -> KnownError | None:
    """The plain-words error for an SQLite failure the user can act on (None for a bug or a constraint).

    Every one of these aborts the statement, and the unit of work then rolls the whole edit back: the file
    holds the edit completely or not at all.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return None
    primary = code & 0xFF
    if code == _CONSTRAINT_TRIGGER and str(exc).startswith(PACKAGE_REFUSAL):
        return PackageScopeError(f"{exc}. Nothing was changed.")
    not_saved = "The last change was not saved (nothing of it is in the file)"
    if primary == _FULL:
        return DiskFullError(
            f"The disk is full: {name} cannot grow. {not_saved}. Free some space on the disk, then try again."
        )
    if code == _READONLY_DBMOVED:
        return ReadOnlyFileError(
            f"{name} was moved or deleted while it was open. {not_saved}. Use File > Save a copy… to keep your work."
        )
    if primary == _READONLY:
        return ReadOnlyFileError(
            f"{name} cannot be written any more (the file or its disk became read-only). {not_saved}. "
            "Use File > Save a copy… to keep your work somewhere writable."
        )
    if primary in (_BUSY, _LOCKED):
        return FileLockedError(
            f"{name} is busy: another program is writing to it. {not_saved}. Close that program, then try again."
        )
    if primary == _IOERR:
        return KnownError(
            f"The disk holding {name} reported an error while reading or writing ({exc}). {not_saved}. "
            "Check the disk or network drive, then use File > Save a copy… to keep your work."
        )
    if primary == _NOTADB and encrypted:
        return WrongPassphraseError(f"The passphrase does not unlock {name} (or the file is damaged).")
    if primary in (_CORRUPT, _NOTADB):
        return CorruptFileError(
            f"{name} is damaged ({exc}). {not_saved}. Open the most recent backup instead (File > Backups…)."
        )
    if primary == _CANTOPEN:
        return KnownError(f"{name} cannot be opened any more (was it moved or deleted?). {not_saved}.")
    return None


LOGIN_REFUSED = (
    "password authentication failed",
    "certificate",
    "pg_hba.conf rejects",
    "no password supplied",
    "is not permitted to log in",
)
"""Signs that the server answered and refused the login itself (not an unreachable server)."""


def _on_server_error(context: ExceptionContext) -> None:
    known = server_refusal(context.original_exception)
    if known is not None:
        raise known from context.original_exception


def server_refusal(exc: BaseException) -> KnownError | None:
    """The plain sentence for a write the team server refused by its permissions (SQLSTATE 42501), or for a
    server that cannot be reached (connection refused, lost, login no longer allowed); None otherwise."""
    sqlstate = getattr(exc, "sqlstate", None)
    if type(exc).__name__ == "OperationalError" and (sqlstate is None or sqlstate.startswith(("08", "28", "57P"))):
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if any(sign in first for sign in LOGIN_REFUSED):
            return ServerUnreachableError(
                f"The database server refused the login ({first.split('FATAL:')[-1].strip()}). Check the account "
                "name, its password or its client certificate (sslcert=, sslkey= in the address), or ask the lead "
                "whether the account may log in (docs/team-server.md). Nothing was changed."
            )
        return ServerUnreachableError(
            f"Cannot reach the database server ({first}). Nothing was changed; try again once it answers."
        )
    if sqlstate != "42501":
        return None
    message = str(exc)
    if "row-level security" in message:
        return PermissionRefusedError(
            "The server refused this change: your account may change only the process areas of your mini-team "
            "(and only draft findings there). Nothing was changed."
        )
    return PermissionRefusedError(
        "The server refused this change: your account may not make it (an observer only reads; a team member "
        "changes characterizations, evidence, affirmations and draft findings). Nothing was changed."
    )


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
