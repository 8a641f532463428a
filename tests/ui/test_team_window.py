"""The window on a team server: a colleague's edit shows within 2 seconds, marked with their name; a lost
connection turns the window read-only with a banner, and it comes back by itself."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import create_engine, text

from app.services import appraisals, characterize, team_server
from app.services import evidence as ev
from app.services import findings as fs
from app.services import interviews as iv
from app.services.characterize import CellKey
from app.ui.characterize.characterize_page import CharacterizePage
from app.ui.characterize.grid_table import LOOK_ROLE
from app.ui.evidence.artifact_table import TITLE
from app.ui.evidence.evidence_page import EvidencePage
from app.ui.findings.findings_page import FindingsPage
from app.ui.findings.findings_table import TEXT
from app.ui.interviews.interviews_page import InterviewsPage
from app.ui.shell.main_window import MainWindow
from tests.storage.conftest import BASE_URL, NO_SERVER, as_login, two_leads
from tests.storage.conftest import demo_file as demo_file  # the fixtures, shared
from tests.storage.conftest import server_db as server_db

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not BASE_URL, reason=NO_SERVER)]

CELL = CellKey("SM", "SM", "ESG1", "ESP1.1", "Quotes")


def _page(window: MainWindow) -> CharacterizePage:
    page = window.page(CharacterizePage)
    assert isinstance(page, CharacterizePage)
    return page


def test_a_colleagues_edit_arrives_marked_and_a_lost_connection_is_shown(
    qtbot, make_window: Callable[..., MainWindow], server_db: str, demo_file: Path
) -> None:
    team_server.push(demo_file, server_db)
    db = server_db.rsplit("/", 1)[1]
    ann, ben = f"{db}_ann", f"{db}_ben"
    for login in (ann, ben):
        team_server.add_user(server_db, login, "lead", None, None)
    win = make_window(page_factories=[CharacterizePage])
    win.show()
    win.open_server(as_login(server_db, ann))
    qtbot.waitUntil(lambda: win.document is not None, timeout=20000)
    win.nav.setCurrentRow(0)
    page = _page(win)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=20000)
    assert win.live is not None
    assert win.file_label.text().endswith(f"{ann} · lead")

    colleague = appraisals.open_appraisal(as_login(server_db, ben))
    try:
        seen = characterize.get_cell(colleague, CELL)
        new = "NI" if seen.value != "NI" else "PI"
        characterize.set_cell(colleague, CELL, replace(seen, value=new), expected=seen)
    finally:
        colleague.close()

    def shows_it() -> bool:
        look = page.model.data(page.model.index_of(CELL), LOOK_ROLE)
        return look is not None and look.text == new and ben in look.sub

    qtbot.waitUntil(shows_it, timeout=2000)

    admin = create_engine(server_db, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:  # Ann can no longer reach the appraisal: her window goes read-only
            conn.execute(text(f'ALTER ROLE "{ann}" NOLOGIN'))
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :u"), {"u": ann})
        qtbot.waitUntil(win.offline_banner.isVisible, timeout=5000)
        assert "read-only" in win.offline_banner.text()
        assert not page.edits.set_value(CELL, "FI")  # refused, and said in a message box
        box = win.findChild(QMessageBox, "errorBox")
        assert box is not None and any(s in box.text() for s in ("Not saved", "Cannot reach", "refused the login"))
        box.close()
        with admin.connect() as conn:
            conn.execute(text(f'ALTER ROLE "{ann}" LOGIN'))
        qtbot.waitUntil(lambda: not win.offline_banner.isVisible(), timeout=8000)
    finally:
        admin.dispose()
    assert win.document is not None
    assert characterize.get_cell(win.document.workspace, CELL).value == new
    win.close_document()


def test_an_observers_window_says_so_and_refuses_edits_at_once(
    qtbot, make_window: Callable[..., MainWindow], server_db: str, demo_file: Path
) -> None:
    team_server.push(demo_file, server_db)
    sam = f"{server_db.rsplit('/', 1)[1]}_sam"
    team_server.add_user(server_db, sam, "observer", None, None)
    win = make_window(page_factories=[CharacterizePage])
    win.show()
    win.open_server(as_login(server_db, sam))
    qtbot.waitUntil(lambda: win.document is not None, timeout=20000)
    win.nav.setCurrentRow(0)
    page = _page(win)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=20000)
    assert win.file_label.text().endswith(f"{sam} · observer")
    assert win.document is not None
    before = characterize.get_cell(win.document.workspace, CELL)
    assert not page.edits.set_value(CELL, "NI" if before.value != "NI" else "PI")
    box = win.findChild(QMessageBox, "errorBox")
    assert box is not None and "observer" in box.text()
    box.close()
    win.close_document()


def test_findings_evidence_and_interviews_follow_a_colleague_marked_with_who(
    qtbot, make_window: Callable[..., MainWindow], server_db: str, demo_file: Path
) -> None:
    ann_url, ben_url = two_leads(server_db, demo_file)
    pages = [FindingsPage, EvidencePage, InterviewsPage]
    win = make_window(page_factories=pages)
    win.show()
    win.open_server(ann_url)
    qtbot.waitUntil(lambda: win.document is not None, timeout=20000)
    colleague = appraisals.open_appraisal(ben_url)
    ben = colleague.who
    try:
        # Findings: the list shows the new wording within 2 s, marked "by ben"
        win.nav.setCurrentRow(0)
        findings_page = win.page(FindingsPage)
        assert isinstance(findings_page, FindingsPage)
        qtbot.waitUntil(lambda: findings_page.model.rowCount() > 0, timeout=10000)
        shown = fs.list_findings(colleague)[0]
        fs.update_finding(colleague, shown.id, replace(shown.fields, text="Reworded by the colleague."))
        row = findings_page.model.row_of(shown.id)
        assert row is not None

        def finding_marked() -> bool:
            text = findings_page.model.index(row, TEXT).data()
            return text == f"Reworded by the colleague. · by {ben}"

        qtbot.waitUntil(finding_marked, timeout=2000)

        # Evidence: an artifact's new title, marked
        win.nav.setCurrentRow(1)
        evidence_page = win.page(EvidencePage)
        assert isinstance(evidence_page, EvidencePage)
        qtbot.waitUntil(lambda: evidence_page.model.rowCount() > 0, timeout=10000)
        artifact = ev.artifact_detail(colleague, ev.list_artifacts(colleague)[0].id)
        ev.update_artifact(colleague, artifact.summary.id, replace(artifact.meta, title="Renamed by the colleague"))
        arow = evidence_page.model.row_of(artifact.summary.id)
        assert arow is not None
        qtbot.waitUntil(
            lambda: evidence_page.model.index(arow, TITLE).data() == f"Renamed by the colleague · by {ben}",
            timeout=2000,
        )

        # Interviews: an affirmation of the session shown, corrected by the colleague
        win.nav.setCurrentRow(2)
        interviews_page = win.page(InterviewsPage)
        assert isinstance(interviews_page, InterviewsPage)
        qtbot.waitUntil(lambda: interviews_page.session_id is not None, timeout=10000)
        session_id = interviews_page.session_id
        assert session_id is not None
        said = iv.list_affirmations(colleague, session_id)[0]
        iv.update_affirmation_text(colleague, said.id, "Corrected by the colleague.")

        def affirmation_marked() -> bool:
            table = interviews_page.affirmations
            texts = {table.item(r, 1).text(): table.item(r, 0).text() for r in range(table.rowCount())}
            return texts.get("Corrected by the colleague.", "").endswith(f"· by {ben}")

        qtbot.waitUntil(affirmation_marked, timeout=2000)
        win.grab().save(str(Path(os.environ.get("TEAM_SHOT_DIR", "/tmp")) / "team_interviews_marked.png"))
    finally:
        colleague.close()
    win.close_document()
