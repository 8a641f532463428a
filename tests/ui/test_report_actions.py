"""File › Export Word report…, Export final findings briefing…, Export appraisal record… and Report templates… in
the window: enabled with an appraisal open, run off the UI thread, refused with the list of what blocks them,
cancellable with nothing written, and the template choice undoable."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from pptx import Presentation

from app.domain.catalog import Catalog
from app.domain.report import DEFAULT_MARKINGS, Edition
from app.services import report_exports
from app.ui.outputs.export_dialog import ExportChoice
from app.ui.outputs.report_actions import ReportActions, install_report_actions
from app.ui.outputs.report_export_dialog import ReportExportDialog
from app.ui.outputs.templates_dialog import TemplatesDialog
from app.ui.shell.main_window import MainWindow
from tests.unit.services.output_appraisal import PARTICIPANTS, make_output_appraisal

pytestmark = pytest.mark.gui


@pytest.fixture
def appraisal(tmp_path: Path, catalog: Catalog) -> Path:
    path = tmp_path / "o.appraisal"
    make_output_appraisal(path, catalog).close()
    return path


def open_window(qtbot, make_window: Callable[..., MainWindow], path: Path) -> tuple[MainWindow, ReportActions]:
    window = make_window()
    actions = install_report_actions(window)
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document is not None, timeout=10000)
    return window, actions


def test_the_report_actions_sit_in_the_file_menu_and_follow_the_open_appraisal(
    qtbot, make_window: Callable[..., MainWindow], appraisal: Path
) -> None:
    window = make_window()
    actions = install_report_actions(window)
    names = [a.text() for a in window.file_menu.actions()]
    assert names.index("Export Word &report…") < names.index("Report &templates…") < names.index("&Quit")
    assert not any(a.isEnabled() for a in actions.actions.values())
    window.open_path(appraisal)
    qtbot.waitUntil(lambda: window.document is not None, timeout=10000)
    assert all(a.isEnabled() for a in actions.actions.values())


def test_the_dialog_offers_a_draft_and_the_record_goes_to_a_folder(qtbot, tmp_path: Path) -> None:
    dialog = ReportExportDialog("docx", tmp_path / "o - team.docx")
    qtbot.addWidget(dialog)
    assert "Word" in dialog.hint.text()
    dialog.draft.setChecked(True)
    dialog.sponsor.click()
    assert dialog.choice() == ExportChoice(
        "docx", tmp_path / "o - sponsor.docx", Edition.SPONSOR, DEFAULT_MARKINGS[Edition.SPONSOR], True
    )
    record = ReportExportDialog("record", tmp_path / "o - record")
    qtbot.addWidget(record)
    record.show()
    assert not record.team.isVisible()
    assert record.choice().path == tmp_path / "o - record" and not record.choice().draft


def test_a_refusal_lists_what_blocks_and_a_draft_is_written_off_the_ui_thread(
    qtbot, make_window: Callable[..., MainWindow], appraisal: Path, tmp_path: Path
) -> None:
    window, actions = open_window(qtbot, make_window, appraisal)
    out = tmp_path / "r.docx"
    with qtbot.waitSignal(actions.failed, timeout=60000) as refused:
        actions.start_export(ExportChoice("docx", out, Edition.SPONSOR, "Board only"))
    assert "not ready for its report" in refused.args[0]
    assert not out.exists()
    with qtbot.waitSignal(actions.export_finished, timeout=60000) as done:
        actions.start_export(ExportChoice("docx", out, Edition.SPONSOR, "Board only", draft=True))
    assert done.args[0].marking == "DRAFT - Board only"
    assert docx.Document(str(out)).sections[0].header.paragraphs[0].text == "DRAFT - Board only"
    assert str(out) in window.statusBar().currentMessage()
    deck = tmp_path / "b.pptx"
    with qtbot.waitSignal(actions.export_finished, timeout=60000):
        actions.start_export(ExportChoice("pptx", deck, Edition.TEAM, "Team", draft=True))
    text = " ".join(sh.text_frame.text for s in Presentation(str(deck)).slides for sh in s.shapes if sh.has_text_frame)
    assert not any(name in text for name in PARTICIPANTS)


def test_cancel_stops_the_export_and_writes_nothing(
    qtbot, make_window: Callable[..., MainWindow], appraisal: Path, tmp_path: Path
) -> None:
    window, actions = open_window(qtbot, make_window, appraisal)
    folder = tmp_path / "record"
    with qtbot.waitSignal(actions.cancelled, timeout=60000):
        actions.start_export(ExportChoice("record", folder, Edition.TEAM, "Team", draft=True))
        actions.request_cancel()
    assert not folder.exists() or not any(folder.iterdir())
    assert "cancelled" in window.statusBar().currentMessage()
    assert actions.progress is None


def test_choosing_a_template_is_checked_kept_and_undone(
    qtbot, make_window: Callable[..., MainWindow], appraisal: Path, tmp_path: Path
) -> None:
    window, actions = open_window(qtbot, make_window, appraisal)
    document = window.document
    assert document is not None
    good = docx.Document()
    good.add_paragraph("{{ appraisal.name }}")
    good.save(str(tmp_path / "org.docx"))
    bad = docx.Document()
    bad.add_paragraph("{{ appraisal.nme }}")
    bad.save(str(tmp_path / "bad.docx"))
    dialog = TemplatesDialog(actions, window)
    qtbot.addWidget(dialog)
    assert dialog.labels[Edition.SPONSOR].text() == "the shipped template"
    refusal = actions.use_template(Edition.SPONSOR, tmp_path / "bad.docx")
    assert refusal is not None and "1 problem" in refusal
    assert actions.use_template(Edition.SPONSOR, tmp_path / "org.docx") is None
    dialog.refresh()
    assert dialog.labels[Edition.SPONSOR].text() == "org.docx"
    assert document.undo_stack.undoText() == "use org.docx for sponsor edition reports"
    document.undo_stack.undo()
    assert report_exports.template_info(document.workspace, Edition.SPONSOR).shipped
    document.undo_stack.redo()
    assert report_exports.template_info(document.workspace, Edition.SPONSOR).file_name == "org.docx"
