"""Interviews as issue 15 asked: an affirmation's tags read on one line per row, a session about no
particular unit never guesses one for its tags, and typing into the notes continues them."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.services import evidence as ev
from app.services import interviews as iv
from app.services.interview_view import SessionFields
from app.ui.interviews.notes_editor import NOTES_DELAY_MS
from app.ui.shell.main_window import MainWindow
from tests.ui.test_interviews_page import page_of, unit_id
from tests.ui.test_interviews_page import window as window  # the fixture, shared


def test_tags_read_one_line_a_row_each_practice_once_with_its_units(qtbot, window: MainWindow) -> None:
    assert window.document is not None
    ws = window.document.workspace
    sid = iv.create_session(ws, SessionFields("INT-7", unit_id=unit_id(window, "Claims")))
    claims, office = unit_id(window, "Claims"), unit_id(window, "Security office")
    sm = next(o for o in ev.practice_options(ws) if o.pa == "SM")
    targets = [
        ev.LinkTarget("CMMI-SVC", "IRP", "SP1.1", claims),
        ev.LinkTarget(sm.model, sm.pa, sm.practice, claims),
        ev.LinkTarget(sm.model, sm.pa, sm.practice, office),
    ]
    iv.add_affirmation(ws, sid, "Incidents and services are reviewed", targets)
    page = page_of(window)
    page.refresh()
    assert page.select_session(sid)
    text = page.affirmations.item(0, 2).text()
    assert "\n" not in text
    assert text == f"IRP SP1.1 · Claims; SM {sm.practice} · Claims, Security office"


def test_a_session_about_no_unit_checks_no_unit_for_its_tags(qtbot, window: MainWindow) -> None:
    assert window.document is not None
    ws = window.document.workspace
    iv.create_session(ws, SessionFields("INT-1", unit_id=unit_id(window, "Claims")))
    sid = iv.create_session(ws, SessionFields("GRP-1"))
    page = page_of(window)
    page.refresh()
    assert page.select_session(sid)
    assert page.entry.chosen_units() == [], "no unit is guessed"
    assert [unit.name for _action, unit in page.entry._unit_actions] == ["Claims", "Security office"]


def test_typing_into_the_notes_continues_after_what_is_there(qtbot, window: MainWindow) -> None:
    assert window.document is not None
    ws = window.document.workspace
    sid = iv.create_session(ws, SessionFields("INT-2"))
    iv.set_session_notes(ws, sid, "Escalation matrix on the wall.")
    page = page_of(window)
    page.refresh()
    assert page.select_session(sid)
    page.notes.edit.setFocus()
    qtbot.keyClicks(page.notes.edit, " Reviewed weekly.")
    qtbot.keyClick(page.notes.edit, Qt.Key.Key_Tab)
    qtbot.waitUntil(
        lambda: iv.get_session(ws, sid).notes == "Escalation matrix on the wall. Reviewed weekly.",
        timeout=NOTES_DELAY_MS * 5,
    )
