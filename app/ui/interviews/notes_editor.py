"""Live session notes: saved after a short pause in typing and whenever the text could be left behind.

Notes are not on the undo stack (an undo must never throw typed words away), so saving is direct. A save
happens NOTES_DELAY_MS after the last keystroke, when the field loses focus, before another session is shown,
and when the page hides or its appraisal closes. A failed save keeps the text and tries again next time.

On a team server a colleague may save the same session's notes meanwhile: a save passes the notes as this
editor last read or saved them, and when the server holds others the save is refused (StaleEditError). Neither
text is dropped: the editor then shows the colleague's notes with this person's text below a marked line, to be
merged, and saves that.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QGroupBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.services.errors import StaleEditError
from app.ui.common.errors import show_error

NOTES_DELAY_MS = 700
Saver = Callable[[int, str, str], None]
"""(session id, the text to save, the notes as last read or saved: the save is refused if they changed since)"""
Reader = Callable[[int], str]
MERGE_LINE = "——— your notes, not yet merged with the ones above ———"


class NotesEditor(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("N&otes", parent)
        self.session_id: int | None = None
        self.saver: Saver | None = None
        self.reader: Reader | None = None
        self.stored = ""
        """The notes as this editor last read or saved them."""
        self.dirty = False
        self._loading = False
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("sessionNotes")
        self.edit.setPlaceholderText("Notes, typed live. They are saved as you type.")
        self.edit.setTabChangesFocus(True)  # Tab goes on to the affirmation entry, keyboard-first
        self.edit.textChanged.connect(self._changed)
        self.edit.installEventFilter(self)
        self.state = QLabel()
        self.state.setObjectName("notesState")
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(NOTES_DELAY_MS)
        self.timer.timeout.connect(self.flush)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.state)

    def load(self, session_id: int | None, text: str) -> None:
        """Show a session's notes; pending edits of the one shown before are saved first."""
        if session_id != self.session_id:
            self.flush()
        elif self.dirty:
            return  # the same session and unsaved typing: what is on screen is newer than the file
        self.session_id = session_id
        self.stored = text
        self._loading = True
        try:
            if self.edit.toPlainText() != text:
                self.edit.setPlainText(text)
                # Typing continues the notes: the cursor waits after the existing text, not before it.
                self.edit.moveCursor(QTextCursor.MoveOperation.End)
        finally:
            self._loading = False
        self.edit.setEnabled(session_id is not None)
        self.state.setText("Saved in the appraisal file." if session_id is not None else "")

    def _changed(self) -> None:
        if self._loading or self.session_id is None:
            return
        self.dirty = True
        self.state.setText("Typing…")
        self.timer.start()

    def flush(self) -> None:
        self.timer.stop()
        if not self.dirty or self.session_id is None or self.saver is None:
            return
        typed = self.edit.toPlainText()
        try:
            self.saver(self.session_id, typed, self.stored)
        except StaleEditError as exc:
            self._merge(typed)
            show_error(self, exc, title="Saving the notes")
            return
        except Exception as exc:
            self.state.setText("Not saved yet; will retry.")
            show_error(self, exc, title="Saving the notes")
            return
        self.dirty = False
        self.stored = typed
        self.state.setText(f"Saved at {datetime.now():%H:%M:%S}.")

    def _merge(self, typed: str) -> None:
        """A colleague saved other notes: show theirs, then this person's text below a marked line, and save both."""
        if self.reader is None or self.session_id is None:
            return
        theirs = self.reader(self.session_id)
        self.stored = theirs
        self._loading = True
        try:
            self.edit.setPlainText(f"{theirs}\n\n{MERGE_LINE}\n{typed}" if theirs else typed)
            self.edit.moveCursor(QTextCursor.MoveOperation.End)
        finally:
            self._loading = False
        self.dirty = True
        self.state.setText("A colleague changed these notes: both texts are kept; merge them.")
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return super().eventFilter(watched, event)
