"""Every dialog, opened the way a person opens it on the demo with the window at the minimum size (1000x640)
and a common laptop size (1366x768), fits that screen and shows each label whole (issue 15, "Polish that a test
holds"). Pages are checked by tests/ui/test_layout_fit.py with the same measure."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEventLoop
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from app.domain.rating.facts import GoalKey
from app.domain.report import Edition
from app.services import exports, package_merge, packages, release_gate, workbook_import
from app.services.grid import RowKind
from app.services.release_gate import ReleaseRefused
from app.ui.backups.reliability_actions import install_reliability_actions
from app.ui.characterize.characterize_page import CharacterizePage
from app.ui.evidence.evidence_page import EvidencePage
from app.ui.findings.findings_page import FindingsPage
from app.ui.outputs.import_preview_dialog import ImportPreviewDialog
from app.ui.outputs.output_actions import install_output_actions
from app.ui.outputs.release_blocks_dialog import ReleaseBlocksDialog
from app.ui.outputs.report_actions import install_report_actions
from app.ui.packages.merge_review_dialog import MergeReviewDialog
from app.ui.packages.package_actions import install_package_actions
from app.ui.plan.plan_page import PlanPage
from app.ui.ratings.ratings_page import RatingsPage
from app.ui.shell.main_window import MainWindow
from app.ui.shell.passphrase_dialog import unlock_dialog
from tests.ui.test_layout_fit import SIZES, settle, unfit

Opener = Callable[[MainWindow], object]


def _page(window: MainWindow, kind: type) -> QWidget:
    page = window.page(kind)
    window.show_page(window.page_list.index(page))
    return page


def _grid(window: MainWindow) -> CharacterizePage:
    grid = _page(window, CharacterizePage)
    assert isinstance(grid, CharacterizePage)
    # The grid is read on the worker the first time it shows.
    while not grid.model.rows:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    return grid


def _judgment(window: MainWindow) -> None:
    grid = _grid(window)
    row = next(
        r
        for r in grid.model.rows
        if r.kind is RowKind.PRACTICE
        and (result := grid.model.practice_result(r.model, r.pa, r.practice)) is not None
        and result.rollup.requires_judgment
    )
    grid.decisions.judge(row, None)


def _cell_detail(window: MainWindow) -> None:
    grid = _grid(window)
    row = next(i for i, r in enumerate(grid.model.rows) if r.kind is RowKind.PRACTICE)
    key = grid.model.key_at(grid.model.index(row, 0))
    assert key is not None
    grid.edits.open_detail(key)


def _paste(window: MainWindow) -> None:
    grid = _grid(window)
    row = next(i for i, r in enumerate(grid.model.rows) if r.kind is RowKind.PRACTICE)
    QGuiApplication.clipboard().setText("FI\nLI\nPI\nNI\nX\n")
    grid.view.setCurrentIndex(grid.model.index(row, 0))
    grid.edits.paste(grid.model.index(row, 0))


def _goal_decision(window: MainWindow) -> None:
    ratings = _page(window, RatingsPage)
    assert isinstance(ratings, RatingsPage) and window.document is not None
    goal = next(g for pa in window.document.ratings().process_areas for g in pa.goals if g.judgment_needed)
    area = next(pa for pa in window.document.ratings().process_areas if goal in pa.goals)
    assert ratings.select_goal(GoalKey(area.key.model, area.key.pa, goal.code))
    ratings.override_current()


def _link(window: MainWindow) -> None:
    evidence = _page(window, EvidencePage)
    assert isinstance(evidence, EvidencePage)
    evidence.table.setCurrentIndex(evidence.proxy.index(0, 0))
    evidence.link_current()


def _scope_checklist(window: MainWindow) -> None:
    plan = _page(window, PlanPage)
    assert isinstance(plan, PlanPage)
    plan.scope.add()


def _merge_review(window: MainWindow, tmp: Path) -> None:
    assert window.document is not None
    ws = window.document.workspace
    team = packages.mini_team_names(ws)[0]
    package = tmp / "team.appraisal"
    if not package.exists():
        packages.split(ws, team, package)
    MergeReviewDialog(package_merge.preview(ws, package), window).exec()


def _import_preview(window: MainWindow, tmp: Path) -> None:
    assert window.document is not None
    ws = window.document.workspace
    workbook = tmp / "team.xlsx"
    if not workbook.exists():
        exports.export_xlsx(ws, workbook)
    ImportPreviewDialog(workbook_import.preview(ws, workbook), window).exec()


def _release_blocks(window: MainWindow) -> None:
    assert window.document is not None
    ws = window.document.workspace
    blocks = release_gate.release_blocks(ws, Edition.SPONSOR)
    ReleaseBlocksDialog(ReleaseRefused(Edition.SPONSOR, blocks), window).exec()


def openers(tmp: Path) -> dict[str, Opener]:
    return {
        "add reference": lambda w: _page(w, EvidencePage).add_reference(),  # type: ignore[attr-defined]
        "link evidence": _link,
        "identifiers": lambda w: _page(w, FindingsPage).edit_identifiers(),  # type: ignore[attr-defined]
        "OU judgment": _judgment,
        "goal decision": _goal_decision,
        "cell detail": _cell_detail,
        "paste preview": _paste,
        "go to": lambda w: w.places.open_go_to(),
        "plan scope checklist": _scope_checklist,
        "export workbook": lambda w: install_output_actions(w).export_workbook(),
        "export PDF": lambda w: install_output_actions(w).export_pdf(),
        "export Word report": lambda w: install_report_actions(w).export("docx"),
        "export briefing": lambda w: install_report_actions(w).export("pptx"),
        "export record": lambda w: install_report_actions(w).export("record"),
        "report templates": lambda w: install_report_actions(w).choose_templates(),
        "split package": lambda w: install_package_actions(w).split(),
        "merge review": lambda w: _merge_review(w, tmp),
        "release blocks": _release_blocks,
        "import preview": lambda w: _import_preview(w, tmp),
        "backups": lambda w: install_reliability_actions(w).show_backups(),
        "new appraisal": lambda w: w.new_appraisal(),
        "unlock": lambda w: unlock_dialog(tmp / "locked.appraisal", w).exec(),
    }


@pytest.fixture
def shown_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[QDialog]:
    """Dialogs opened with exec() are shown without blocking and answered Cancel once measured."""
    shown: list[QDialog] = []

    def show_instead(dialog: QDialog) -> int:
        dialog.show()
        shown.append(dialog)
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(QDialog, "exec", show_instead)
    return shown


def _open_dialog(window: MainWindow, shown: list[QDialog]) -> QDialog | None:
    if shown:
        return shown[-1]
    visible = [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]
    return visible[-1] if visible else None


@pytest.mark.parametrize("size", SIZES)
def test_every_dialog_fits_the_screen_and_its_labels(
    qtbot, demo_window: MainWindow, shown_dialogs: list[QDialog], tmp_path: Path, size: tuple[int, int]
) -> None:
    window = demo_window
    settle(window, size)
    found: list[str] = []
    for name, open_it in openers(tmp_path).items():
        shown_dialogs.clear()
        open_it(window)
        dialog = _open_dialog(window, shown_dialogs)
        assert dialog is not None, f"{name}: no dialog opened"
        for _ in range(3):
            QApplication.processEvents()
        if dialog.width() > window.width() or dialog.height() > window.height():
            found.append(f"{name}: {dialog.width()}x{dialog.height()} is larger than the window at {size}")
        found += [f"{name}: {problem}" for problem in unfit(dialog)]
        dialog.reject()
        dialog.close()
        QApplication.processEvents()
    assert found == [], "\n".join(found)
