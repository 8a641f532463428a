"""The window opens an appraisal file and shows its scope; refusals are explained, not crashed on."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTableWidget

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, ScopeEntry, UnitKind, UnitPlan
from app.services import appraisals, evidence
from app.ui.evidence.evidence_page import EvidencePage
from app.ui.overview.overview_page import OverviewPage
from app.ui.shell.document import Change
from app.ui.shell.main_window import MainWindow
from app.ui.shell.tasks import Task


def make_file(path: Path, catalog: Catalog) -> Path:
    plan = Plan(
        name="Window test",
        sponsor="COO",
        scope=(ScopeEntry(PaKey("SM", "SM"), 2), ScopeEntry(PaKey("CMMI-SVC", "IRP"), 3)),
        units=(UnitPlan("Claims", UnitKind.BASIC_UNIT),),
    )
    appraisals.create_appraisal(path, plan, catalog).close()
    return path


def test_open_file_shows_its_scope(
    qtbot, make_window: Callable[..., MainWindow], tmp_path: Path, catalog: Catalog
) -> None:
    path = make_file(tmp_path / "w.appraisal", catalog)
    window = make_window()
    window.show()
    assert window.central.currentWidget() is window.start_page
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document is not None, timeout=10000)
    assert window.central.currentWidget() is window.workbench
    assert window.windowTitle().startswith("Window test")
    page = window.page(OverviewPage)
    table = page.findChild(QTableWidget, "scopeTable")
    rows = [[table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())]
    assert rows == [
        ["SM", "SM", "Security Management", "CL2"],
        ["CMMI-SVC", "IRP", "Incident Resolution and Prevention", "CL3"],
    ]
    assert window.findChild(QLabel, "savedLabel").text() == "✓ All changes saved"
    # The file is now a recent file, shown on the start page after closing.
    assert window.close_document()
    assert window.central.currentWidget() is window.start_page
    assert window.start_page.recent.item(0).toolTip() == str(path.resolve())


def test_refused_file_shows_a_message_and_stays_on_start(
    qtbot, make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    bad = tmp_path / "notes.appraisal"
    bad.write_text("not an appraisal")
    window = make_window()
    with qtbot.waitSignal(window.failed, timeout=10000) as blocker:
        window.open_path(bad)
    assert "not an appraisal file" in blocker.args[0]
    assert window.document is None
    assert window.central.currentWidget() is window.start_page
    assert bad.read_text() == "not an appraisal"


def test_open_recent_from_start_page(
    qtbot, make_window: Callable[..., MainWindow], tmp_path: Path, catalog: Catalog
) -> None:
    path = make_file(tmp_path / "r.appraisal", catalog)
    window = make_window()
    window.settings.add_recent_file(path.resolve())
    window.close_document()
    window._show_start()
    item = window.start_page.recent.item(0)
    window.start_page.recent.itemActivated.emit(item)
    qtbot.waitUntil(lambda: window.document is not None, timeout=10000)
    assert window.document is not None and window.document.workspace.path == path.resolve()


def test_ctrl_k_searches_and_enter_opens_the_hit_on_its_page(
    qtbot, make_window: Callable[..., MainWindow], tmp_path: Path, catalog: Catalog
) -> None:
    path = make_file(tmp_path / "s.appraisal", catalog)
    window = make_window()
    window.show()
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document is not None, timeout=10000)
    assert window.nav.currentRow() == 0  # Overview
    # Evidence registered while its page is hidden (as a script or an undo elsewhere would).
    artifact = evidence.add_artifact_by_reference(
        window.document.workspace,
        "https://intranet.example/claims-escalation",
        evidence.ArtifactMeta("Escalation matrix"),
    )
    window.document.notify(Change.EVIDENCE)

    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search_box.edit.hasFocus()
    qtbot.keyClicks(window.search_box.edit, "escalation")
    box = window.search_box
    qtbot.waitUntil(lambda: box.popup.isVisible() and len(box.hits) == 1, timeout=3000)
    # The hit list has the keyboard while it shows: Down picks the first hit, Enter opens it.
    qtbot.keyClick(box.popup, Qt.Key.Key_Down)
    qtbot.keyClick(box.popup, Qt.Key.Key_Return)

    page = window.page(EvidencePage)
    assert window.pages.currentWidget() is page
    assert isinstance(page, EvidencePage) and page.current_id() == artifact


def test_the_worklist_dock_says_rating_while_the_full_rating_runs_then_fills_in(qtbot, demo_window: MainWindow) -> None:
    """Opening the worklist never rates the whole appraisal on the UI thread (a second at size L)."""
    window = demo_window
    assert window.document is not None
    busy = threading.Event()
    window.runner.start(Task(lambda _p: busy.wait(30), label="busy"))  # the worker is busy for now
    window.document.notify(Change.PLAN)  # a plan change: the whole appraisal is rated again, on the worker
    window.worklist_dock.show()
    assert window.worklist_panel.counts.text() == "rating…" and not window.worklist_panel.shown
    busy.set()
    qtbot.waitUntil(lambda: bool(window.worklist_panel.shown), timeout=30000)
    assert "to do" in window.worklist_panel.counts.text()
