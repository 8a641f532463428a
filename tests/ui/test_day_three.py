"""Day 3 on site, from the keyboard only (issue 15's "Done when"): open the demo, go to the worklist, open the
first pending judgment and decide it, jump to IRP SP3.1 with Ctrl+K, fill five cells with one key and undo it
in one step, paste a column of seven values, and read the cell's history with each change and its author."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from app.services import demo
from app.services.catalogs import installed_catalog
from app.services.characterize import CellKey, get_cell
from app.services.worklist import WorkKind
from app.services.workspace import Workspace
from app.ui.characterize.characterize_page import CharacterizePage
from app.ui.characterize.fast_entry import PastePreviewDialog
from app.ui.characterize.judgment_dialog import RationaleDialog
from app.ui.overview.overview_page import OverviewPage
from app.ui.shell.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def make_demo(path: Path) -> Workspace:
    return demo.create_demo(path, installed_catalog(), who="tester")


def focused() -> QWidget:
    """Where a key goes: the focus of the modal dialog when one is open, else the window's focus."""
    modal = QApplication.activeModalWidget()
    if modal is not None:
        return modal.focusWidget() or modal
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
    if not window.isActiveWindow():
        # Offscreen, a closed dialog leaves no window active; a person's window manager would reactivate it.
        window.activateWindow()
        QApplication.processEvents()
    widget = QApplication.focusWidget() or window.focusWidget()
    assert widget is not None
    return widget


def key(qtbot, k: Qt.Key | str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the focus is, as a person at the keyboard would make it."""
    qtbot.keyClick(focused(), k, modifier)


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def in_modal(qtbot, kind: type, keys) -> None:
    """Answer the next modal dialog of `kind` with keys typed where its focus is."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, answer)
            return
        keys(dialog)

    QTimer.singleShot(0, answer)


def test_day_three_from_the_keyboard(qtbot, make_window, ui_settings, tmp_path) -> None:
    ui_settings.set_last_folder(tmp_path)
    window: MainWindow = make_window(demo_factory=make_demo, catalog_provider=installed_catalog)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    window.start_page.demo_button.setFocus()
    key(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.document is not None, timeout=60000)
    ws = window.document.workspace

    # The worklist: Ctrl+0 shows the Overview with the focus on its list, the first pending judgment first.
    key(qtbot, Qt.Key.Key_0, CTRL)
    overview = window.page(OverviewPage)
    assert isinstance(overview, OverviewPage)
    worklist = overview.worklist
    qtbot.waitUntil(lambda: bool(worklist.shown), timeout=10000)
    assert worklist.table.hasFocus()
    first = worklist.shown[0]
    assert first.kind is WorkKind.JUDGMENT
    judged = (first.target.model, first.target.pa, first.target.practice)
    assert "Service delivery" in worklist.counts.text()
    key(qtbot, Qt.Key.Key_Return)
    grid = window.page(CharacterizePage)
    assert isinstance(grid, CharacterizePage)
    assert window.pages.currentWidget() is grid
    # The grid is read on the worker the first time it shows; the line opens when it has arrived.
    qtbot.waitUntil(lambda: grid.view.currentIndex().isValid() and bool(grid.model.rows), timeout=30000)
    qtbot.waitUntil(lambda: grid.model.row(grid.view.currentIndex().row()).practice == first.target.practice)
    row = grid.model.row(grid.view.currentIndex().row())
    assert (row.model, row.pa, row.practice) == judged
    assert grid.view.currentIndex().column() == grid.model.ou_column

    def decide(dialog: RationaleDialog) -> None:
        type_text(qtbot, "Legal services' weakness does not threaten the practice across the organization.")
        key(qtbot, Qt.Key.Key_Tab)
        key(qtbot, Qt.Key.Key_Return)

    in_modal(qtbot, RationaleDialog, decide)
    key(qtbot, "l")  # the OU cell: judge it LI
    practice = window.document.ratings().process_area(judged[0], judged[1]).practice(judged[2])
    assert practice.rollup.decision is not None and practice.ou == "LI"
    assert practice.rollup.decision.decided_by == "tester"

    # Ctrl+K, "IRP SP3.1", Enter: the grid, on the practice's first unit cell.
    key(qtbot, Qt.Key.Key_K, CTRL)
    assert window.search_box.edit.hasFocus()
    type_text(qtbot, "IRP SP3.1")
    key(qtbot, Qt.Key.Key_Return)
    index = grid.view.currentIndex()
    assert grid.model.row(index.row()).practice == "SP3.1" and grid.view.hasFocus()
    first_cell = grid.model.key_at(index)
    assert first_cell is not None

    # Five cells along the row with Shift+Right, one key fills them; one Ctrl+Z takes all five back.
    row_keys = [grid.model.key_at(grid.model.index(index.row(), c)) for c in range(grid.model.ou_column)]
    five = [k for k in row_keys if k is not None][:5]
    before = [get_cell(ws, k).value for k in five]
    for _ in range(len([k for k in row_keys[: row_keys.index(five[-1]) + 1]]) - 1):
        key(qtbot, Qt.Key.Key_Right, SHIFT)
    key(qtbot, "n")
    assert [get_cell(ws, k).value for k in five] == ["NI"] * 5
    key(qtbot, Qt.Key.Key_Z, CTRL)
    assert [get_cell(ws, k).value for k in five] == before

    # A column of seven values from the clipboard, from IRP SP3.1 down: previewed, applied with Enter.
    QGuiApplication.clipboard().setText("FI\nLI\nPI\nFI\nLI\nNI\nFI\n")
    grid.select_cell(first_cell)
    previews: list[PastePreviewDialog] = []

    enter_went_to: list[QWidget] = []

    def apply(dialog: PastePreviewDialog) -> None:
        previews.append(dialog)
        enter_went_to.append(focused())
        key(qtbot, Qt.Key.Key_Return)
        QTimer.singleShot(3000, dialog.reject)  # never left hanging if Enter did not close it

    in_modal(qtbot, PastePreviewDialog, apply)
    key(qtbot, Qt.Key.Key_V, CTRL)
    assert enter_went_to == [previews[0].apply_button], "Enter applies the preview"
    assert previews[0].result() == QDialog.DialogCode.Accepted, previews[0].summary.text()
    column = grid.view.currentIndex().column()
    pasted = [
        grid.model.key_at(grid.model.index(r, column))
        for r in range(index.row(), grid.model.rowCount())
        if grid.model.key_at(grid.model.index(r, column)) is not None
    ][:7]
    assert [get_cell(ws, k).value for k in pasted if k is not None] == ["FI", "LI", "PI", "FI", "LI", "NI", "FI"]

    # The history of IRP SP3.1's first cell: the fill, its undo and the paste, each by its author.
    grid.select_cell(first_cell)
    key(qtbot, Qt.Key.Key_H, CTRL)
    panel = window.history_panel
    assert window.history_dock.isVisible()
    assert panel.heading.text() == f"History of IRP SP3.1 in {first_cell.unit}"
    shown = [tuple(panel.table.item(r, c).text() for c in (1, 3, 4)) for r in range(panel.table.rowCount())]
    assert shown == [
        ("tester", before[0] or "—", "FI"),
        ("tester", "NI", before[0] or "—"),
        ("tester", before[0] or "—", "NI"),
    ]
    assert isinstance(first_cell, CellKey)
