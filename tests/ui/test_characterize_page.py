"""The Characterize page driven through its real widgets: rating from the keyboard with live goal ratings and
capability levels, undo/redo, review marks, the cell detail, filters and the side-by-side view of linked
practices; the team's decisions are in test_characterize_decisions.py. What is stored is checked through the
services."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.domain.catalog import Catalog
from app.services import appraisals, grid
from app.services.characterize import CellKey, CellState, get_cell, set_cell
from app.services.grid import GridData
from app.services.workspace import Workspace
from app.ui.characterize.characterize_page import CharacterizePage
from app.ui.characterize.detail_dialog import CellDetailDialog
from app.ui.characterize.grid_table import RATING_PENDING
from app.ui.characterize.judgment_dialog import RationaleDialog
from app.ui.shell.document import Change
from app.ui.shell.main_window import MainWindow
from app.ui.shell.tasks import Task
from tests.ui.characterize_grid import (
    IRP,
    IRP_CELLS,
    PLAN,
    capability,
    current,
    give_evidence,
    goal_rating,
    irp,
    ou_text,
    page_of,
    press,
    rate_irp_from_the_keyboard,
    weaken,
    ws_of,
)
from tests.ui.characterize_grid import open_window as open_window  # the fixture, shared


def test_rating_a_whole_process_area_from_the_keyboard_updates_goals_and_capability(
    qtbot, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window()
    page = page_of(window)
    ws = ws_of(window)
    assert (goal_rating(page, "SG1"), goal_rating(page, "GG2"), capability(page)) == ("Not Rated", "Not Rated", "CL —")
    resets: list[int] = []
    page.model.modelReset.connect(lambda: resets.append(1))

    page.select_cell(irp("SG1", "SP1.1", "Claims"))
    press(qtbot, page, "p")
    assert page.view.currentIndex().data() == "PI"
    sp11_ou = page.model.practice_row(*IRP, "SP1.1")
    assert sp11_ou is not None
    # PI needs a weakness (method-rules §1): until one is recorded the value is not counted.
    assert ou_text(page, sp11_ou) == "fix"
    assert "value rule" in page.model.index(sp11_ou, page.model.ou_column).data(Qt.ItemDataRole.ToolTipRole)
    weaken(window, "SG1", "SP1.1", "Claims", "No trend analysis")
    assert ou_text(page, sp11_ou) == "", "Policies is not characterized yet, so neither is the OU"
    page.select_cell(irp("SG1", "SP1.1", "Claims"))
    press(qtbot, page, "right", "f")
    assert ou_text(page, sp11_ou) == "judge", "a PI among the units leaves the OU value to the team"
    assert page.model.index(sp11_ou, page.model.ou_column).data(Qt.ItemDataRole.ToolTipRole).count("LI, PI, NI")
    weaken(window, "SG1", "SP1.1", "Claims", "")
    resets.clear()

    rate_irp_from_the_keyboard(qtbot, page)
    assert [get_cell(ws, irp(*cell)).value for cell in IRP_CELLS] == ["FI"] * 8
    assert ou_text(page, sp11_ou) == "FI"
    assert (goal_rating(page, "SG1"), goal_rating(page, "GG2"), capability(page)) == ("Satisfied", "Satisfied", "CL 2")
    assert resets == [], "edits repaint the rows they change; the grid is never reloaded"

    # A letter that is no value on the scale changes nothing and says which keys work.
    press(qtbot, page, "x")
    assert get_cell(ws, irp("SG1", "SP1.1", "Claims")).value == "FI"
    assert "F, L, P, N, Y" in page.message.text()


def test_undo_and_redo_of_a_cell_edit_take_the_ratings_along(qtbot, open_window: Callable[..., MainWindow]) -> None:
    window = open_window()
    page = page_of(window)
    ws = ws_of(window)
    rate_irp_from_the_keyboard(qtbot, page)
    assert capability(page) == "CL 2"

    page.select_cell(irp("SG1", "SP1.2", "Policies"))
    press(qtbot, page, "del")
    assert get_cell(ws, irp("SG1", "SP1.2", "Policies")).value is None
    assert page.view.currentIndex().data() == ""
    assert (goal_rating(page, "SG1"), capability(page)) == ("Not Rated", "CL —")

    window.undo_action.trigger()
    assert get_cell(ws, irp("SG1", "SP1.2", "Policies")).value == "FI"
    assert page.model.index_of(irp("SG1", "SP1.2", "Policies")).data() == "FI"
    assert (goal_rating(page, "SG1"), capability(page)) == ("Satisfied", "CL 2")

    window.redo_action.trigger()
    assert get_cell(ws, irp("SG1", "SP1.2", "Policies")).value is None
    assert (goal_rating(page, "SG1"), capability(page)) == ("Not Rated", "CL —")

    # Undo walks back through the typed values one key at a time.
    window.undo_action.trigger()  # the clear
    window.undo_action.trigger()  # the last key typed: SP1.1 Claims P -> F
    assert get_cell(ws, irp("SG1", "SP1.1", "Claims")).value == "PI"
    assert page.model.index_of(irp("SG1", "SP1.1", "Claims")).data() == "PI"
    assert ou_text(page, page.model.practice_row(*IRP, "SP1.1")) == "fix", "a PI without its weakness is not counted"


def test_review_marks_fill_the_review_list(qtbot, open_window: Callable[..., MainWindow], monkeypatch) -> None:
    window = open_window()
    page = page_of(window)
    ws = ws_of(window)
    key = CellKey("SM", "SM", "ESG1", "ESP1.2", "Sec")

    def comment(dialog: RationaleDialog) -> int:
        assert dialog.ok_button.isEnabled(), "a comment helps but is not required"
        qtbot.keyClicks(dialog.rationale, "Ask the security office for the criteria")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RationaleDialog, "exec", comment)
    page.select_cell(key)
    qtbot.keyClick(page.view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert get_cell(ws, key) == CellState(review_flag=True, review_comment="Ask the security office for the criteria")
    assert page.review.keys() == [key]
    assert page.tabs.tabText(1) == "Review (1)"
    entry = page.review.list.item(0)
    assert entry.text().splitlines() == [
        "SM ESP1.2 in Sec  ·  not characterized",
        "Ask the security office for the criteria",
    ]
    esp12 = page.model.practice_row("SM", "SM", "ESP1.2")
    assert esp12 is not None and page.model.needs_attention(esp12)

    # The list leads back to the cell.
    page.select_cell(irp("SG1", "SP1.1", "Claims"))
    page.review.list.setCurrentItem(entry)
    qtbot.keyClick(page.review.list, Qt.Key.Key_Return)
    assert current(page) == ("ESP1.2", "Sec")

    qtbot.keyClick(page.view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)  # unmark
    assert page.review.keys() == [] and page.tabs.tabText(1) == "Review"
    window.undo_action.trigger()
    assert page.review.keys() == [key]
    assert get_cell(ws, key).review_flag

    # A value typed on the marked cell shows in its entry; one typed on an unmarked cell leaves the list as it is.
    page.select_cell(key)
    press(qtbot, page, "l")
    assert page.review.list.item(0).text().splitlines()[0] == "SM ESP1.2 in Sec  ·  LI"
    page.select_cell(irp("SG1", "SP1.1", "Claims"))
    press(qtbot, page, "l")
    assert page.review.keys() == [key]
    assert page.review.list.item(0).text().splitlines()[0] == "SM ESP1.2 in Sec  ·  LI"


def test_enter_opens_the_cell_detail_and_saves_its_texts(
    qtbot, open_window: Callable[..., MainWindow], monkeypatch
) -> None:
    window = open_window()
    page = page_of(window)
    ws = ws_of(window)
    key = irp("SG1", "SP1.1", "Policies")
    shown: list[tuple[str, int, str]] = []

    def edit(dialog: CellDetailDialog) -> int:
        shown.append((dialog.windowTitle(), dialog.evidence.count(), dialog.evidence.item(0).text()))
        dialog.value.setCurrentIndex(dialog.value.findData("LI"))
        qtbot.keyClicks(dialog.weaknesses, "No trend analysis")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(CellDetailDialog, "exec", edit)
    page.select_cell(key)
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert shown == [("IRP SP1.1 in Policies", 2, "Artifact: Incident procedure  (adequate)")]
    assert get_cell(ws, key) == CellState("LI", weaknesses="No trend analysis")
    assert page.view.currentIndex().data() == "LI"
    window.undo_action.trigger()
    assert get_cell(ws, key) == CellState()


def test_side_by_side_shows_linked_practices_and_their_values_both_ways(
    qtbot, open_window: Callable[..., MainWindow]
) -> None:
    def prepare(ws: Workspace) -> None:
        give_evidence(ws)
        set_cell(ws, irp("SG1", "SP1.1", "Claims"), CellState("FI"))
        set_cell(ws, irp("SG1", "SP1.1", "Policies"), CellState("LI", weaknesses="Slow"))
        set_cell(ws, CellKey("SM", "SM", "ESG1", "ESP1.2", "Sec"), CellState("PI", weaknesses="No criteria"))

    window = open_window(prepare)
    page = page_of(window)
    page.select_cell(CellKey("SM", "SM", "ESG1", "ESP1.2", "Claims"))
    # Read on the worker thread: moving the cursor never waits for it.
    assert page.side.note.text() == "Reading the linked practices…" and not page.side.items
    qtbot.waitUntil(lambda: bool(page.side.items), timeout=10000)
    assert [(i.model, i.pa, i.item) for i in page.side.items] == [("CMMI-SVC", "IRP", "SP1.1")]
    assert " ".join(page.side.heading.text().split()) == "SM ESP1.2 Establish an Approach to Threat Assessment"
    table = page.side.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["Practice", "Link", "OU", "Claims", "Policies", "Sec", "Shared"]

    def row(r: int) -> list[str]:
        return [table.item(r, c).text() for c in range(table.columnCount())]

    assert row(0) == ["SM ESP1.2", "(this one)", "", "", "", "PI", ""], "this practice's own values first"
    # The linked practice, its link in plain words, values per unit and at OU level, shared evidence counted.
    assert row(1)[:2] == ["CMMI-SVC IRP SP1.1", "is supported by this practice"]
    assert row(1)[2:6] == ["LI", "FI", "LI", ""]
    assert row(1)[6] == "0"
    assert "MMI-SVC IRP SP1.1 SP1.1" not in page.side.text(), "no doubled ids"

    # Edits elsewhere in the grid show up beside it at once; a disagreement with this practice is marked.
    page.edits.set_value(CellKey("SM", "SM", "ESG1", "ESP1.2", "Claims"), "PI")
    assert row(1)[3] == "≠ FI", "FI beside PI is a disagreement"
    assert "disagree with this practice" in page.side.note.text()

    # And the other way round: the CMMI-SVC practice lists the SM practice with its values.
    page.select_cell(irp("SG1", "SP1.1", "Claims"))
    qtbot.waitUntil(lambda: bool(page.side.items) and page.side.items[0].model == "SM", timeout=10000)
    assert [(i.model, i.pa, i.item, i.outgoing) for i in page.side.items] == [("SM", "SM", "ESP1.2", False)]
    assert row(1)[:2] == ["SM ESP1.2", "supports this practice"] and row(1)[5] == "PI"

    # Enter on a linked row selects it in the grid.
    page.side.open_row(1)
    index = page.view.currentIndex()
    assert (page.model.row(index.row()).practice, index.column()) == ("ESP1.2", page.model.ou_column)

    # The pane undocks into its own window and docks back when that closes.
    page.side.undock.click()
    assert page.side_dock.window is not None and page.side.window() is page.side_dock.window
    assert page.tabs.indexOf(page.side) < 0
    page.side_dock.window.close()
    assert page.side_dock.window is None and page.tabs.indexOf(page.side) == 0


def test_filters_by_mini_team_model_process_area_and_attention(qtbot, open_window: Callable[..., MainWindow]) -> None:
    window = open_window()
    page = page_of(window)
    rows = page.model.rows

    def shown() -> list[str]:
        return [f"{r.pa} {r.code}" for i, r in enumerate(rows) if not page.view.isRowHidden(i) and r.practice]

    assert page.filters.count.text() == "7 of 7 practices"
    page.filters.team.setCurrentIndex(page.filters.team.findText("Security"))
    assert shown() == ["SM ESP1.2", "SM GP2.1", "SM GP2.2"]
    assert [page.filters.pa.itemText(i) for i in range(page.filters.pa.count())] == [
        "All process areas",
        "SM  Security Management",
    ]
    assert page.model.row(page.view.currentIndex().row()).pa == "SM", "the cursor leaves hidden rows"
    page.filters.team.setCurrentIndex(0)
    page.filters.model.setCurrentIndex(page.filters.model.findData("CMMI-SVC"))
    page.filters.pa.setCurrentIndex(1)
    assert shown() == ["IRP SP1.1", "IRP SP1.2", "IRP GP2.1", "IRP GP2.2"]

    # Needs attention: IRP has evidence everywhere; a team value that differs from the proposal shows.
    page.filters.attention.setChecked(True)
    assert shown() == []
    assert page.filters.count.text() == "0 of 7 practices"
    page.filters.attention.setChecked(False)
    page.select_cell(irp("SG1", "SP1.2", "Claims"))
    press(qtbot, page, "p")  # the evidence proposes FI
    page.filters.attention.setChecked(True)
    assert shown() == ["IRP SP1.2"]

    # Showing a hidden cell clears the filters that hide it.
    assert page.select_cell(CellKey("SM", "SM", "ESG1", "ESP1.2", "Sec"))
    assert not page.filters.attention.isChecked() and page.filters.count.text() == "7 of 7 practices"


def test_the_grid_model_passes_the_qt_model_checks(qtmodeltester, open_window: Callable[..., MainWindow]) -> None:
    window = open_window()
    qtmodeltester.check(page_of(window).model)


def test_closing_the_appraisal_empties_the_page(qtbot, open_window: Callable[..., MainWindow]) -> None:
    window = open_window()
    page = page_of(window)
    assert window.close_document()
    assert page.model.rowCount() == 0
    assert page.review.keys() == [] and page.side.items == ()
    assert not page.view.currentIndex().isValid()


def test_the_ou_column_says_rating_while_the_full_rating_runs_then_fills_in(open_window, qtbot) -> None:
    window = open_window()
    page = page_of(window)
    assert window.document is not None
    busy = threading.Event()
    window.runner.start(Task(lambda _p: busy.wait(30), label="busy"))  # the worker is busy for now
    window.document.notify(Change.PLAN)  # a plan change: the whole appraisal is rated again, on the worker
    sp11 = page.model.practice_row(*IRP, "SP1.1")
    assert goal_rating(page, "SG1") == RATING_PENDING
    assert ou_text(page, sp11) == RATING_PENDING
    assert page.model.rowCount() > 0  # the cells show meanwhile
    busy.set()
    qtbot.waitUntil(lambda: goal_rating(page, "SG1") != RATING_PENDING, timeout=30000)
    ratings = window.document.ratings_if_ready()
    assert ratings is not None
    assert goal_rating(page, "SG1") == ratings.process_area(*IRP).goal("SG1").rating.value


def test_reopened_on_the_grid_the_cells_are_read_first_and_once(
    qtbot, make_window: Callable[..., MainWindow], tmp_path: Path, catalog: Catalog, ui_settings, monkeypatch
) -> None:
    """A lead who left the grid open sees its cells before the full rating (one worker thread: whichever
    starts first is waited for), and the rating arriving meanwhile does not read the grid a second time."""
    path = tmp_path / "again.appraisal"
    ws = appraisals.create_appraisal(path, PLAN, catalog, who="Lee")
    give_evidence(ws)
    ws.close()
    ui_settings.set_current_page(CharacterizePage.title)
    window = make_window()  # every page, the Overview (which shows ratings) first in the list
    started: list[str] = []
    start = window.runner.start
    window.runner.start = lambda task: (started.append(task.label), start(task))[1]  # type: ignore[method-assign]
    read = grid.grid_data

    def reading(ws: Workspace) -> GridData:
        started.append("grid read")  # on the worker: as the file opens, beside the check of its pages
        return read(ws)

    monkeypatch.setattr(grid, "grid_data", reading)
    window.show()
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document is not None, timeout=10000)
    page = page_of(window)
    assert window.pages.currentWidget() is page
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and page.model.ratings is not None, timeout=30000)
    assert started.count("grid read") == 1
    assert started.index("Opening again.appraisal") < started.index("grid read") < started.index("Rating")
