"""Undo never drifts from the file: a step that fails leaves the history telling the truth about the file,
never says "saved", and an edit of several rows lands whole or not at all."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, ScopeEntry, UnitKind, UnitPlan
from app.services import appraisals
from app.services import evidence as ev
from app.services import interviews as iv
from app.services.evidence import ArtifactMeta
from app.services.interviews import SessionFields
from app.services.workspace import Workspace
from app.storage.errors import KnownError, StaleEditError
from app.storage.uow import UnitOfWorkFactory
from app.ui.evidence import commands as evidence_commands
from app.ui.interviews import commands as interview_commands
from app.ui.shell.commands import ServiceCommand
from app.ui.shell.document import Change, Document
from app.ui.shell.tasks import TaskRunner

PLAN = Plan(
    name="Undo",
    scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2),),
    units=(UnitPlan("Claims", UnitKind.BASIC_UNIT),),
)


@pytest.fixture
def document(tmp_path: Path, catalog: Catalog, qapp: object) -> Iterator[Document]:
    ws = appraisals.create_appraisal(tmp_path / "u.appraisal", PLAN, catalog)
    doc = Document(ws, TaskRunner())
    yield doc
    doc.close()


class Signals:
    def __init__(self, document: Document) -> None:
        self.saved = 0
        self.failures: list[BaseException] = []
        self.notes: list[str] = []
        document.saved.connect(self._saved)
        document.failed.connect(self.failures.append)
        document.history_trimmed.connect(self.notes.append)

    def _saved(self) -> None:
        self.saved += 1


def disk_full() -> None:
    raise KnownError("The disk is full.")


def participants(document: Document, session_id: int) -> list[str]:
    return [p.name for p in iv.session_participants(document.workspace, session_id)]


def add_ann(document: Document, session_id: int, revert: Callable[[], object] = disk_full) -> ServiceCommand:
    ws = document.workspace
    return ServiceCommand(
        document, "Add Ann", lambda: iv.add_participant(ws, session_id, "Ann Lee"), revert, Change.INTERVIEWS
    )


def test_an_edit_that_cannot_be_undone_stays_in_the_file_and_redo_never_applies_it_twice(document: Document) -> None:
    session_id = iv.create_session(document.workspace, SessionFields("S1"))
    document.execute(add_ann(document, session_id))
    seen = Signals(document)

    document.undo()

    assert participants(document, session_id) == ["Ann Lee"]
    assert seen.saved == 0, "a failed undo must not say the change was saved"
    assert [str(e) for e in seen.failures] == ["The disk is full."]
    assert "could not be undone" in seen.notes[0]
    assert not document.undo_stack.canUndo()
    assert not document.undo_stack.canRedo()

    document.redo()
    document.undo_stack.redo()
    assert participants(document, session_id) == ["Ann Lee"], "redo applied the edit a second time"


def test_an_edit_that_cannot_be_redone_clears_the_history_and_leaves_the_file_as_undo_left_it(
    document: Document,
) -> None:
    ws = document.workspace
    session_id = iv.create_session(ws, SessionFields("S1"))
    applied: list[int] = []

    def apply() -> None:
        if applied:
            disk_full()
        applied.append(iv.add_participant(ws, session_id, "Ann Lee"))

    document.execute(
        ServiceCommand(document, "Notes", lambda: iv.set_session_notes(ws, session_id, "first"), lambda: None)
    )
    document.execute(
        ServiceCommand(document, "Add Ann", apply, lambda: iv.remove_participant(ws, applied[0]), Change.INTERVIEWS)
    )
    document.undo()
    seen = Signals(document)

    document.redo()

    assert seen.saved == 0
    assert "could not be redone" in seen.notes[0]
    assert document.undo_stack.count() == 0
    assert participants(document, session_id) == []
    assert iv.get_session(ws, session_id).notes == "first"


def test_after_a_failed_redo_the_edits_after_it_are_never_redone_even_on_the_raw_stack(document: Document) -> None:
    session_id = iv.create_session(document.workspace, SessionFields("S1"))
    ws = document.workspace
    first_redo_fails = [False]

    def apply_first() -> None:
        if first_redo_fails[0]:
            disk_full()
        iv.set_session_notes(ws, session_id, "first")

    document.execute(
        ServiceCommand(
            document, "First", apply_first, lambda: iv.set_session_notes(ws, session_id, ""), Change.INTERVIEWS
        )
    )
    document.execute(add_ann(document, session_id, revert=lambda: iv.remove_participant(ws, _only(ws, session_id))))
    document.undo_stack.undo()
    document.undo_stack.undo()
    first_redo_fails[0] = True

    document.undo_stack.redo()  # fails
    document.undo_stack.redo()  # must not add Ann on top of a file that lacks the first edit

    assert participants(document, session_id) == []
    assert iv.get_session(ws, session_id).notes == ""


def _only(ws: object, session_id: int) -> int:
    return iv.session_participants(ws, session_id)[0].id  # type: ignore[arg-type]


def test_deleting_several_rows_is_one_transaction_a_failure_part_way_deletes_none(
    document: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = document.workspace
    ids = [ev.add_artifact_by_reference(ws, f"https://example.org/doc-{n}") for n in range(3)]
    real_delete = ev.delete_artifact

    def delete_but_fail_on_the_second(w: object, artifact_id: int) -> object:
        if artifact_id == ids[1]:
            raise KnownError("The disk is full.")
        return real_delete(w, artifact_id)  # type: ignore[arg-type]

    monkeypatch.setattr(ev, "delete_artifact", delete_but_fail_on_the_second)
    with pytest.raises(KnownError):
        document.execute(evidence_commands.delete_artifacts(document, ids, "3 artifacts"))

    assert sorted(a.id for a in ev.list_artifacts(ws)) == ids
    assert document.undo_stack.count() == 0


def test_undoing_a_multi_row_delete_restores_all_rows_or_none(
    document: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = document.workspace
    session_id = iv.create_session(ws, SessionFields("S1"))
    ids = [iv.add_participant(ws, session_id, name) for name in ("Ann", "Bob", "Cy")]
    real_restore = iv.restore_participant

    def restore_but_fail_on_bob(w: object, info: iv.ParticipantInfo) -> None:
        if info.name == "Bob":
            raise KnownError("The disk is full.")
        real_restore(w, info)  # type: ignore[arg-type]

    monkeypatch.setattr(iv, "restore_participant", restore_but_fail_on_bob)
    document.execute(interview_commands.remove_participants(document, ids))
    seen = Signals(document)

    document.undo()

    assert participants(document, session_id) == [], "half of the rows came back"
    assert seen.saved == 0
    assert not document.undo_stack.canUndo() and not document.undo_stack.canRedo()


def test_a_misspelt_change_kind_is_refused_at_once_not_a_refresh_silently_skipped(document: Document) -> None:
    with pytest.raises(ValueError, match="characterizations"):
        document.notify("characterizations")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="evidnce"):
        ServiceCommand(document, "Link", lambda: None, lambda: None, "evidnce")  # type: ignore[arg-type]
    seen: list[set[Change]] = []
    document.changed.connect(seen.append)
    document.notify(Change.EVIDENCE, Change.PLAN)
    assert seen == [{Change.EVIDENCE, Change.PLAN}]


def _colleague(document: Document) -> Workspace:
    """A colleague on the same appraisal (on a file: the same store under another name)."""
    store = document.workspace.store
    return Workspace(store, UnitOfWorkFactory(store.engine, who="Ben"))


def test_undo_of_an_edit_a_colleague_changed_since_is_refused_names_them_and_the_pages_read_again(
    document: Document,
) -> None:
    ws = document.workspace
    artifact_id = ev.add_artifact_by_reference(ws, "https://example.org/policy", ArtifactMeta("Policy"))
    before = ev.artifact_detail(ws, artifact_id).meta
    after = replace(before, version_label="v2")
    document.execute(evidence_commands.edit_artifact(document, artifact_id, before, after))
    ev.update_artifact(_colleague(document), artifact_id, replace(after, description="Ben's description"))
    seen = Signals(document)
    refreshed: list[object] = []
    document.changed.connect(refreshed.append)

    document.undo()

    assert [type(e) for e in seen.failures] == [StaleEditError]
    assert "changed by Ben at" in str(seen.failures[0]) and "reloaded" in str(seen.failures[0])
    assert "could not be undone" in seen.notes[0]
    assert ev.artifact_detail(ws, artifact_id).meta.description == "Ben's description"
    assert refreshed, "the pages read the colleague's version again"
    assert seen.saved == 0


def test_redoing_a_delete_over_a_colleagues_later_edit_is_refused(document: Document) -> None:
    ws = document.workspace
    session_id = iv.create_session(ws, SessionFields("S1"))
    said = iv.add_affirmation(ws, session_id, "We review incidents weekly.")
    document.execute(interview_commands.delete_affirmation(document, said))
    document.undo()
    iv.update_affirmation_text(_colleague(document), said, "We review incidents every week (Ben).")
    seen = Signals(document)

    document.redo()

    assert "changed by Ben" in str(seen.failures[0])
    assert [a.text for a in iv.list_affirmations(ws, session_id)] == ["We review incidents every week (Ben)."]


def test_undoing_an_add_made_before_its_command_never_deletes_a_colleagues_later_edit(document: Document) -> None:
    """Artifacts are added on the worker and their command made afterwards: the undo still sees the colleague."""
    ws = document.workspace
    artifact_id = ev.add_artifact_by_reference(ws, "https://example.org/plan", ArtifactMeta("Plan"))
    document.execute(evidence_commands.added_artifacts(document, [artifact_id]))
    meta = ev.artifact_detail(ws, artifact_id).meta
    ev.update_artifact(_colleague(document), artifact_id, replace(meta, description="Ben's summary"))
    seen = Signals(document)

    document.undo()

    assert "changed by Ben" in str(seen.failures[0])
    assert ev.artifact_detail(ws, artifact_id).meta.description == "Ben's summary"


def test_undoing_an_add_nobody_touched_deletes_it(document: Document) -> None:
    ws = document.workspace
    artifact_id = ev.add_artifact_by_reference(ws, "https://example.org/plan", ArtifactMeta("Plan"))
    document.execute(evidence_commands.added_artifacts(document, [artifact_id]))
    document.undo()
    assert [a.id for a in ev.list_artifacts(ws)] == []
    document.redo()
    assert [a.id for a in ev.list_artifacts(ws)] == [artifact_id]


def test_notes_typed_after_an_edit_of_the_session_never_block_its_undo(document: Document) -> None:
    """The undo checks only what the edit wrote: one's own notes typed since (not an undoable edit) stay and do not
    count as a colleague's change."""
    ws = document.workspace
    session_id = iv.create_session(ws, SessionFields("S1"))
    document.execute(interview_commands.edit_session(document, session_id, SessionFields("S1"), SessionFields("S1b")))
    iv.set_session_notes(ws, session_id, "typed after the edit", expected="")
    seen = Signals(document)

    document.undo()

    assert seen.failures == []
    info = iv.get_session(ws, session_id)
    assert (info.code, info.notes) == ("S1", "typed after the edit")
