"""The Plan page driven through its real widgets: typed edits saved after a pause, rows added with Enter,
undo/redo, problems shown where they are and nothing invalid written, removals that would delete evidence
asked about first."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox, QPushButton
from sqlalchemy import func, select

from app.domain.catalog import Catalog
from app.domain.plan import (
    PaKey,
    Plan,
    SamplingFactorPlan,
    ScopeEntry,
    SubgroupPlan,
    TeamMemberPlan,
    UnitKind,
    UnitPlan,
)
from app.services import appraisals
from app.services.plan_editing import get_phase, get_plan
from app.services.workspace import Workspace
from app.storage.instantiation_repo import practice_ids
from app.storage.plan_repo import pa_ids
from app.storage.schema import Artifact, Characterization, EvidenceLink, Unit
from app.ui.plan.checklist_dialog import ChecklistDialog
from app.ui.plan.plan_page import PlanPage
from app.ui.plan.wording import pa_summary, where
from app.ui.shell.main_window import MainWindow
from app.ui.shell.page_list import page_factories

IRP, MA, SM = PaKey("CMMI-SVC", "IRP"), PaKey("CMMI-SVC", "MA"), PaKey("SM", "SM")
PLAN = Plan(
    name="Plan page",
    sponsor="COO",
    scope=(ScopeEntry(SM, 2), ScopeEntry(IRP, 2)),
    sampling_factors=(SamplingFactorPlan("Type of work", True, "Sales differs from claims", ("Sales", "Claims")),),
    subgroups=(SubgroupPlan("Claims side", factors=(("Type of work", "Claims"),), total_units=2),),
    units=(
        UnitPlan("Claims", UnitKind.BASIC_UNIT, subgroup="Claims side"),
        UnitPlan("Repair", UnitKind.BASIC_UNIT, subgroup="Claims side"),
        UnitPlan("Security office", UnitKind.SUPPORT_FUNCTION, process_areas=(SM,)),
    ),
    team=(TeamMemberPlan("Morgan", "lead"),),
)


@pytest.fixture
def page_and_ws(
    qtbot, make_window: Callable[..., MainWindow], tmp_path: Path, catalog: Catalog
) -> Iterator[tuple[PlanPage, Workspace]]:
    path = tmp_path / "plan.appraisal"
    appraisals.create_appraisal(path, PLAN, catalog).close()
    window = make_window(page_factories=[*page_factories(), PlanPage])
    window.show()
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document is not None, timeout=10000)
    page = window.page(PlanPage)
    assert isinstance(page, PlanPage)
    window.show_page(window.page_list.index(page))
    assert window.document is not None
    yield page, window.document.workspace


def stack(page: PlanPage) -> QUndoStack:
    assert page.document is not None
    return page.document.undo_stack


def answer_modal(handle: Callable[[object], None]) -> None:
    """Run `handle(dialog)` on the next modal dialog, once it is open."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, poll)
            return
        handle(dialog)

    QTimer.singleShot(0, poll)


def add_evidence(ws: Workspace, unit: str) -> None:
    with ws.uow() as uow:
        session = uow.session
        unit_id = session.scalars(select(Unit.id).where(Unit.name == unit)).one()
        pa = pa_ids(session)[IRP]
        practice = practice_ids(session)[("CMMI-SVC", "IRP", "SG1", "SP1.1")]
        artifact = Artifact(title="Incident procedure", added_at=datetime.now())
        session.add(artifact)
        session.flush()
        session.add(EvidenceLink(artifact_id=artifact.id, process_area_id=pa, practice_id=practice, unit_id=unit_id))
        session.add(Characterization(process_area_id=pa, practice_id=practice, unit_id=unit_id, value="LI"))
        uow.commit()


def count(ws: Workspace, table: type) -> int:
    with ws.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(table)) or 0)


