"""Use cases for rolling backups: take one now, list them with what they hold, restore one into a new file."""

from __future__ import annotations

from pathlib import Path

from app.services.workspace import Workspace
from app.storage import backups as store_backups
from app.storage.backups import DEFAULT_KEEP, Backup, BackupSummary

__all__ = [
    "DEFAULT_KEEP",
    "Backup",
    "BackupSummary",
    "backup_closed_file",
    "backup_folder",
    "backups_of",
    "restore",
    "summarize",
    "take_backup",
]


def take_backup(ws: Workspace, *, label: str = "", keep: int = DEFAULT_KEEP) -> Backup | None:
    """Back up the open appraisal now (a consistent copy, taken while it stays open); None for a server
    database. When nothing changed since the newest backup, that backup is returned and no copy is made."""
    if ws.path is None:
        return None
    return store_backups.take_backup(ws.store, keep=keep, label=label)


def backup_closed_file(
    path: Path, *, passphrase: str | None = None, label: str = "on close", keep: int = DEFAULT_KEEP
) -> Backup | None:
    """Back up an appraisal file that is closed; None when its newest backup already holds every edit."""
    return store_backups.take_backup_of_file(path, passphrase=passphrase, keep=keep, label=label)


def backups_of(path: Path) -> list[Backup]:
    """The backups of the appraisal at `path`, newest first."""
    return store_backups.list_backups(path)


def backup_folder(path: Path) -> Path:
    return store_backups.backup_dir(path)


def summarize(backup: Path, passphrase: str | None = None) -> BackupSummary:
    return store_backups.summarize(backup, passphrase)


def restore(backup: Path, target: Path, *, passphrase: str | None = None) -> Path:
    """Copy a backup into the new file `target` (never over an existing one); open it afterwards."""
    return store_backups.restore_backup(backup, target, passphrase=passphrase)
