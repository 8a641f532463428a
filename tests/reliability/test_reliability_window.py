"""The window's side of reliability, driven through real widgets: the passphrase asked when opening an
encrypted file, automatic backups, the Backups dialog restoring into a new file, changing the passphrase, and
a damaged attachment refused when opened."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel, QMessageBox

from app.domain.catalog import Catalog
from app.services import appraisals, backups, characterize
from app.services import evidence as ev
from app.services.characterize import CellKey, CellState
from app.ui.backups.backups_dialog import BackupsDialog
from app.ui.backups.reliability_actions import ReliabilityActions, install_reliability_actions
from app.ui.common import prompts
from app.ui.evidence.evidence_page import EvidencePage
from app.ui.shell.commands import ServiceCommand
from app.ui.shell.document import Change
from app.ui.shell.main_window import MainWindow
from app.ui.shell.page_list import page_factories
from app.ui.shell.passphrase_dialog import PassphraseDialog
from tests.reliability.support import PASSPHRASE, PLAN, needs_sqlcipher

pytestmark = pytest.mark.gui
CELL = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")
SHOTS = Path(os.environ.get("APPRAISAL_DESK_SHOTS", "")) if os.environ.get("APPRAISAL_DESK_SHOTS") else None


def shoot(widget: object, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SHOTS / f"{name}.png"))  # type: ignore[attr-defined]


def when_modal(fill: Callable[[PassphraseDialog], None]) -> None:
    """Run `fill` on the passphrase dialog as soon as it is shown (it runs its own event loop)."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, PassphraseDialog) and dialog.isVisible():
            fill(dialog)
        else:
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def type_and_ok(*texts: str, shot: str | None = None) -> Callable[[PassphraseDialog], None]:
    def fill(dialog: PassphraseDialog) -> None:
        for field, text in zip(dialog.fields, texts, strict=True):
            field.setText(text)
        if shot:
            shoot(dialog, shot)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    return fill


@pytest.fixture
def window(make_window: Callable[..., MainWindow]) -> MainWindow:
    win = make_window(page_factories=[*page_factories(), EvidencePage])
    win.show()
    return win


def actions_of(window: MainWindow) -> ReliabilityActions:
    found = window.findChild(ReliabilityActions)
    assert isinstance(found, ReliabilityActions)
    return found


def edit(window: MainWindow, value: str, notes: str) -> None:
    """A real undoable edit, as a page makes it."""
    document = window.document
    assert document is not None
    ws = document.workspace
    before = characterize.get_cell(ws, CELL)
    document.execute(
        ServiceCommand(
            document,
            "Characterize",
            lambda: characterize.set_cell(ws, CELL, CellState(value, notes=notes)),
            lambda: characterize.set_cell(ws, CELL, before),
            Change.CHARACTERIZATION,
        )
    )


# --- encrypted files -------------------------------------------------------------------------------------------


@needs_sqlcipher
def test_opening_an_encrypted_file_asks_for_its_passphrase(qtbot, window: MainWindow, tmp_path: Path, catalog: Catalog):
    path = tmp_path / "secret.appraisal"
    appraisals.create_appraisal(path, PLAN, catalog, passphrase=PASSPHRASE).close()
    seen: list[str] = []

    def wrong_then_right(dialog: PassphraseDialog) -> None:
        type_and_ok("not the passphrase")(dialog)
        message = dialog.findChild(QLabel, "dialogMessage")
        assert isinstance(message, QLabel)
        seen.append(message.text())
        shoot(dialog, "passphrase-wrong")
        type_and_ok(PASSPHRASE, shot="passphrase-unlock")(dialog)

    when_modal(wrong_then_right)
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document is not None, timeout=15000)
    assert seen == [
        "The passphrase does not unlock secret.appraisal. Check it and try again "
        "(if it is right, the file is damaged: open its most recent backup)."
    ]
    assert window.document is not None and window.document.workspace.store.encrypted
    assert "Reliability test" in window.windowTitle()