def test_typing_a_sponsor_saves_it_as_one_undoable_step(qtbot, page_and_ws: tuple[PlanPage, Workspace]) -> None:
    page, ws = page_and_ws
    sponsor = page.appraisal.sponsor
    sponsor.setFocus()
    sponsor.selectAll()
    qtbot.keyClicks(sponsor, "Chief Operating Officer")
    assert get_plan(ws).sponsor == "COO"  # not before the typing pause
    qtbot.waitUntil(lambda: get_plan(ws).sponsor == "Chief Operating Officer", timeout=3000)
    assert stack(page).undoText() == "Edit sponsor"
    stack(page).undo()
    assert get_plan(ws).sponsor == "COO"
    assert sponsor.text() == "COO"
    stack(page).redo()
    assert get_plan(ws).sponsor == "Chief Operating Officer"
    assert sponsor.text() == "Chief Operating Officer"


def test_an_invalid_entry_shows_its_problem_and_writes_nothing(qtbot, page_and_ws: tuple[PlanPage, Workspace]) -> None:
    page, ws = page_and_ws
    name = page.appraisal.name
    field = next(b.field for b in page.appraisal.bindings if b.key == "appraisal.name")
    name.setFocus()
    name.selectAll()
    qtbot.keyClick(name, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: field.problem_text() == "is required", timeout=3000)
    assert field.outline.problem
    assert get_plan(ws).name == "Plan page" and stack(page).count() == 0
    # A valid edit elsewhere is still written while the name waits to be fixed.
    page.appraisal.lead.setFocus()
    qtbot.keyClicks(page.appraisal.lead, "Morgan Reyes")
    qtbot.keyClick(page.appraisal.lead, Qt.Key.Key_Return)
    assert get_plan(ws).lead_appraiser == "Morgan Reyes"
    assert name.text() == "" and field.problem_text() == "is required"
    qtbot.keyClicks(name, "Renamed")
    qtbot.keyClick(name, Qt.Key.Key_Return)  # Enter writes at once, without waiting for the pause
    assert get_plan(ws).name == "Renamed"
    assert field.problem_text() == "" and not field.outline.problem


def test_dates_are_checked_as_dates_and_as_a_range(qtbot, page_and_ws: tuple[PlanPage, Workspace]) -> None:
    page, ws = page_and_ws
    start, end = page.appraisal.start, page.appraisal.end
    end_field = next(b.field for b in page.appraisal.bindings if b.key == "appraisal.end")
    start.setFocus()
    qtbot.keyClicks(start, "2026-11-30")
    qtbot.keyClick(start, Qt.Key.Key_Return)
    end.setFocus()
    qtbot.keyClicks(end, "2026-13-01")
    qtbot.keyClick(end, Qt.Key.Key_Return)
    assert end_field.problem_text().startswith("Write the date as YYYY-MM-DD")
    end.clear()
    qtbot.keyClicks(end, "2026-11-01")
    qtbot.keyClick(end, Qt.Key.Key_Return)
    assert end_field.problem_text() == "ends before it starts"
    assert get_plan(ws).end_date is None
    end.clear()
    qtbot.keyClicks(end, "2026-12-04")
    qtbot.keyClick(end, Qt.Key.Key_Return)
    assert str(get_plan(ws).end_date) == "2026-12-04" and end_field.problem_text() == ""


def test_appraisal_id_and_validity_are_saved_and_checked(qtbot, page_and_ws: tuple[PlanPage, Workspace]) -> None:
    page, ws = page_and_ws
    section = page.appraisal
    valid_field = next(b.field for b in section.bindings if b.key == "appraisal.valid_until")
    for widget, text in ((section.identifier, "SCAMPI-40123"), (section.end, "2026-12-04")):
        widget.setFocus()
        qtbot.keyClicks(widget, text)
        qtbot.keyClick(widget, Qt.Key.Key_Return)
    assert get_plan(ws).identifier == "SCAMPI-40123"
    section.valid_until.setFocus()
    qtbot.keyClicks(section.valid_until, "2030-01-01")
    qtbot.keyClick(section.valid_until, Qt.Key.Key_Return)
    assert "latest allowed is 2029-12-04" in valid_field.problem_text()
    assert get_plan(ws).valid_until is None
    section.valid_until.clear()
    qtbot.keyClicks(section.valid_until, "2029-06-30")
    qtbot.keyClick(section.valid_until, Qt.Key.Key_Return)
    assert str(get_plan(ws).valid_until) == "2029-06-30" and valid_field.problem_text() == ""
    assert stack(page).undoText() == "Edit validity date"


