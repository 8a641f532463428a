"""Use cases for encrypted appraisals: is a file encrypted, is a new passphrase acceptable, change it."""

from __future__ import annotations

from pathlib import Path

from app.services.workspace import Workspace
from app.storage import encryption
from app.storage.errors import KnownError, WrongPassphraseError
from app.storage.file_inspection import inspect_file, is_encrypted
from app.storage.uow import UnitOfWorkFactory

MIN_LENGTH = 8

__all__ = [
    "MIN_LENGTH",
    "available",
    "change_passphrase",
    "check_change",
    "check_new_passphrase",
    "check_passphrase",
    "file_is_encrypted",
]


def available() -> bool:
    """Whether this installation can create and open encrypted files (SQLCipher is installed)."""
    return encryption.available()


def file_is_encrypted(path: Path) -> bool:
    return is_encrypted(Path(path).expanduser())


def check_new_passphrase(passphrase: str, repeated: str | None = None) -> None:
    """Refuse a passphrase that is too short, or that was not typed the same twice. There is no way back in
    without it, so the rules are said plainly."""
    if len(passphrase) < MIN_LENGTH:
        raise KnownError(f"A passphrase needs at least {MIN_LENGTH} characters; a short phrase of words is best.")
    if passphrase.strip() != passphrase:
        raise KnownError("A passphrase may not start or end with a space (it is too easy to mistype).")
    if repeated is not None and repeated != passphrase:
        raise KnownError("The two passphrases differ; type the same passphrase twice.")


def check_passphrase(path: Path, passphrase: str) -> None:
    """Refuse (WrongPassphraseError) a passphrase that does not unlock the file; reads it without changing it."""
    inspect_file(Path(path).expanduser(), passphrase)


def check_change(ws: Workspace, current: str, new: str, repeated: str | None = None) -> None:
    """What `change_passphrase` would refuse, checked without changing anything (for a dialog's inline message)."""
    if ws.store.passphrase is None:
        raise KnownError("This appraisal is not encrypted, so it has no passphrase to change.")
    if current != ws.store.passphrase:
        raise WrongPassphraseError("That is not the current passphrase of this file.")
    if new == current:
        raise KnownError("The new passphrase is the same as the current one.")
    check_new_passphrase(new, repeated)


def change_passphrase(ws: Workspace, current: str, new: str, repeated: str | None = None) -> None:
    """Re-encrypt the open appraisal under a new passphrase. Backups taken before keep the old one."""
    check_change(ws, current, new, repeated)
    encryption.change_passphrase(ws.store, current, new)
    # The store now has a new engine; units of work must use it from now on.
    ws.uow_factory = UnitOfWorkFactory(ws.store.engine, who=ws.who)
    with ws.uow() as uow:
        uow.log("passphrase", "appraisal", None, "passphrase changed")
        uow.commit()
