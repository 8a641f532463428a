"""Fast entry in the Characterize grid, through its real widgets: a value advances the cursor (a setting),
one key fills a selected range as one undo step, a block pasted from a spreadsheet is previewed and
validated, Tab moves between cells, and the go-to box, Ctrl+G and Ctrl+K jump to a practice typed any way."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from app.services.characterize import get_cell
from app.services.workspace import Workspace
from app.ui.characterize.fast_entry import PastePreviewDialog
from app.ui.shell.go_to_dialog import GoToDialog
from app.ui.shell.main_window import MainWindow
from tests.ui.characterize_grid import current, irp, page_of, ws_of
from tests.ui.characterize_grid import open_window as open_window  # the fixture, shared


@pytest.fixture
def window(open_window: Callable[..., MainWindow]) -> MainWindow:
    """The Characterize test window, back on the default setting: a value moves the cursor down."""
    win = open_window()
    next(a for a in win.advance_group.actions() if a.data() == "down").trigger()
    return win


def values(ws: Workspace, *cells: tuple[str, str, str]) -> list[str | None]:
    return [get_cell(ws, irp(*cell)).value for cell in cells]


def test_a_value_moves_the_cursor_down_and_the_setting_can_move_it_right_or_keep_it(qtbot, window) -> None:
    page = page_of(window)
    page.select_cell(irp("SG1", "SP1.1", "Claims"))
    qtbot.keyClick(page.view, "f")
    assert current(page) == ("SP1.2", "Claims"), "the default is to go down to the next practice"
    qtbot.keyClick(page.view, "l")
    assert current(page) == ("GP2.1", "Claims"), "the goal heading between is stepped over"
    assert values(ws_of(window), ("SG1", "SP1.1", "Claims"), ("SG1", "SP1.2", "Claims")) == ["FI", "LI"]

    right = next(a for a in window.advance_group.actions() if a.data() == "right")
    right.trigger()
    assert window.settings.advance() == "right"
    page.select_cell(irp("SG1", "SP1.1", "Claims"))
    qtbot.keyClick(page.view, "p")
    assert current(page) == ("SP1.1", "Policies")

    stay = next(a for a in window.advance_group.actions() if a.data() == "stay")
    stay.trigger()
    qtbot.keyClick(page.view, "n")
    assert current(page) == ("SP1.1", "Policies")


def test_tab_and_shift_tab_move_between_cells_inside_the_grid(qtbot, window) -> None:
    page = page_of(window)
    page.select_cell(irp("SG1", "SP1.1", "Claims"))
    qtbot.keyClick(page.view, Qt.Key.Key_Tab)
    assert current(page) == ("SP1.1", "Policies")
    assert page.view.hasFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert current(page) == ("SP1.1", "Claims")
    assert page.view.hasFocus()


def test_one_key_fills_a_selected_range_and_one_undo_takes_it_back(qtbot, window) -> None:
    page = page_of(window)
    ws = ws_of(window)
    page.select_cell(irp("SG1", "SP1.1", "Claims"))
    qtbot.keyClick(page.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(page.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(page.view, "l")
    block = (("SG1", "SP1.1", "Claims"), ("SG1", "SP1.1", "Policies"), ("SG1", "SP1.2", "Claims"))
    assert values(ws, *block, ("SG1", "SP1.2", "Policies")) == ["LI"] * 4
    assert window.undo_action.text() == "&Undo Set 4 cells to LI"

    page.select_cell(irp("SG1", "SP1.1", "Claims"))
    window.undo_action.trigger()
    assert values(ws, *block, ("SG1", "SP1.2", "Policies")) == [None] * 4
    assert len(page.view.selectionModel().selectedIndexes()) == 4, "undo selects the cells it changed"
    window.redo_action.trigger()
    assert values(ws, *block) == ["LI"] * 3

    # Delete clears the whole range, again as one step.
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert values(ws, *block) == [None] * 3
    window.undo_action.trigger()
    assert values(ws, *block) == ["LI"] * 3


def _answer_paste(qtbot, apply: bool, seen: list[PastePreviewDialog]) -> None:
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PastePreviewDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog)
        if apply and dialog.apply_button.isEnabled():
            dialog.apply_button.click()
        else:
            dialog.reject()

    QTimer.singleShot(0, answer)


def test_a_pasted_column_is_previewed_validated_and_applied_as_one_step(qtbot, window) -> None:
    page = page_of(window)
    ws = ws_of(window)
    column = (("SG1", "SP1.1", "Claims"), ("SG1", "SP1.2", "Claims"), ("GG2", "GP2.1", "Claims"))

    QGuiApplication.clipboard().setText("FI\nmaybe\nPI\n")
    page.select_cell(irp(*column[0]))
    seen: list[PastePreviewDialog] = []
    _answer_paste(qtbot, True, seen)
    qtbot.keyClick(page.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert seen and not seen[0].apply_button.isEnabled(), "a text that is no value blocks the paste"
    assert "line 2" in seen[0].table.item(0, 0).text()
    assert values(ws, *column) == [None, None, None]

    QGuiApplication.clipboard().setText("FI\r\nlargely implemented\r\np\r\n")
    seen.clear()
    _answer_paste(qtbot, True, seen)
    qtbot.keyClick(page.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert seen[0].table.rowCount() == 3
    assert values(ws, *column) == ["FI", "LI", "PI"]
    assert window.undo_action.text() == "&Undo Paste 3 value(s)"
    window.undo_action.trigger()
    assert values(ws, *column) == [None, None, None]

    # A block wider than the units would spill into the OU column: refused with the reason.
    QGuiApplication.clipboard().setText("FI\tFI\tFI\tFI\n")
    seen.clear()
    _answer_paste(qtbot, True, seen)
    qtbot.keyClick(page.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    problems = [seen[0].table.item(r, 0).text() for r in range(seen[0].table.rowCount())]
    assert any("Sec does not implement IRP" in p for p in problems)
    assert any("OU column" in p for p in problems)
    assert not seen[0].apply_button.isEnabled()
    assert values(ws, *column) == [None, None, None]


def test_the_practice_box_ctrl_g_and_ctrl_k_go_to_a_practice_typed_any_way(qtbot, window) -> None:
    page = page_of(window)
    page.filters.practice.setText("IRP SP 1.2")
    qtbot.keyClick(page.filters.practice, Qt.Key.Key_Return)
    assert current(page) == ("SP1.2", "Claims")
    assert page.view.hasFocus()

    page.filters.practice.setText("SP9.9")
    qtbot.keyClick(page.filters.practice, Qt.Key.Key_Return)
    assert "Nothing in this appraisal is called" in page.message.text()

    def type_in_go_to() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, GoToDialog):
            QTimer.singleShot(20, type_in_go_to)
            return
        qtbot.keyClicks(dialog.line, "esp1.2")
        qtbot.keyClick(dialog.line, Qt.Key.Key_Return)

    QTimer.singleShot(0, type_in_go_to)
    window.go_to_action.trigger()
    assert current(page) == ("ESP1.2", "Claims")

    window.focus_search()
    qtbot.keyClicks(window.search_box.edit, "irp gp2.2")
    window.search_box.run_search()
    assert window.search_box.hits[0].title == "Go to CMMI-SVC IRP GP2.2"
    window.search_box.choose(0)
    assert current(page) == ("GP2.2", "Claims")
