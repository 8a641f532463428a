"""The Ratings dashboard in the real window: it follows cells set through services and commands, and records
goal overrides (with a rationale) as undoable edits."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, ScopeEntry, UnitKind, UnitPlan
from app.domain.rating.facts import GoalKey, InstantiationKey, PracticeKey
from app.services import appraisals, characterize, decisions
from app.services import evidence as ev
from app.services import findings as fs
from app.services.characterize import CellKey, CellState
from app.services.evidence import EvidenceSource, LinkTarget
from app.services.findings import FindingFields, FindingTarget
from app.services.interviews import SessionFields, add_affirmation, add_participant, create_session
from app.services.workspace import Workspace
from app.storage.instantiation_repo import Instantiation, instantiations
from app.ui.characterize.judgment_dialog import RationaleDialog
from app.ui.ratings.capability_chart import AT_TARGET, BarState
from app.ui.ratings.ratings_page import RatingsPage
from app.ui.shell.commands import ServiceCommand
from app.ui.shell.document import Change, Touched
from app.ui.shell.main_window import MainWindow

PLAN = Plan(
    name="Ratings UI",
    scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2), ScopeEntry(PaKey("SM", "SM"), 2)),
    units=(
        UnitPlan("Claims", UnitKind.BASIC_UNIT),
        UnitPlan("Policies", UnitKind.BASIC_UNIT),
        UnitPlan("Security office", UnitKind.SUPPORT_FUNCTION, process_areas=(PaKey("SM", "SM"),)),
    ),
)
SG1 = GoalKey("CMMI-SVC", "IRP", "SG1")


def cover_everything(ws: Workspace) -> None:
    """An adequate artifact and an affirmation for every practice in every unit: no coverage gap anywhere."""
    units = ev.unit_options(ws)
    artifact = ev.add_artifact_by_reference(ws, "https://intranet/approach")
    session = create_session(ws, SessionFields("S1"))
    add_participant(ws, session, "Ann Lee")
    for unit in units:
        targets = [
            LinkTarget(o.model, o.pa, o.practice, unit.id)
            for o in ev.practice_options(ws)
            if unit.implements(o.model, o.pa)
        ]
        ev.link_evidence(ws, EvidenceSource.of_artifact(artifact), targets)
        add_affirmation(ws, session, f"{unit.name} follows the approach.", targets)


def cells(ws: Workspace, pa: str) -> list[Instantiation]:
    with ws.uow() as uow:
        return [c for c in instantiations(uow.session, ws.catalog()) if c.pa == pa]


def cell_key(c: Instantiation) -> CellKey:
    return CellKey(c.model, c.pa, c.goal, c.practice, c.unit)


def touched(found: list[Instantiation]) -> Touched:
    return Touched.of(cells=[InstantiationKey(c.model, c.pa, c.practice, c.unit) for c in found])


@pytest.fixture
def window(qtbot, make_window: Callable[..., MainWindow], tmp_path: Path, catalog: Catalog) -> MainWindow:
    path = tmp_path / "ratings.appraisal"
    ws = appraisals.create_appraisal(path, PLAN, catalog)
    cover_everything(ws)
    ws.close()
    win = make_window()
    win.show()
    win.open_path(path)
    qtbot.waitUntil(lambda: win.document is not None, timeout=10000)
    win.nav.setCurrentRow(win.page_list.index(page_of(win)))
    rated(qtbot, win)
    return win


def rated(qtbot, window: MainWindow) -> None:
    """Wait for the full rating the window runs on its worker thread (after opening or a wide change)."""
    assert window.document is not None
    qtbot.waitUntil(lambda: not window.document.rating_in_progress, timeout=30000)


def page_of(window: MainWindow) -> RatingsPage:
    page = window.page(RatingsPage)
    assert isinstance(page, RatingsPage)
    return page


def rate_irp_fully(window: MainWindow) -> list[Instantiation]:
    ws = window.document.workspace
    irp = cells(ws, "IRP")
    for c in irp:
        characterize.set_cell(ws, cell_key(c), CellState("FI"))
    window.document.notify(Change.CHARACTERIZATION, touched=touched(irp))
    return irp


def test_the_profile_follows_cells_set_through_services_and_commands(qtbot, window: MainWindow) -> None:
    page = page_of(window)
    ws = window.document.workspace
    bar = page.chart.bar("CMMI-SVC", "IRP")
    assert bar is not None and bar.state is BarState.NOT_RATED and bar.target == 2
    assert bar.value_text == "Not Rated / target CL2"

    irp = rate_irp_fully(window)
    bar = page.chart.bar("CMMI-SVC", "IRP")
    assert bar is not None and (bar.state, bar.level) == (BarState.RATED, 2)
    assert page._pa_items[("CMMI-SVC", "IRP")].text(1) == "CL2 / target CL2"
    assert "1 of 2</b> process areas at target" in page.summary.text()

    # An undoable edit through a command: GP2.1 Partially Implemented in every unit, judged PI by the team,
    # leaves IRP at CL1.
    weak = [c for c in irp if c.practice == "GP2.1"]

    def put(value: str) -> None:
        for c in weak:
            characterize.set_cell(ws, cell_key(c), CellState(value, weaknesses="No policy" if value == "PI" else ""))
        judged = "PI" if value == "PI" else None
        decisions.set_ou_decision(ws, "CMMI-SVC", "IRP", "GG2", "GP2.1", judged, "No policy in any unit")

    edited = Touched.of(cells=touched(weak).cells, practices=[PracticeKey("CMMI-SVC", "IRP", "GP2.1")])
    assert window.document is not None
    command = ServiceCommand(
        window.document,
        "GP2.1 PI",
        lambda: put("PI"),
        lambda: put("FI"),
        Change.CHARACTERIZATION,
        Change.JUDGMENT,
        touched=edited,
    )
    window.document.execute(command)
    bar = page.chart.bar("CMMI-SVC", "IRP")
    assert bar is not None and bar.level == 1
    gg2 = page._goal_items[GoalKey("CMMI-SVC", "IRP", "GG2")]
    assert gg2.text(1) == "Unsatisfied"
    window.document.undo_stack.undo()
    bar = page.chart.bar("CMMI-SVC", "IRP")
    assert bar is not None and bar.level == 2


def test_a_hidden_dashboard_catches_up_when_shown(qtbot, window: MainWindow) -> None:
    page = page_of(window)
    window.nav.setCurrentRow(0)
    assert not page.isVisible()
    rate_irp_fully(window)
    window.nav.setCurrentRow(window.page_list.index(page))
    bar = page.chart.bar("CMMI-SVC", "IRP")
    assert bar is not None and bar.level == 2


def test_lower_a_goal_with_a_rationale_then_undo(qtbot, window: MainWindow, monkeypatch) -> None:
    page = page_of(window)
    ws = window.document.workspace
    rate_irp_fully(window)
    shown: list[RationaleDialog] = []

    def answer(dialog: RationaleDialog) -> int:
        shown.append(dialog)
        # All FI: the rules rate it Satisfied, so the team may only lower it.
        assert set(dialog.buttons) == {"Satisfied", "Unsatisfied"}
        dialog.choose("Unsatisfied")
        assert not dialog.ok_button.isEnabled(), "no decision without a rationale"
        qtbot.keyClicks(dialog.rationale, "Incidents are closed without review; the team judged it significant.")
        assert dialog.ok_button.isEnabled()
        return RationaleDialog.DialogCode.Accepted

    monkeypatch.setattr(RationaleDialog, "exec", answer)
    assert page.select_goal(SG1)
    assert page.clear_button.isEnabled() is False
    qtbot.mouseClick(page.override_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1

    goal = page.goal_result(SG1)
    assert goal is not None and goal.overridden and goal.rating.value == "Unsatisfied"
    assert goal.computed_rating.value == "Satisfied"
    item = page._goal_items[SG1]
    assert item.text(1) == "Unsatisfied (team)"
    assert item.text(2).startswith("Team: Incidents are closed without review")
    assert page.current_goal() == SG1, "the goal stays chosen after the dashboard updates"
    assert "the team's decision by tester; by the rules alone Satisfied" in page.detail.text()
    assert "Rationale: Incidents are closed without review" in page.detail.text()
    bar = page.chart.bar("CMMI-SVC", "IRP")
    assert bar is not None and bar.level == 0
    assert page.clear_button.isEnabled()

    window.document.undo_stack.undo()
    goal = page.goal_result(SG1)
    assert goal is not None and not goal.overridden
    bar = page.chart.bar("CMMI-SVC", "IRP")
    assert bar is not None and bar.level == 2
    window.document.undo_stack.redo()
    assert page._goal_items[SG1].text(1) == "Unsatisfied (team)"
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    goal = page.goal_result(SG1)
    assert goal is not None and not goal.overridden
    assert decisions.set_goal_override(ws, "CMMI-SVC", "IRP", "SG1", None) is None


def test_pending_and_stale_decisions_show_and_r_re_confirms(qtbot, window: MainWindow, monkeypatch) -> None:
    page = page_of(window)
    ws = window.document.workspace
    irp = rate_irp_fully(window)
    sp11 = [c for c in irp if c.practice == "SP1.1"]

    def weaken(text: str) -> None:
        for c in sp11[:1]:
            characterize.set_cell(ws, cell_key(c), CellState("LI", weaknesses=text))
        window.document.notify(Change.CHARACTERIZATION, touched=touched(sp11[:1]))

    weaken("Reviews are informal")
    item = page._goal_items[SG1]
    assert item.text(1) == "Not Rated · decide"
    assert "awaiting the team" in page.summary.text()
    decisions.set_goal_override(ws, "CMMI-SVC", "IRP", "SG1", "Satisfied", "Informal reviews are enough here")
    window.document.notify(Change.JUDGMENT, touched=Touched.of(goals=[SG1]))
    assert page._goal_items[SG1].text(1) == "Satisfied (team)"
    weaken("Reviews are informal and undocumented")
    assert page._goal_items[SG1].text(1) == "Not Rated · stale"
    assert "1 stale" in page.summary.text()
    assert page.select_goal(SG1)
    page.goals.setFocus()
    assert page.reconfirm_button.isEnabled()
    qtbot.keyClick(page.goals, Qt.Key.Key_R)
    goal = page.goal_result(SG1)
    assert goal is not None and goal.stale is None and goal.rating.value == "Satisfied"
    window.document.undo_stack.undo()
    goal = page.goal_result(SG1)
    assert goal is not None and goal.stale is not None


def test_the_dialog_follows_the_value_and_needs_a_rationale_for_it(qtbot) -> None:
    dialog = RationaleDialog("t", "h", "", [("Satisfied", "&Satisfied"), ("Unsatisfied", "&Unsatisfied")], "Satisfied",
                             "Weaknesses are minor")  # fmt: skip
    qtbot.addWidget(dialog)
    assert dialog.ok_button.isEnabled()
    dialog.choose("Unsatisfied")
    assert dialog.rationale_text() == "" and not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.rationale, "Reviews are missing everywhere")
    dialog.choose("Satisfied")
    assert dialog.rationale_text() == "Weaknesses are minor"
    dialog.choose("Unsatisfied")
    assert dialog.rationale_text() == "Reviews are missing everywhere" and dialog.ok_button.isEnabled()


def test_clicking_a_bar_shows_its_goals(qtbot, window: MainWindow) -> None:
    page = page_of(window)
    bar_index = next(n for n, b in enumerate(page.chart.bars) if b.pa == "SM")
    y = int(page.chart._plot().top() + page.chart.row_height * (bar_index + 0.5))
    qtbot.mouseClick(page.chart, Qt.MouseButton.LeftButton, pos=QPoint(120, y))
    assert page.chart.selected == ("SM", "SM")
    assert page.goals.currentItem() is page._pa_items[("SM", "SM")]
    assert "SM" in page.detail.text()


def test_findings_naming_someone_and_coverage_gaps_are_listed(qtbot, window: MainWindow) -> None:
    page = page_of(window)
    ws = window.document.workspace
    assert page.tabs.tabText(1) == "Coverage gaps (0)"
    finding = fs.add_finding(ws, FindingFields("weakness", "Ann Lee skips reviews.", FindingTarget("SM", "SM")))
    window.document.notify(Change.FINDINGS)
    rated(qtbot, window)
    assert page.tabs.tabText(2) == "Non-attribution (1)"
    assert page.flags.item(0).text() == f"⚠ Weakness finding #{finding} names a participant: “Ann Lee”"


def test_the_chart_paints_rated_and_not_rated_process_areas_differently(qtbot, window: MainWindow) -> None:
    page = page_of(window)
    rate_irp_fully(window)
    chart = page.chart
    image = chart.grab().toImage()
    plot = chart._plot()

    def colour_in_bar(pa: str, level: float) -> str:
        row = next(n for n, b in enumerate(chart.bars) if b.pa == pa)
        x = int(plot.left() + plot.width() * level / chart.max_level)
        y = int(plot.top() + chart.row_height * (row + 0.5))
        return image.pixelColor(x, y).name()

    assert colour_in_bar("IRP", 1.0) == AT_TARGET.name()
    assert colour_in_bar("IRP", 2.5) != AT_TARGET.name(), "nothing painted above the level reached"
    assert chart.bar("SM", "SM").state is BarState.NOT_RATED
    assert colour_in_bar("SM", 1.0) != AT_TARGET.name()
