"""Opening, creating and copying appraisal files safely.

Every refusal happens before anything writes to the file, so a refused file stays byte-identical: checks
read it through a read-only SQLite connection, and the lock is an OS lock on the file (app/storage/lock.py).

Reading never writes: `check`, `info`, `ratings` and the exports open the file read-only (`mode=ro`, or
`immutable=1` where nobody can be writing it), never take the lock, never migrate, and work on read-only
files and on files open in the window. A `-wal`/`-shm` that SQLite made for such a reader is removed
afterwards only when it is empty and no Appraisal Desk holds the file (proved by taking the lock for a
moment); one that existed before is never touched.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import closing, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from app.storage import encryption, migrate, text_guard  # noqa: F401 - text checks on every session
from app.storage.database import make_engine, read_only_url, sqlite_url
from app.storage.errors import (
    DiskFullError,
    FileReplacedError,
    KnownError,
    NotAnAppraisalError,
    ReadOnlyFileError,
    TooNewError,
)
from app.storage.file_inspection import (
    APPLICATION_ID,
    SIDECARS,
    check_every_page,
    drop_stale_log,
    inspect_file,
    passphrase_if_encrypted,
    read_uri,
    sidecars_of,
    tidy_sidecars,
)
from app.storage.locations import parse_location
from app.storage.lock import FileLock
from app.storage.output_files import OutputRefusedError, refusal

SUFFIX = ".appraisal"


class PageCheck:
    """`check_every_page` on a thread of its own (SQLite reads the pages outside Python's lock); `finish` waits
    for it and raises what it found."""

    def __init__(self, path: Path) -> None:
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(path,), name="page check", daemon=True)

    @classmethod
    def start(cls, path: Path) -> PageCheck:
        check = cls(path)
        check._thread.start()
        return check

    def _run(self, path: Path) -> None:
        try:
            check_every_page(path)
        except BaseException as exc:  # handed to the opener, raised on its thread by finish()
            self._failure = exc

    def finish(self) -> None:
        self._thread.join()
        if self._failure is not None:
            raise self._failure


@dataclass(frozen=True)
class FileIdentity:
    """Which file on disk a path named when it was opened: a rename, delete or replace changes it."""

    device: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> FileIdentity | None:
        try:
            stat = path.stat()
        except OSError:
            return None
        return cls(stat.st_dev, stat.st_ino)


def _guard_identity(engine: Engine, path: Path, identity: FileIdentity) -> None:
    """Refuse to commit to, or newly connect to, `path` once it is no longer the file that was opened.

    SQLite keeps writing to the file it opened even after it was deleted or replaced (the edits would vanish
    on close), and a new connection would silently open whatever now sits at the path: both are refused, with
    a message telling the user how to keep their work. A commit pays one stat() call for this.
    """

    def check(*_args: object) -> None:
        if FileIdentity.of(path) != identity:
            gone = "deleted or moved" if not path.exists() else "replaced by another file"
            raise FileReplacedError(
                f"{path.name} was {gone} while it was open, so Appraisal Desk stopped saving into it; "
                "the last change was not saved. Use File > Save a copy… to keep your work in a new file."
            )

    event.listen(engine, "do_connect", check)
    event.listen(engine, "commit", check)


def _file_engine(url: URL, path: Path, identity: FileIdentity | None) -> Engine:
    engine = make_engine(url)
    if identity is not None:
        _guard_identity(engine, path, identity)
    return engine


@dataclass
class OpenedStore:
    """An open appraisal database: its engine, where it lives, and (for files) the lock that guards it."""

    engine: Engine
    path: Path | None
    url: URL
    lock: FileLock | None = None
    migrated_from: str | None = None
    backup_path: Path | None = None
    identity: FileIdentity | None = None
    read_only: bool = False
    page_check: PageCheck | None = field(default=None, repr=False)
    """Every page being read beside the first reads (`open_store(pages_later=True)`)."""
    _sidecars_before: frozenset[str] = field(default=frozenset(), repr=False)
    _closed: bool = field(default=False, repr=False)

    def finish_page_check(self) -> None:
        """Wait for the page check `open_store(pages_later=True)` started; raises what it found."""
        check, self.page_check = self.page_check, None
        if check is not None:
            check.finish()

    @property
    def encrypted(self) -> bool:
        return encryption.passphrase_of(self.url) is not None

    @property
    def passphrase(self) -> str | None:
        return encryption.passphrase_of(self.url)

    def reconnect(self, url: URL) -> None:
        """Swap in a new engine for the same file (after its passphrase changed); pooled connections close."""
        assert self.path is not None
        self.engine.dispose()
        self.engine = _file_engine(url, self.path, self.identity)
        self.url = url

    @property
    def display_name(self) -> str:
        if self.path is not None:
            return self.path.name
        return self.url.render_as_string(hide_password=True)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.read_only:
            self.engine.dispose()
            if self.path is not None:
                tidy_sidecars(self.path, self._sidecars_before)
            return
        if self.path is not None:
            # Fold the WAL back so the file on disk is complete on its own (e-mailable, copyable).
            with suppress(OperationalError, KnownError), self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        self.engine.dispose()
        if self.path is not None and self.identity is not None and FileIdentity.of(self.path) != self.identity:
            drop_stale_log(self.path)
        if self.lock is not None:
            self.lock.release()


def _server_url(target: str | Path) -> URL | None:
    """The server URL `target` names, or None for a file (app/storage/locations.py refuses other schemes)."""
    location = parse_location(target)
    return make_url(location.url) if location.url is not None else None


def _file_path(target: str | Path) -> Path:
    location = parse_location(target)
    assert location.path is not None
    return location.path.expanduser().resolve()


def _check_writable(path: Path) -> None:
    if not os.access(path, os.W_OK):
        raise ReadOnlyFileError(
            f"{path.name} is read-only. Appraisal Desk saves every edit as you make it, so it needs a "
            "writable file: copy it somewhere writable, or change its permissions."
        )
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise ReadOnlyFileError(
            f"The folder holding {path.name} is read-only; Appraisal Desk needs to write its journal beside "
            "the file. Copy the file to a writable folder."
        )


def backup_copy(source: Engine, target: Path) -> None:
    """A consistent copy through SQLite's online backup API, written to a temp file and renamed into place.

    The copy of an encrypted file is encrypted with the same passphrase: a backup never leaks it in clear.
    """
    tmp = target.with_name(target.name + ".partial")
    with suppress(FileNotFoundError):
        tmp.unlink()
    passphrase = encryption.passphrase_of(source.url)
    try:
        raw = source.raw_connection()
        try:
            src = raw.driver_connection
            assert src is not None and hasattr(src, "backup")
            dst = sqlite3.connect(tmp) if passphrase is None else encryption.connect(str(tmp), passphrase)
            with closing(dst):
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            raw.close()
        os.replace(tmp, target)
    except OSError as exc:
        with suppress(OSError):
            tmp.unlink()
        raise _os_error(exc, target) from None
    except KnownError:
        with suppress(OSError):
            tmp.unlink()
        raise
    except encryption.database_errors() as exc:
        with suppress(OSError):
            tmp.unlink()
        raise KnownError(f"Could not write {target.name}: {exc}") from None


def _os_error(exc: OSError, target: Path) -> KnownError:
    import errno

    if exc.errno == errno.ENOSPC:
        return DiskFullError(f"The disk is full: {target.name} could not be written. Free some space.")
    if exc.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
        return ReadOnlyFileError(f"{target} cannot be written here (permission denied).")
    return KnownError(f"Could not write {target}: {exc.strerror or exc}")


class NeedsUpgradeError(KnownError):
    """The file is of an older schema and was opened for reading only: it is never migrated by a reader."""

    def __init__(self, message: str, revision: str | None) -> None:
        super().__init__(message)
        self.revision = revision


def _needs_upgrade(name: str, revision: str | None, head: str, where: str) -> NeedsUpgradeError:
    return NeedsUpgradeError(
        f"{name} uses an older schema ({revision}; this version writes {head}). It opens after an upgrade: open "
        f"it in the window, or run `appraisal-desk upgrade {where}` (a backup is kept). Nothing was changed.",
        revision,
    )


def open_store(
    target: str | Path, *, passphrase: str | None = None, read_only: bool = False, pages_later: bool = False
) -> OpenedStore:
    """Open an appraisal for editing: a file path (migrating it if older) or a PostgreSQL URL.

    An encrypted file needs its passphrase (given, or asked of encryption's passphrase source); a plain file
    ignores one. `read_only` opens it for reading only: no lock, no migration (NeedsUpgradeError instead), no
    write of any kind; it works on read-only files and on files open in another Appraisal Desk.

    With `pages_later` a plain file that needs no migration has every page checked on a thread of its own
    while the caller reads: the caller must call `store.finish_page_check()` (which refuses a damaged file as
    opening would have) before it shows or writes anything.
    """
    server = _server_url(target)
    if read_only and server is None:
        return _open_for_reading(_file_path(target), passphrase)
    if server is not None:
        url = server
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                revision = migrate.current_revision(conn)
        except OperationalError as exc:
            engine.dispose()
            raise KnownError(f"Cannot reach the database server: {exc.orig}") from None
        if revision is None:
            engine.dispose()
            raise NotAnAppraisalError("That database holds no appraisal yet (use 'new' to create one).")
        if revision not in migrate.known_revisions():
            engine.dispose()
            raise TooNewError(f"The database was written by a newer Appraisal Desk (schema {revision}).")
        if revision != migrate.head_revision():
            if read_only:
                engine.dispose()
                raise _needs_upgrade("The database", revision, migrate.head_revision(), "URL")
            migrate.upgrade(engine)
        upgraded = revision if revision != migrate.head_revision() else None
        return OpenedStore(engine=engine, path=None, url=url, migrated_from=upgraded, read_only=read_only)

    path = _file_path(target)
    if not path.exists():
        raise KnownError(f"{path} does not exist.")
    if path.is_file():
        _check_writable(path)
    lock = FileLock(path)
    lock.acquire()
    try:
        passphrase = passphrase_if_encrypted(path, passphrase)
        later = pages_later and passphrase is None
        inspection = inspect_file(path, passphrase, check_pages=not later)
        if later and inspection.revision != inspection.head:
            check_every_page(path, passphrase)  # never migrate a file before every page was read
            later = False
        url = sqlite_url(path) if passphrase is None else encryption.url_for(path, passphrase)
        identity = FileIdentity.of(path)
        engine = _file_engine(url, path, identity)
        store = OpenedStore(engine=engine, path=path, url=url, lock=lock, identity=identity)
        if inspection.revision != inspection.head:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            backup = path.with_name(f"{path.stem}.before-{inspection.head}-{stamp}{path.suffix}.bak")
            backup_copy(engine, backup)
            try:
                migrate.upgrade(engine)
            except Exception:
                engine.dispose()
                raise
            store.migrated_from = inspection.revision
            store.backup_path = backup
        if later:
            store.page_check = PageCheck.start(path)
        return store
    except BaseException:
        lock.release()
        raise


def _open_for_reading(path: Path, passphrase: str | None) -> OpenedStore:
    if not path.exists():
        raise KnownError(f"{path} does not exist.")
    before = sidecars_of(path)
    passphrase = passphrase_if_encrypted(path, passphrase) if path.is_file() else None
    inspection = inspect_file(path, passphrase)
    if inspection.revision != inspection.head:
        raise _needs_upgrade(path.name, inspection.revision, inspection.head, str(path))
    immutable = "immutable=1" in read_uri(path)
    url = read_only_url(path, passphrase, immutable=immutable)
    engine = make_engine(url, read_only=True)
    return OpenedStore(
        engine=engine, path=path, url=url, identity=FileIdentity.of(path), read_only=True, _sidecars_before=before
    )


def create_store(target: str | Path, *, passphrase: str | None = None) -> OpenedStore:
    """Create an empty appraisal database at head (the caller fills it in one transaction).

    With a passphrase the file is encrypted (SQLCipher) from its first byte.
    """
    server = _server_url(target)
    if server is not None:
        url = server
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                existing = migrate.current_revision(conn)
        except OperationalError as exc:
            engine.dispose()
            raise KnownError(f"Cannot reach the database server: {exc.orig}") from None
        if existing is not None:
            engine.dispose()
            raise KnownError("That database already holds an appraisal.")
        migrate.upgrade(engine)
        return OpenedStore(engine=engine, path=None, url=url)

    path = _file_path(target)
    if path.exists() or path.is_symlink():
        raise KnownError(f"{path.name} already exists; choose another name or delete it first.")
    if not path.parent.is_dir():
        raise KnownError(f"The folder {path.parent} does not exist.")
    if not os.access(path.parent, os.W_OK):
        raise ReadOnlyFileError(f"Cannot create {path.name}: the folder {path.parent} is read-only.")
    if passphrase is not None and not passphrase:
        raise KnownError("An encrypted appraisal needs a passphrase that is not empty.")
    lock = FileLock(path)
    lock.acquire(create=True)  # makes the empty file, or fails if another process just did
    try:
        url = sqlite_url(path) if passphrase is None else encryption.url_for(path, passphrase)
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        migrate.upgrade(engine)
        identity = FileIdentity.of(path)
        if identity is not None:
            _guard_identity(engine, path, identity)
        return OpenedStore(engine=engine, path=path, url=url, lock=lock, identity=identity)
    except OSError as exc:
        _forget_new_file(path, lock)
        raise _os_error(exc, path) from None
    except BaseException:
        _forget_new_file(path, lock)
        raise


def _forget_new_file(path: Path, lock: FileLock) -> None:
    """Remove the file `create_store` began (still ours: the lock is held until it is gone)."""
    for suffix in (*SIDECARS, ""):
        with suppress(OSError):
            Path(str(path) + suffix).unlink()
    lock.release()


def discard_new_file(store: OpenedStore) -> None:
    """Remove a file that `create_store` made when filling it in failed: no half-made appraisal is left."""
    store.close()
    if store.path is not None:
        for suffix in ("", *SIDECARS):
            with suppress(FileNotFoundError):
                Path(str(store.path) + suffix).unlink()


def save_as(store: OpenedStore, target: Path) -> None:
    """Write a consistent copy of the open appraisal to `target` (the open file stays the working file)."""
    target = target.expanduser().resolve()
    if store.path is not None and target == store.path:
        raise KnownError("That is the file already open; every edit is already saved in it.")
    reason = refusal(target, [store.path] if store.path is not None else [])
    if reason is not None:
        raise OutputRefusedError(reason)
    if not store.engine.dialect.name == "sqlite":
        raise KnownError("Save As copies a file; a server database is backed up by its administrator.")
    backup_copy(store.engine, target)
