"""The History panel: the change log of the selected cell, goal or process area, or of the whole appraisal,
with its filters, following the selection and each edit."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, Qt

from app.ui.main_window import MainWindow
from tests.ui.test_characterize_page import irp, page_of
from tests.ui.test_characterize_page import open_window as open_window  # the fixture, shared


def rows(window: MainWindow) -> list[tuple[str, ...]]:
    table = window.history_panel.table
    return [tuple(table.item(r, c).text() for c in range(1, 5)) for r in range(table.rowCount())]


def test_the_history_follows_the_selected_cell_and_each_edit(qtbot, open_window: Callable[..., MainWindow]) -> None:
    window = open_window()
    page = page_of(window)
    page.select_cell(irp("SG1", "SP1.1", "Claims"))
    qtbot.keyClick(page.view, "p")
    qtbot.keyClick(page.view, "f")
    page.select_cell(irp("SG1", "SP1.2", "Claims"))
    qtbot.keyClick(page.view, "l")

    qtbot.keyClick(page.view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert window.history_dock.isVisible()
    panel = window.history_panel
    assert panel.heading.text() == "History of IRP SP1.2 in Claims"
    assert rows(window) == [("tester", "Value: CMMI-SVC IRP SP1.2 / Claims", "—", "LI")]

    page.select_cell(irp("SG1", "SP1.1", "Claims"))
    assert rows(window) == [
        ("tester", "Value: CMMI-SVC IRP SP1.1 / Claims", "PI", "FI"),
        ("tester", "Value: CMMI-SVC IRP SP1.1 / Claims", "—", "PI"),
    ]
    qtbot.keyClick(page.view, "n")
    assert rows(window)[0][2:] == ("FI", "NI"), "an edit shows at once"

    goal_row = page.model.goal_row("CMMI-SVC", "IRP", "SG1")
    assert goal_row is not None
    page.view.setCurrentIndex(page.model.index(goal_row, page.model.ou_column))
    assert panel.heading.text() == "History of IRP SG1"
    assert len(rows(window)) == 4

    panel.whole.setChecked(True)
    assert panel.heading.text() == "History of the whole appraisal"
    assert len(rows(window)) >= 4
    panel.kind.setCurrentIndex(panel.kind.findData("Finding"))
    assert rows(window) == []
    assert panel.empty.text() == "No change matches these filters."
    panel.kind.setCurrentIndex(0)
    panel.since.setDate(QDate.currentDate().addDays(1))
    assert rows(window) == []
    panel.since.setDate(QDate.currentDate())
    assert len(rows(window)) >= 4
    panel.who.setCurrentIndex(panel.who.findData("tester"))
    assert {r[0] for r in rows(window)} == {"tester"}
