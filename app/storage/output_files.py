"""The one safe way to write an output file (workbook, PDF, plan, model, template, document copy, any new export).

API (use it for every file Appraisal Desk writes that is not the appraisal itself):

    write_atomically(target, write)             # target: a Path, or an OutputTarget with the policy below
    output_target(path, overwrite=..., inputs=(...))   # check first (the window asks before writing)

`write(temp_path)` writes the whole file to a temporary name beside the target; the helper then fsyncs it,
renames it into place and fsyncs the folder, so a reader (or a power cut) sees the old file or the new one,
never half of one, and a failed write leaves neither a half file nor a stray temporary one. It refuses, with a
KnownError naming the file and before anything is written:

- a target that is an appraisal file (recognised by its content, not its extension: an SQLite database or an
  encrypted one) or one of its sidecars (`-wal`, `-shm`, `-journal`, `.lock`): `OutputRefusedError`;
- a target that is one of the `inputs` (the appraisal or file being read, compared by device and inode, so a
  link or another spelling of the path is the same file): `OutputRefusedError`;
- a target that already exists, unless `overwrite=True` (the CLI's `--force`; the window asks first):
  `OutputExistsError`. Without `overwrite` the file is published with a hard link, which fails if a file
  appeared meanwhile, so a racing writer is never overwritten either.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from app.storage.errors import DiskFullError, KnownError

SQLITE_MAGIC = b"SQLite format 3\x00"
APPRAISAL_SIDECARS = ("-wal", "-shm", "-journal", ".lock")


class OutputRefusedError(KnownError):
    """Writing there would destroy an appraisal or the file being read: never allowed, not even with --force."""


class OutputExistsError(KnownError):
    """The target exists and replacing it was not confirmed (--force, or the window's question)."""


@dataclass(frozen=True)
class OutputTarget:
    """Where to write and on what terms; a plain Path means: a new file, no inputs to protect."""

    path: Path
    overwrite: bool = False
    inputs: tuple[Path, ...] = ()

    @property
    def name(self) -> str:
        return self.path.name


def is_appraisal_content(path: Path) -> bool:
    """Whether `path` holds an SQLite database or what looks like an encrypted one (a possible appraisal)."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError:
        return False
    if header == SQLITE_MAGIC:
        return True
    from app.storage.encryption import looks_encrypted  # only when there is a file to judge

    return looks_encrypted(path)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def refusal(path: Path, inputs: Iterable[Path] = ()) -> str | None:
    """Why nothing may ever be written at `path` (whatever the user confirms), or None."""
    for source in inputs:
        if _same_file(path, source):
            return f"{path} is the file being read; write the output to another file."
    if path.is_dir():
        return f"{path} is a folder; give a file name."
    if path.exists() and is_appraisal_content(path):
        return (
            f"{path.name} is an appraisal file (or another database); an output never replaces one. "
            "Choose another name."
        )
    for suffix in APPRAISAL_SIDECARS:
        if path.name.endswith(suffix) and len(path.name) > len(suffix):
            base = path.with_name(path.name[: -len(suffix)])
            if base.exists() and is_appraisal_content(base):
                return f"{path.name} belongs to the appraisal {base.name} (its {suffix} file); choose another name."
    return None


def output_target(path: Path | str, *, overwrite: bool = False, inputs: Iterable[Path | None] = ()) -> OutputTarget:
    """Check `path` as an output and return it with its policy; raises OutputRefusedError or OutputExistsError."""
    target = OutputTarget(Path(path).expanduser(), overwrite, tuple(Path(p) for p in inputs if p is not None))
    _check(target)
    return target


def _check(target: OutputTarget) -> Path:
    path = target.path
    reason = refusal(path, target.inputs)
    if reason is not None:
        raise OutputRefusedError(reason)
    if not target.overwrite and (path.exists() or path.is_symlink()):
        raise OutputExistsError(
            f"{path} already exists; nothing was written. Choose another name, or replace it "
            "(--force on the command line)."
        )
    if not path.parent.is_dir():
        raise KnownError(f"The folder {path.parent} does not exist; choose another place to save {path.name}.")
    return path


def write_atomically(target: Path | OutputTarget, write: Callable[[Path], object]) -> None:
    """Call `write(temp_path)`, then publish what it wrote at the target (see the module's docstring)."""
    spec = target if isinstance(target, OutputTarget) else OutputTarget(Path(target))
    spec = OutputTarget(spec.path.expanduser(), spec.overwrite, spec.inputs)
    path = _check(spec)
    if path.is_symlink():
        path = path.resolve()  # replace what the link points to, and keep the link
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _plain(exc, path) from None
    os.close(fd)
    temp = Path(name)
    try:
        write(temp)
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(temp, _mode_for(path))
        _publish(temp, spec, path)
        _sync_folder(path.parent)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise _plain(exc, path) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _publish(temp: Path, spec: OutputTarget, path: Path) -> None:
    if not spec.overwrite:
        try:
            os.link(temp, path)
        except FileExistsError:
            raise OutputExistsError(
                f"{path} appeared while it was being written; nothing was replaced. Choose another name."
            ) from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                raise
            # A file system without hard links (FAT, some shares): check once more, then rename.
            if path.exists():
                raise OutputExistsError(f"{path} appeared while it was being written; nothing was replaced.") from None
            os.replace(temp, path)
            return
        temp.unlink()
        return
    # Another program may have put an appraisal there since the check: look again right before replacing.
    reason = refusal(path, spec.inputs)
    if reason is not None:
        raise OutputRefusedError(reason)
    os.replace(temp, path)


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); where a folder cannot be opened (Windows) the OS does it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _plain(exc: OSError, target: Path) -> KnownError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(f"The disk is full: {target.name} was not written. Free some space and try again.")
    if exc.errno == errno.EFBIG:
        return DiskFullError(f"{target.name} is larger than this disk or account allows; it was not written.")
    if isinstance(exc, PermissionError):
        return KnownError(
            f"Cannot write {target}: permission denied. If the file is open in another program (Excel), close it "
            "and try again, or choose another place."
        )
    return KnownError(f"Cannot write {target}: {exc.strerror or exc}.")
