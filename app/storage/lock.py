"""One writer per appraisal file: an OS lock on the database file itself.

The lock is `flock` (POSIX) or `LockFileEx` (Windows) on an open handle of the appraisal file, so:
- it names the file, not the path: a hard link, a symbolic link or another spelling of the path meets the
  same lock (the same device and inode);
- it dies with the process that held it (a crash or SIGKILL never leaves a stale lock);
- it cannot be split: no lock file is created or deleted to take it, so no waiter can hold a lock on an old
  file while a newcomer takes one on a new file (the bug of deleting `FILE.lock` on release);
- `flock` locks are independent of the POSIX byte-range locks SQLite itself takes on the same file, and belong
  to our own handle, so SQLite closing its descriptors never releases ours.

`FILE.lock` beside the file only says who holds the lock (for the "already open" message); it is written
after the lock is taken and removed before it is released, and the lock never depends on it.
A file that does not exist yet is created empty by `acquire(create=True)`, atomically (it fails if another
process created it first); SQLite accepts an empty file as a new database.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from app.storage.errors import FileLockedError, KnownError


def lock_path_for(path: Path) -> Path:
    """The sidecar saying who holds the lock (informative only)."""
    return path.with_name(path.name + ".lock")


class FileLock:
    def __init__(self, path: Path) -> None:
        self.target = path
        self.path = lock_path_for(path)
        self._fd: int | None = None

    def acquire(self, *, create: bool = False) -> None:
        """Take the lock, or raise FileLockedError saying who holds it. With `create`, make the file (new only)."""
        try:
            if create:
                fd = os.open(self.target, os.O_RDWR | os.O_CREAT | os.O_EXCL | _BINARY, 0o666)
            else:
                fd = os.open(self.target, os.O_RDONLY | _BINARY)
        except FileExistsError:
            raise KnownError(f"{self.target.name} already exists; choose another name or delete it first.") from None
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise FileLockedError(
                f"{self.target.name} is already open in another Appraisal Desk ({self._holder()}). "
                "Close it there first, or open a copy."
            ) from None
        self._fd = fd
        with suppress(OSError):
            self.path.write_text(f"pid {os.getpid()} on {socket.gethostname()}", encoding="utf-8")

    def _holder(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8").strip() or "another process"
        except (OSError, UnicodeDecodeError):
            return "another process"

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        # The note goes while the lock is still held: the next holder writes its own after taking the lock.
        with suppress(OSError):
            self.path.unlink()
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None


_BINARY = getattr(os, "O_BINARY", 0)

if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds only
    import msvcrt

    # Far past any page of the database (SQLite's own locks sit at 1 GiB): Windows locks are mandatory, so the
    # locked byte must be one nobody reads.
    _WIN_LOCK_OFFSET = 1 << 40

    def _lock(fd: int) -> None:
        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def unused(path: Path) -> Iterator[bool]:
    """Whether no Appraisal Desk has `path` open (True while the lock is held here, for a moment's tidying).

    Every process opening the file for editing takes the lock before it connects, so under it no such
    process can be using the file's `-wal` or `-shm`.
    """
    try:
        fd = os.open(path, os.O_RDONLY | _BINARY)
    except OSError:
        yield False
        return
    try:
        try:
            _lock(fd)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            _unlock(fd)
    finally:
        os.close(fd)
