"""File content kept inside the appraisal: one Blob row per distinct SHA-256, streamed in and out in chunks.

A file is read twice at most (once to hash it, once to copy it in) and never held in memory whole on SQLite:
the row is created at its final size with zeroblob() and filled through SQLite's incremental blob I/O. The
copy is hashed again as it goes in, so a file that changes between the two reads is refused rather than
stored under the wrong hash. PostgreSQL has no incremental bytea writes; there the content is read once.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from app.storage.errors import DamagedAttachmentError, KnownError
from app.storage.schema import ArtifactRevision, Blob

CHUNK = 1 << 20
BytesDone = Callable[[int], None]


def _no_progress(_done: int) -> None:
    return None


def _open_for_reading(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise KnownError(f"{path} does not exist (was it moved or renamed?).") from None
    except IsADirectoryError:
        raise KnownError(f"{path} is a folder; add the files inside it instead.") from None
    except PermissionError:
        raise KnownError(f"{path} cannot be read (permission denied).") from None
    except OSError as exc:
        raise KnownError(f"{path} cannot be read: {exc.strerror or exc}") from None


def _chunks(path: Path) -> Iterator[bytes]:
    handle = _open_for_reading(path)
    try:
        while True:
            try:
                chunk: bytes = handle.read(CHUNK)
            except OSError as exc:
                raise KnownError(f"{path} could not be read to the end: {exc.strerror or exc}") from None
            if not chunk:
                return
            yield chunk
    finally:
        handle.close()


def hash_file(path: Path, progress: BytesDone = _no_progress) -> tuple[str, int]:
    """(SHA-256 hex digest, size in bytes) of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    for chunk in _chunks(path):
        digest.update(chunk)
        size += len(chunk)
        progress(size)
    return digest.hexdigest(), size


def _sqlite_connection(session: Session) -> sqlite3.Connection | None:
    raw = session.connection().connection.driver_connection
    return raw if isinstance(raw, sqlite3.Connection) else None


def _changed(path: Path) -> KnownError:
    return KnownError(f"{path.name} changed while it was being added; add it again once it is saved and closed.")


def store_file(session: Session, path: Path, sha256: str, size: int, progress: BytesDone = _no_progress) -> int:
    """The id of the Blob holding `path`'s content (hashed beforehand as `sha256`), adding it if new."""
    existing = session.scalars(select(Blob.id).where(Blob.sha256 == sha256)).first()
    if existing is not None:
        progress(size)
        return existing
    raw = _sqlite_connection(session)
    digest = hashlib.sha256()
    if raw is None:
        data = b"".join(_chunks(path))
        digest.update(data)
        if digest.hexdigest() != sha256:
            raise _changed(path)
        new_id = session.execute(insert(Blob).values(sha256=sha256, size=len(data), data=data).returning(Blob.id))
        progress(size)
        return int(new_id.scalar_one())
    limit = raw.getlimit(sqlite3.SQLITE_LIMIT_LENGTH)
    if size > limit:
        raise KnownError(
            f"{path.name} is {size / 1e9:.1f} GB, more than an appraisal file can hold in one piece "
            f"({limit / 1e9:.1f} GB). Add it by reference instead."
        )
    result = session.execute(insert(Blob).values(sha256=sha256, size=size, data=func.zeroblob(size)).returning(Blob.id))
    blob_id = int(result.scalar_one())
    written = 0
    if size:
        with raw.blobopen("blob", "data", blob_id) as blob:
            for chunk in _chunks(path):
                if written + len(chunk) > size:
                    raise _changed(path)
                blob.write(chunk)
                digest.update(chunk)
                written += len(chunk)
                progress(written)
    if written != size or digest.hexdigest() != sha256:
        raise _changed(path)
    return blob_id


def blob_chunks(session: Session, blob_id: int) -> Iterator[bytes]:
    """A stored content in chunks, without loading it whole on SQLite.

    The content is hashed as it goes out: if it no longer matches the SHA-256 recorded when it was added, the
    last step raises DamagedAttachmentError, so a caller writing it somewhere can discard the damaged copy.
    """
    row = session.execute(select(Blob.size, Blob.sha256).where(Blob.id == blob_id)).first()
    if row is None:
        raise KnownError("The stored copy of this document is missing from the appraisal file.")
    digest = hashlib.sha256()
    for chunk in _raw_chunks(session, blob_id):
        digest.update(chunk)
        yield chunk
    if digest.hexdigest() != row.sha256:
        raise DamagedAttachmentError(
            "The stored copy of this document is damaged: its bytes no longer match the fingerprint (SHA-256) "
            "recorded when it was added. Add the document again from its original; `appraisal-desk check` "
            "lists every damaged document."
        )


def _raw_chunks(session: Session, blob_id: int) -> Iterator[bytes]:
    raw = _sqlite_connection(session)
    if raw is None:
        data = session.scalar(select(Blob.data).where(Blob.id == blob_id)) or b""
        for start in range(0, len(data), CHUNK):
            yield data[start : start + CHUNK]
        return
    with raw.blobopen("blob", "data", blob_id, readonly=True) as blob:
        while chunk := blob.read(CHUNK):
            yield chunk


def purge_unused(session: Session) -> int:
    """Drop content no revision uses any more; returns how many blobs went."""
    used = select(ArtifactRevision.blob_id).where(ArtifactRevision.blob_id.is_not(None))
    result = session.execute(delete(Blob).where(Blob.id.not_in(used)))
    return int(getattr(result, "rowcount", 0) or 0)
