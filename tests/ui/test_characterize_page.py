"""The Characterize page driven through its real widgets: rating from the keyboard with live goal ratings and
capability levels, team judgments and goal overrides with their rationale, undo/redo, review marks and the
side-by-side view of linked practices. What is stored is checked through the services."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.domain.catalog import Catalog
from app.domain.plan import MiniTeamPlan, PaKey, Plan, ScopeEntry, TeamMemberPlan, UnitKind, UnitPlan
from app.domain.rating.facts import InstantiationKey
from app.services import appraisals, interviews
from app.services import evidence as ev
from app.services.characterize import CellKey, CellState, get_cell, set_cell
from app.services.decisions import ou_decisions
from app.services.interview_view import SessionFields
from app.services.workspace import Workspace
from app.ui.characterize.characterize_page import CharacterizePage
from app.ui.characterize.detail_dialog import CellDetailDialog
from app.ui.characterize.grid_table import RATING_PENDING
from app.ui.characterize.judgment_dialog import RationaleDialog
from app.ui.shell.document import Change, Touched
from app.ui.shell.main_window import MainWindow
from app.ui.shell.tasks import Task

PLAN = Plan(
    name="Characterize UI",
    scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2), ScopeEntry(PaKey("SM", "SM"), 2)),
    units=(
        UnitPlan("Claims", UnitKind.BASIC_UNIT),
        UnitPlan("Policies", UnitKind.BASIC_UNIT),
        UnitPlan("Sec", UnitKind.SUPPORT_FUNCTION, process_areas=(PaKey("SM", "SM"),)),
    ),
    team=(TeamMemberPlan("Lee", "lead"), TeamMemberPlan("Kim")),
    mini_teams=(
        MiniTeamPlan("Security", ("Lee",), (PaKey("SM", "SM"),)),
        MiniTeamPlan("Delivery", ("Kim",), (PaKey("CMMI-SVC", "IRP"),)),
    ),
)
IRP = ("CMMI-SVC", "IRP")
IRP_CELLS = [
    (goal, practice, unit)
    for goal, practice in (("SG1", "SP1.1"), ("SG1", "SP1.2"), ("GG2", "GP2.1"), ("GG2", "GP2.2"))
    for unit in ("Claims", "Policies")
]


def irp(goal: str, practice: str, unit: str) -> CellKey:
    return CellKey(*IRP, goal, practice, unit)


def irp_key(practice: str, unit: str) -> InstantiationKey:
    return InstantiationKey(*IRP, practice, unit)


def give_evidence(ws: Workspace) -> None:
    """An adequate artifact and an affirmation for every IRP cell, so coverage lets its goals be rated."""
    units = {u.name: u.id for u in ev.unit_options(ws)}
    targets = [ev.LinkTarget(*IRP, practice, units[unit]) for _goal, practice, unit in IRP_CELLS]
    doc = ev.add_artifact_by_reference(ws, "https://example.org/irp", ev.ArtifactMeta("Incident procedure"))
    ev.link_evidence(ws, ev.EvidenceSource.of_artifact(doc), targets)
    session = interviews.create_session(ws, SessionFields("INT-1"))
    interviews.add_affirmation(ws, session, "Incidents are logged and resolved", targets)
    # The basic units also implement SM: without evidence there, subgroup rule B1 would keep IRP Not Rated.
    sm = [
        ev.LinkTarget(o.model, o.pa, o.practice, u.id)
        for u in ev.unit_options(ws)
        if u.name in ("Claims", "Policies")
        for o in ev.practice_options(ws)
        if o.pa == "SM" and u.implements(o.model, o.pa)
    ]
    security = ev.add_artifact_by_reference(ws, "https://example.org/sm", ev.ArtifactMeta("Security plan"))
    ev.link_evidence(ws, ev.EvidenceSource.of_artifact(security), sm)
    interviews.add_affirmation(ws, session, "Security objectives are set", sm)


@pytest.fixture
def open_window(qtbot, make_window: Callable[..., MainWindow], tmp_path: Path, catalog: Catalog, ui_settings):
    # These tests walk the grid with the arrow keys themselves; the cursor stays on a cell after its value
    # (tests/ui/test_fast_entry.py covers the default: advancing after each value).
    ui_settings.set_advance("stay")

    def open_(prepare: Callable[[Workspace], object] = give_evidence) -> MainWindow:
        path = tmp_path / "ch.appraisal"
        ws = appraisals.create_appraisal(path, PLAN, catalog, who="Lee")
        prepare(ws)
        ws.close()
        win = make_window(page_factories=[CharacterizePage])
        win.show()
        win.open_path(path)
        qtbot.waitUntil(lambda: win.document is not None, timeout=10000)
        win.nav.setCurrentRow(0)
        qtbot.waitUntil(lambda: page_of(win).model.rowCount() > 0, timeout=10000)
        qtbot.waitUntil(lambda: page_of(win).model.ratings is not None, timeout=30000)
        return win

    return open_


def page_of(window: MainWindow) -> CharacterizePage:
    page = window.page(CharacterizePage)
    assert isinstance(page, CharacterizePage)
    return page


def ws_of(window: MainWindow) -> Workspace:
    assert window.document is not None
    return window.document.workspace


def ou_text(page: CharacterizePage, row: int | None) -> str:
    assert row is not None
    return page.model.index(row, page.model.ou_column).data()


def goal_rating(page: CharacterizePage, goal: str) -> str:
    return ou_text(page, page.model.goal_row(*IRP, goal))


def capability(page: CharacterizePage) -> str:
    span = page.model.pa_rows(PaKey(*IRP))
    assert span is not None
    return ou_text(page, span[0])


def current(page: CharacterizePage) -> tuple[str, str | None]:
    index = page.view.currentIndex()
    row = page.model.row(index.row())
    return row.practice, page.model.unit_of(index.column())


def press(qtbot, page: CharacterizePage, *keys: str) -> None:
    """Type into the grid: letters set values; "right", "left", "down", "up", "del" move or clear."""
    named = {"right": Qt.Key.Key_Right, "left": Qt.Key.Key_Left, "down": Qt.Key.Key_Down, "up": Qt.Key.Key_Up}
    for key in keys:
        if key == "del":
            qtbot.keyClick(page.view, Qt.Key.Key_Delete)
        elif key in named:
            qtbot.keyClick(page.view, named[key])
        else:
            qtbot.keyClick(page.view, key)


def rate_irp_from_the_keyboard(qtbot, page: CharacterizePage) -> None:
    page.select_cell(irp("SG1", "SP1.1", "Claims"))
    press(qtbot, page, "P", "right", "f")  # SP1.1: Claims PI, Policies FI
    assert current(page) == ("SP1.1", "Policies")
    press(qtbot, page, "down", "f", "left", "f")  # SP1.2: Policies FI, Claims FI
    press(qtbot, page, "down")  # over the GG2 heading, straight to GP2.1
    assert current(page) == ("GP2.1", "Claims")
    press(qtbot, page, "f", "right", "f", "down", "f", "left", "f")  # GP2.1 and GP2.2 all FI
    press(qtbot, page, "up", "up", "up", "f")  # back to SP1.1 Claims: PI becomes FI
    assert current(page) == ("SP1.1", "Claims")


def weaken(window: MainWindow, goal: str, practice: str, unit: str, weakness: str) -> None:
    """Record (or with "" delete) a cell's weakness, keeping its value, as the detail dialog would."""
    ws = ws_of(window)
    key = irp(goal, practice, unit)
    set_cell(ws, key, replace(get_cell(ws, key), weaknesses=weakness))
    assert window.document is not None
    window.document.notify(Change.CHARACTERIZATION, touched=Touched.of(cells=[irp_key(practice, unit)]))


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


