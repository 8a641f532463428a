"""The team's decisions in the Characterize grid: an OU judgment where the roll-up leaves it to the team, a
goal's override or significance with a rationale, and R re-confirming a stale decision on today's inputs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.services.characterize import CellState, set_cell
from app.services.decisions import ou_decisions
from app.ui.characterize.judgment_dialog import RationaleDialog
from app.ui.shell.document import Change, Touched
from app.ui.shell.main_window import MainWindow
from tests.ui.characterize_grid import (
    IRP,
    capability,
    goal_rating,
    irp,
    irp_key,
    ou_text,
    page_of,
    press,
    rate_irp_from_the_keyboard,
    weaken,
    ws_of,
)
from tests.ui.characterize_grid import open_window as open_window  # the fixture, shared


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
