"""Rolling backups of an open appraisal, taken with SQLite's online backup API while the appraiser works.

Backups live in a folder beside the file (`NAME.appraisal-backups/`), one complete appraisal file each, named by
the time it was taken and why ("on open", "while editing", "on close"); at most `keep` of them, the oldest
pruned first. A backup of an encrypted file is encrypted with the passphrase the file had at the time.

A backup is never copied over a working file: restoring writes it to a new file the user chose, which then
opens like any other appraisal.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from contextlib import closing, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from app.storage import encryption
from app.storage.appraisal_file import SUFFIX, OpenedStore, _os_error, backup_copy
from app.storage.errors import KnownError, PassphraseNeededError, WrongPassphraseError
from app.storage.file_inspection import inspect_file, is_encrypted, reading

DEFAULT_KEEP = 10
_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"^(?P<stamp>\d{8}-\d{6})(?P<extra>-\d+)?(?P<label>-[a-z-]+)?\.appraisal$")
# What a backup's summary counts, as (label, SQL); tables missing from an old schema count as 0.
_COUNTS = (
    ("characterizations", "SELECT count(*) FROM characterization WHERE value IS NOT NULL"),
    ("artifacts", "SELECT count(*) FROM artifact"),
    ("interview sessions", "SELECT count(*) FROM interview_session"),
    ("findings", "SELECT count(*) FROM finding"),
)


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime
    size: int
    label: str

    @property
    def display(self) -> str:
        extra = f" ({self.label})" if self.label else ""
        return f"{self.taken_at:%Y-%m-%d %H:%M:%S}{extra} — {max(1, self.size // 1024)} KB"


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds, read without opening it for editing. `problem` says why it could not be read."""

    name: str = ""
    schema: str | None = None
    last_edit: datetime | None = None
    edits: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    problem: str | None = None
    locked: bool = False


def backup_dir(path: Path) -> Path:
    return path.with_name(path.name + "-backups")


def list_backups(path: Path) -> list[Backup]:
    """The backups of the appraisal at `path`, newest first."""
    folder = backup_dir(path)
    found: list[tuple[datetime, int, Backup]] = []
    if not folder.is_dir():
        return []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match is None or not entry.is_file():
            continue
        taken_at = datetime.strptime(match["stamp"], _STAMP)
        # Two backups in one second are told apart by the counter in the later one's name.
        sequence = int((match["extra"] or "-0")[1:])
        label = (match["label"] or "").lstrip("-").replace("-", " ")
        with suppress(OSError):
            found.append((taken_at, sequence, Backup(entry, taken_at, entry.stat().st_size, label)))
    return [backup for *_key, backup in sorted(found, key=lambda item: item[:2], reverse=True)]


def _target(folder: Path, label: str) -> Path:
    stamp = datetime.now().strftime(_STAMP)
    suffix = "-" + re.sub(r"[^a-z]+", "-", label.lower()).strip("-") if label else ""
    # Backups within one second get increasing counters (whatever their labels), so the newest sorts first.
    taken = [_NAME.match(p.name) for p in folder.glob(f"{stamp}*{SUFFIX}")]
    sequences = [int((m["extra"] or "-0")[1:]) for m in taken if m is not None and m["stamp"] == stamp]
    n = max(sequences) + 1 if sequences else 0
    return folder / (f"{stamp}{suffix}{SUFFIX}" if n == 0 else f"{stamp}-{n}{suffix}{SUFFIX}")


def _edit_mark(conn: object) -> tuple[int, int] | None:
    """How far the change log goes (every edit logs itself): equal marks mean the same edits."""
    try:
        row = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM change_log").fetchone()  # type: ignore[attr-defined]
    except encryption.database_errors():
        return None
    return (int(row[0]), int(row[1]))


def _store_mark(engine: Engine) -> tuple[int, int] | None:
    raw = engine.raw_connection()
    try:
        return _edit_mark(raw.driver_connection)
    finally:
        raw.close()


def _backup_mark(backup: Backup, passphrase: str | None) -> tuple[int, int] | None:
    try:
        with reading(backup.path, passphrase) as conn:
            return _edit_mark(conn)
    except (KnownError, OSError):
        return None
    except encryption.database_errors():
        return None


def _prune(path: Path, keep: int) -> None:
    for old in list_backups(path)[max(keep, 1) :]:
        with suppress(OSError):
            old.path.unlink()


def _folder_for(path: Path) -> Path:
    folder = backup_dir(path)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise KnownError(f"Cannot create the backup folder {folder}: {exc.strerror or exc}") from None
    return folder


