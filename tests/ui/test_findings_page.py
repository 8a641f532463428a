"""The Findings page driven through its real widgets in the real window; the file is checked via services."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, ScopeEntry, UnitKind, UnitPlan
from app.services import appraisals
from app.services import findings as fs
from app.services.findings import FindingFields, FindingTarget
from app.services.interviews import SessionFields, add_participant, create_session
from app.ui.common import prompts
from app.ui.findings.finding_editor import pa_key
from app.ui.findings.findings_page import FindingsPage
from app.ui.findings.findings_table import FLAGS, STATUS, FindingsTable
from app.ui.shell.document import Change
from app.ui.shell.main_window import MainWindow

PLAN = Plan(
    name="Findings UI",
    scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2), ScopeEntry(PaKey("SM", "SM"), 2)),
    units=(
        UnitPlan("Claims", UnitKind.BASIC_UNIT),
        UnitPlan("Policies", UnitKind.BASIC_UNIT),
        UnitPlan("Security office", UnitKind.SUPPORT_FUNCTION, process_areas=(PaKey("SM", "SM"),)),
    ),
)


@pytest.fixture
def window(qtbot, make_window: Callable[..., MainWindow], tmp_path: Path, catalog: Catalog) -> MainWindow:
    path = tmp_path / "findings.appraisal"
    ws = appraisals.create_appraisal(path, PLAN, catalog)
    add_participant(ws, create_session(ws, SessionFields("S1")), "Ann Lee", "Service manager")
    ws.close()
    win = make_window()
    win.show()
    win.open_path(path)
    qtbot.waitUntil(lambda: win.document is not None, timeout=10000)
    win.nav.setCurrentRow(win.page_list.index(page_of(win)))
    return win


def page_of(window: MainWindow) -> FindingsPage:
    page = window.page(FindingsPage)
    assert isinstance(page, FindingsPage)
    return page


def table_texts(page: FindingsPage, column: int) -> list[str]:
    return [page.proxy.index(row, column).data() for row in range(page.proxy.rowCount())]


def write_new(qtbot, page: FindingsPage, text: str, *, pa: str | None = None, goal: str | None = None) -> None:
    page.text_filter.setFocus()
    qtbot.keyClick(page.text_filter, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = page.editor
    assert editor.is_new
    if pa is not None:
        editor.pa.setCurrentIndex(editor.pa.findData(pa))
    if goal is not None:
        editor.goal.setCurrentIndex(editor.goal.findData(goal))
    qtbot.keyClicks(editor.text, text)


def test_write_a_finding_about_a_practice_and_undo_redo(qtbot, window: MainWindow) -> None:
    page = page_of(window)
    ws = window.document.workspace
    assert page.empty_hint.isVisible()
    write_new(qtbot, page, "Incidents are closed without review.", pa=pa_key("CMMI-SVC", "IRP"), goal="SG1")
    editor = page.editor
    editor.practice.setCurrentIndex(editor.practice.findData("SP1.2"))
    editor.kind.setCurrentIndex(editor.kind.findData("weakness"))
    assert editor.save_button.text() == "Add finding"
    qtbot.keyClick(editor.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    (stored,) = fs.list_findings(ws)
    assert (stored.kind, stored.status, stored.target.label) == ("weakness", "preliminary", "IRP SP1.2")
    assert table_texts(page, 3) == ["IRP SP1.2"]
    assert page.current_id() == stored.id and editor.heading.text() == f"<b>Finding #{stored.id}</b>"
    assert not editor.warning.isVisible() and table_texts(page, FLAGS) == [""]

    # Edit the text in place; undo and redo move it back and forth.
    editor.text.selectAll()
    qtbot.keyClicks(editor.text, "Incidents are closed without a review by the service owner.")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert fs.get_finding(ws, stored.id).text == "Incidents are closed without a review by the service owner."
    stack = window.document.undo_stack
    stack.undo()
    assert fs.get_finding(ws, stored.id).text == "Incidents are closed without review."
    assert editor.text.toPlainText() == "Incidents are closed without review."
    stack.undo()
    assert fs.list_findings(ws) == () and page.model.rowCount() == 0
    stack.redo()
    stack.redo()
    assert fs.get_finding(ws, stored.id).text == "Incidents are closed without a review by the service owner."
    assert page.model.rowCount() == 1


def test_a_finding_naming_a_participant_is_flagged_as_typed_and_cannot_be_validated(qtbot, window: MainWindow) -> None:
    page = page_of(window)
    ws = window.document.workspace
    write_new(qtbot, page, "As Ann Lee said, nobody reviews incidents.", pa=pa_key("CMMI-SVC", "IRP"))
    editor = page.editor
    # Flagged while typing, before anything is saved, with the name highlighted where it occurs.
    assert editor.warning.isVisible()
    assert "may identify someone in one place" in editor.warning.text()
    listed = editor.flag_list.item(0).text()
    assert "Names a participant (full name), “Ann Lee”" in listed and "As Ann Lee said" in listed
    (highlight,) = editor.text.extraSelections()
    assert highlight.cursor.selectedText() == "Ann Lee"
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    (stored,) = fs.list_findings(ws)
    assert [(f.term, f.kind) for f in stored.flags] == [("Ann Lee", "participant")]
    assert table_texts(page, FLAGS) == ["⚠ Ann Lee (participant)"]
    assert "1 name a person or unit" in page.count_label.text()

    qtbot.mouseClick(editor.validate_button, Qt.MouseButton.LeftButton)
    boxes = [b for b in page.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "before marking it validated" in boxes[-1].text()
    boxes[-1].close()
    assert fs.get_finding(ws, stored.id).status == "preliminary"
    assert window.document.undo_stack.count() == 1, "a refused step is not recorded"

    editor.text.selectAll()
    qtbot.keyClicks(editor.text, "Nobody reviews incidents.")
    assert not editor.warning.isVisible()
    qtbot.mouseClick(editor.validate_button, Qt.MouseButton.LeftButton)  # saves the rewording first
    assert fs.get_finding(ws, stored.id).status == "validated"
    assert table_texts(page, FLAGS) == [""]


def test_status_lifecycle_with_undo_and_redo(qtbot, window: MainWindow) -> None:
    page = page_of(window)
    ws = window.document.workspace
    finding = fs.add_finding(ws, FindingFields("strength", "Risks are reviewed monthly.", FindingTarget("SM", "SM")))
    window.document.notify(Change.FINDINGS)
    assert page.select(finding)
    editor = page.editor
    assert not editor.finalize_button.isEnabled() and not editor.reopen_button.isEnabled()

    qtbot.mouseClick(editor.validate_button, Qt.MouseButton.LeftButton)
    assert editor.status_label.text() == "Validated" and editor.finalize_button.isEnabled()
    qtbot.mouseClick(editor.finalize_button, Qt.MouseButton.LeftButton)
    assert fs.get_finding(ws, finding).status == "final"
    assert table_texts(page, STATUS) == ["Final"]
    assert not editor.validate_button.isEnabled() and not editor.finalize_button.isEnabled()

    stack = window.document.undo_stack
    assert stack.undoText() == f"Finalize finding #{finding}"
    stack.undo()
    stack.undo()
    assert fs.get_finding(ws, finding).status == "preliminary"
    assert editor.status_label.text() == "Preliminary"
    stack.redo()
    assert fs.get_finding(ws, finding).status == "validated"
    qtbot.mouseClick(editor.reopen_button, Qt.MouseButton.LeftButton)
    assert fs.get_finding(ws, finding).status == "preliminary"


def test_delete_asks_then_undo_brings_back_the_same_finding(qtbot, window: MainWindow, monkeypatch) -> None:
    page = page_of(window)
    ws = window.document.workspace
    finding = fs.add_finding(ws, FindingFields("weakness", "Text", FindingTarget("CMMI-SVC", "IRP", "SG1")))
    fs.set_status(ws, finding, "validated")
    window.document.notify(Change.FINDINGS)
    before = fs.get_finding(ws, finding)
    asked: list[str] = []
    monkeypatch.setattr(prompts, "confirm", lambda _parent, question: asked.append(question) or True)
    page.select(finding)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert asked == [f"Delete finding #{finding} (validated)?"]
    assert fs.list_findings(ws) == () and page.model.rowCount() == 0
    window.document.undo_stack.undo()
    assert fs.get_finding(ws, finding) == before
    assert page.model.rowCount() == 1


def test_filters_by_process_area_kind_and_status(qtbot, window: MainWindow) -> None:
    page = page_of(window)
    ws = window.document.workspace
    irp = fs.add_finding(ws, FindingFields("weakness", "IRP weakness", FindingTarget("CMMI-SVC", "IRP")))
    sm = fs.add_finding(ws, FindingFields("strength", "SM strength", FindingTarget("SM", "SM")))
    wide = fs.add_finding(ws, FindingFields("improvement", "Organization-wide idea"))
    fs.set_status(ws, sm, "validated")
    window.document.notify(Change.FINDINGS)
    assert page.proxy.rowCount() == 3

    page.pa_filter.setCurrentIndex(page.pa_filter.findData(pa_key("CMMI-SVC", "IRP")))
    assert table_texts(page, 0) == [str(irp)]
    page.pa_filter.setCurrentIndex(page.pa_filter.findText("Organization-wide"))
    assert table_texts(page, 0) == [str(wide)]
    page.pa_filter.setCurrentIndex(0)
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("strength"))
    assert table_texts(page, 0) == [str(sm)]
    page.kind_filter.setCurrentIndex(0)
    page.status_filter.setCurrentIndex(page.status_filter.findData("preliminary"))
    assert sorted(table_texts(page, 0)) == sorted([str(irp), str(wide)])
    qtbot.keyClicks(page.text_filter, "idea")
    assert table_texts(page, 0) == [str(wide)]
    assert page.count_label.text().startswith("1 of 3 finding(s) shown")
    # Choosing a hidden finding (a search hit) clears the filters that hide it.
    assert page.show_item("finding", sm)
    assert page.current_id() == sm and page.proxy.rowCount() == 3


def test_new_participants_flag_findings_already_written(qtbot, window: MainWindow) -> None:
    page = page_of(window)
    ws = window.document.workspace
    fs.add_finding(ws, FindingFields("weakness", "Bob Stone approves changes alone.", FindingTarget("SM", "SM")))
    window.document.notify(Change.FINDINGS)
    assert table_texts(page, FLAGS) == [""]
    add_participant(ws, create_session(ws, SessionFields("S2")), "Bob Stone")
    window.document.notify(Change.INTERVIEWS)
    assert table_texts(page, FLAGS) == ["⚠ Bob Stone (participant)"]


def test_typing_is_kept_when_another_page_changes_the_file(qtbot, window: MainWindow) -> None:
    page = page_of(window)
    ws = window.document.workspace
    finding = fs.add_finding(ws, FindingFields("weakness", "First words", FindingTarget("SM", "SM")))
    window.document.notify(Change.FINDINGS)
    page.select(finding)
    page.editor.text.moveCursor(page.editor.text.textCursor().MoveOperation.End)
    qtbot.keyClicks(page.editor.text, " and more")
    window.document.notify(Change.INTERVIEWS)
    assert page.editor.text.toPlainText() == "First words and more"
    assert page.editor.save_button.isEnabled()


def test_the_model_passes_the_qt_model_checks(qtmodeltester, window: MainWindow) -> None:
    ws = window.document.workspace
    fs.add_finding(ws, FindingFields("weakness", "Ann Lee keeps no records.", FindingTarget("SM", "SM")))
    model = FindingsTable()
    model.set_rows(list(fs.list_findings(ws)))
    qtmodeltester.check(model)


def test_a_search_hit_opens_a_finding_written_while_the_page_was_hidden(qtbot, window: MainWindow) -> None:
    page = page_of(window)
    ws = window.document.workspace
    window.nav.setCurrentRow(0)
    finding = fs.add_finding(ws, FindingFields("strength", "Monthly risk reviews.", FindingTarget("SM", "SM")))
    window.document.notify(Change.FINDINGS)
    window.places.open_hit("finding", finding)
    assert window.pages.currentWidget() is page
    assert page.current_id() == finding
    assert page.editor.text.toPlainText() == "Monthly risk reviews."


def test_rewording_a_finding_is_stored_shortly_after_typing_stops(qtbot, window: MainWindow) -> None:
    page = page_of(window)
    ws = window.document.workspace
    write_new(qtbot, page, "Incident reviews are informal.", pa=pa_key("CMMI-SVC", "IRP"))
    qtbot.keyClick(page.editor.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    (stored,) = fs.list_findings(ws)

    page.editor.text.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(page.editor.text, " No minutes are kept.")
    assert fs.get_finding(ws, stored.id).text == "Incident reviews are informal."  # not yet: still typing
    qtbot.waitUntil(
        lambda: fs.get_finding(ws, stored.id).text == "Incident reviews are informal. No minutes are kept.",
        timeout=5000,
    )
    assert window.document.undo_stack.count() == 2


def test_a_common_noun_is_reviewed_as_not_an_attribution_then_validated_and_undone(qtbot, window: MainWindow) -> None:
    page = page_of(window)
    ws = window.document.workspace
    write_new(qtbot, page, "Claims are closed without a trend review.", pa=pa_key("CMMI-SVC", "IRP"))
    editor = page.editor
    assert not editor.review_button.isEnabled()  # not stored yet: a mark holds for the stored text
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    (stored,) = fs.list_findings(ws)
    assert editor.flag_box.isVisible() and editor.flag_list.count() == 1
    assert "Names a unit, “Claims”" in editor.flag_list.item(0).text()
    assert editor.review_button.isEnabled() and not editor.unreview_button.isEnabled()

    qtbot.mouseClick(editor.review_button, Qt.MouseButton.LeftButton)
    info = fs.get_finding(ws, stored.id)
    assert info.flags == () and len(info.reviewed) == 1
    assert editor.flag_list.item(0).text().startswith("✓ Reviewed, not an attribution")
    assert not editor.warning.isVisible() and editor.text.extraSelections() == []
    assert table_texts(page, FLAGS) == ["✓ 1 reviewed"]
    qtbot.mouseClick(editor.validate_button, Qt.MouseButton.LeftButton)
    assert fs.get_finding(ws, stored.id).status == "validated"

    window.document.undo_stack.undo()  # the validation
    window.document.undo_stack.undo()  # the review mark
    assert [f.term for f in fs.get_finding(ws, stored.id).flags] == ["Claims"]
    assert editor.warning.isVisible()
    window.document.undo_stack.redo()
    assert fs.get_finding(ws, stored.id).flags == ()


def test_extra_identifiers_are_added_in_a_dialog_and_flag_findings(qtbot, window: MainWindow, monkeypatch) -> None:
    from app.ui.findings.identifiers_dialog import IdentifiersDialog

    page = page_of(window)
    ws = window.document.workspace
    document = window.document
    assert document is not None
    fs.add_finding(ws, FindingFields("weakness", "Big Al approves changes alone.", FindingTarget("SM", "SM")))
    document.notify(Change.FINDINGS)
    assert table_texts(page, FLAGS) == [""]
    dialog = IdentifiersDialog(document, page)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.text, "Big Al")
    qtbot.keyClicks(dialog.note, "nickname")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == ["Big Al  —  nickname"]
    assert table_texts(page, FLAGS) == ["⚠ Big Al (identifier)"]
    window.document.undo_stack.undo()
    assert table_texts(page, FLAGS) == [""]
