"""The History and Worklist docks beside any page: History follows the current page's selection, the worklist
is rebuilt after every change while it shows. Both are read only while visible (the change log and the
worklist are costly on a large appraisal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget

from app.services.errors import KnownError
from app.ui.overview.worklist_panel import WorklistPanel
from app.ui.shell.history_panel import HistoryPanel

if TYPE_CHECKING:
    from app.ui.shell.main_window import MainWindow

DOCK_WIDTH = 480
"""The worklist and history docks open this wide: room for a reason or a change on one or two lines."""


class WindowDocks:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.history_panel = HistoryPanel()
        self.history_dock = QDockWidget("History", window)
        self.history_dock.setObjectName("historyDock")
        self.history_dock.setWidget(self.history_panel)
        self.history_dock.setAllowedAreas(Qt.DockWidgetArea.AllDockWidgetAreas)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history_dock)
        self.history_dock.hide()
        self.history_dock.visibilityChanged.connect(self._history_visibility)
        self.worklist_panel = WorklistPanel()
        self.worklist_panel.open_requested.connect(window.places.open_target)
        self.worklist_dock = QDockWidget("Worklist", window)
        self.worklist_dock.setObjectName("worklistDock")
        self.worklist_dock.setWidget(self.worklist_panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.worklist_dock)
        self.worklist_dock.hide()
        self.worklist_dock.visibilityChanged.connect(self._worklist_visibility)

    def follow_subject(self) -> None:
        page = self.window.current_page()
        if self.window.document is not None and self.history_dock.isVisible():
            self.history_panel.show_subject(page.history_subject() if page is not None else None)

    def show_history(self) -> None:
        """Open the History dock on the current page's selection (a context menu's "History of …")."""
        self.history_dock.show()
        self.history_dock.raise_()
        self.follow_subject()

    def _history_visibility(self, visible: bool) -> None:
        if visible:
            self._widen(self.history_dock)
            self.follow_subject()
            self.history_panel.reload()

    def _widen(self, dock: QDockWidget) -> None:
        # After the dock is laid out: resizing it while it is being shown has no effect.
        QTimer.singleShot(0, lambda: self.window.resizeDocks([dock], [DOCK_WIDTH], Qt.Orientation.Horizontal))

    def _worklist_visibility(self, visible: bool) -> None:
        if visible:
            self._widen(self.worklist_dock)
            self.reload_worklist()

    def reload_worklist(self) -> None:
        """The worklist of the current ratings; while the full rating runs on the worker (a second at size L,
        too long for the window to wait) the dock says so and fills in when it lands (`ratings_ready`)."""
        document = self.window.document
        if document is None or not self.worklist_dock.isVisible():
            return
        try:
            ratings = document.ratings_if_ready()
        except (KnownError, ValueError):
            ratings = None  # the Ratings page says why the rules cannot run
        if ratings is None:
            self.worklist_panel.forget()
            self.worklist_panel.set_worklist(None)
            self.worklist_panel.counts.setText("rating…" if document.rating_in_progress else "")
            return
        self.worklist_panel.read(document, ratings, lambda _worklist: self.worklist_panel.setFocus())

    def close(self) -> None:
        """The appraisal closed: nothing of it stays in the docks."""
        self.worklist_panel.forget()
        self.history_panel.set_document(None)
        self.history_dock.hide()
        self.worklist_panel.set_worklist(None)
        self.worklist_dock.hide()
