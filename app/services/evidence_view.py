"""What the evidence services hand out: frozen DTOs, and the check of a referenced file against the disk."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlparse

from app.services.evidence_links import LinkInfo, LinkRecord
from app.storage.blob_store import CHUNK

ARTIFACT_TYPES = (
    "document",
    "record",
    "spreadsheet",
    "presentation",
    "e-mail",
    "image",
    "web page",
    "other",
)
_TYPE_BY_SUFFIX = {
    ".xlsx": "spreadsheet",
    ".xls": "spreadsheet",
    ".ods": "spreadsheet",
    ".csv": "spreadsheet",
    ".pptx": "presentation",
    ".ppt": "presentation",
    ".odp": "presentation",
    ".msg": "e-mail",
    ".eml": "e-mail",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".gif": "image",
    ".html": "web page",
    ".htm": "web page",
}


def guess_type(path: Path) -> str:
    return _TYPE_BY_SUFFIX.get(path.suffix.lower(), "document")


def is_local_file(location: str) -> bool:
    """Whether a reference names a file on this computer (rather than a URL)."""
    parsed = urlparse(location)
    if len(parsed.scheme) > 1 and parsed.scheme != "file":  # "C:" is a drive letter, not a scheme
        return False
    return Path(location).expanduser().is_file()


class DiskStatus(StrEnum):
    STORED = "stored"
    """The content is inside the appraisal file."""
    UNCHANGED = "unchanged"
    """Referenced; the file on disk still matches what was recorded."""
    CHANGED = "changed"
    """Referenced; the file on disk is no longer what was recorded."""
    MISSING = "missing"
    """Referenced; nothing is at the recorded path any more."""
    LINK = "link"
    """A URL or other reference that cannot be checked from here."""


@dataclass(frozen=True, slots=True)
class ArtifactMeta:
    title: str
    artifact_type: str = "document"
    version_label: str = ""
    provided_by_unit_id: int | None = None
    effective_date: date | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class ArtifactSummary:
    id: int
    title: str
    artifact_type: str
    version_label: str
    provided_by_unit_id: int | None
    provided_by: str
    effective_date: date | None
    location: str
    """The stored file's name, or the path or URL a referenced artifact lives at."""
    revision_count: int
    link_count: int
    disk_status: DiskStatus
    size: int | None
    added_at: datetime

    @property
    def stored(self) -> bool:
        return self.disk_status is DiskStatus.STORED

    @property
    def changed_on_disk(self) -> bool:
        return self.disk_status in (DiskStatus.CHANGED, DiskStatus.MISSING)


@dataclass(frozen=True, slots=True)
class RevisionInfo:
    revision: int
    file_name: str
    sha256: str
    size: int
    stored: bool
    source_path: str
    source_mtime: float | None
    added_at: datetime


@dataclass(frozen=True, slots=True)
class ArtifactDetail:
    summary: ArtifactSummary
    meta: ArtifactMeta
    location: str
    """The reference as given (empty for a stored artifact)."""
    revisions: tuple[RevisionInfo, ...]
    links: tuple[LinkInfo, ...]


@dataclass(frozen=True, slots=True)
class RevisionRecord:
    """A revision row exactly as stored (for undo)."""

    id: int
    artifact_id: int
    revision: int
    file_name: str
    sha256: str
    size: int
    blob_id: int | None
    source_path: str
    source_mtime: float | None
    added_at: datetime


@dataclass(frozen=True, slots=True)
class ArtifactRecord:
    """A deleted artifact with everything that hung off it, ids included (for undo)."""

    id: int
    meta: ArtifactMeta
    location: str
    added_at: datetime
    revisions: tuple[RevisionRecord, ...]
    links: tuple[LinkRecord, ...]


# Hashes of referenced files by (path, mtime_ns, size): the register is refreshed often and a touched but
# unchanged file should be hashed once, not on every refresh.
_hash_cache: dict[tuple[str, int, int], str] = {}


def _hash(path: Path, mtime_ns: int, size: int) -> str | None:
    key = (str(path), mtime_ns, size)
    if key not in _hash_cache:
        digest = hashlib.sha256()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
        except OSError:
            return None
        if len(_hash_cache) > 512:
            _hash_cache.clear()
        _hash_cache[key] = digest.hexdigest()
    return _hash_cache[key]


def disk_status(source_path: str, size: int, mtime: float | None, sha256: str) -> DiskStatus:
    """Whether a referenced file still matches its recorded size, mtime and hash."""
    path = Path(source_path)
    try:
        stat = path.stat()
    except OSError:
        return DiskStatus.MISSING
    if not path.is_file():
        return DiskStatus.MISSING
    if stat.st_size != size:
        return DiskStatus.CHANGED
    if mtime is not None and abs(stat.st_mtime - mtime) < 1e-6:
        return DiskStatus.UNCHANGED
    # Same size, other mtime: only the content can tell (a copy or a touch keeps it the same).
    return DiskStatus.UNCHANGED if _hash(path, stat.st_mtime_ns, stat.st_size) == sha256 else DiskStatus.CHANGED
