"""The main window: the start page, or the workbench (navigation + pages) for the open appraisal; taking in and
closing an appraisal, and the status bar and title that say where the work stands.

Its other jobs have their own modules: the menu bar (`window_menus.py`), the History and Worklist docks
(`window_docks.py`), going to a place from the worklist, a search hit or Ctrl+G (`window_places.py`), opening a
file, a new appraisal, the demo or a team server's appraisal, and saving a copy (`window_opening.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from app.domain.catalog import Catalog
from app.services import appraisals, team_server
from app.services.workspace import Workspace
from app.ui.characterize.characterize_page import CharacterizePage
from app.ui.characterize.fast_entry import Advance
from app.ui.common.errors import show_error
from app.ui.common.page import Page
from app.ui.shell.document import Change, Document
from app.ui.shell.live_follow import LiveFollow
from app.ui.shell.search_box import SearchBox
from app.ui.shell.settings import UiSettings
from app.ui.shell.start_page import StartPage
from app.ui.shell.tasks import TaskRunner
from app.ui.shell.window_docks import WindowDocks
from app.ui.shell.window_menus import build_menus
from app.ui.shell.window_opening import WindowOpening
from app.ui.shell.window_places import WindowPlaces


def _later(factory: Callable[[], Page]) -> Page | None:
    """The page `factory` makes, not yet made (its __init__ runs when first shown); None for a factory that is
    not a Page class (or a partial of one): that page is made at once."""
    made = factory.func if isinstance(factory, partial) else factory
    if isinstance(made, type) and issubclass(made, Page):
        page: Page = made.__new__(made)
        return page
    return None


class MainWindow(QMainWindow):
    """Signals:
    document_opened(Document), document_closed(): the open appraisal changed.
    failed(str): an action failed; the text is what the user was told.
    """

    document_opened = Signal(object)
    document_closed = Signal()
    failed = Signal(str)

    # The menus and their actions (window_menus.py).
    file_menu: QMenu
    file_menu_end: QAction
    recent_menu: QMenu
    new_action: QAction
    open_action: QAction
    save_as_action: QAction
    close_action: QAction
    edit_menu: QMenu
    undo_action: QAction
    redo_action: QAction
    find_action: QAction
    go_to_action: QAction
    advance_group: QActionGroup
    go_menu: QMenu
    view_menu: QMenu
    history_action: QAction
    worklist_action: QAction

    def __init__(
        self,
        *,
        settings: UiSettings,
        catalog_provider: Callable[[], Catalog],
        page_factories: list[Callable[[], Page]],
        user_name: str,
        demo_factory: Callable[[Path], Workspace] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.catalog_provider = catalog_provider
        self.user_name = user_name
        self.demo_factory = demo_factory
        self.runner = TaskRunner(self)
        self.places = WindowPlaces(self)
        self.opening = WindowOpening(self)
        self.document: Document | None = None
        self.title_note = ""
        """Said after the appraisal's name in the title (a mini-team package says so)."""
        self.setWindowTitle("Appraisal Desk")
        self.setMinimumSize(QSize(1000, 640))

        self.start_page = StartPage()
        self.start_page.set_demo_available(demo_factory is not None)
        self.start_page.new_requested.connect(self.new_appraisal)
        self.start_page.open_requested.connect(self.choose_and_open)
        self.start_page.demo_requested.connect(self.open_demo)
        self.start_page.recent_chosen.connect(self.open_path)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMaximumWidth(200)
        self.nav.setMinimumWidth(150)
        self.pages = QStackedWidget()
        self.page_list: list[Page] = []
        # A page is made when first shown (or asked for): the window opens with the page the lead left open
        # only. Until then it is its class's object whose __init__ has not run, so the list, the titles and
        # `isinstance` answer as before; an empty widget holds its place in the stack.
        self._unbuilt: dict[int, tuple[Callable[[], Page], QWidget]] = {}
        for row, factory in enumerate(page_factories):
            page = _later(factory)
            if page is None:
                page = factory()
                self.pages.addWidget(page)
            else:
                placeholder = QWidget()
                self._unbuilt[row] = (factory, placeholder)
                self.pages.addWidget(placeholder)
            self.page_list.append(page)
            item = QListWidgetItem(page.title)
            if page.shortcut:
                item.setToolTip(f"{page.title} ({page.shortcut})")
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._show_row)
        self.workbench = QSplitter(Qt.Orientation.Horizontal)
        self.workbench.addWidget(self.nav)
        self.workbench.addWidget(self.pages)
        self.workbench.setStretchFactor(1, 1)
        self.workbench.setChildrenCollapsible(False)
        self.workbench.setSizes([180, 1180])
        self.nav.setStyleSheet("QListWidget#navigation::item { padding: 7px 10px; }")

        self.central = QStackedWidget()
        self.central.addWidget(self.start_page)
        self.central.addWidget(self.workbench)
        self.setCentralWidget(self.central)

        self.file_label = QLabel()
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedLabel")
        self.phase_label = QLabel()
        self.statusBar().addWidget(self.file_label, 1)
        self.offline_banner = QLabel()
        self.offline_banner.setStyleSheet("background: #b3261e; color: white; padding: 2px 8px; font-weight: bold;")
        self.offline_banner.hide()
        self.statusBar().addWidget(self.offline_banner, 2)
        self.live: LiveFollow | None = None
        self.statusBar().addPermanentWidget(self.saved_label)
        self.statusBar().addPermanentWidget(self.phase_label)
        self.runner.busy_changed.connect(self._busy_changed)

        self.search_box = SearchBox()
        self.search_box.setMaximumWidth(560)
        self.search_box.setToolTip("Search everything in this appraisal (Ctrl+K)")
        self.search_box.hit_chosen.connect(self.places.open_hit)
        self.search_box.place_chosen.connect(self.places.go_to_place)
        self.toolbar = QToolBar("Search")
        self.toolbar.setObjectName("searchToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.addWidget(self.search_box)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

        self.docks = WindowDocks(self)
        self.history_panel, self.history_dock = self.docks.history_panel, self.docks.history_dock
        self.worklist_panel, self.worklist_dock = self.docks.worklist_panel, self.docks.worklist_dock
        self.nav.currentRowChanged.connect(lambda _row: self.docks.follow_subject())
        for row, page in enumerate(self.page_list):
            if row not in self._unbuilt:
                self._wire(page)

        build_menus(self)
        geometry = settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        window_state, splitter_state = settings.window_state()
        if window_state is not None:
            self.restoreState(window_state)
        if splitter_state is not None:
            self.workbench.restoreState(splitter_state)
        self._show_start()

    # --- pages made when first shown ------------------------------------------------------------------

    def _wire(self, page: Page) -> None:
        page.subject_changed.connect(lambda p=page: self._subject_changed(p))
        page.history_requested.connect(self.docks.show_history)
        opener = getattr(page, "open_requested", None)
        if opener is not None:
            opener.connect(self.places.open_target)

    def built_page(self, row: int) -> Page:
        """The page at `row`, made now if it was not yet: wired, and given the open appraisal."""
        page = self.page_list[row]
        unbuilt = self._unbuilt.pop(row, None)
        if unbuilt is None:
            return page
        factory, placeholder = unbuilt
        args, keywords = (factory.args, factory.keywords) if isinstance(factory, partial) else ((), {})
        type(page).__init__(page, *args, **keywords)
        current = self.pages.currentIndex()
        self.pages.insertWidget(row, page)
        self.pages.removeWidget(placeholder)
        placeholder.deleteLater()
        self.pages.setCurrentIndex(current)
        self._wire(page)
        if hasattr(page, "advance"):
            page.advance = Advance(self.settings.advance())
        if self.live is not None:
            self._follow_live(page, self.live)
        if self.document is not None:
            page.set_document(self.document)
        return page

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(self.page_list):
            self.built_page(row)
        self.pages.setCurrentIndex(row)

    # --- opening and closing ---------------------------------------------------------------------------

    def new_appraisal(self) -> None:
        self.opening.new_appraisal()

    def choose_and_open(self) -> None:
        self.opening.choose_and_open()

    def open_server(self, url: str) -> None:
        """Open an appraisal on a team server (the login in the URL is who edits; docs/team-server.md)."""
        self.opening.open_server(url)

    def open_path(self, path: Path) -> None:
        self.opening.open_path(path)

    def open_demo(self) -> None:
        self.opening.open_demo()

    def report(self, exc: BaseException, title: str) -> None:
        """Tell the user an action failed, and say so to whoever listens (`failed`)."""
        box = show_error(self, exc, title=title)
        self.failed.emit(box.text())

    def set_document(self, document: Document) -> None:
        self.document = document
        document.saved.connect(self._mark_saved)
        document.changed.connect(self._document_changed)
        document.failed.connect(lambda exc: self.report(exc, "Undo / redo"))
        stack = document.undo_stack
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        stack.undoTextChanged.connect(lambda text: self.undo_action.setText(f"&Undo {text}".strip()))
        stack.redoTextChanged.connect(lambda text: self.redo_action.setText(f"&Redo {text}".strip()))
        self.undo_action.triggered.connect(document.undo)
        self.redo_action.triggered.connect(document.redo)
        document.history_trimmed.connect(self._history_trimmed)
        # The title's query first, before a page starts reading on the worker (they would share the interpreter).
        self._update_titles()
        for page in self._built_pages():
            page.set_document(document)
        self.search_box.set_document(document)
        self._follow_team(document)
        self.history_panel.set_document(document)
        document.changed.connect(lambda _kinds: self.docks.reload_worklist())
        document.ratings_ready.connect(self.docks.reload_worklist)
        self.docks.reload_worklist()
        self.toolbar.setVisible(True)
        self.find_action.setEnabled(True)
        self.go_to_action.setEnabled(True)
        if self.nav.currentRow() < 0:
            # Before the pages show: only the page the lead left open reads its data first (the Overview,
            # shown for a moment, would start the full rating ahead of the grid on the one worker thread).
            self.nav.setCurrentRow(self.opening.first_row())
        self.central.setCurrentWidget(self.workbench)
        self._mark_saved()
        self.document_opened.emit(document)

    def close_document(self) -> bool:
        """Close the open appraisal (nothing to save: every edit is already in the file)."""
        document = self.document
        if document is None:
            return True
        if self.runner.busy and not self.runner.wait(60000):
            QMessageBox.information(self, "Appraisal Desk", "Still working on the last action; try again shortly.")
            return False
        self._stop_following()
        for page in self._built_pages():
            page.set_document(None)
        self.search_box.set_document(None)
        self.docks.close()
        self.find_action.setEnabled(False)
        self.go_to_action.setEnabled(False)
        for action in (self.undo_action, self.redo_action):
            action.triggered.disconnect()
            action.setEnabled(False)
        self.document = None
        document.close()
        self._show_start()
        self.document_closed.emit()
        return True

    def save_copy_as(self) -> None:
        self.opening.save_copy_as()

    # --- chrome ----------------------------------------------------------------------------------------

    def show_page(self, row: int) -> None:
        """Show a page and give it the focus, so its keys work at once (Ctrl+0 then Enter opens a worklist line)."""
        if self.document is not None:
            self.nav.setCurrentRow(row)
            self.page_list[row].setFocus(Qt.FocusReason.ShortcutFocusReason)

    def page(self, page_type: type[Page]) -> Page:
        row = next(row for row, p in enumerate(self.page_list) if isinstance(p, page_type))
        return self.built_page(row)

    def _built_pages(self) -> list[Page]:
        return [page for row, page in enumerate(self.page_list) if row not in self._unbuilt]

    def focus_search(self) -> None:
        if self.document is not None:
            self.search_box.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.search_box.edit.selectAll()

    def current_page(self) -> Page | None:
        row = self.nav.currentRow()
        return self.page_list[row] if 0 <= row < len(self.page_list) else None

    def _subject_changed(self, page: Page) -> None:
        if page is self.current_page():
            self.docks.follow_subject()

    def set_advance(self, value: str) -> None:
        """Where the grid's cursor goes after a typed value; remembered between runs."""
        self.settings.set_advance(value)
        for page in self._built_pages():
            if hasattr(page, "advance"):
                page.advance = Advance(value)

    def _follow_team(self, document: Document) -> None:
        """On a team server: others' edits arrive live, marked in the grid; a lost connection shows a banner."""
        self.live = LiveFollow.start(document, self)
        if self.live is None:
            return
        if team_server.is_observer(document.workspace):
            document.set_offline("you are an observer on this appraisal: you read it, the team edits it.")
        for page in self._built_pages():
            self._follow_live(page, self.live)
        self.live.arrived.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.live.connection.connect(self._connection_changed)

    @staticmethod
    def _follow_live(page: Page, live: LiveFollow) -> None:
        if isinstance(page, CharacterizePage):
            live.marks.connect(page.model.set_remote_marks)
        elif hasattr(page, "set_remote_marks"):
            live.row_marks.connect(page.set_remote_marks)

    def _stop_following(self) -> None:
        live, self.live = getattr(self, "live", None), None
        if live is not None:
            live.stop()
            live.deleteLater()
        self.offline_banner.hide()

    def _connection_changed(self, lost: str | None) -> None:
        self.offline_banner.setText(f"⚠ {lost} The appraisal is read-only until it is back." if lost else "")
        self.offline_banner.setVisible(lost is not None)
        if lost is None:
            self.statusBar().showMessage("Connected to the team server again; everything was read again.", 8000)

    def _document_changed(self, kinds: set[Change]) -> None:
        if Change.PLAN in kinds or Change.DATA in kinds:
            self._update_titles()

    def _show_start(self) -> None:
        self.start_page.set_recent(self.settings.recent_files())
        self.central.setCurrentWidget(self.start_page)
        for action in (self.save_as_action, self.close_action):
            action.setEnabled(False)
        self.go_menu.setEnabled(False)
        self.toolbar.setVisible(False)
        self.setWindowTitle("Appraisal Desk")
        self.file_label.setText("No appraisal open")
        self.saved_label.clear()
        self.phase_label.clear()

    def _update_titles(self) -> None:
        document = self.document
        if document is None:
            return
        for action in (self.save_as_action, self.close_action):
            action.setEnabled(document.workspace.path is not None or action is self.close_action)
        self.go_menu.setEnabled(True)
        name, phase = appraisals.appraisal_heading(document.workspace)
        note = f" [{self.title_note}]" if self.title_note else ""
        self.setWindowTitle(f"{name}{note} — Appraisal Desk")
        signed_in = team_server.who_am_i(document.workspace)  # on a team server: who this window edits as
        where = str(document.workspace.path or document.workspace.display_name)
        self.file_label.setText(f"{where}  —  {signed_in}" if signed_in else where)
        self.phase_label.setText(f"Phase: {phase.capitalize()}")

    def _history_trimmed(self, note: str) -> None:
        self.saved_label.setText("⚠ Undo/redo not applied")
        self.statusBar().showMessage(note, 15000)

    def _mark_saved(self) -> None:
        self.saved_label.setText("✓ All changes saved")

    def _busy_changed(self, busy: bool) -> None:
        if busy:
            self.saved_label.setText("Working…")
        elif self.document is not None:
            self._mark_saved()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.set_geometry(self.saveGeometry())
        self.settings.set_window_state(self.saveState(), self.workbench.saveState())
        if self.document is not None and 0 <= self.nav.currentRow() < len(self.page_list):
            self.settings.set_current_page(self.page_list[self.nav.currentRow()].title)
        if not self.close_document():
            event.ignore()
            return
        event.accept()