def test_enter_adds_a_basic_unit_and_undo_redo_work(qtbot, page_and_ws: tuple[PlanPage, Workspace]) -> None:
    page, ws = page_and_ws
    table = page.units.table
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert table.rowCount() == 4 and page.units.draft_row == 3
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, "Billing")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Billing" in [u.name for u in get_plan(ws).units], timeout=3000)
    assert [u.name for u in get_plan(ws).units] == ["Claims", "Repair", "Billing", "Security office"]
    assert stack(page).undoText() == "Add basic unit Billing"
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == [
        "Claims",
        "Repair",
        "Billing",
        "Security office",
    ]
    stack(page).undo()
    assert [u.name for u in get_plan(ws).units] == ["Claims", "Repair", "Security office"]
    assert table.rowCount() == 3
    stack(page).redo()
    assert "Billing" in [u.name for u in get_plan(ws).units]


def test_a_duplicate_name_in_a_new_row_is_refused_where_it_was_typed(
    qtbot, page_and_ws: tuple[PlanPage, Workspace]
) -> None:
    page, ws = page_and_ws
    table = page.units.table
    table.setFocus()
    page.units.add()
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, "claims")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.units.problems.isVisible(), timeout=3000)
    assert "'claims' is listed twice" in page.units.problems.text()
    assert page.units.draft_row == 3 and table.item(3, 0).toolTip() == "'claims' is listed twice"
    assert len(get_plan(ws).units) == 3 and stack(page).count() == 0
    # The name is open again for a fix; Esc closes it, Del then drops the new row.
    editor = QApplication.focusWidget()
    assert editor is not table and editor.text() == "claims"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: table.rowCount() == 3, timeout=3000)
    assert not page.units.problems.isVisible()


def test_add_process_areas_filters_as_you_type(qtbot, page_and_ws: tuple[PlanPage, Workspace]) -> None:
    page, ws = page_and_ws
    seen: dict[str, object] = {}

    def choose(dialog: object) -> None:
        assert isinstance(dialog, ChecklistDialog)
        # The appraisal's catalog: its rateable models' PAs not yet in scope (the reference standard is left out).
        seen["offered"] = [item.text(0).split()[0] for item in dialog._shown()]
        qtbot.keyClicks(dialog.filter, "measure")
        seen["filtered"] = [item.text(0) for item in dialog._shown()]
        qtbot.keyClick(dialog.filter, Qt.Key.Key_Down)  # on to the list
        qtbot.keyClick(dialog.tree, Qt.Key.Key_Space)  # check it
        qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)  # and done

    answer_modal(choose)
    page.scope.table.setFocus()
    qtbot.keyClick(page.scope.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(get_plan(ws).scope) == 3, timeout=3000)
    assert seen["offered"] == ["MA", "WP"]
    assert seen["filtered"] == ["MA  Measurement and Analysis"]
    # The new area takes the scope's usual target.
    assert get_plan(ws).scope[-1] == ScopeEntry(MA, 2)
    assert stack(page).undoText() == "Add CMMI-SVC:MA to scope"
    assert page.scope.table.item(2, 2).text() == "Measurement and Analysis"
    stack(page).undo()
    assert [e.pa for e in get_plan(ws).scope] == [SM, IRP]
    assert page.scope.table.rowCount() == 2
    stack(page).redo()
    assert [e.pa for e in get_plan(ws).scope] == [SM, IRP, MA]


