"""File › Export workbook…, Export PDF summary… and Import workbook… in the window: enabled only with an appraisal
open, work off the UI thread, and an import is previewed, guarded against conflicts and undone in one step."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from app.domain.catalog import Catalog
from app.domain.report import DEFAULT_MARKINGS, Edition
from app.services import appraisals, exports, findings
from app.services.characterize import CellKey, get_cell, set_value
from app.storage import workbook_layout as lay
from app.ui.findings.findings_page import FindingsPage
from app.ui.outputs.export_dialog import ExportChoice, ExportDialog
from app.ui.outputs.import_preview_dialog import ImportPreviewDialog
from app.ui.outputs.output_actions import OutputActions, install_output_actions
from app.ui.shell.main_window import MainWindow
from app.ui.shell.tasks import Task
from tests.unit.services.output_appraisal import PARTICIPANTS, make_output_appraisal

pytestmark = pytest.mark.gui
CLAIMS = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")
POLICIES = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Policies")


@pytest.fixture
def appraisal(tmp_path: Path, catalog: Catalog) -> Path:
    path = tmp_path / "o.appraisal"
    make_output_appraisal(path, catalog).close()
    return path


def open_window(qtbot, make_window: Callable[..., MainWindow], path: Path) -> tuple[MainWindow, OutputActions]:
    window = make_window()
    actions = install_output_actions(window)
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document is not None, timeout=10000)
    return window, actions


def test_the_actions_sit_in_the_file_menu_and_follow_the_open_appraisal(
    qtbot, make_window: Callable[..., MainWindow], appraisal: Path
) -> None:
    window = make_window()
    actions = install_output_actions(window)
    names = [a.text() for a in window.file_menu.actions()]
    assert names.index("Export &workbook…") < names.index("Export &PDF summary…") < names.index("&Import workbook…")
    assert names.index("&Import workbook…") < names.index("&Quit")
    trio = (actions.export_workbook_action, actions.export_pdf_action, actions.import_workbook_action)
    assert not any(a.isEnabled() for a in trio)
    window.open_path(appraisal)
    qtbot.waitUntil(lambda: window.document is not None, timeout=10000)
    assert all(a.isEnabled() for a in trio)
    window.close_document()
    assert not any(a.isEnabled() for a in trio)


def test_the_export_dialog_offers_the_edition_marking_and_place(qtbot, tmp_path: Path) -> None:
    dialog = ExportDialog("xlsx", tmp_path / "o - team.xlsx")
    qtbot.addWidget(dialog)
    assert dialog.marking.currentText() == DEFAULT_MARKINGS[Edition.TEAM]
    dialog.sponsor.click()
    assert dialog.marking.currentText() == DEFAULT_MARKINGS[Edition.SPONSOR]
    assert dialog.path.text().endswith("o - sponsor.xlsx")
    assert "no notes" in dialog.hint.text()
    dialog.marking.setEditText("Board eyes only")
    dialog.team.click()  # a marking the user typed stays
    dialog.path.setText(str(tmp_path / "mine"))
    assert dialog.choice() == ExportChoice("xlsx", tmp_path / "mine.xlsx", Edition.TEAM, "Board eyes only")
    dialog.path.clear()
    assert not dialog.export_button.isEnabled()


def test_the_export_dialog_refuses_an_appraisal_and_asks_before_replacing(
    qtbot, appraisal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = ExportDialog("pdf", tmp_path / "o.pdf", source=appraisal)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path.setText(str(appraisal))  # the .pdf suffix is added: o.appraisal.pdf does not exist yet
    os_link = tmp_path / "o.appraisal.pdf"
    os_link.hardlink_to(appraisal)
    dialog.export_button.click()
    assert dialog.isVisible() and "being read" in dialog.problem.text() and dialog.problem.isVisible()
    asked: list[Path] = []
    monkeypatch.setattr(dialog, "confirm_replace", lambda path: asked.append(path) or False)
    existing = tmp_path / "old.pdf"
    existing.write_bytes(b"old")
    dialog.path.setText(str(existing))
    assert not dialog.problem.isVisible()
    dialog.export_button.click()
    assert asked == [existing] and dialog.isVisible()  # "No": the dialog stays, nothing is chosen
    monkeypatch.setattr(dialog, "confirm_replace", lambda path: True)
    dialog.export_button.click()
    assert dialog.result() == ExportDialog.DialogCode.Accepted and dialog.choice().overwrite


def test_exports_run_in_the_background_and_write_marked_files(
    qtbot, make_window: Callable[..., MainWindow], appraisal: Path, tmp_path: Path
) -> None:
    window, actions = open_window(qtbot, make_window, appraisal)
    workbook, pdf = tmp_path / "out" / "o.xlsx", tmp_path / "out" / "o.pdf"
    workbook.parent.mkdir()
    with qtbot.waitSignal(actions.export_finished, timeout=20000) as done:
        actions.start_export(ExportChoice("xlsx", workbook, Edition.TEAM, "Team eyes only"))
    assert done.args[0].path == workbook and "Team eyes only" in str(
        openpyxl.load_workbook(workbook)["IRP"]["A1"].value
    )
    assert str(workbook) in window.statusBar().currentMessage()
    with qtbot.waitSignal(actions.export_finished, timeout=20000):
        actions.start_export(ExportChoice("pdf", pdf, Edition.SPONSOR, "Board use only"))
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Board use only" in text and "Sponsor edition" in text
    assert not any(name in text for name in PARTICIPANTS)
    assert window.settings.last_folder() == workbook.parent


def edit_irp(source: Path, target: Path, values: dict[str, str]) -> None:
    wb = openpyxl.load_workbook(source)
    irp = wb["IRP"]
    for row in irp.iter_rows(min_row=lay.FIRST_DATA_ROW):
        if row[1].value == "SP1.1" and row[3].value in values:
            row[10].value = values[str(row[3].value)]
            row[6].value = "Incident categories are not used"
    wb.save(target)


def test_an_import_is_previewed_held_back_by_conflicts_and_undone_in_one_step(
    qtbot, make_window: Callable[..., MainWindow], appraisal: Path, tmp_path: Path
) -> None:
    window, actions = open_window(qtbot, make_window, appraisal)
    document = window.document
    assert document is not None
    ws = document.workspace
    exports.export_xlsx(ws, tmp_path / "team.xlsx")
    edit_irp(tmp_path / "team.xlsx", tmp_path / "edited.xlsx", {"Claims": "PI", "Policies": "PI"})
    set_value(ws, POLICIES, "LI")  # the appraisal moved on too: a conflict
    irp = document.ratings().process_area("CMMI-SVC", "IRP")
    assert irp is not None and not irp.practice("SP1.1").judgment_needed
    before = irp.practice("SP1.1")

    with qtbot.waitSignal(actions.preview_shown, timeout=20000) as shown:
        actions.start_preview(tmp_path / "edited.xlsx")
    dialog: ImportPreviewDialog = shown.args[0]
    table = dialog.table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert [r[:4] for r in rows] == [
        ["IRP SP1.1 / Claims", "Characterization", "FI", "PI"],
        ["IRP SP1.1 / Claims", "Weaknesses", "(empty)", "Incident categories are not used"],
        ["IRP SP1.1 / Policies", "Characterization", "LI", "PI"],
        ["IRP SP1.1 / Policies", "Weaknesses", "(empty)", "Incident categories are not used"],
    ]
    assert "1 conflict" in dialog.summary.text()
    assert not dialog.apply_button.isEnabled() and dialog.accept_conflicts.isVisible()
    assert get_cell(ws, CLAIMS).value == "FI"  # nothing is written by the preview

    dialog.accept_conflicts.click()
    assert dialog.apply_button.isEnabled()
    with qtbot.waitSignal(actions.import_applied, timeout=20000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert get_cell(ws, CLAIMS).value == "PI" and get_cell(ws, POLICIES).value == "PI"
    irp = document.ratings().process_area("CMMI-SVC", "IRP")
    assert irp is not None and irp.practice("SP1.1").judgment_needed
    assert document.undo_stack.count() == 1
    assert window.undo_action.text() == "&Undo import of 2 cells from edited.xlsx"

    window.undo_action.trigger()
    assert get_cell(ws, CLAIMS).value == "FI" and get_cell(ws, POLICIES).value == "LI"
    irp = document.ratings().process_area("CMMI-SVC", "IRP")
    assert irp is not None and irp.practice("SP1.1") == before  # the live rating follows the undo
    window.redo_action.trigger()
    assert get_cell(ws, CLAIMS).weaknesses == "Incident categories are not used"
    assert get_cell(ws, POLICIES).value == "PI"


def test_cancelling_the_preview_writes_nothing(
    qtbot, make_window: Callable[..., MainWindow], appraisal: Path, tmp_path: Path
) -> None:
    window, actions = open_window(qtbot, make_window, appraisal)
    assert window.document is not None
    exports.export_xlsx(window.document.workspace, tmp_path / "team.xlsx")
    edit_irp(tmp_path / "team.xlsx", tmp_path / "edited.xlsx", {"Claims": "NI"})
    with qtbot.waitSignal(actions.preview_shown, timeout=20000) as shown:
        actions.start_preview(tmp_path / "edited.xlsx")
    dialog: ImportPreviewDialog = shown.args[0]
    assert dialog.apply_button.isEnabled() and not dialog.accept_conflicts.isVisible()
    dialog.reject()
    assert get_cell(window.document.workspace, CLAIMS).value == "FI"
    assert window.document.undo_stack.count() == 0


def test_a_file_that_cannot_be_imported_is_explained(
    qtbot, make_window: Callable[..., MainWindow], appraisal: Path, tmp_path: Path
) -> None:
    window, actions = open_window(qtbot, make_window, appraisal)
    junk = tmp_path / "notes.xlsx"
    junk.write_text("not a workbook", encoding="utf-8")
    with qtbot.waitSignal(actions.failed, timeout=20000) as failed:
        actions.start_preview(junk)
    assert "not an Excel workbook" in failed.args[0]
    assert window.document is not None and window.document.undo_stack.count() == 0


def test_cancel_on_the_progress_dialog_stops_the_export_and_keeps_the_old_file(
    qtbot, make_window: Callable[..., MainWindow], appraisal: Path, tmp_path: Path
) -> None:
    window, actions = open_window(qtbot, make_window, appraisal)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    target = tmp_path / "o.xlsx"
    target.write_bytes(b"the workbook sent last week")
    busy = threading.Event()
    window.runner.start(Task(lambda _p: busy.wait(30), label="busy"))  # the export waits its turn
    actions.start_export(ExportChoice("xlsx", target, Edition.TEAM, "", overwrite=True))  # "Replace it?" answered yes
    assert actions.progress is not None
    with qtbot.waitSignal(actions.cancelled, timeout=30000):
        actions.progress.canceled.emit()  # the person presses Cancel
        busy.set()
    assert target.read_bytes() == b"the workbook sent last week"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".o.xlsx")] == []
    assert "cancelled" in window.statusBar().currentMessage()
    assert actions.progress is None


def test_a_refused_sponsor_edition_lists_each_block_with_a_link_to_its_place(
    qtbot, make_window: Callable[..., MainWindow], appraisal: Path, tmp_path: Path
) -> None:
    ws = appraisals.open_appraisal(appraisal)
    named = next(f for f in findings.list_findings(ws) if f.flagged)
    findings.update_finding(ws, named.id, findings.FindingFields("weakness", "Trends are not reviewed.", named.target))
    findings.set_status(ws, named.id, "validated")
    text = "Trends are not reviewed, says Harold."
    findings.update_finding(ws, named.id, findings.FindingFields("weakness", text, named.target))
    ws.close()
    window, actions = open_window(qtbot, make_window, appraisal)
    target = tmp_path / "sponsor.pdf"
    with qtbot.waitSignal(actions.blocks_shown, timeout=20000) as shown:
        actions.start_export(ExportChoice("pdf", target, Edition.SPONSOR, "Board use only"))
    dialog = shown.args[0]
    assert not target.exists()
    [row] = dialog.rows
    assert f"validated weakness finding #{named.id}" in row.text() and "Harold Finch" in row.text()
    assert f"Open finding #{named.id}" in row.text()
    dialog.grab().save(str(tmp_path / "blocks.png"))
    row.linkActivated.emit(f"finding:{named.id}")
    page = window.page(FindingsPage)
    assert isinstance(page, FindingsPage)
    assert window.nav.currentRow() == window.page_list.index(page)
    assert page.editor.finding is not None and page.editor.finding.id == named.id