@needs_sqlcipher
def test_cancelling_the_passphrase_opens_nothing(qtbot, window: MainWindow, tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "secret.appraisal"
    appraisals.create_appraisal(path, PLAN, catalog, passphrase=PASSPHRASE).close()
    when_modal(lambda dialog: dialog.reject())
    window.open_path(path)
    assert window.document is None
    assert window.file_label.text() == "No appraisal open"


@needs_sqlcipher
def test_changing_the_passphrase_from_the_file_menu(
    qtbot, window: MainWindow, tmp_path: Path, catalog: Catalog
) -> None:
    install_reliability_actions(window)
    path = tmp_path / "secret.appraisal"
    appraisals.create_appraisal(path, PLAN, catalog, passphrase=PASSPHRASE).close()
    when_modal(type_and_ok(PASSPHRASE))
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document is not None, timeout=15000)
    actions = actions_of(window)
    assert actions.passphrase_action.isEnabled()
    messages: list[str] = []

    def weak_then_good(dialog: PassphraseDialog) -> None:
        type_and_ok(PASSPHRASE, "short", "short")(dialog)
        messages.append(dialog.message.text())
        type_and_ok(PASSPHRASE, "new passphrase here", "new passphrase here", shot="passphrase-change")(dialog)

    when_modal(weak_then_good)
    actions.passphrase_action.trigger()
    qtbot.waitUntil(lambda: "passphrase was changed" in window.statusBar().currentMessage(), timeout=15000)
    assert messages and "at least 8 characters" in messages[0]
    edit(window, "FI", "after the new passphrase")
    window.close_document()
    ws = appraisals.open_appraisal(path, passphrase="new passphrase here")
    try:
        assert characterize.get_cell(ws, CELL).notes == "after the new passphrase"
    finally:
        ws.close()


def test_passphrase_action_is_off_for_a_plain_file(qtbot, window: MainWindow, tmp_path: Path, catalog: Catalog) -> None:
    actions = install_reliability_actions(window)
    assert not actions.backups_action.isEnabled() and not actions.passphrase_action.isEnabled()
    path = tmp_path / "plain.appraisal"
    appraisals.create_appraisal(path, PLAN, catalog).close()
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document is not None, timeout=15000)
    assert actions.backups_action.isEnabled() and not actions.passphrase_action.isEnabled()
    assert [a.text() for a in window.file_menu.actions()].index("&Backups…") < [
        a.text() for a in window.file_menu.actions()
    ].index("&Quit")


# --- automatic backups and the Backups dialog ------------------------------------------------------------------


def test_backups_on_open_while_editing_and_on_close(qtbot, window: MainWindow, tmp_path: Path, catalog: Catalog):
    actions = install_reliability_actions(window, minutes=60, keep=5)
    path = tmp_path / "work.appraisal"
    appraisals.create_appraisal(path, PLAN, catalog).close()
    with qtbot.waitSignal(actions.timer.backed_up, timeout=15000):
        window.open_path(path)
    assert len(backups.backups_of(path)) == 1
    assert backups.backups_of(path)[0].label == "on open"

    actions.timer.tick()  # nothing edited yet: no new backup
    edit(window, "LI", "first edit")
    # The timer backs up only while the worker is idle (here it may still be rating after the edit).
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    with qtbot.waitSignal(actions.timer.backed_up, timeout=15000):
        actions.timer.tick()
    assert [b.label for b in backups.backups_of(path)] == ["while editing", "on open"]

    edit(window, "FI", "edit before closing")
    window.close_document()
    labels = [b.label for b in backups.backups_of(path)]
    assert labels[0] == "on close" and len(labels) == 3
    copy = appraisals.open_appraisal(backups.backups_of(path)[0].path)
    try:
        assert characterize.get_cell(copy, CELL).notes == "edit before closing"
    finally:
        copy.close()


def test_a_failed_backup_is_said_in_the_status_bar_and_work_goes_on(
    qtbot, window: MainWindow, tmp_path: Path, catalog: Catalog
) -> None:
    actions = install_reliability_actions(window, minutes=60)
    path = tmp_path / "work.appraisal"
    appraisals.create_appraisal(path, PLAN, catalog).close()
    # Something already sits where the backup folder goes: no backup can be written.
    backups.backup_folder(path).write_text("in the way")
    with qtbot.waitSignal(actions.timer.failed, timeout=15000) as failed:
        window.open_path(path)
    assert "Automatic backup failed: Cannot create the backup folder" in failed.args[0]
    qtbot.waitUntil(lambda: window.document is not None, timeout=15000)
    edit(window, "PI", "work goes on")
    assert characterize.get_cell(window.document.workspace, CELL).notes == "work goes on"


