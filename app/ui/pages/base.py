"""What every workbench page offers the main window."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.ui.document import Document


class Page(QWidget):
    """A screen of the workbench. Subclasses set `title` and refresh themselves from the document."""

    title = ""
    shortcut = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None

    def set_document(self, document: Document | None) -> None:
        if self.document is not None:
            self.document.changed.disconnect(self._on_changed)
        self.document = document
        if document is not None:
            document.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, kinds: set[str]) -> None:
        if self.wants(kinds):
            self.refresh()

    def wants(self, kinds: set[str]) -> bool:
        """Whether a change of these kinds alters what this page shows."""
        return bool(kinds)

    def refresh(self) -> None:
        """Reload what the page shows from the document (or clear it when there is none)."""
