"""Writing an export file safely: through a temporary file beside the target, renamed into place at the end.

A reader (or Excel holding the old file open) sees the old file or the new one, never half of one, and a
failed export leaves no stray temporary file behind.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from app.storage.errors import DiskFullError, KnownError


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Call `write(temp_path)`, then replace `target` with what it wrote. OS errors become plain KnownErrors."""
    target = target.expanduser()
    folder = target.parent
    if not folder.is_dir():
        raise KnownError(f"The folder {folder} does not exist; choose another place to save {target.name}.")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _plain(exc, target) from None
    os.close(fd)
    temp = Path(name)
    try:
        write(temp)
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise _plain(exc, target) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _plain(exc: OSError, target: Path) -> KnownError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(f"The disk is full: {target.name} was not written. Free some space and try again.")
    if isinstance(exc, PermissionError):
        return KnownError(
            f"Cannot write {target}: permission denied. If the file is open in another program (Excel), close it "
            "and try again, or choose another place."
        )
    return KnownError(f"Cannot write {target}: {exc.strerror or exc}.")