def take_backup(
    store: OpenedStore, *, keep: int = DEFAULT_KEEP, label: str = "", skip_unchanged: bool = True
) -> Backup:
    """Write a consistent copy of the open file into its backup folder and prune the oldest beyond `keep`.

    With `skip_unchanged`, no copy is made when the newest backup already holds every edit the file holds
    (opening a file ten times must not push its older backups out): that backup is returned instead.
    """
    if store.path is None:
        raise KnownError("Backups are for appraisal files; a server database is backed up by its administrator.")
    if skip_unchanged:
        newest = next(iter(list_backups(store.path)), None)
        if newest is not None:
            mark = _store_mark(store.engine)
            if mark is not None and mark == _backup_mark(newest, store.passphrase):
                return newest
    target = _target(_folder_for(store.path), label)
    backup_copy(store.engine, target)
    _prune(store.path, keep)
    return next(b for b in list_backups(store.path) if b.path == target)


def take_backup_of_file(
    path: Path, *, passphrase: str | None = None, keep: int = DEFAULT_KEEP, label: str = ""
) -> Backup | None:
    """Back up a closed appraisal file (e.g. right after the window closed it) the same way; None when the newest
    backup already holds every edit. Reads through a read-only connection, so it never changes the file."""
    if not is_encrypted(path):
        passphrase = None
    newest = next(iter(list_backups(path)), None)
    target = _target(_folder_for(path), label)
    tmp = target.with_name(target.name + ".partial")
    try:
        with reading(path, passphrase) as src:
            if newest is not None and _edit_mark(src) == _backup_mark(newest, passphrase):
                return None
            dst = sqlite3.connect(tmp) if passphrase is None else encryption.connect(str(tmp), passphrase)
            with closing(dst):
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
        os.replace(tmp, target)
    except OSError as exc:
        raise _os_error(exc, target) from None
    except encryption.database_errors() as exc:
        raise KnownError(f"Could not back up {path.name}: {exc}") from None
    finally:
        with suppress(OSError):
            tmp.unlink()
    _prune(path, keep)
    return next(b for b in list_backups(path) if b.path == target)


def summarize(backup: Path, passphrase: str | None = None) -> BackupSummary:
    """What a backup holds (name, counts, last edit), or why it cannot be read; never raises for a bad file."""
    if is_encrypted(backup):
        if passphrase is None:
            return BackupSummary(problem="encrypted: needs its passphrase", locked=True)
    else:
        passphrase = None
    try:
        inspection = inspect_file(backup, passphrase)
        with reading(backup, passphrase) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            name_row = conn.execute("SELECT name FROM appraisal").fetchone()
            counts = {
                label: int(conn.execute(sql).fetchone()[0])
                for label, sql in _COUNTS
                if sql.split(" FROM ")[1].split()[0] in tables
            }
            last = conn.execute("SELECT max(at), count(*) FROM change_log").fetchone()
    except (PassphraseNeededError, WrongPassphraseError):
        return BackupSummary(problem="encrypted with another passphrase", locked=True)
    except KnownError as exc:
        return BackupSummary(problem=str(exc))
    except OSError as exc:
        return BackupSummary(problem=f"cannot be read: {exc.strerror or exc}")
    except encryption.database_errors() as exc:
        return BackupSummary(problem=f"cannot be read: {exc}")
    last_edit = datetime.fromisoformat(str(last[0])) if last and last[0] else None
    return BackupSummary(
        name=str(name_row[0]) if name_row else "",
        schema=inspection.revision,
        last_edit=last_edit,
        edits=int(last[1]) if last else 0,
        counts=counts,
    )


def restore_backup(backup: Path, target: Path, *, passphrase: str | None = None) -> Path:
    """Copy `backup` to the new file `target` (never over an existing file) after checking it is sound.

    The copy keeps the backup's passphrase, if it has one. Returns the new file's path.
    """
    target = target.expanduser().resolve()
    if target.exists():
        raise KnownError(f"{target.name} already exists; restore into a new file so nothing is overwritten.")
    if not target.parent.is_dir():
        raise KnownError(f"The folder {target.parent} does not exist.")
    inspect_file(backup, passphrase)
    tmp = target.with_name(target.name + ".partial")
    try:
        shutil.copyfile(backup, tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        _place_new(tmp, target)
    except FileExistsError:
        raise KnownError(f"{target.name} already exists; restore into a new file so nothing is overwritten.") from None
    except OSError as exc:
        raise _os_error(exc, target) from None
    finally:
        with suppress(OSError):
            tmp.unlink()
    return target


def _place_new(tmp: Path, target: Path) -> None:
    """Move `tmp` to `target` unless a file appeared there meanwhile (a hard link refuses to replace one)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:
        # Some file systems (FAT on USB sticks, some network shares) have no hard links: check, then rename.
        if target.exists():
            raise FileExistsError(target) from None
        os.replace(tmp, target)