def test_backups_dialog_lists_and_restores_into_a_new_file(
    qtbot, window: MainWindow, tmp_path: Path, catalog: Catalog, monkeypatch
) -> None:
    actions = install_reliability_actions(window, minutes=60)
    path = tmp_path / "work.appraisal"
    appraisals.create_appraisal(path, PLAN, catalog).close()
    with qtbot.waitSignal(actions.timer.backed_up, timeout=15000):
        window.open_path(path)
    assert len(backups.backups_of(path)) == 1
    edit(window, "LI", "kept in the second backup")
    # The timer backs up only while the worker is idle (here it may still be rating after the edit).
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30000)
    with qtbot.waitSignal(actions.timer.backed_up, timeout=15000):
        actions.timer.tick()
    edit(window, "NI", "only in the working file")

    dialog = actions.show_backups()
    assert isinstance(dialog, BackupsDialog)
    qtbot.waitUntil(lambda: len(dialog.summaries) == 2, timeout=15000)
    table = dialog.table
    assert table.rowCount() == 2
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    newest = {headers[c]: table.item(0, c).text() for c in range(table.columnCount())}
    assert newest["Why"] == "while editing" and newest["Characterizations"] == "1"
    assert {headers[c]: table.item(1, c).text() for c in range(table.columnCount())}["Characterizations"] == "0"
    dialog.resize(1000, 460)
    shoot(dialog, "backups-dialog")

    target = tmp_path / "restored.appraisal"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    table.selectRow(0)
    dialog.restore_button.click()
    qtbot.waitUntil(
        lambda: window.document is not None and window.document.workspace.path == target.resolve(), timeout=15000
    )
    assert characterize.get_cell(window.document.workspace, CELL).notes == "kept in the second backup"
    window.close_document()
    working = appraisals.open_appraisal(path)
    try:
        assert characterize.get_cell(working, CELL).notes == "only in the working file"
    finally:
        working.close()


def test_restoring_over_the_open_file_is_refused(qtbot, window: MainWindow, tmp_path: Path, catalog: Catalog):
    actions = install_reliability_actions(window, minutes=60)
    path = tmp_path / "work.appraisal"
    appraisals.create_appraisal(path, PLAN, catalog).close()
    with qtbot.waitSignal(actions.timer.backed_up, timeout=15000):
        window.open_path(path)
    assert len(backups.backups_of(path)) == 1
    dialog = actions.show_backups()
    assert dialog is not None
    dialog.restore_to(dialog.backups[0], path, None)
    assert "never overwritten" in dialog.message.text()
    assert window.document is not None and window.document.workspace.path == path.resolve()


# --- a damaged attachment ---------------------------------------------------------------------------------------


def test_opening_a_damaged_attachment_says_so(qtbot, window: MainWindow, tmp_path: Path, catalog: Catalog, monkeypatch):
    path = tmp_path / "work.appraisal"
    doc = tmp_path / "Incident procedure.pdf"
    doc.write_bytes(b"%PDF-1.4 procedure " * 500)
    ws = appraisals.create_appraisal(path, PLAN, catalog)
    artifact = ev.add_artifact_from_file(ws, doc)
    ws.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE blob SET data = zeroblob(length(data))")
    conn.close()
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document is not None, timeout=15000)
    page = window.page(EvidencePage)
    assert isinstance(page, EvidencePage)
    window.nav.setCurrentRow(window.page_list.index(page))
    qtbot.waitUntil(lambda: page.select(artifact), timeout=15000)
    qtbot.waitUntil(lambda: page.panel.detail is not None, timeout=15000)
    opened: list[QUrl] = []
    monkeypatch.setattr(prompts, "open_externally", lambda url: opened.append(url) or True)
    page.open_action.trigger()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorBox") is not None, timeout=15000)
    box = window.findChild(QMessageBox, "errorBox")
    assert "The stored copy of this document is damaged" in box.text()
    assert opened == []
    box.close()
