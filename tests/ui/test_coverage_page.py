"""The Coverage page in the real window: evidence counts per practice × unit, and the coverage rules' gaps
marked and listed, kept current as evidence and interviews change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, ScopeEntry, UnitKind, UnitPlan
from app.domain.rating.facts import InstantiationKey
from app.services import appraisals
from app.services import evidence as ev
from app.services.evidence import EvidenceSource, LinkTarget
from app.services.interviews import SessionFields, add_affirmation, create_session
from app.ui.coverage.coverage_page import CoveragePage
from app.ui.coverage.coverage_table import GAP_BACKGROUND, GAP_ROLE, NOT_IMPLEMENTED, CoverageTable
from app.ui.evidence import commands as evidence_commands
from app.ui.shell.commands import execute
from app.ui.shell.document import Change, Touched
from app.ui.shell.main_window import MainWindow

PLAN = Plan(
    name="Coverage UI",
    scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2), ScopeEntry(PaKey("SM", "SM"), 2)),
    units=(
        UnitPlan("Claims", UnitKind.BASIC_UNIT),
        UnitPlan("Policies", UnitKind.BASIC_UNIT),
        UnitPlan("Security office", UnitKind.SUPPORT_FUNCTION, process_areas=(PaKey("SM", "SM"),)),
    ),
)
SUFFICIENCY = "Sufficiency: no adequate artifact for IRP SP1.1 in 'Claims'"


@pytest.fixture
def window(qtbot, make_window: Callable[..., MainWindow], tmp_path: Path, catalog: Catalog) -> MainWindow:
    path = tmp_path / "coverage.appraisal"
    appraisals.create_appraisal(path, PLAN, catalog).close()
    win = make_window()
    win.show()
    win.open_path(path)
    qtbot.waitUntil(lambda: win.document is not None, timeout=10000)
    win.nav.setCurrentRow(win.page_list.index(page_of(win)))
    rated(qtbot, win)
    return win


def rated(qtbot, window: MainWindow) -> None:
    """Wait for the full rating the window runs on its worker thread (after opening or a wide change), and
    for the matrix the page reads there."""
    assert window.document is not None
    page = page_of(window)
    qtbot.waitUntil(lambda: not window.document.rating_in_progress and not page.reading, timeout=30000)


def page_of(window: MainWindow) -> CoveragePage:
    page = window.page(CoveragePage)
    assert isinstance(page, CoveragePage)
    return page


def cell(page: CoveragePage, pa: str, practice: str | None, unit: str) -> QModelIndex:
    matrix = page.model.matrix
    row = matrix.row_index("SM" if pa == "SM" else "CMMI-SVC", pa, practice)
    column = matrix.unit_index(unit)
    assert row is not None and column is not None
    return page.proxy.mapFromSource(page.model.index(row, column))


def gap_texts(page: CoveragePage) -> list[str]:
    found = []
    for n in range(page.gap_list.topLevelItemCount()):
        group = page.gap_list.topLevelItem(n)
        found += [group.child(i).text(0) for i in range(group.childCount())]
    return found


def unit_id(window: MainWindow, name: str) -> int:
    return next(u.id for u in ev.unit_options(window.document.workspace) if u.name == name)


def test_counts_per_cell_and_a_gap_disappears_when_evidence_is_linked(qtbot, window: MainWindow) -> None:
    page = page_of(window)
    ws = window.document.workspace

    def headers() -> list[str]:
        return [page.proxy.headerData(n, Qt.Orientation.Horizontal) for n in range(page.proxy.columnCount())]

    # Nothing collected yet: each basic unit breaks B3; long names wrap onto two lines.
    assert headers() == ["⚠ Claims", "⚠ Policies", "Security\noffice"]
    assert "B3: sampled basic unit 'Claims'" in page.proxy.headerData(
        0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    sp11 = cell(page, "IRP", "SP1.1", "Claims")
    assert sp11.data() == ""
    assert any(g.missing.startswith(SUFFICIENCY) for g in sp11.data(GAP_ROLE))
    assert sp11.data(Qt.ItemDataRole.BackgroundRole).color() == GAP_BACKGROUND
    assert cell(page, "IRP", "SP1.1", "Security office").data(Qt.ItemDataRole.BackgroundRole).color() == NOT_IMPLEMENTED
    assert any(text.startswith(SUFFICIENCY) for text in gap_texts(page))

    # Link an artifact through the undoable evidence command, as the Evidence page does.
    artifact = ev.add_artifact_by_reference(ws, "https://intranet/irp-approach")
    claims = unit_id(window, "Claims")
    assert window.document is not None
    command = evidence_commands.link(
        window.document,
        EvidenceSource.of_artifact(artifact),
        [LinkTarget("CMMI-SVC", "IRP", "SP1.1", claims)],
        "adequate",
        "",
    )
    assert execute(page, window.document, command)
    rated(qtbot, window)  # the counts are read again on the worker thread
    sp11 = cell(page, "IRP", "SP1.1", "Claims")
    assert sp11.data() == "1A"
    assert sp11.data(GAP_ROLE) == []
    assert not any(text.startswith(SUFFICIENCY) for text in gap_texts(page))
    assert cell(page, "IRP", None, "Claims").data() == "1A", "the process area's row totals its practices"
    assert headers()[0] == "Claims", "Claims now provides evidence for a process area (B3)"

    # An affirmation from an interview counts too.
    session = create_session(ws, SessionFields("S1"))
    add_affirmation(ws, session, "We follow the approach.", [LinkTarget("CMMI-SVC", "IRP", "SP1.1", claims)])
    window.document.notify(Change.INTERVIEWS)
    rated(qtbot, window)
    assert cell(page, "IRP", "SP1.1", "Claims").data() == "1A 1F"

    window.document.undo_stack.undo()  # the link
    rated(qtbot, window)
    sp11 = cell(page, "IRP", "SP1.1", "Claims")
    assert sp11.data() == "1F"
    assert any(g.missing.startswith(SUFFICIENCY) for g in sp11.data(GAP_ROLE))


def test_evidence_linked_while_the_page_is_hidden_shows_when_it_is_opened(qtbot, window: MainWindow) -> None:
    page = page_of(window)
    ws = window.document.workspace
    window.nav.setCurrentRow(0)
    artifact = ev.add_artifact_by_reference(ws, "https://intranet/sm-policy")
    office = unit_id(window, "Security office")
    ev.link_evidence(ws, EvidenceSource.of_artifact(artifact), [LinkTarget("SM", "SM", "ESP1.2", office)])
    window.document.notify(
        Change.EVIDENCE, touched=Touched.of(cells=[InstantiationKey("SM", "SM", "ESP1.2", "Security office")])
    )
    rated(qtbot, window)
    window.nav.setCurrentRow(window.page_list.index(page))
    assert page.reading, "read when shown, on the worker thread"
    rated(qtbot, window)
    assert cell(page, "SM", "ESP1.2", "Security office").data() == "1A"


def test_only_rows_with_gaps_and_the_filter_keep_their_headings(qtbot, window: MainWindow) -> None:
    page = page_of(window)
    ws = window.document.workspace
    artifact = ev.add_artifact_by_reference(ws, "https://intranet/all")
    session = create_session(ws, SessionFields("S1"))
    for unit in ev.unit_options(ws):
        targets = [
            LinkTarget(o.model, o.pa, o.practice, unit.id)
            for o in ev.practice_options(ws)
            if unit.implements(o.model, o.pa)
            and not (o.pa == "IRP" and o.practice == "SP1.2" and unit.name == "Policies")
        ]
        ev.link_evidence(ws, EvidenceSource.of_artifact(artifact), targets)
        add_affirmation(ws, session, f"{unit.name} does it.", targets)
    window.document.notify(Change.EVIDENCE)
    rated(qtbot, window)
    all_rows = page.proxy.rowCount()
    page.gaps_only.setChecked(True)
    labels = [page.proxy.headerData(n, Qt.Orientation.Vertical).strip() for n in range(page.proxy.rowCount())]
    assert labels == ["IRP  Incident Resolution and Prevention", "SP1.2  Establish a System"]
    assert cell(page, "IRP", "SP1.2", "Policies").data(GAP_ROLE)
    page.gaps_only.setChecked(False)
    assert page.proxy.rowCount() == all_rows
    qtbot.keyClicks(page.filter_edit, "esp1.2")
    labels = [page.proxy.headerData(n, Qt.Orientation.Vertical).strip() for n in range(page.proxy.rowCount())]
    assert labels == ["SM  Security Management", "ESP1.2  Establish an Approach to Threat Assessment"]


def test_choosing_a_gap_shows_its_cell(qtbot, window: MainWindow) -> None:
    page = page_of(window)
    group = page.gap_list.topLevelItem(0)
    child = next(group.child(i) for i in range(group.childCount()) if group.child(i).text(0).startswith(SUFFICIENCY))
    assert child is not None
    page.gap_list.setCurrentItem(child)
    current = page.proxy.mapToSource(page.table.currentIndex())
    row = page.model.matrix.rows[current.row()]
    assert (row.pa, row.practice, page.model.matrix.units[current.column()].name) == ("IRP", "SP1.1", "Claims")
    assert "Sufficiency" in page.cell_label.text()


def test_the_model_passes_the_qt_model_checks(qtmodeltester, window: MainWindow) -> None:
    page = page_of(window)
    model = CoverageTable()
    model.set_data(page.model.matrix, page.model.gaps)
    qtmodeltester.check(model)
