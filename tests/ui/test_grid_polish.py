"""Issue 15's polish, as a person at the keyboard sees it: both redo keys, undo and redo selecting what they
changed, the message under the grid that keeps its place and goes when it is out of date, and a search that
says when it finds nothing."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.domain.catalog import Catalog
from app.services import appraisals
from app.services.characterize import get_cell
from app.ui.shell.main_window import MainWindow
from app.ui.shell.tasks import Task
from tests.ui.characterize_grid import PLAN, current, irp, page_of, ws_of
from tests.ui.characterize_grid import open_window as open_window  # the fixture, shared

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _active(qtbot, window: MainWindow) -> None:
    # Window shortcuts (Edit › Undo, Redo) reach only the active window.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)


def test_ctrl_shift_z_and_ctrl_y_both_redo_and_undo_redo_select_the_cell_they_changed(
    qtbot, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window()
    _active(qtbot, window)
    page = page_of(window)
    ws = ws_of(window)
    changed = irp("SG1", "SP1.2", "Policies")
    page.select_cell(changed)
    qtbot.keyClick(page.view, "f")
    page.select_cell(irp("SG1", "SP1.1", "Claims"))

    qtbot.keyClick(page.view, Qt.Key.Key_Z, CTRL)
    assert get_cell(ws, changed).value is None
    assert current(page) == ("SP1.2", "Policies"), "undo shows the cell it changed"
    page.select_cell(irp("GG2", "GP2.1", "Claims"))
    qtbot.keyClick(page.view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert get_cell(ws, changed).value == "FI", "Ctrl+Shift+Z redoes"
    assert current(page) == ("SP1.2", "Policies"), "redo shows the cell it changed"
    qtbot.keyClick(page.view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(page.view, Qt.Key.Key_Y, CTRL)
    assert get_cell(ws, changed).value == "FI", "Ctrl+Y redoes too"


def test_the_message_under_the_grid_keeps_its_place_and_goes_when_out_of_date(
    qtbot, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window()
    _active(qtbot, window)
    page = page_of(window)
    page.select_cell(irp("SG1", "SP1.1", "Claims"))
    QApplication.processEvents()
    grid_height = page.view.height()

    qtbot.keyClick(page.view, "x")  # no value on the scale: the message says which keys work
    QApplication.processEvents()
    assert "F, L, P, N, Y" in page.message.text()
    assert page.view.height() == grid_height, "the grid does not jump when a message appears"
    qtbot.keyClick(page.view, Qt.Key.Key_Down)
    assert page.message.text() == "", "moving away clears it"

    qtbot.keyClick(page.view, "l")
    qtbot.keyClick(page.view, "x")
    assert page.message.text() != ""
    qtbot.keyClick(page.view, Qt.Key.Key_Z, CTRL)
    assert page.message.text() == "", "undo clears it"
    QApplication.processEvents()
    assert page.view.height() == grid_height


def test_a_search_with_no_hits_says_so_and_the_next_typing_clears_it(
    qtbot, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window()
    box = window.search_box
    box.edit.setText("zzqx nothing like this")
    assert box.run_search() == ()
    assert box.status.isVisible()
    assert box.status.text() == "Nothing found for “zzqx nothing like this”"
    box.edit.setText("Incident")
    assert not box.status.isVisible()
    assert box.run_search() != ()
    assert not box.status.isVisible()


def test_while_the_grid_is_read_it_says_so_and_not_that_there_is_nothing(
    qtbot, make_window: Callable[..., MainWindow], tmp_path: Path, catalog: Catalog
) -> None:
    path = tmp_path / "reading.appraisal"
    ws = appraisals.create_appraisal(path, PLAN, catalog, who="Lee")
    ws.close()
    window = make_window()
    window.show()
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document is not None, timeout=10000)
    busy = threading.Event()
    window.runner.start(Task(lambda _p: busy.wait(30), label="busy"))  # the grid's reading waits its turn
    page = page_of(window)
    window.show_page(window.page_list.index(page))
    try:
        assert page.message.text() == "Reading the grid…"
        assert not page.empty_hint.isVisible()
    finally:
        busy.set()
    qtbot.waitUntil(lambda: bool(page.model.rows), timeout=20000)
    assert page.message.text() == "" and not page.empty_hint.isVisible()
