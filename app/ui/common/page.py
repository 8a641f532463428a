"""What every workbench page offers the main window."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QWidget

from app.services.history import Subject
from app.ui.common.history_menu import offer_history
from app.ui.shell.document import Change, Document


class Page(QWidget):
    """A screen of the workbench. Subclasses set `title` and refresh themselves from the document.

    Signals: subject_changed(): what `history_subject` answers changed (the selection moved);
    history_requested(): the person asked for the history of the selection (a context menu).
    """

    subject_changed = Signal()
    history_requested = Signal()

    title = ""
    shortcut = ""
    refresh_while_hidden = False
    """Pages whose state other parts of the window read while they are hidden keep refreshing."""
    shows_ratings = False
    """Pages that show ratings: they show "rating…" while the full rating runs, and follow it when it lands."""
    _stale = False

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None

    def set_document(self, document: Document | None) -> None:
        if self.document is not None:
            self.document.changed.disconnect(self._on_changed)
            if self.shows_ratings:
                self.document.ratings_ready.disconnect(self._on_ratings_ready)
        self.document = document
        if document is not None:
            document.changed.connect(self._on_changed)
            if self.shows_ratings:
                document.ratings_ready.connect(self._on_ratings_ready)
        if document is None or self.refresh_while_hidden or self.isVisible():
            self.refresh()
        else:
            # A hidden page reads its data when first shown: opening a large appraisal waits for one page only.
            self._stale = True

    def _on_ratings_ready(self) -> None:
        if self.refresh_while_hidden or self.isVisible():
            self.ratings_arrived()
        else:
            self._stale = True

    def ratings_arrived(self) -> None:
        """The full rating landed (see `Document.ratings_ready`); by default the page reloads."""
        self.refresh()

    def _on_changed(self, kinds: set[Change]) -> None:
        if not self.wants(kinds):
            return
        if self.refresh_while_hidden or self.isVisible():
            self.refresh()
        else:
            # A hidden page catches up when shown, so an edit on one page does not wait for all the others.
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.catch_up()

    def catch_up(self) -> None:
        """Refresh now if edits arrived while the page was hidden (before selecting something on it)."""
        if self._stale:
            self._stale = False
            self.refresh()

    def wants(self, kinds: set[Change]) -> bool:
        """Whether a change of these kinds alters what this page shows."""
        return bool(kinds)

    def refresh(self) -> None:
        """Reload what the page shows from the document (or clear it when there is none)."""

    def history_subject(self) -> Subject | None:
        """Whose change history the History panel shows for the selection here (None: the whole appraisal)."""
        return None

    def offer_history_on(self, view: QAbstractItemView) -> None:
        """A right-click on an item of `view` offers its history (what `history_subject` answers)."""

        def what() -> str | None:
            subject = self.history_subject()
            return subject.title if subject is not None else None

        offer_history(view, what, self.history_requested.emit)