def test_excluding_needs_a_reason_and_both_are_written_together(qtbot, page_and_ws: tuple[PlanPage, Workspace]) -> None:
    page, ws = page_and_ws
    table = page.scope.table
    table.setFocus()
    table.setCurrentCell(1, 4)  # IRP, Excluded
    qtbot.keyClick(table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.scope.problems.isVisible(), timeout=3000)
    assert "CMMI-SVC:IRP, exclusion reason: an excluded process area needs a reason" in page.scope.problems.text()
    assert table.item(1, 5).toolTip() == "an excluded process area needs a reason"
    assert not get_plan(ws).scope[1].excluded and stack(page).count() == 0
    table.setCurrentCell(1, 5)
    qtbot.keyClick(table, "N")  # typing starts the cell editor
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, "o incidents handled here")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: get_plan(ws).scope[1].excluded, timeout=3000)
    assert get_plan(ws).scope[1].exclusion_reason == "No incidents handled here"
    assert stack(page).undoText() == "Edit why CMMI-SVC:IRP is excluded (with 1 related change)"
    assert not page.scope.problems.isVisible()
    stack(page).undo()
    assert get_plan(ws).scope[1] == ScopeEntry(IRP, 2)


def test_removing_a_unit_with_evidence_asks_first_and_cannot_be_undone(
    qtbot, page_and_ws: tuple[PlanPage, Workspace]
) -> None:
    page, ws = page_and_ws
    # Something undoable first, to see the history cleared.
    page.appraisal.sponsor.setFocus()
    qtbot.keyClicks(page.appraisal.sponsor, " and CFO")
    qtbot.keyClick(page.appraisal.sponsor, Qt.Key.Key_Return)
    assert stack(page).count() == 1
    add_evidence(ws, "Claims")
    asked: list[str] = []

    def reply(button_text: str) -> Callable[[object], None]:
        def handle(box: object) -> None:
            assert isinstance(box, QMessageBox)
            asked.append(f"{box.text()}\n{box.informativeText()}")
            button = next(b for b in box.findChildren(QPushButton) if b.text().replace("&", "") == button_text)
            button.click()

        return handle

    table = page.units.table
    table.setFocus()
    table.setCurrentCell(0, 3)
    answer_modal(reply("Cancel"))
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=3000)
    assert "Remove the basic unit “Claims” and delete the work recorded for it?" in asked[0]
    assert "1 evidence link will be deleted" in asked[0]
    assert "1 practice characterization (values, strengths, weaknesses, notes) will be deleted" in asked[0]
    assert "This cannot be undone" in asked[0]
    assert get_plan(ws).units[0].name == "Claims" and count(ws, EvidenceLink) == 1

    answer_modal(reply("Remove and delete"))
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: len(get_plan(ws).units) == 2, timeout=3000)
    assert count(ws, EvidenceLink) == 0 and count(ws, Characterization) == 0
    assert stack(page).count() == 0  # nothing before it can be undone any more
    assert table.rowCount() == 2


def test_removing_a_unit_without_evidence_asks_and_can_be_undone(
    qtbot, page_and_ws: tuple[PlanPage, Workspace]
) -> None:
    page, ws = page_and_ws
    asked: list[str] = []

    def confirm(box: object) -> None:
        assert isinstance(box, QMessageBox)
        asked.append(box.informativeText())
        box.defaultButton().click()  # Enter: removing is the default when it can be undone

    answer_modal(confirm)
    table = page.units.table
    table.setFocus()
    table.setCurrentCell(1, 0)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: len(get_plan(ws).units) == 2, timeout=3000)
    assert asked == ["You can undo this (Edit › Undo)."]
    assert stack(page).undoText() == "Remove basic unit Repair"
    stack(page).undo()
    assert [u.name for u in get_plan(ws).units] == ["Claims", "Repair", "Security office"]


def test_renaming_a_unit_keeps_its_evidence(qtbot, page_and_ws: tuple[PlanPage, Workspace]) -> None:
    page, ws = page_and_ws
    add_evidence(ws, "Claims")
    table = page.units.table
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "Claims handling")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: get_plan(ws).units[0].name == "Claims handling", timeout=3000)
    assert count(ws, EvidenceLink) == 1
    assert stack(page).undoText() == "Rename basic unit Claims to Claims handling"
    stack(page).undo()
    assert get_plan(ws).units[0].name == "Claims" and count(ws, EvidenceLink) == 1


