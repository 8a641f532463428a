"""The History panel: the change log of the selected cell, goal or process area, or of the whole appraisal,
with its filters, following the selection and each edit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QMenu

from app.domain.catalog import Catalog
from app.domain.rating.facts import GoalKey
from app.services import appraisals
from app.services import findings as fs
from app.services.characterize import set_value
from app.services.findings import FindingFields, FindingTarget
from app.ui.evidence.evidence_page import EvidencePage
from app.ui.findings.findings_page import FindingsPage
from app.ui.ratings.ratings_page import RatingsPage
from app.ui.shell.main_window import MainWindow
from tests.ui.characterize_grid import PLAN, give_evidence, irp, page_of
from tests.ui.characterize_grid import open_window as open_window  # the fixture, shared


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


def _history_from_menu(qtbot, window: MainWindow, view: QAbstractItemView, index: QModelIndex) -> str:
    """Right-click the item, choose "History of …"; the menu's wording."""
    view.scrollTo(index)
    view.customContextMenuRequested.emit(view.visualRect(index).center())
    menus = [m for m in view.findChildren(QMenu) if m.isVisible()]
    assert len(menus) == 1, "a right-click offers one menu"
    (action,) = menus[0].actions()
    action.trigger()
    menus[0].close()
    assert window.history_dock.isVisible()
    return action.text()


def test_a_finding_an_artifact_and_a_goal_each_show_their_history_from_a_right_click(
    qtbot, make_window: Callable[..., MainWindow], tmp_path: Path, catalog: Catalog
) -> None:
    path = tmp_path / "menu.appraisal"
    ws = appraisals.create_appraisal(path, PLAN, catalog, who="Lee")
    give_evidence(ws)
    finding = fs.add_finding(
        ws, FindingFields("strength", "Incidents are reviewed weekly.", FindingTarget("CMMI-SVC", "IRP"))
    )
    fs.set_status(ws, finding, "validated")
    set_value(ws, irp("SG1", "SP1.1", "Claims"), "LI")
    set_value(ws, irp("GG2", "GP2.1", "Claims"), "FI")
    ws.close()
    window = make_window()
    window.show()
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document is not None, timeout=10000)
    panel = window.history_panel

    findings = window.page(FindingsPage)
    assert isinstance(findings, FindingsPage)
    window.show_page(window.page_list.index(findings))
    qtbot.waitUntil(lambda: findings.proxy.rowCount() == 1)
    wording = _history_from_menu(qtbot, window, findings.table, findings.proxy.index(0, 2))
    assert wording == "&History of finding 1"
    assert panel.heading.text() == "History of finding 1"
    assert rows(window) == [
        ("Lee", "Finding status", "preliminary", "validated"),
        ("Lee", "Finding added: strength on IRP", "", ""),
    ]
    window.history_dock.hide()

    evidence = window.page(EvidencePage)
    assert isinstance(evidence, EvidencePage)
    window.show_page(window.page_list.index(evidence))
    qtbot.waitUntil(lambda: evidence.proxy.rowCount() > 0)
    (procedure,) = evidence.proxy.match(evidence.proxy.index(0, 0), Qt.ItemDataRole.DisplayRole, "Incident procedure")
    assert _history_from_menu(qtbot, window, evidence.table, procedure) == ("&History of Incident procedure")
    assert panel.heading.text() == "History of Incident procedure"
    assert len(rows(window)) == 1 and rows(window)[0][0] == "Lee"

    ratings = window.page(RatingsPage)
    assert isinstance(ratings, RatingsPage)
    window.show_page(window.page_list.index(ratings))
    goal = GoalKey("CMMI-SVC", "IRP", "SG1")
    qtbot.waitUntil(lambda: ratings.select_goal(goal), timeout=20000)
    item = ratings.goals.currentItem()
    assert item is not None
    assert _history_from_menu(qtbot, window, ratings.goals, ratings.goals.indexFromItem(item)) == "&History of IRP SG1"
    assert panel.heading.text() == "History of IRP SG1"
    assert rows(window) == [("Lee", "Value: CMMI-SVC IRP SP1.1 / Claims", "—", "LI")], "its own cells, no other goal's"
