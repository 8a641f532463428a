"""The "History of this …" entry in a list's context menu: a right-click on a cell, goal, finding or artifact
opens the History dock on it, as Ctrl+H does from the keyboard."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QMenu

HISTORY_KEY = QKeySequence("Ctrl+H")


def offer_history(view: QAbstractItemView, what: Callable[[], str | None], show: Callable[[], None]) -> None:
    """Give `view` a context menu with "History of <what>"; `what` names the item under the click (None: no
    item, no menu) after the click has made it current, `show` opens the History dock."""
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def menu_at(point: QPoint) -> None:
        index = view.indexAt(point)
        if index.isValid() and index != view.currentIndex():
            view.setCurrentIndex(index)
        title = what()
        if title is None:
            return
        menu = QMenu(view)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        action = menu.addAction(f"&History of {title}")
        action.setShortcut(HISTORY_KEY)  # shown as a hint; the window's Ctrl+H does the same
        action.triggered.connect(show)
        menu.popup(view.viewport().mapToGlobal(point))

    view.customContextMenuRequested.connect(menu_at)
