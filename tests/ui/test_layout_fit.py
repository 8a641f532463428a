"""Layout a person can read: resizing with Characterize open keeps the first unit column and the selected cell
in view, and at the minimum and a common laptop size no label on any page is clipped or elided."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEventLoop, QRect, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QMenu, QStyle, QStyleOptionComboBox, QWidget

from app.domain.catalog import Catalog
from app.services import appraisals
from app.ui.characterize.characterize_page import CharacterizePage
from app.ui.shell.main_window import MainWindow
from tests.ui.characterize_grid import PLAN, give_evidence, irp

SIZES = ((1000, 640), (1366, 768))


@pytest.fixture
def full_window(qtbot, make_window: Callable[..., MainWindow], tmp_path: Path, catalog: Catalog) -> MainWindow:
    path = tmp_path / "fit.appraisal"
    ws = appraisals.create_appraisal(path, PLAN, catalog, who="Lee")
    give_evidence(ws)
    ws.close()
    window = make_window()
    window.show()
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document is not None, timeout=10000)
    return window


def settle(window: QWidget, size: tuple[int, int]) -> None:
    """Resize, and let what the page reads on the worker (the grid) arrive and lay itself out."""
    window.resize(*size)
    runner = getattr(window, "runner", None)
    deadline = time.monotonic() + 20
    while runner is not None and runner.busy and time.monotonic() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    for _ in range(3):
        QApplication.processEvents()


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _rich(label: QLabel) -> bool:
    # Rich text lays itself out (wrapping, tables); only plain text is measured here.
    auto = label.textFormat() == Qt.TextFormat.AutoText
    return label.textFormat() == Qt.TextFormat.RichText or (auto and "<" in label.text())


def unfit(root: QWidget) -> list[str]:
    """Visible labels and combo boxes whose text does not fit the room they have."""
    problems: list[str] = []
    for label in root.findChildren(QLabel):
        text = label.text()
        if not label.isVisibleTo(root) or not text or _rich(label) or label.pixmap().width() > 0:
            continue
        room: QRect = label.contentsRect()
        if room.width() <= 0:
            continue
        if label.wordWrap():
            if label.heightForWidth(room.width()) > room.height() + 1:
                problems.append(
                    f"label “{text[:50]}” needs {label.heightForWidth(room.width())} px, has {room.height()}"
                )
            continue
        metrics = label.fontMetrics()
        widest = max(metrics.horizontalAdvance(_plain(line)) for line in text.split("\n"))
        if widest > room.width() + 1:
            problems.append(f"label “{text[:50]}” needs {widest} px wide, has {room.width()}")
    for combo in root.findChildren(QComboBox):
        if not combo.isVisibleTo(root) or combo.isEditable() or not combo.currentText():
            continue
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        field = combo.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
        )
        need = combo.fontMetrics().horizontalAdvance(combo.currentText())
        if need > field.width() + 1:
            problems.append(f"combo “{combo.currentText()}” needs {need} px, has {field.width()}")
    return problems


def test_resizing_with_characterize_open_keeps_the_first_unit_column_and_the_cell_in_view(qtbot, full_window) -> None:
    window = full_window
    page = window.page(CharacterizePage)
    assert isinstance(page, CharacterizePage)
    window.show_page(window.page_list.index(page))
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10000)
    page.select_cell(irp("SG1", "SP1.1", "Claims"))
    # Offscreen, "maximized" is the 800x800 test screen, below the window's minimum: 1920x1080 stands for it.
    for size in ((1000, 640), (1920, 1080), (1366, 768), (1000, 640), (1920, 1080)):
        settle(window, size)
        view = page.view
        titles_end = view.verticalHeader().geometry().right()
        assert view.viewport().geometry().left() > titles_end, f"at {size} the titles cover the first unit"
        assert view.columnViewportPosition(0) >= 0, f"at {size} the first unit column scrolled away"
        cell = view.visualRect(view.currentIndex())
        assert view.viewport().rect().contains(cell.center()), f"at {size} the selected cell is out of view"
        ou = view.columnViewportPosition(page.model.ou_column)
        held = view.frozen is not None and view.frozen.isVisible()
        assert held or 0 <= ou < view.viewport().width(), f"at {size} the OU column is out of view"


@pytest.mark.parametrize("size", SIZES)
def test_every_page_fits_its_labels_at_the_minimum_and_a_laptop_size(qtbot, full_window, size) -> None:
    window = full_window
    found: list[str] = []
    for row, page in enumerate(window.page_list):
        window.show_page(row)
        settle(window, size)
        found.extend(f"{page.title} at {size[0]}x{size[1]}: {p}" for p in unfit(page))
    assert found == []


@pytest.mark.parametrize("size", SIZES)
def test_the_worklist_and_history_docks_fit_their_labels_and_filters(qtbot, full_window, size) -> None:
    window = full_window
    page = window.page(CharacterizePage)
    window.show_page(window.page_list.index(page))
    found: list[str] = []
    for dock in (window.worklist_dock, window.history_dock):
        dock.show()
        settle(window, size)
        found.extend(f"{dock.windowTitle()} at {size[0]}x{size[1]}: {p}" for p in unfit(dock))
        dock.hide()
    assert found == []


def test_with_more_units_than_room_the_ou_column_stays_in_view_and_no_cell_hides_under_it(
    qtbot, demo_window: MainWindow
) -> None:
    window = demo_window
    page = window.page(CharacterizePage)
    assert isinstance(page, CharacterizePage)
    window.show_page(window.page_list.index(page))
    qtbot.waitUntil(lambda: bool(page.model.rows), timeout=30000)
    settle(window, (1000, 640))
    view, frozen = page.view, page.view.frozen
    assert frozen is not None
    assert view.horizontalScrollBar().maximum() > 0, "the demo's units do not fit at 1000x640"
    assert frozen.isVisible(), "the OU column is held in view"
    assert frozen.geometry().right() == view.viewport().geometry().right()
    assert frozen.horizontalHeader().height() == view.horizontalHeader().height(), "rows line up"
    row = next(r for r in page.model.practice_rows() if not view.isRowHidden(r))
    ou = frozen.visualRect(page.model.index(row, page.model.ou_column))
    assert ou.isValid() and frozen.viewport().rect().contains(ou.center())
    assert ou.top() == view.visualRect(page.model.index(row, 0)).top(), "the OU cell sits on its practice's row"

    # A right-click on the held OU cell offers that practice's history, as on the grid.
    frozen.customContextMenuRequested.emit(ou.center())
    (menu,) = [m for m in frozen.findChildren(QMenu) if m.isVisible()]
    practice = page.model.row(row)
    assert [a.text() for a in menu.actions()] == [f"&History of {practice.pa} {practice.practice}"]
    menu.close()

    last_unit = page.model.index(row, page.model.ou_column - 1)
    view.setCurrentIndex(last_unit)
    view.scrollTo(last_unit)
    cell = view.visualRect(last_unit)
    assert cell.right() < view.viewport().width() - frozen.width() + 1, "the cell in hand is not under the OU column"
    view.setCurrentIndex(page.model.index(row, 0))
    view.scrollTo(page.model.index(row, 0))
    assert view.columnViewportPosition(0) >= 0

    settle(window, (1920, 1080))
    assert not frozen.isVisible(), "with room for every unit the grid's own OU column shows"
    assert 0 <= view.columnViewportPosition(page.model.ou_column) < view.viewport().width()
