"""Undoable edits of findings, as commands for Document.execute (kinds "findings").

Adding records the new id; undo deletes the finding and redo restores the very row, so later commands that
name the id (edit, change status) keep working after undo and redo.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.services import attribution
from app.services import findings as fs
from app.services.findings import FindingFields, FindingRecord
from app.ui.shell.commands import ServiceCommand
from app.ui.shell.document import Change, Document
from app.ui.shell.undo import deleted_command

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
        lambda: fs.update_finding(ws, finding_id, after, expected=before),
        lambda: fs.update_finding(ws, finding_id, before, expected=after),
        *KINDS,
    )


def set_status(document: Document, finding_id: int, before: str, after: str) -> ServiceCommand:
    ws = document.workspace
    return ServiceCommand(
        document,
        f"{STATUS_VERBS.get(after, 'Change')} finding #{finding_id}",
        lambda: fs.set_status(ws, finding_id, after, expected=before),
        lambda: fs.set_status(ws, finding_id, before, expected=after),
        *KINDS,
    )


def delete_findings(document: Document, ids: Sequence[int]) -> ServiceCommand:
    ws = document.workspace
    text = f"Delete finding #{ids[0]}" if len(ids) == 1 else f"Delete {len(ids)} findings"
    return deleted_command(
        document, text, list(ids), lambda i: fs.delete_finding(ws, i), lambda r: fs.restore_finding(ws, r), *KINDS
    )


class ReviewSpan(ServiceCommand):
    """Marks a flagged span "reviewed: not an attribution"; undo takes the mark back, redo restores the same one."""

    def __init__(self, document: Document, finding_id: int, start: int, end: int) -> None:
        ws = document.workspace
        self._mark_id: int | None = None
        self._removed: attribution.ReviewMark | None = None

        def apply() -> None:
            if self._removed is None:
                self._mark_id = attribution.review_span(ws, finding_id, start, end)
            else:
                attribution.restore_review(ws, self._removed)
                self._removed = None

        def revert() -> None:
            if self._mark_id is not None:
                self._removed = attribution.remove_review(ws, self._mark_id)

        super().__init__(document, f"Review a flag in finding #{finding_id}", apply, revert, *KINDS)


class RemoveReview(ServiceCommand):
    """Takes a review mark back (the span is flagged again); undo puts the same mark back."""

    def __init__(self, document: Document, mark_id: int) -> None:
        ws = document.workspace
        self._removed: attribution.ReviewMark | None = None

        def apply() -> None:
            self._removed = attribution.remove_review(ws, mark_id)

        def revert() -> None:
            if self._removed is not None:
                attribution.restore_review(ws, self._removed)

        super().__init__(document, "Remove a review mark", apply, revert, *KINDS)


class AddIdentifier(ServiceCommand):
    def __init__(self, document: Document, text: str, note: str) -> None:
        ws = document.workspace
        self.identifier_id: int | None = None

        def apply() -> None:
            self.identifier_id = attribution.add_identifier(ws, text, note, identifier_id=self.identifier_id)

        def revert() -> None:
            if self.identifier_id is not None:
                attribution.remove_identifier(ws, self.identifier_id)

        super().__init__(document, "Add an identifier", apply, revert, *KINDS)


class RemoveIdentifier(ServiceCommand):
    def __init__(self, document: Document, identifier_id: int) -> None:
        ws = document.workspace
        self._removed: attribution.IdentifierInfo | None = None

        def apply() -> None:
            self._removed = attribution.remove_identifier(ws, identifier_id)

        def revert() -> None:
            if self._removed is not None:
                attribution.add_identifier(ws, self._removed.text, self._removed.note, identifier_id=identifier_id)

        super().__init__(document, "Remove an identifier", apply, revert, *KINDS)
