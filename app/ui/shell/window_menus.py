"""The main window's menu bar: File, Edit, Go, View and Help with their keys.

The actions are the window's attributes (`window.undo_action`, `window.file_menu_end`, …): the document
enables and names undo and redo, and the File menu's other work (`app/ui/outputs`, `app/ui/packages`,
`app/ui/backups`) adds its actions before `file_menu_end`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

if TYPE_CHECKING:
    from app.ui.shell.main_window import MainWindow


def build_menus(window: MainWindow) -> None:
    """File, Edit, Go, View and Help, with their keys; the actions stay on the window (others add to the File menu)."""
    file_menu = window.menuBar().addMenu("&File")
    window.new_action = _action(
        window, file_menu, "&New appraisal…", window.new_appraisal, QKeySequence.StandardKey.New
    )
    window.open_action = _action(window, file_menu, "&Open…", window.choose_and_open, QKeySequence.StandardKey.Open)
    window.recent_menu = file_menu.addMenu("Open &recent")
    window.recent_menu.aboutToShow.connect(partial(_fill_recent_menu, window))
    file_menu.addSeparator()
    window.save_as_action = _action(
        window, file_menu, "Save a &copy as…", window.save_copy_as, QKeySequence.StandardKey.SaveAs
    )
    window.close_action = _action(
        window, file_menu, "&Close appraisal", window.close_document, QKeySequence.StandardKey.Close
    )
    file_menu.addSeparator()
    window.file_menu_end = file_menu.addSeparator()
    _action(window, file_menu, "&Quit", window.close, QKeySequence.StandardKey.Quit)
    window.file_menu = file_menu

    edit_menu = window.menuBar().addMenu("&Edit")
    window.edit_menu = edit_menu
    window.undo_action = QAction("&Undo", window)
    window.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
    window.undo_action.setEnabled(False)
    window.redo_action = QAction("&Redo", window)
    # Both habits redo: Ctrl+Shift+Z (and the platform's own key) and Ctrl+Y.
    redo_keys = [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]
    redo_keys += [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo) if k not in redo_keys]
    window.redo_action.setShortcuts(redo_keys)
    window.redo_action.setEnabled(False)
    edit_menu.addAction(window.undo_action)
    edit_menu.addAction(window.redo_action)
    edit_menu.addSeparator()
    window.find_action = QAction("&Search…", window)
    window.find_action.setShortcuts([QKeySequence("Ctrl+K"), QKeySequence(QKeySequence.StandardKey.Find)])
    window.find_action.triggered.connect(window.focus_search)
    window.find_action.setEnabled(False)
    edit_menu.addAction(window.find_action)
    window.go_to_action = QAction("&Go to practice…", window)
    window.go_to_action.setShortcut(QKeySequence("Ctrl+G"))
    window.go_to_action.triggered.connect(window.places.open_go_to)
    window.go_to_action.setEnabled(False)
    edit_menu.addAction(window.go_to_action)
    edit_menu.addSeparator()
    advance_menu = edit_menu.addMenu("After a &value, move")
    window.advance_group = QActionGroup(window)
    for value, text in (("down", "&Down"), ("right", "&Right"), ("stay", "&Nowhere (stay on the cell)")):
        action = advance_menu.addAction(text)
        action.setCheckable(True)
        action.setData(value)
        action.setChecked(value == window.settings.advance())
        window.advance_group.addAction(action)
    window.advance_group.triggered.connect(lambda action: window.set_advance(str(action.data())))
    window.set_advance(window.settings.advance())

    window.go_menu = window.menuBar().addMenu("&Go")
    for row, page in enumerate(window.page_list):
        action = QAction(page.title, window)
        if page.shortcut:
            action.setShortcut(QKeySequence(page.shortcut))
        action.triggered.connect(lambda _checked=False, r=row: window.show_page(r))
        window.go_menu.addAction(action)

    view_menu = window.menuBar().addMenu("&View")
    window.history_action = window.history_dock.toggleViewAction()
    window.history_action.setText("&History of the selection")
    window.history_action.setShortcut(QKeySequence("Ctrl+H"))
    view_menu.addAction(window.history_action)
    window.worklist_action = window.worklist_dock.toggleViewAction()
    window.worklist_action.setText("&Worklist beside any page")
    window.worklist_action.setShortcut(QKeySequence("Ctrl+J"))
    view_menu.addAction(window.worklist_action)
    window.view_menu = view_menu

    help_menu = window.menuBar().addMenu("&Help")
    _action(window, help_menu, "&About Appraisal Desk", partial(_about, window))


def _action(
    window: MainWindow,
    menu: QMenu,
    text: str,
    slot: Callable[[], object],
    shortcut: QKeySequence.StandardKey | None = None,
) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(shortcut)
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def _fill_recent_menu(window: MainWindow) -> None:
    window.recent_menu.clear()
    recent = window.settings.recent_files()
    if not recent:
        window.recent_menu.addAction("No recent files").setEnabled(False)
    for path in recent:
        action = window.recent_menu.addAction(str(path))
        action.triggered.connect(lambda _checked=False, p=path: window.open_path(p))


def _about(window: MainWindow) -> None:
    QMessageBox.about(
        window,
        "About Appraisal Desk",
        "Appraisal Desk: the lead appraiser's workbench for CMMI-SVC v1.3, CERT-RMM and the Security "
        "Management pseudo process area. Every edit is saved in the appraisal file as you make it.",
    )
