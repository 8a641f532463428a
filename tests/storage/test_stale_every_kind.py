"""Every kind of row people edit together: an edit made on a stale view, and an undo (or redo) of an edit a
colleague changed since, are refused with the same sentence, and the colleague's work stays. On a file (the
colleague is a second workspace under another name) and on a real PostgreSQL server with two logins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import select

from app.services import appraisals, decisions, findings, grid_edits, plan_editing
from app.services import evidence as ev
from app.services import interviews as iv
from app.services.characterize import CellKey
from app.services.errors import StaleEditError
from app.services.workspace import EditGuard, Workspace
from app.storage.schema import EvidenceLink
from app.storage.uow import UnitOfWorkFactory
from tests.storage.conftest import BASE_URL, NO_SERVER, two_leads


@dataclass
class Two:
    mine: Workspace
    theirs: Workspace


@pytest.fixture(params=["file", pytest.param("server", marks=pytest.mark.postgres)])
def two(request: pytest.FixtureRequest, tmp_path: Path, demo_file: Path) -> Iterator[Two]:
    if request.param == "file":
        path = tmp_path / "mine.appraisal"
        path.write_bytes(demo_file.read_bytes())
        mine = appraisals.open_appraisal(path, who="Ann")
        # one window writes a file at a time: the colleague is the same store under another name
        theirs = Workspace(mine.store, UnitOfWorkFactory(mine.store.engine, who="Ben"))
        yield Two(mine, theirs)
        mine.close()
        return
    if not BASE_URL:
        pytest.skip(NO_SERVER)
    urls = two_leads(request.getfixturevalue("server_db"), demo_file)
    pair = Two(appraisals.open_appraisal(urls[0]), appraisals.open_appraisal(urls[1]))
    yield pair
    pair.mine.close()
    pair.theirs.close()


@dataclass(frozen=True)
class Kind:
    """One kind of row: `edit(ws)` makes a person's edit and returns its undo; `change(ws)` is a colleague's edit
    of the same row; `read(ws)` what a person sees of it."""

    edit: Callable[[Workspace], Callable[[], object]]
    change: Callable[[Workspace], object]
    read: Callable[[Workspace], object]


def _finding(ws: Workspace) -> findings.FindingInfo:
    return findings.list_findings(ws)[0]


def _finding_kind() -> Kind:
    def edit(ws: Workspace) -> Callable[[], object]:
        shown = _finding(ws)
        findings.update_finding(ws, shown.id, replace(shown.fields, text="Ann's wording."))
        return lambda: findings.update_finding(ws, shown.id, shown.fields)

    def change(ws: Workspace) -> None:
        shown = _finding(ws)
        findings.update_finding(ws, shown.id, replace(shown.fields, text="Ben's wording."))

    return Kind(edit, change, lambda ws: _finding(ws).fields.text)


def _status_kind() -> Kind:
    def first(ws: Workspace) -> findings.FindingInfo:
        return next(f for f in findings.list_findings(ws) if f.status == "preliminary")

    moved: list[int] = []

    def edit(ws: Workspace) -> Callable[[], object]:
        moved[:] = [first(ws).id]
        findings.set_status(ws, moved[0], "validated")
        return lambda: findings.set_status(ws, moved[0], "preliminary")

    def change(ws: Workspace) -> None:
        findings.set_status(ws, moved[0], "final")

    return Kind(edit, change, lambda ws: [(f.id, f.status, f.fields.text) for f in findings.list_findings(ws)])


def _artifact_kind() -> Kind:
    def first(ws: Workspace) -> ev.ArtifactDetail:
        return ev.artifact_detail(ws, ev.list_artifacts(ws)[0].id)

    def edit(ws: Workspace) -> Callable[[], object]:
        shown = first(ws)
        ev.update_artifact(ws, shown.summary.id, replace(shown.meta, version_label="v9 (Ann)"))
        return lambda: ev.update_artifact(ws, shown.summary.id, shown.meta)

    def change(ws: Workspace) -> None:
        shown = first(ws)
        ev.update_artifact(ws, shown.summary.id, replace(shown.meta, version_label="v10 (Ben)"))

    return Kind(edit, change, lambda ws: first(ws).meta)


def _session_fields(ws: Workspace) -> tuple[int, iv.SessionFields]:
    info = iv.list_sessions(ws)[0]
    return info.id, iv.SessionFields(info.code, info.kind, info.held_at, info.unit_id, info.participant_roles)


def _session_kind() -> Kind:
    def edit(ws: Workspace) -> Callable[[], object]:
        session_id, shown = _session_fields(ws)
        iv.update_session(ws, session_id, replace(shown, participant_roles="Ann's roles"))
        return lambda: iv.update_session(ws, session_id, shown)

    def change(ws: Workspace) -> None:
        session_id, shown = _session_fields(ws)
        iv.update_session(ws, session_id, replace(shown, participant_roles="Ben's roles"))

    return Kind(edit, change, lambda ws: _session_fields(ws)[1].participant_roles)


def _affirmation(ws: Workspace) -> iv.AffirmationInfo:
    return iv.list_affirmations(ws, iv.list_sessions(ws)[0].id)[0]


def _affirmation_kind() -> Kind:
    def edit(ws: Workspace) -> Callable[[], object]:
        shown = _affirmation(ws)
        iv.update_affirmation_text(ws, shown.id, "Ann heard it this way.")
        return lambda: iv.update_affirmation_text(ws, shown.id, shown.text)

    def change(ws: Workspace) -> None:
        iv.update_affirmation_text(ws, _affirmation(ws).id, "Ben heard it this way.")

    return Kind(edit, change, lambda ws: _affirmation(ws).text)


def _deleted_affirmation_kind() -> Kind:
    """An undo that deletes: undoing an added affirmation a colleague has since corrected."""

    def edit(ws: Workspace) -> Callable[[], object]:
        session_id = iv.list_sessions(ws)[0].id
        added = iv.add_affirmation(ws, session_id, "Ann's new affirmation.")
        return lambda: iv.delete_affirmation(ws, added)

    def change(ws: Workspace) -> None:
        said = next(a for a in _all_affirmations(ws) if a.text == "Ann's new affirmation.")
        iv.update_affirmation_text(ws, said.id, "Ann's new affirmation, as Ben heard it.")

    return Kind(edit, change, lambda ws: sorted(a.text for a in _all_affirmations(ws)))


def _all_affirmations(ws: Workspace) -> tuple[iv.AffirmationInfo, ...]:
    return iv.list_affirmations(ws, iv.list_sessions(ws)[0].id)


def _link_id(ws: Workspace) -> int:
    with ws.uow() as uow:
        found = uow.session.scalars(select(EvidenceLink.id).order_by(EvidenceLink.id)).first()
    assert found is not None
    return found


def _link_kind() -> Kind:
    def edit(ws: Workspace) -> Callable[[], object]:
        before = ev.set_link_adequacy(ws, _link_id(ws), "inadequate", "Ann: not signed")
        return lambda: ev.restore_links(ws, [before])

    def change(ws: Workspace) -> None:
        ev.set_link_adequacy(ws, _link_id(ws), "not_assessed", "Ben: to look at again")

    def read(ws: Workspace) -> str:
        with ws.uow() as uow:
            row = uow.session.get(EvidenceLink, _link_id(ws))
            assert row is not None
            return row.note

    return Kind(edit, change, read)


def _judgment_kind() -> Kind:
    def first(ws: Workspace) -> tuple[tuple[str, str, str], decisions.OuDecision]:
        return next(iter(sorted(decisions.ou_decisions(ws).items())))

    def goal_of(ws: Workspace, model: str, pa: str, practice: str) -> str:
        return next(p.goal for p in ev.practice_options(ws) if (p.model, p.pa, p.practice) == (model, pa, practice))

    def put(ws: Workspace, rationale: str) -> decisions.OuDecision | None:
        (model, pa, practice), shown = first(ws)
        goal = goal_of(ws, model, pa, practice)
        return decisions.restore_ou_decision(ws, model, pa, goal, practice, replace(shown, rationale=rationale))

    def edit(ws: Workspace) -> Callable[[], object]:
        (model, pa, practice), _ = first(ws)
        goal = goal_of(ws, model, pa, practice)
        before = put(ws, "Ann's reason")
        return lambda: decisions.restore_ou_decision(ws, model, pa, goal, practice, before)

    return Kind(edit, lambda ws: put(ws, "Ben's reason"), lambda ws: first(ws)[1].rationale)


def _goal_decision_kind() -> Kind:
    def first(ws: Workspace) -> tuple[tuple[str, str, str], decisions.GoalOverride]:
        return next(iter(sorted(decisions.goal_overrides(ws).items())))

    def put(ws: Workspace, rationale: str) -> decisions.GoalOverride | None:
        (model, pa, goal), shown = first(ws)
        return decisions.restore_goal_override(ws, model, pa, goal, replace(shown, rationale=rationale))

    def edit(ws: Workspace) -> Callable[[], object]:
        (model, pa, goal), _ = first(ws)
        before = put(ws, "Ann's reason")
        return lambda: decisions.restore_goal_override(ws, model, pa, goal, before)

    return Kind(edit, lambda ws: put(ws, "Ben's reason"), lambda ws: first(ws)[1].rationale)


def _plan_kind() -> Kind:
    def edit(ws: Workspace) -> Callable[[], object]:
        before = plan_editing.set_phase(ws, "report")
        return lambda: plan_editing.set_phase(ws, before)

    return Kind(edit, lambda ws: plan_editing.set_phase(ws, "closed"), plan_editing.get_phase)


KINDS = {
    "finding": _finding_kind(),
    "finding status": _status_kind(),
    "artifact": _artifact_kind(),
    "interview session": _session_kind(),
    "affirmation": _affirmation_kind(),
    "added affirmation": _deleted_affirmation_kind(),
    "evidence link": _link_kind(),
    "practice judgment": _judgment_kind(),
    "goal decision": _goal_decision_kind(),
    "plan": _plan_kind(),
}


@pytest.mark.parametrize("kind", KINDS.values(), ids=KINDS.keys())
def test_an_undo_after_a_colleague_changed_the_row_is_refused_and_keeps_their_work(two: Two, kind: Kind) -> None:
    """The undo runs under the edit's guard, as the window's undo does (app/ui/commands.py): no `expected=`."""
    guard = EditGuard()
    with two.mine.guarded(guard):
        undo = kind.edit(two.mine)
    kind.change(two.theirs)
    theirs = kind.read(two.theirs)
    refusal = rf"changed by {two.theirs.who} at \d\d:\d\d — reloaded"
    with pytest.raises(StaleEditError, match=refusal), two.mine.guarded(guard):
        undo()
    assert kind.read(two.mine) == theirs


def test_an_undo_keeps_a_colleagues_change_to_what_the_edit_did_not_write(two: Two) -> None:
    """Only what the edit wrote is checked and put back: the colleague's other change survives the undo."""
    shown = ev.artifact_detail(two.mine, ev.list_artifacts(two.mine)[0].id)
    guard = EditGuard()
    with two.mine.guarded(guard):
        ev.update_artifact(two.mine, shown.summary.id, replace(shown.meta, version_label="v9 (Ann)"))
    theirs = ev.artifact_detail(two.theirs, shown.summary.id).meta
    ev.update_artifact(two.theirs, shown.summary.id, replace(theirs, description="Ben's description"))
    with two.mine.guarded(guard):
        ev.update_artifact(two.mine, shown.summary.id, replace(theirs, version_label=shown.meta.version_label,
                                                               description="Ben's description"))  # fmt: skip
    after = ev.artifact_detail(two.mine, shown.summary.id).meta
    assert (after.version_label, after.description) == (shown.meta.version_label, "Ben's description")


