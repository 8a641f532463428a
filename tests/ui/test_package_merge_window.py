"""The evening routine in the window: split the demo for a mini-team, change values in the package from the grid,
change one of the same cells in the lead's file, merge, settle the conflict from the keyboard, and see the result
in the grid and in the change log."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.services import catalogs, demo
from app.services.characterize import CellKey
from app.storage.schema import ChangeLog
from app.ui.characterize.characterize_page import CharacterizePage
from app.ui.packages.merge_review_dialog import MergeReviewDialog
from app.ui.packages.package_actions import PackageActions, install_package_actions
from app.ui.packages.split_package_dialog import SplitChoice
from app.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.gui
BOTH = CellKey("SM", "SM", "ESG1", "ESP1.1", "Quotes")
"""Changed in the package and in the lead's file: the conflict."""
ONLY_PACKAGE = CellKey("SM", "SM", "ESG1", "ESP1.2", "Quotes")
OUTSIDE = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Quotes")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.appraisal"
    demo.create_demo(path, catalogs.installed_catalog(), who="Lead Appraiser").close()
    return path


def _window(qtbot, make_window: Callable[..., MainWindow], path: Path, user: str) -> tuple[MainWindow, PackageActions]:
    window = make_window(page_factories=[CharacterizePage], user_name=user)
    actions = install_package_actions(window)
    window.show()
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document is not None, timeout=60000)
    window.nav.setCurrentRow(0)
    qtbot.waitUntil(lambda: grid(window).model.rowCount() > 0, timeout=60000)
    return window, actions


def grid(window: MainWindow) -> CharacterizePage:
    page = window.page(CharacterizePage)
    assert isinstance(page, CharacterizePage)
    return page


def shown(window: MainWindow, key: CellKey) -> str | None:
    model = grid(window).model
    row = model.practice_row(key.model, key.pa, key.practice)
    assert row is not None
    column = next(c for c in range(model.columnCount()) if model.unit_of(c) == key.unit)
    return model.index(row, column).data()


def type_value(qtbot, window: MainWindow, key: CellKey, letter: str) -> None:
    page = grid(window)
    assert page.select_cell(key)
    qtbot.keyClick(page.view, letter)


def test_split_work_merge_and_settle_a_conflict_from_the_keyboard(
    qtbot, make_window: Callable[..., MainWindow], demo_file: Path, tmp_path: Path
) -> None:
    lead_path = tmp_path / "lead.appraisal"
    lead_path.write_bytes(demo_file.read_bytes())
    package_path = tmp_path / "security.appraisal"

    lead, actions = _window(qtbot, make_window, lead_path, "Lead Appraiser")
    assert actions.split_action.isEnabled() and actions.merge_action.isEnabled()
    with qtbot.waitSignal(actions.split_done, timeout=120000):
        actions.start_split(SplitChoice("Security", package_path, None))
    lead.close_document()

    member, member_actions = _window(qtbot, make_window, package_path, "Morgan Reyes")
    assert member_actions.banner_bar.isVisible()
    assert member_actions.banner.text().startswith("Mini-team package for Security, from “Olive Vehicle Insurance")
    assert "mini-team package for Security" in member.windowTitle()
    assert not member_actions.split_action.isEnabled()
    assert grid(member).model.practice_row(OUTSIDE.model, OUTSIDE.pa, OUTSIDE.practice) is None, "other PAs stay out"
    type_value(qtbot, member, BOTH, "p")
    type_value(qtbot, member, ONLY_PACKAGE, "n")
    qtbot.waitUntil(lambda: shown(member, ONLY_PACKAGE) == "NI", timeout=10000)
    member.close_document()

    lead, actions = _window(qtbot, make_window, lead_path, "Lead Appraiser")
    before_other = shown(lead, ONLY_PACKAGE)
    type_value(qtbot, lead, BOTH, "l")
    qtbot.waitUntil(lambda: shown(lead, BOTH) == "LI", timeout=10000)

    with qtbot.waitSignal(actions.review_shown, timeout=120000) as shown_signal:
        actions.start_preview(package_path)
    dialog = shown_signal.args[0]
    assert isinstance(dialog, MergeReviewDialog)
    assert not dialog.apply_button.isEnabled(), "a conflict must be settled first"
    leaf = dialog.tree.currentItem()
    assert leaf is not None and leaf.text(1) == "Characterization"
    assert (leaf.text(2), leaf.text(3), leaf.text(4)) == ("FI", "LI", "PI")
    assert leaf.parent() is not None and leaf.parent().text(0) == "ESP1.1"
    qtbot.keyClick(dialog.tree, Qt.Key.Key_P)
    assert dialog.undecided() == 0 and dialog.apply_button.isEnabled()
    assert leaf.text(5) == "Package"
    with qtbot.waitSignal(actions.merged, timeout=120000):
        qtbot.keyClick(dialog.tree, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: shown(lead, BOTH) == "PI", timeout=20000)
    assert shown(lead, ONLY_PACKAGE) == "NI" != before_other
    assert lead.document is not None
    with lead.document.workspace.uow() as uow:
        history = uow.session.execute(select(ChangeLog.who, ChangeLog.action, ChangeLog.detail)).all()
    assert any(who == "Morgan Reyes" and "Security package" in detail for who, _a, detail in history)
    assert any(action == "merge" and who == "Lead Appraiser" for who, action, _d in history)

    # Edit › Undo takes the whole merge back, Redo writes it again.
    assert lead.undo_action.text() == "&Undo the merge of security.appraisal"
    lead.undo_action.trigger()
    qtbot.waitUntil(lambda: shown(lead, BOTH) == "LI", timeout=20000)
    assert shown(lead, ONLY_PACKAGE) == before_other
    lead.redo_action.trigger()
    qtbot.waitUntil(lambda: shown(lead, BOTH) == "PI", timeout=20000)
    lead.close_document()
