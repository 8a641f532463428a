"""The window on a team server: a colleague's edit shows within 2 seconds, marked with their name; a lost
connection turns the window read-only with a banner, and it comes back by itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import create_engine, text

from app.services import appraisals, characterize, team_server
from app.services.characterize import CellKey
from app.ui.characterize.characterize_page import CharacterizePage
from app.ui.characterize.grid_table import LOOK_ROLE
from app.ui.shell.main_window import MainWindow
from tests.storage.conftest import BASE_URL, NO_SERVER, as_login
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
        assert box is not None and ("Not saved" in box.text() or "Cannot reach" in box.text())
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