def test_the_scale_of_a_characterized_appraisal_cannot_change(qtbot, page_and_ws: tuple[PlanPage, Workspace]) -> None:
    page, ws = page_and_ws
    add_evidence(ws, "Claims")
    page.refresh()
    scale = page.appraisal.scale
    field = next(b.field for b in page.appraisal.bindings if b.key == "appraisal.scale")
    assert "cannot change" in field.input.toolTip()
    scale.setCurrentIndex(1)
    scale.activated.emit(1)
    assert "The scale cannot change: 1 characterization already uses the v1.3 values" in field.problem_text()
    assert get_plan(ws).scale == "v1.3" and scale.currentIndex() == 0 and stack(page).count() == 0


def test_phase_moves_on_and_back(qtbot, page_and_ws: tuple[PlanPage, Workspace]) -> None:
    page, ws = page_and_ws
    phase = page.appraisal.phase
    phase.setCurrentIndex(1)
    phase.activated.emit(1)
    assert get_phase(ws) == "conduct" and stack(page).undoText() == "Set phase to Conduct"
    stack(page).undo()
    assert get_phase(ws) == "plan" and phase.currentText() == "Plan"


def test_subgroups_show_the_sample_check(qtbot, page_and_ws: tuple[PlanPage, Workspace]) -> None:
    page, ws = page_and_ws
    table = page.subgroups.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["Subgroup", "Description", "Type of work", "Basic units", "People", "Sample"]
    assert table.item(0, headers.index("Sample")).text() == "✓ needs 1 sampled basic unit, has 2"
    # Unsample both basic units: the check fails.
    units = page.units.table
    for row in (0, 1):
        units.setFocus()
        units.setCurrentCell(row, 5)
        qtbot.keyClick(units, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda r=row: not get_plan(ws).units[r].sampled, timeout=3000)
    assert table.item(0, headers.index("Sample")).text() == "✗ needs 1 sampled basic unit, has 0"


def test_export_writes_the_plan_file(
    page_and_ws: tuple[PlanPage, Workspace], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> None:
    page, _ws = page_and_ws
    target = tmp_path / "exported.yaml"
    monkeypatch.setattr("app.ui.plan.plan_page.QFileDialog.getSaveFileName", lambda *_a, **_k: (str(target), ""))
    page.export_button.click()
    assert appraisals.read_plan_file(target, catalog) == PLAN


def test_a_unit_becomes_a_support_function_once_it_has_process_areas(
    qtbot, page_and_ws: tuple[PlanPage, Workspace]
) -> None:
    page, ws = page_and_ws
    table = page.units.table
    table.setFocus()
    table.setCurrentCell(1, 1)  # Repair, Kind
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox)
    combo.hidePopup()
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    qtbot.waitUntil(lambda: page.units.problems.isVisible(), timeout=3000)
    assert "a support function must list the PAs it implements" in page.units.problems.text()
    assert get_plan(ws).units[1].kind == "basic_unit" and stack(page).count() == 0
    # The row moved among the support functions, and the cursor followed it.
    assert table.item(2, 0).text() == "Repair" and table.currentRow() == 2

    def choose(dialog: object) -> None:
        assert isinstance(dialog, ChecklistDialog)
        assert not dialog.all.isVisible()  # a support function has no "every process area" switch
        dialog.check(IRP)
        dialog.accept()

    answer_modal(choose)
    table.setCurrentCell(2, 4)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: get_plan(ws).units[-1].name == "Repair", timeout=3000)
    repair = get_plan(ws).units[-1]
    assert (repair.kind, repair.process_areas) == ("support_function", (IRP,))
    assert stack(page).undoText() == "Choose process areas of Repair (with 1 related change)"
    assert not page.units.problems.isVisible()


def test_problem_paths_read_as_words() -> None:
    plan = PLAN
    assert where(plan, "appraisal.end") == "End date"
    assert where(plan, "support_functions[1].process_areas") == "Support function “Security office”, process areas"
    assert where(plan, "basic_units[4].name") == "Basic unit in row 4, name"
    assert where(plan, "scope[2].exclusion_reason") == "CMMI-SVC:IRP, exclusion reason"
    assert where(plan, "subgroups[1].factors.Type of work") == "Subgroup “Claims side”, Type of work"
    assert pa_summary([IRP, SM, MA], [SM, IRP, MA]) == "SM: SM · CMMI-SVC: IRP, MA"
