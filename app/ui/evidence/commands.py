"""Undoable edits of the evidence register and of evidence links, as commands for Document.execute.

Each command calls the evidence services with explicit ids; adds and deletes restore recorded rows, so undo
and redo bring back the very same artifacts, revisions and links (see app/ui/shell/undo.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from app.services import evidence as ev
from app.services.evidence import ArtifactMeta, EvidenceSource, LinkTarget
from app.ui.shell.commands import ServiceCommand
from app.ui.shell.document import Change, Document
from app.ui.shell.undo import added_command, deleted_command, recorded_command

KINDS = (Change.EVIDENCE,)


def added_artifacts(document: Document, ids: Sequence[int]) -> ServiceCommand:
    ws = document.workspace
    text = f"Add {len(ids)} artifacts" if len(ids) > 1 else "Add artifact"
    return added_command(
        document, text, ids, lambda i: ev.delete_artifact(ws, i), lambda r: ev.restore_artifact(ws, r), *KINDS
    )


def edit_artifact(document: Document, artifact_id: int, before: ArtifactMeta, after: ArtifactMeta) -> ServiceCommand:
    ws = document.workspace
    return ServiceCommand(
        document,
        f"Edit “{after.title or before.title}”",
        lambda: ev.update_artifact(ws, artifact_id, after, expected=before),
        lambda: ev.update_artifact(ws, artifact_id, before, expected=after),
        *KINDS,
    )


def delete_artifacts(document: Document, ids: Sequence[int], what: str) -> ServiceCommand:
    ws = document.workspace
    return deleted_command(
        document,
        f"Delete {what}",
        ids,
        lambda i: ev.delete_artifact(ws, i),
        lambda r: ev.restore_artifact(ws, r),
        *KINDS,
    )


def added_revision(document: Document, artifact_id: int, revision: int) -> ServiceCommand:
    ws = document.workspace
    return added_command(
        document,
        f"Add revision {revision}",
        [revision],
        lambda rev: ev.remove_revision(ws, artifact_id, rev),
        lambda rec: ev.restore_revision(ws, rec),
        *KINDS,
    )


def link(
    document: Document,
    source: EvidenceSource,
    targets: Sequence[LinkTarget],
    adequacy: str,
    note: str,
    *kinds: Change,
) -> ServiceCommand:
    """Link an artifact or affirmation to practice × unit pairs; undo removes exactly what it added or changed."""
    ws = document.workspace
    what = "artifact" if source.artifact_id is not None else "affirmation"
    return recorded_command(
        document,
        f"Link {what} to {len(targets)} practice × unit pair(s)",
        lambda: ev.link_evidence(ws, source, targets, adequacy=adequacy, note=note),
        lambda batch: ev.undo_link_batch(ws, batch),
        lambda batch: ev.redo_link_batch(ws, batch),
        *(kinds or KINDS),
    )


def unlink(document: Document, link_ids: Sequence[int], *kinds: Change) -> ServiceCommand:
    ws = document.workspace
    ids = list(link_ids)
    return recorded_command(
        document,
        f"Unlink {len(ids)} link(s)",
        lambda: ev.unlink_evidence(ws, ids),
        lambda records: ev.restore_links(ws, records),
        lambda records: ev.unlink_evidence(ws, [r.id for r in records]),
        *(kinds or KINDS),
    )
