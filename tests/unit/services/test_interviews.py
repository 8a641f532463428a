"""Interview sessions, participants kept apart, live notes and tagged affirmations, on a real appraisal file."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, ScopeEntry, UnitKind, UnitPlan
from app.services import appraisals
from app.services import interviews as iv
from app.services.evidence import EvidenceSource, LinkTarget, link_evidence, unit_options, unlink_evidence
from app.services.interviews import SessionFields
from app.services.workspace import Workspace
from app.storage.errors import KnownError
from app.storage.schema import ChangeLog

PLAN = Plan(
    name="Interview test",
    scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2), ScopeEntry(PaKey("SM", "SM"), 2)),
    units=(
        UnitPlan("Claims", UnitKind.BASIC_UNIT),
        UnitPlan("Security office", UnitKind.SUPPORT_FUNCTION, process_areas=(PaKey("SM", "SM"),)),
    ),
)
AT = datetime(2026, 11, 30, 9, 30)


@pytest.fixture
def ws(appraisal_target: str | Path, catalog: Catalog) -> Iterator[Workspace]:
    """On a file and on a team server (tests/conftest.py: appraisal_target)."""
    workspace = appraisals.create_appraisal(appraisal_target, PLAN, catalog, who="Lee")
    yield workspace
    workspace.close()


def unit_id(ws: Workspace, name: str) -> int:
    return next(u.id for u in unit_options(ws) if u.name == name)


def test_sessions_are_listed_in_time_order_without_names(ws: Workspace) -> None:
    claims = unit_id(ws, "Claims")
    later = iv.create_session(ws, SessionFields("S2", "demonstration", datetime(2026, 12, 1, 14, 0), claims))
    first = iv.create_session(ws, SessionFields("S1", "interview", AT, claims, "Service manager, 2 analysts"))
    unscheduled = iv.create_session(ws, SessionFields("W1", "written"))
    iv.add_participant(ws, first, "Pat Example", "Service manager")
    iv.add_participant(ws, first, "Sam Sample", "Analyst")
    sessions = iv.list_sessions(ws)
    assert [s.id for s in sessions] == [first, later, unscheduled]
    s1 = sessions[0]
    assert (s1.code, s1.kind, s1.unit, s1.participant_roles, s1.participant_count) == (
        "S1",
        "interview",
        "Claims",
        "Service manager, 2 analysts",
        2,
    )
    # No DTO a list hands out carries a participant's name; only the dedicated call does.
    assert "Pat Example" not in repr(sessions) and "Pat Example" not in repr(iv.get_session(ws, first))
    assert [(p.name, p.role) for p in iv.session_participants(ws, first)] == [
        ("Pat Example", "Service manager"),
        ("Sam Sample", "Analyst"),
    ]
    with ws.uow() as uow:
        details = uow.session.scalars(select(ChangeLog.detail)).all()
    assert not any("Pat" in d or "Sam" in d for d in details), "the change log must not name participants"


def test_session_fields_are_checked(ws: Workspace) -> None:
    iv.create_session(ws, SessionFields("S1"))
    with pytest.raises(KnownError, match="already a session S1"):
        iv.create_session(ws, SessionFields(" S1 "))
    with pytest.raises(KnownError, match="needs a code"):
        iv.create_session(ws, SessionFields(""))
    with pytest.raises(KnownError, match="not a kind of session"):
        iv.create_session(ws, SessionFields("S2", "chat"))


def test_update_returns_previous_and_notes_save_as_typed(ws: Workspace) -> None:
    sid = iv.create_session(ws, SessionFields("S1", held_at=AT))
    before = iv.update_session(ws, sid, SessionFields("S1a", "presentation", AT, unit_id(ws, "Claims"), "CISO"))
    assert before == SessionFields("S1", "interview", AT, None, "")
    iv.set_session_notes(ws, sid, "Incidents are triaged within 15 minutes.")
    info = iv.get_session(ws, sid)
    assert info.fields == SessionFields("S1a", "presentation", AT, unit_id(ws, "Claims"), "CISO")
    assert info.notes == "Incidents are triaged within 15 minutes."
    iv.update_session(ws, sid, before)
    assert iv.get_session(ws, sid).code == "S1" and iv.get_session(ws, sid).notes.startswith("Incidents")


def test_affirmations_are_tagged_to_practices_in_units(ws: Workspace) -> None:
    sid = iv.create_session(ws, SessionFields("S1", held_at=AT))
    claims, security = unit_id(ws, "Claims"), unit_id(ws, "Security office")
    a1 = iv.add_affirmation(
        ws,
        sid,
        "We classify every incident by severity.",
        [LinkTarget("CMMI-SVC", "IRP", "SP1.1", claims), LinkTarget("SM", "SM", "ESP1.2", security)],
    )
    a2 = iv.add_affirmation(ws, sid, "  Threats are reviewed quarterly.  ")
    said = iv.list_affirmations(ws, sid)
    assert [(a.id, a.position, a.text) for a in said] == [
        (a1, 0, "We classify every incident by severity."),
        (a2, 1, "Threats are reviewed quarterly."),
    ]
    assert [(t.pa, t.practice, t.unit) for t in said[0].tags] == [
        ("IRP", "SP1.1", "Claims"),
        ("SM", "ESP1.2", "Security office"),
    ]
    assert iv.get_session(ws, sid).affirmation_count == 2
    # Tag after the fact, through the same link calls as artifacts.
    batch = link_evidence(ws, EvidenceSource.of_affirmation(a2), [LinkTarget("SM", "SM", "ESP1.2", claims)])
    assert [t.practice for t in iv.get_affirmation(ws, a2).tags] == ["ESP1.2"]
    unlink_evidence(ws, [batch.created[0].id])
    assert iv.get_affirmation(ws, a2).tags == ()
    # A bad tag refuses the whole affirmation.
    with pytest.raises(KnownError, match="does not implement CMMI-SVC IRP"):
        iv.add_affirmation(ws, sid, "x", [LinkTarget("CMMI-SVC", "IRP", "SP1.1", security)])
    assert len(iv.list_affirmations(ws, sid)) == 2
    with pytest.raises(KnownError, match="Type what was affirmed"):
        iv.add_affirmation(ws, sid, "   ")


def test_affirmation_edit_delete_restore(ws: Workspace) -> None:
    sid = iv.create_session(ws, SessionFields("S1"))
    claims = unit_id(ws, "Claims")
    aid = iv.add_affirmation(ws, sid, "Original", [LinkTarget("CMMI-SVC", "IRP", "SP1.2", claims)])
    assert iv.update_affirmation_text(ws, aid, "Corrected") == "Original"
    before = iv.get_affirmation(ws, aid)
    rec = iv.delete_affirmation(ws, aid)
    assert iv.list_affirmations(ws, sid) == ()
    iv.restore_affirmation(ws, rec)
    assert iv.get_affirmation(ws, aid) == before


def test_delete_session_and_restore_everything_with_the_same_ids(ws: Workspace) -> None:
    claims = unit_id(ws, "Claims")
    sid = iv.create_session(ws, SessionFields("S1", "interview", AT, claims, "Manager"))
    iv.set_session_notes(ws, sid, "Notes typed live.")
    pid = iv.add_participant(ws, sid, "Pat Example", "Manager")
    aid = iv.add_affirmation(ws, sid, "We log incidents.", [LinkTarget("CMMI-SVC", "IRP", "SP1.1", claims)])
    before = (iv.get_session(ws, sid), iv.session_participants(ws, sid), iv.list_affirmations(ws, sid))
    rec = iv.delete_session(ws, sid)
    assert iv.list_sessions(ws) == ()
    assert iv.restore_session(ws, rec) == sid
    after = (iv.get_session(ws, sid), iv.session_participants(ws, sid), iv.list_affirmations(ws, sid))
    assert after == before
    assert after[1][0].id == pid and after[2][0].id == aid


def test_participants_edit_remove_restore(ws: Workspace) -> None:
    sid = iv.create_session(ws, SessionFields("S1"))
    pid = iv.add_participant(ws, sid, "Pat Example", "Manager")
    old = iv.update_participant(ws, pid, "Pat Exemplar", "Director")
    assert (old.name, old.role) == ("Pat Example", "Manager")
    iv.restore_participant(ws, old)
    gone = iv.remove_participant(ws, pid)
    assert iv.session_participants(ws, sid) == ()
    iv.restore_participant(ws, gone)
    assert iv.session_participants(ws, sid) == (gone,)
    with pytest.raises(KnownError, match="needs a name"):
        iv.add_participant(ws, sid, "  ")


def test_session_dtos_have_no_name_field() -> None:
    for dto in (iv.SessionInfo, iv.SessionFields, iv.AffirmationInfo):
        assert not {"name", "names", "participants"} & {f.name for f in dataclasses.fields(dto)}


def test_an_undo_of_a_session_edit_written_trimmed_is_not_taken_for_a_colleagues_change(ws: Workspace) -> None:
    session_id = iv.create_session(ws, SessionFields("S1"))
    typed = SessionFields("  S1b ", participant_roles=" Service desk  ")
    iv.update_session(ws, session_id, typed, expected=SessionFields("S1"))
    iv.update_session(ws, session_id, SessionFields("S1"), expected=typed)  # the undo
    assert iv.get_session(ws, session_id).code == "S1"
