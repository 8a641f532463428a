"""Keyboard helpers for pages: an explicit Tab order, and keys a page handles itself while the focus is inside
it, even when the window binds the same keys.

Ctrl+N on the Evidence page adds an artifact although File > New appraisal also uses Ctrl+N: a window-wide
shortcut and a page shortcut would otherwise be ambiguous and neither would fire. Accepting the
ShortcutOverride event makes Qt deliver the key to the focused widget instead, and it reaches the page as an
ordinary key press (focused editors ignore keys they do not use).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget


def on_delete_key(widget: QWidget, slot: Callable[[], object]) -> None:
    """Del in `widget` (only while it has the focus, so editors keep Del for text) calls `slot`."""
    action = QAction(widget)
    action.setShortcut(QKeySequence.StandardKey.Delete)
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    action.triggered.connect(lambda _checked=False: slot())
    widget.addAction(action)


def tab_chain(*widgets: QWidget) -> None:
    """Set the Tab order to exactly this sequence (pairwise setTabOrder moves widgets; one pass is clear)."""
    for first, second in pairwise(widgets):
        QWidget.setTabOrder(first, second)


class LocalKeys(QObject):
    def __init__(self, page: QWidget) -> None:
        super().__init__(page)
        self._keys: dict[str, Callable[[], None]] = {}
        page.installEventFilter(self)

    def add(self, sequence: str, slot: Callable[[], None]) -> None:
        self._keys[QKeySequence(sequence).toString()] = slot

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent):
            slot = self._keys.get(QKeySequence(event.keyCombination()).toString())
            if slot is not None:
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    slot()
                return True
        return super().eventFilter(watched, event)
