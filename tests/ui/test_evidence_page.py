"""The Evidence page driven through its real widgets in the real window; the file is checked via services."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog, QFileDialog

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, ScopeEntry, UnitKind, UnitPlan
from app.services import appraisals
from app.services import evidence as ev
from app.services.evidence import DiskStatus, PracticeRef
from app.ui.common import prompts
from app.ui.evidence.evidence_page import EvidencePage
from app.ui.evidence.link_dialog import LinkDialog
from app.ui.interviews.interviews_page import InterviewsPage
from app.ui.shell.main_window import MainWindow
from app.ui.shell.page_list import page_factories

PLAN = Plan(
    name="Evidence UI",
    scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2), ScopeEntry(PaKey("SM", "SM"), 2)),
    units=(
        UnitPlan("Claims", UnitKind.BASIC_UNIT),
        UnitPlan("Policies", UnitKind.BASIC_UNIT),
        UnitPlan("Security office", UnitKind.SUPPORT_FUNCTION, process_areas=(PaKey("SM", "SM"),)),
    ),
)


@pytest.fixture
def window(qtbot, make_window: Callable[..., MainWindow], tmp_path: Path, catalog: Catalog) -> MainWindow:
    path = tmp_path / "ev.appraisal"
    appraisals.create_appraisal(path, PLAN, catalog).close()
    win = make_window(page_factories=[*page_factories(), EvidencePage, InterviewsPage])
    win.show()
    win.open_path(path)
    qtbot.waitUntil(lambda: win.document is not None, timeout=10000)
    page = win.page(EvidencePage)
    win.nav.setCurrentRow(win.page_list.index(page))
    return win


def page_of(window: MainWindow) -> EvidencePage:
    page = window.page(EvidencePage)
    assert isinstance(page, EvidencePage)
    return page


def unit_id(window: MainWindow, name: str) -> int:
    assert window.document is not None
    return next(u.id for u in ev.unit_options(window.document.workspace) if u.name == name)


def drop_files(page: EvidencePage, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    page.dropEvent(event)


def add_file(qtbot, window: MainWindow, path: Path) -> int:
    page = page_of(window)
    assert window.document is not None
    before = len(ev.list_artifacts(window.document.workspace))
    drop_files(page, [path])
    qtbot.waitUntil(lambda: page.model.rowCount() == before + 1, timeout=10000)
    return page.model.rows[-1].id


def test_drop_a_file_then_link_it_across_models_and_undo_redo(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    page = page_of(window)
    ws = window.document.workspace
    data = os.urandom(3 << 20)
    source = tmp_path / "Incident procedure.pdf"
    source.write_bytes(data)
    artifact = add_file(qtbot, window, source)
    assert ev.read_revision(ws, artifact) == data
    assert page.current_id() == artifact and page.panel.title.text() == "Incident procedure"
    claims = unit_id(window, "Claims")

    def pick(dialog: LinkDialog) -> int:
        # Keyboard only: filter, Enter to the list, Enter to check SM ESP1.2.
        qtbot.keyClicks(dialog.filter_edit, "ESP1.2")
        qtbot.keyClick(dialog.filter_edit, Qt.Key.Key_Return)
        assert dialog.tree.currentItem() is not None
        qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)
        offered = dialog.offered()
        assert list(offered) == [PracticeRef("CMMI-SVC", "IRP", "SP1.1")], "the cross-link is offered in the same step"
        offered[PracticeRef("CMMI-SVC", "IRP", "SP1.1")].setChecked(True)
        dialog.check_unit(claims)
        assert "2 link(s)" in dialog.summary.text()
        assert dialog.ok_button.isEnabled()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(LinkDialog, "exec", pick)
    qtbot.keyClick(page.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    links = ev.artifact_detail(ws, artifact).links
    assert [(i.model, i.pa, i.practice, i.unit) for i in links] == [
        ("CMMI-SVC", "IRP", "SP1.1", "Claims"),
        ("SM", "SM", "ESP1.2", "Claims"),
    ]
    assert page.panel.links.rowCount() == 2
    ids = [i.id for i in links]

    stack = window.document.undo_stack
    stack.undo()
    assert ev.artifact_detail(ws, artifact).links == ()
    stack.undo()
    assert ev.list_artifacts(ws) == (), "undoing the add deletes the artifact"
    stack.redo()
    assert [a.id for a in ev.list_artifacts(ws)] == [artifact]
    stack.redo()
    assert [i.id for i in ev.artifact_detail(ws, artifact).links] == ids
    assert page.panel.links.rowCount() == 2


def test_ctrl_n_adds_files_even_though_the_window_uses_it_too(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    page = page_of(window)
    files = [tmp_path / "a.docx", tmp_path / "b.xlsx"]
    for f in files:
        f.write_bytes(f.name.encode())
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(f) for f in files], ""))
    page.filter_edit.setFocus()
    qtbot.keyClick(page.filter_edit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10000)
    listed = ev.list_artifacts(window.document.workspace)
    assert [(a.title, a.artifact_type) for a in listed] == [("a", "document"), ("b", "spreadsheet")]
    window.document.undo_stack.undo()
    assert ev.list_artifacts(window.document.workspace) == (), "one undo step for files added together"


def test_large_file_is_stored_off_the_ui_thread_with_progress(qtbot, window: MainWindow, tmp_path: Path) -> None:
    page = page_of(window)
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(12 << 20))
    seen: list[int] = []
    page.progress.valueChanged.connect(seen.append)
    drop_files(page, [big])
    assert page.progress.isVisible(), "progress shows while the worker stores the file"
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=20000)
    assert not page.progress.isVisible()
    assert len(seen) > 3, "hashing and storing report progress as they go"
    assert max(seen) == 1000


def test_edit_metadata_in_the_panel_is_undoable(qtbot, window: MainWindow, tmp_path: Path) -> None:
    page = page_of(window)
    ws = window.document.workspace
    (tmp_path / "x.txt").write_bytes(b"x")
    artifact = add_file(qtbot, window, tmp_path / "x.txt")
    page.panel.title.setFocus()
    page.panel.title.selectAll()
    qtbot.keyClicks(page.panel.title, "Incident log")
    qtbot.keyClick(page.panel.title, Qt.Key.Key_Tab)
    assert ev.artifact_detail(ws, artifact).meta.title == "Incident log"
    page.panel.provider.setCurrentIndex(page.panel.provider.findText("Policies"))
    page.panel.provider.activated.emit(page.panel.provider.currentIndex())
    assert ev.artifact_detail(ws, artifact).meta.provided_by_unit_id == unit_id(window, "Policies")
    assert page.model.rows[0].provided_by == "Policies"
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    meta = ev.artifact_detail(ws, artifact).meta
    assert (meta.title, meta.provided_by_unit_id) == ("x", None)
    assert page.panel.title.text() == "x"


def test_delete_asks_then_undo_restores_ids_and_links(qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    page = page_of(window)
    ws = window.document.workspace
    (tmp_path / "x.txt").write_bytes(b"x")
    artifact = add_file(qtbot, window, tmp_path / "x.txt")
    claims = unit_id(window, "Claims")
    assert page.link(artifact, [ev.LinkTarget("CMMI-SVC", "IRP", "SP1.2", claims)], "inadequate", "draft")
    asked: list[str] = []
    monkeypatch.setattr(prompts, "confirm", lambda _parent, q: asked.append(q) or False)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert asked and "x" in asked[0] and len(ev.list_artifacts(ws)) == 1, "saying no keeps it"
    monkeypatch.setattr(prompts, "confirm", lambda _parent, _q: True)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert ev.list_artifacts(ws) == ()
    window.document.undo_stack.undo()
    detail = ev.artifact_detail(ws, artifact)
    assert [(i.practice, i.adequacy, i.note) for i in detail.links] == [("SP1.2", "inadequate", "draft")]
    assert page.current_id() == artifact, "the restored artifact is selected again"


def test_unlink_from_the_where_used_list(qtbot, window: MainWindow, tmp_path: Path) -> None:
    page = page_of(window)
    ws = window.document.workspace
    (tmp_path / "x.txt").write_bytes(b"x")
    artifact = add_file(qtbot, window, tmp_path / "x.txt")
    claims, policies = unit_id(window, "Claims"), unit_id(window, "Policies")
    page.link(artifact, [ev.LinkTarget("SM", "SM", "ESP1.2", u) for u in (claims, policies)], "adequate", "")
    page.panel.links.setFocus()
    page.panel.links.selectRow(0)
    qtbot.keyClick(page.panel.links, Qt.Key.Key_Delete)
    assert [i.unit for i in ev.artifact_detail(ws, artifact).links] == ["Policies"]
    window.document.undo_stack.undo()
    assert len(ev.artifact_detail(ws, artifact).links) == 2


def test_revisions_open_and_save_copies(qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    page = page_of(window)
    ws = window.document.workspace
    (tmp_path / "plan.docx").write_bytes(b"one")
    artifact = add_file(qtbot, window, tmp_path / "plan.docx")
    (tmp_path / "plan-v2.docx").write_bytes(b"two")
    page.add_revision(artifact, tmp_path / "plan-v2.docx")
    qtbot.waitUntil(lambda: len(ev.artifact_detail(ws, artifact).revisions) == 2, timeout=10000)
    qtbot.waitUntil(lambda: page.panel.revisions.rowCount() == 2, timeout=10000)
    opened: list[QUrl] = []
    monkeypatch.setattr(prompts, "open_externally", lambda url: opened.append(url) or True)
    page.open_action.trigger()
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    assert Path(opened[0].toLocalFile()).read_bytes() == b"two"
    target = tmp_path / "out" / "copy.docx"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.save_action.trigger()
    qtbot.waitUntil(target.exists, timeout=10000)
    assert target.read_bytes() == b"two"
    window.document.undo_stack.undo()
    assert [r.revision for r in ev.artifact_detail(ws, artifact).revisions] == [1]
    window.document.undo_stack.redo()
    assert ev.read_revision(ws, artifact) == b"two"


def test_filter_as_you_type_and_changed_on_disk(qtbot, window: MainWindow, tmp_path: Path) -> None:
    page = page_of(window)
    ws = window.document.workspace
    ref = tmp_path / "Shared policy.pdf"
    ref.write_bytes(b"v1")
    ev.add_artifact_by_reference(ws, str(ref))
    (tmp_path / "Incident log.xlsx").write_bytes(b"x")
    add_file(qtbot, window, tmp_path / "Incident log.xlsx")
    ref.write_bytes(b"v2 longer")
    page.refresh()
    rows = {r.title: r for r in page.model.rows}
    assert rows["Shared policy"].disk_status is DiskStatus.CHANGED
    assert "changed on disk" in page.count_label.text() or "⚠" in page.count_label.text()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.filter_edit.hasFocus()
    qtbot.keyClicks(page.filter_edit, "incident spread")
    assert page.proxy.rowCount() == 1
    assert page.show_item("artifact", rows["Shared policy"].id), "show_item clears a filter that hides the item"
    assert page.filter_edit.text() == "" and page.current_id() == rows["Shared policy"].id


def test_screenshot_at_1366_by_768(qtbot, window: MainWindow, tmp_path: Path) -> None:
    page = page_of(window)
    for name in ("Incident management procedure.docx", "Threat assessment approach.pdf"):
        (tmp_path / name).write_bytes(name.encode())
        add_file(qtbot, window, tmp_path / name)
    page.select(page.model.rows[0].id)
    shots = Path(os.environ.get("APPRAISAL_DESK_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(shots / "evidence-page.png"))
    assert page.table.columnWidth(0) > 150, "the title column keeps a readable width at 1366 px"
    assert page.panel.isVisible() and page.panel.width() >= 380


def test_search_box_finds_an_artifact_and_enter_opens_it(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from app.ui.shell.search_box import SearchBox

    page = page_of(window)
    ws = window.document.workspace
    for name in ("Incident escalation procedure.docx", "Staffing plan.xlsx"):
        (tmp_path / name).write_bytes(name.encode())
        add_file(qtbot, window, tmp_path / name)
    target = page.model.rows[0].id
    ev.update_artifact(ws, target, ev.ArtifactMeta("Incident escalation procedure", description="Signed by the CISO"))
    box = SearchBox()
    qtbot.addWidget(box)
    box.resize(420, 30)
    box.show()
    box.set_document(window.document)
    chosen: list[tuple[str, int]] = []
    box.hit_chosen.connect(lambda kind, item: chosen.append((kind, item)))
    box.hit_chosen.connect(page.show_item)
    page.select(page.model.rows[1].id)
    box.edit.setFocus()
    qtbot.keyClicks(box.edit, "ciso esc")
    qtbot.waitUntil(lambda: len(box.hits) == 1, timeout=2000)
    hit = box.hits[0]
    assert (hit.kind, hit.id, hit.where) == ("artifact", target, "Evidence"), "words may match in different fields"
    shots = Path(os.environ.get("APPRAISAL_DESK_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    assert box.popup.isVisible(), "hits pop up under the box while typing"
    assert box.popup.grab().save(str(shots / "search-popup.png"))
    # With the popup open the keyboard goes to it (the completer passes typing on to the line edit).
    qtbot.keyClick(box.popup, Qt.Key.Key_Return)
    assert chosen == [("artifact", target)]
    assert not box.popup.isVisible()
    assert page.current_id() == target
    qtbot.keyClick(box.edit, Qt.Key.Key_Escape)
    assert box.edit.text() == ""