@pytest.mark.parametrize("kind", KINDS.values(), ids=KINDS.keys())
def test_an_undo_nobody_interfered_with_is_made(two: Two, kind: Kind) -> None:
    before = kind.read(two.mine)
    guard = EditGuard()
    with two.mine.guarded(guard):
        undo = kind.edit(two.mine)
    with two.mine.guarded(guard):
        undo()
    assert kind.read(two.mine) == before


def _seen_then_changed(two: Two) -> dict[str, Callable[[], object]]:
    """Each kind's edit made on what `mine` saw before `theirs` changed it (the services' `expected=`)."""
    mine, theirs = two.mine, two.theirs
    artifact = ev.artifact_detail(mine, ev.list_artifacts(mine)[0].id)
    session_id, session = _session_fields(mine)
    notes = iv.get_session(mine, session_id).notes
    said = _affirmation(mine)
    status_of = next(f for f in findings.list_findings(mine) if f.status == "preliminary")
    (m, pa, practice), judgment = next(iter(sorted(decisions.ou_decisions(mine).items())))
    goal = next(p.goal for p in ev.practice_options(mine) if (p.model, p.pa, p.practice) == (m, pa, practice))
    (gm, gpa, ggoal), goal_decision = next(iter(sorted(decisions.goal_overrides(mine).items())))
    plan, phase = plan_editing.get_plan(mine), plan_editing.get_phase(mine)
    cell = CellKey("SM", "SM", "ESG1", "ESP1.1", "Quotes")
    mark = grid_edits.set_review_flag(mine, cell, False)  # as the grid showed it: no mark

    ev.update_artifact(theirs, artifact.summary.id, replace(artifact.meta, description="Ben's"))
    iv.update_session(theirs, session_id, replace(session, participant_roles="Ben's roles"))
    iv.set_session_notes(theirs, session_id, notes + " Ben's notes.")
    iv.update_affirmation_text(theirs, said.id, "Ben heard it this way.")
    findings.set_status(theirs, status_of.id, "validated")
    decisions.restore_ou_decision(theirs, m, pa, goal, practice, replace(judgment, rationale="Ben's"))
    decisions.restore_goal_override(theirs, gm, gpa, ggoal, replace(goal_decision, rationale="Ben's"))
    plan_editing.set_phase(theirs, "closed" if phase != "closed" else "report")
    plan_editing.update_plan(theirs, replace(plan, sponsor="Ben's sponsor"))
    grid_edits.set_review_flag(theirs, cell, True, "Ben: look at the quotes again")
    return {
        "artifact": lambda: ev.update_artifact(
            mine, artifact.summary.id, replace(artifact.meta, title="Ann's"), expected=artifact.meta
        ),
        "session": lambda: iv.update_session(mine, session_id, replace(session, code="S-ANN"), expected=session),
        "notes": lambda: iv.set_session_notes(mine, session_id, notes + " Ann's notes.", expected=notes),
        "affirmation": lambda: iv.update_affirmation_text(mine, said.id, "Ann's.", expected=said.text),
        "finding status": lambda: findings.set_status(mine, status_of.id, "validated", expected="preliminary"),
        "judgment": lambda: decisions.set_ou_decision(mine, m, pa, goal, practice, None, expected=judgment),
        "goal decision": lambda: decisions.set_goal_override(mine, gm, gpa, ggoal, None, expected=goal_decision),
        "phase": lambda: plan_editing.set_phase(mine, "conduct", expected=phase),
        "plan": lambda: plan_editing.update_plan(mine, replace(plan, sponsor="Ann's sponsor"), expected=plan),
        "review mark": lambda: grid_edits.set_review_flag(mine, cell, True, "Ann's doubt", expected=mark),
    }


def test_an_edit_made_on_a_stale_view_of_any_kind_is_refused_and_names_who(two: Two) -> None:
    before = {
        "phase": plan_editing.get_phase(two.mine),
    }
    edits = _seen_then_changed(two)
    after_colleague = plan_editing.get_phase(two.theirs)
    refused = {}
    for what, edit in edits.items():
        with pytest.raises(StaleEditError) as caught:
            edit()
        refused[what] = str(caught.value)
    pattern = rf"changed by {two.theirs.who} at \d\d:\d\d — reloaded\. Your change was not saved"
    assert {what: text for what, text in refused.items() if not re.search(pattern, text)} == {}
    assert plan_editing.get_phase(two.mine) == after_colleague != before["phase"]
