"""Side by side undocked into its own window (as wide as the screen allows), and docked back into its tab."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.ui.characterize.side_by_side import SideBySidePanel


class SideDock:
    """Where the side-by-side pane lives: the page's first tab, or `window` while undocked."""

    def __init__(self, tabs: QTabWidget, side: SideBySidePanel, owner: QWidget) -> None:
        self.tabs, self.side, self.owner = tabs, side, owner
        self.window: _SideWindow | None = None

    def toggle(self) -> None:
        if self.window is not None:
            self.window.close()
            return
        self.tabs.removeTab(self.tabs.indexOf(self.side))
        window = _SideWindow(self.owner)
        window.box.addWidget(self.side)
        window.closed.connect(self._dock)
        self.side.undock.setText("&Dock")
        self.side.show()
        self.window = window
        window.show()

    def _dock(self) -> None:
        self.window = None
        self.tabs.insertTab(0, self.side, "Side by side")
        self.tabs.setCurrentIndex(0)
        self.side.undock.setText("&Undock")


class _SideWindow(QWidget):
    """Side by side undocked; closing it docks the pane back into the page."""

    closed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("sideBySideWindow")
        self.setWindowTitle("Side by side — Appraisal Desk")
        self.resize(1000, 380)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(4, 4, 4, 4)

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self.closed.emit()