def test_a_judgment_cell_asks_for_the_rationale_and_stores_the_team_value(
    qtbot, open_window: Callable[..., MainWindow], monkeypatch
) -> None:
    window = open_window()
    page = page_of(window)
    ws = ws_of(window)
    rate_irp_from_the_keyboard(qtbot, page)
    page.select_cell(irp("GG2", "GP2.2", "Policies"))
    press(qtbot, page, "p")  # GP2.2: Claims FI, Policies PI -> the team must judge (once PI has its weakness)
    gp22 = page.model.practice_row(*IRP, "GP2.2")
    assert gp22 is not None
    assert ou_text(page, gp22) == "fix"
    weaken(window, "GG2", "GP2.2", "Policies", "No records of the process plan")
    page.select_cell(irp("GG2", "GP2.2", "Policies"))
    assert ou_text(page, gp22) == "judge"
    assert (goal_rating(page, "GG2"), capability(page)) == ("Not Rated", "CL —")
    assert page.model.needs_attention(gp22)

    seen: list[tuple[str | None, bool, list[str | None]]] = []

    def decide(dialog: RationaleDialog) -> int:
        seen.append((dialog.value(), dialog.ok_button.isEnabled(), list(dialog.buttons)))
        qtbot.keyClicks(dialog.rationale, "Only one unit lacks the records; the weakness is minor")
        assert dialog.ok_button.isEnabled()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RationaleDialog, "exec", decide)
    press(qtbot, page, "right")  # to the OU cell
    assert page.view.currentIndex().column() == page.model.ou_column
    press(qtbot, page, "l")
    assert seen == [("LI", False, ["LI", "PI", "NI"])], "the typed value is chosen; OK waits for the rationale"
    decision = ou_decisions(ws)[(*IRP, "GP2.2")]
    assert (decision.value, decision.decided_by) == ("LI", "tester")
    assert decision.rationale == "Only one unit lacks the records; the weakness is minor"
    assert ou_text(page, gp22) == "LI"
    # An LI practice: rule 3 asks the team whether its weakness is significant before GG2 is rated.
    assert (goal_rating(page, "GG2"), capability(page)) == ("decide", "CL —")

    window.undo_action.trigger()
    assert (*IRP, "GP2.2") not in ou_decisions(ws)
    assert (ou_text(page, gp22), capability(page)) == ("judge", "CL —")
    window.redo_action.trigger()
    assert ou_decisions(ws)[(*IRP, "GP2.2")].value == "LI"
    assert goal_rating(page, "GG2") == "decide"

    # A cancelled dialog stores nothing; Delete on the OU cell clears the team's value (undoable).
    monkeypatch.setattr(RationaleDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert ou_decisions(ws)[(*IRP, "GP2.2")].value == "LI"
    press(qtbot, page, "del")
    assert (*IRP, "GP2.2") not in ou_decisions(ws)
    assert ou_text(page, gp22) == "judge"


def test_an_ou_value_the_rules_decide_needs_no_judgment(
    qtbot, open_window: Callable[..., MainWindow], monkeypatch
) -> None:
    window = open_window()
    page = page_of(window)
    rate_irp_from_the_keyboard(qtbot, page)
    opened: list[RationaleDialog] = []
    monkeypatch.setattr(RationaleDialog, "exec", lambda dialog: opened.append(dialog) or QDialog.DialogCode.Rejected)
    sp12 = page.model.practice_row(*IRP, "SP1.2")
    assert sp12 is not None
    page.view.setCurrentIndex(page.model.index(sp12, page.model.ou_column))
    press(qtbot, page, "p")
    assert opened == []
    assert "needs no team judgment" in page.message.text()
    assert ou_decisions(ws_of(window)) == {}


def test_a_goal_override_needs_a_rationale(qtbot, open_window: Callable[..., MainWindow], monkeypatch) -> None:
    window = open_window()
    page = page_of(window)
    rate_irp_from_the_keyboard(qtbot, page)

    def override(dialog: RationaleDialog) -> int:
        dialog.choose("Unsatisfied")
        assert not dialog.ok_button.isEnabled()
        qtbot.keyClicks(dialog.rationale, "The trend analysis weakness is significant")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RationaleDialog, "exec", override)
    sg1 = page.model.goal_row(*IRP, "SG1")
    assert sg1 is not None
    page.view.setCurrentIndex(page.model.index(sg1, page.model.ou_column))
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert goal_rating(page, "SG1") == "Unsatisfied"
    assert capability(page) == "CL 0"
    assert window.document is not None
    result = window.document.ratings().process_area(*IRP)
    assert result is not None and result.goal("SG1") is not None
    goal = result.goal("SG1")
    assert goal is not None and goal.override is not None
    assert goal.override.rationale == "The trend analysis weakness is significant"

    press(qtbot, page, "del")
    assert (goal_rating(page, "SG1"), capability(page)) == ("Satisfied", "CL 2")
    window.undo_action.trigger()
    assert goal_rating(page, "SG1") == "Unsatisfied"


