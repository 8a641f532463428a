"""Undoable edits of findings, as commands for Document.execute (kinds "findings").

Adding records the new id; undo deletes the finding and redo restores the very row, so later commands that
name the id (edit, change status) keep working after undo and redo.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.services import findings as fs
from app.services.findings import FindingFields, FindingRecord
from app.ui.commands import ServiceCommand
from app.ui.document import Change, Document
from app.ui.undo import deleted_command

KINDS = (Change.FINDINGS,)
STATUS_VERBS = {"preliminary": "Reopen", "validated": "Validate", "final": "Finalize"}


class AddFinding(ServiceCommand):
    """Adds a preliminary finding; `finding_id` is its id once applied."""

    def __init__(self, document: Document, fields: FindingFields) -> None:
        ws = document.workspace
        self.finding_id: int | None = None
        self._record: FindingRecord | None = None

        def apply() -> None:
            if self._record is None:
                self.finding_id = fs.add_finding(ws, fields)
            else:
                fs.restore_finding(ws, self._record)
                self._record = None

        def revert() -> None:
            assert self.finding_id is not None
            self._record = fs.delete_finding(ws, self.finding_id)

        super().__init__(document, f"Add {fs.KIND_LABELS.get(fields.kind, 'finding').lower()}", apply, revert, *KINDS)


def edit_finding(document: Document, finding_id: int, before: FindingFields, after: FindingFields) -> ServiceCommand:
    ws = document.workspace
    return ServiceCommand(
        document,
        f"Edit finding #{finding_id}",
        lambda: fs.update_finding(ws, finding_id, after),
        lambda: fs.update_finding(ws, finding_id, before),
        *KINDS,
    )


def set_status(document: Document, finding_id: int, before: str, after: str) -> ServiceCommand:
    ws = document.workspace
    return ServiceCommand(
        document,
        f"{STATUS_VERBS.get(after, 'Change')} finding #{finding_id}",
        lambda: fs.set_status(ws, finding_id, after),
        lambda: fs.set_status(ws, finding_id, before),
        *KINDS,
    )


def delete_findings(document: Document, ids: Sequence[int]) -> ServiceCommand:
    ws = document.workspace
    text = f"Delete finding #{ids[0]}" if len(ids) == 1 else f"Delete {len(ids)} findings"
    return deleted_command(
        document, text, list(ids), lambda i: fs.delete_finding(ws, i), lambda r: fs.restore_finding(ws, r), *KINDS
    )
