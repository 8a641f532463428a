"""The documents behind artifacts: hashing files in, revisions, reading stored content back out.

Hashing happens outside any transaction (a large file must not hold the writer lock while it is read), then
one transaction copies the content in; see app/storage/blob_store.py for how the bytes are streamed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.services.evidence_view import RevisionRecord
from app.services.workspace import Workspace
from app.storage import blob_store
from app.storage.errors import KnownError
from app.storage.output_files import output_target, write_atomically
from app.storage.schema import Artifact, ArtifactRevision, Blob

Progress = Callable[[int, int, str], None]
"""(done, total, label); totals are kept small (per mille of each file) so they fit a Qt int signal."""
STEPS = 1000


def silent(_done: int, _total: int, _label: str) -> None:
    return None


def _bytes_progress(progress: Progress, label: str, size: int, start: int, span: int) -> Callable[[int], None]:
    """Map bytes done in one pass over a file onto [start, start + span] of STEPS."""
    return lambda done: progress(start + (span * done // size if size else span), STEPS, label)


def artifact_row(session: Session, artifact_id: int) -> Artifact:
    row = session.get(Artifact, artifact_id)
    if row is None:
        raise KnownError("That artifact is no longer in the register (it was deleted).")
    return row


class TakenFile:
    """A file hashed outside any transaction (hashing a large file must not hold the writer lock)."""

    def __init__(self, path: Path, store: bool, progress: Progress) -> None:
        try:
            stat = path.stat()
        except OSError as exc:
            raise KnownError(f"{path} cannot be read: {exc.strerror or exc}") from None
        self.path, self.store, self.progress = path, store, progress
        self.mtime = stat.st_mtime
        self.sha256, self.size = blob_store.hash_file(path, _bytes_progress(progress, path.name, stat.st_size, 0, 500))

    def put(self, session: Session) -> int | None:
        """Inside the transaction: the Blob id holding the content (None when kept by reference)."""
        if not self.store:
            return None
        report = _bytes_progress(self.progress, self.path.name, self.size, 500, 500)
        return blob_store.store_file(session, self.path, self.sha256, self.size, report)

    def revision(self, session: Session, artifact_id: int) -> ArtifactRevision:
        latest = session.scalar(
            select(func.max(ArtifactRevision.revision)).where(ArtifactRevision.artifact_id == artifact_id)
        )
        row = ArtifactRevision(
            artifact_id=artifact_id,
            revision=(latest or 0) + 1,
            file_name=self.path.name[:300],
            sha256=self.sha256,
            size=self.size,
            blob_id=self.put(session),
            source_path=str(self.path),
            source_mtime=self.mtime,
            added_at=datetime.now(),
        )
        session.add(row)
        session.flush()
        return row


def local_file(path: Path) -> Path:
    path = Path(path).expanduser().resolve()
    if not path.exists():
        raise KnownError(f"{path} does not exist.")
    if not path.is_file():
        raise KnownError(f"{path} is a folder or a device, not a file; add the files inside it instead.")
    return path


def add_revision(
    ws: Workspace, artifact_id: int, path: Path, *, store: bool | None = None, progress: Progress = silent
) -> int:
    """Add a newer version of an artifact's document; returns its revision number. Older revisions stay.

    By default a stored artifact stores the new content and a referenced one remembers the new file by
    reference (its hash and mtime), so "changed on disk" is measured against the newest revision.
    """
    path = local_file(path)
    with ws.uow() as uow:
        stored = artifact_row(uow.session, artifact_id).location == "" if store is None else store
    taken = TakenFile(path, stored, progress)
    with ws.uow() as uow:
        session = uow.session
        artifact = artifact_row(session, artifact_id)
        row = taken.revision(session, artifact_id)
        uow.log("revise", "artifact", artifact_id, f"{artifact.title}: revision {row.revision} from {path.name}")
        uow.commit()
        return row.revision


def revision_record(row: ArtifactRevision) -> RevisionRecord:
    return RevisionRecord(
        row.id,
        row.artifact_id,
        row.revision,
        row.file_name,
        row.sha256,
        row.size,
        row.blob_id,
        row.source_path,
        row.source_mtime,
        row.added_at,
    )


def put_revision(session: Session, rec: RevisionRecord) -> None:
    row = ArtifactRevision(
        id=rec.id,
        artifact_id=rec.artifact_id,
        revision=rec.revision,
        file_name=rec.file_name,
        sha256=rec.sha256,
        size=rec.size,
        blob_id=rec.blob_id,
        source_path=rec.source_path,
        source_mtime=rec.source_mtime,
        added_at=rec.added_at,
    )
    if rec.blob_id is not None and session.scalar(select(func.count()).where(Blob.id == rec.blob_id)) == 0:
        raise KnownError(f"The stored copy of {rec.file_name} is gone from the file, so it cannot be brought back.")
    session.add(row)


def remove_revision(ws: Workspace, artifact_id: int, revision: int) -> RevisionRecord:
    """Remove one revision (to undo `add_revision`); a stored artifact keeps at least one."""
    with ws.uow() as uow:
        session = uow.session
        artifact = artifact_row(session, artifact_id)
        rows = list(session.scalars(select(ArtifactRevision).where(ArtifactRevision.artifact_id == artifact_id)))
        row = next((r for r in rows if r.revision == revision), None)
        if row is None:
            raise KnownError(f"{artifact.title} has no revision {revision}.")
        if len(rows) == 1 and artifact.location == "":
            raise KnownError("This is the only stored revision; delete the artifact instead.")
        rec = revision_record(row)
        session.delete(row)
        uow.log("unrevise", "artifact", artifact_id, f"{artifact.title}: revision {revision} removed")
        uow.commit()
        return rec


def restore_revision(ws: Workspace, rec: RevisionRecord) -> None:
    with ws.uow() as uow:
        artifact_row(uow.session, rec.artifact_id)
        put_revision(uow.session, rec)
        uow.log("revise", "artifact", rec.artifact_id, f"revision {rec.revision} restored")
        uow.commit()


def revisions_of(session: Session, artifact_ids: list[int] | None = None) -> dict[int, list[ArtifactRevision]]:
    stmt = select(ArtifactRevision).order_by(ArtifactRevision.artifact_id, ArtifactRevision.revision)
    if artifact_ids is not None:
        stmt = stmt.where(ArtifactRevision.artifact_id.in_(artifact_ids))
    found: dict[int, list[ArtifactRevision]] = {}
    for row in session.scalars(stmt):
        found.setdefault(row.artifact_id, []).append(row)
    return found


def stored_revision(session: Session, artifact_id: int, revision: int | None) -> ArtifactRevision:
    artifact = artifact_row(session, artifact_id)
    stmt = select(ArtifactRevision).where(
        ArtifactRevision.artifact_id == artifact_id, ArtifactRevision.blob_id.is_not(None)
    )
    if revision is not None:
        stmt = stmt.where(ArtifactRevision.revision == revision)
    row = session.scalars(stmt.order_by(ArtifactRevision.revision.desc())).first()
    if row is None:
        raise KnownError(f"{artifact.title} has no stored copy in the appraisal (it is kept by reference).")
    return row


def read_revision(ws: Workspace, artifact_id: int, revision: int | None = None) -> bytes:
    """The bytes of a stored revision (the newest stored one by default). For small files and tests."""
    with ws.uow() as uow:
        row = stored_revision(uow.session, artifact_id, revision)
        assert row.blob_id is not None
        return b"".join(blob_store.blob_chunks(uow.session, row.blob_id))


def save_revision(
    ws: Workspace,
    artifact_id: int,
    target: Path,
    revision: int | None = None,
    *,
    progress: Progress = silent,
    overwrite: bool = False,
) -> Path:
    """Write a stored revision out to `target` (a file path, or a folder to keep its file name); streamed,
    through the safe output writer: a half-written copy never appears, an existing file is replaced only
    with `overwrite`, and never an appraisal."""
    target = Path(target).expanduser()
    with ws.uow() as uow:
        row = stored_revision(uow.session, artifact_id, revision)
        assert row.blob_id is not None
        if target.is_dir():
            target = target / row.file_name
        blob_id = row.blob_id
        name, size = row.file_name, row.size

        def write(temp: Path) -> None:
            written = 0
            with open(temp, "wb") as out:
                for chunk in blob_store.blob_chunks(uow.session, blob_id):
                    out.write(chunk)
                    written += len(chunk)
                    progress(STEPS * written // max(size, 1), STEPS, name)

        write_atomically(output_target(target, overwrite=overwrite, inputs=(ws.path,)), write)
    return target


def purge_unused_blobs(ws: Workspace) -> int:
    """Drop stored content no revision uses (left by deletes so undo can restore them); call when no undo can
    need it any more, e.g. when the appraisal is opened or closed. Returns how many contents went."""
    with ws.uow() as uow:
        removed = blob_store.purge_unused(uow.session)
        if removed:
            uow.log("purge", "blob", None, f"{removed} unused stored file(s)")
        uow.commit()
        return removed