def test_significance_is_decided_in_the_grid_and_r_re_confirms_a_stale_decision(
    qtbot, open_window: Callable[..., MainWindow], monkeypatch
) -> None:
    window = open_window()
    page = page_of(window)
    ws = ws_of(window)
    rate_irp_from_the_keyboard(qtbot, page)
    set_cell(ws, irp("GG2", "GP2.2", "Policies"), CellState("LI", weaknesses="Plan not dated"))
    assert window.document is not None
    window.document.notify(Change.CHARACTERIZATION, touched=Touched.of(cells=[irp_key("GP2.2", "Policies")]))
    assert window.document.ratings().process_area(*IRP) is not None
    gg2 = page.model.goal_row(*IRP, "GG2")
    assert gg2 is not None
    assert (ou_text(page, gg2), capability(page)) == ("decide", "CL —")

    offered: list[list[str | None]] = []

    def decide(dialog: RationaleDialog) -> int:
        offered.append(list(dialog.buttons))
        assert dialog.value() == "Satisfied", "the rules' proposal is chosen"
        assert not dialog.ok_button.isEnabled()
        qtbot.keyClicks(dialog.rationale, "An undated plan is minor")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RationaleDialog, "exec", decide)
    page.view.setCurrentIndex(page.model.index(gg2, page.model.ou_column))
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert offered == [["Satisfied", "Unsatisfied"]]
    assert (goal_rating(page, "GG2"), capability(page)) == ("Satisfied", "CL 2")

    # The weakness is reworded: the decision rests on other inputs now, so it is stale until re-confirmed.
    set_cell(ws, irp("GG2", "GP2.2", "Policies"), CellState("LI", weaknesses="Plan not dated nor approved"))
    window.document.notify(Change.CHARACTERIZATION, touched=Touched.of(cells=[irp_key("GP2.2", "Policies")]))
    assert (goal_rating(page, "GG2"), capability(page)) == ("stale", "CL —")
    assert "R: re-confirm" in page.model.index(gg2, page.model.ou_column).data(Qt.ItemDataRole.ToolTipRole)
    page.view.setCurrentIndex(page.model.index(gg2, page.model.ou_column))
    press(qtbot, page, "r")
    assert (goal_rating(page, "GG2"), capability(page)) == ("Satisfied", "CL 2")
    window.undo_action.trigger()
    assert goal_rating(page, "GG2") == "stale"


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
    qtbot, make_window: Callable[..., MainWindow], tmp_path: Path, catalog: Catalog, ui_settings
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
    window.show()
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document is not None, timeout=10000)
    page = page_of(window)
    assert window.pages.currentWidget() is page
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and page.model.ratings is not None, timeout=30000)
    reads = [label for label in started if label == "Reading the grid"]
    assert reads == ["Reading the grid"]
    assert started.index("Reading the grid") < started.index("Rating")
