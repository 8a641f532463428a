"""Reading the side-by-side of the practice the team is on, on the worker thread.

The read spans the appraisal's links and evidence (some 50 ms at size L), and the cursor moves with every
typed value: on the UI thread each move would hold the keyboard up. The read starts once the cursor rests
(REST_MS: while values are typed one after another the worker stays free for the edits and their ratings),
and the panel says it is reading until the answer lands; moves made meanwhile are not queued one by one:
the latest one is read when the read in flight lands.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer

from app.services import side_by_side
from app.services.side_by_side import SideBySide
from app.ui.characterize.grid_table import GridTable
from app.ui.characterize.side_by_side import SideBySidePanel
from app.ui.shell.document import Document

REST_MS = 150

Target = tuple[str, str, str, str | None]
"""A practice (model, process area, goal, practice) or a goal (practice None)."""


class SideReader:
    def __init__(self, panel: SideBySidePanel, model: GridTable, document: Callable[[], Document | None]) -> None:
        self.panel = panel
        self.model = model
        self._document = document
        """The page's open appraisal now (an answer about another one is not shown)."""
        self.target: Target | None = None
        self._reading = False
        self._rest = QTimer()
        self._rest.setSingleShot(True)
        self._rest.setInterval(REST_MS)
        self._rest.timeout.connect(self._rested)

    def forget(self) -> None:
        """The next `show` reads again, even for the same target (the data under it changed)."""
        self.target = None

    def show(self, document: Document | None, target: Target | None) -> None:
        if target == self.target:
            return
        self.target = target
        if target is None or document is None:
            self._rest.stop()
            self.panel.show_side(None, None)
            return
        self.panel.show_reading(target)
        self._rest.start()  # (again): read once the cursor rests here

    def _rested(self) -> None:
        document = self._document()
        if document is not None and self.target is not None and not self._reading:
            self._read(document, self.target)

    def _read(self, document: Document, target: Target) -> None:
        self._reading = True
        task = document.run(lambda ws, _progress: side_by_side.side_by_side(ws, *target), label="Reading links")
        task.on_success(lambda side: self._landed(document, target, side))
        task.on_failure(lambda exc: self._failed(document, target, exc))
        document.start(task)

    def _landed(self, document: Document, target: Target, side: SideBySide) -> None:
        if not self._moved_on(document, target):
            self.panel.show_side(side, self.model)

    def _failed(self, document: Document, target: Target, exc: BaseException) -> None:
        if not self._moved_on(document, target):
            self.panel.show_side(None, None)
            self.panel.note.setText(f"The linked practices could not be read: {exc}")

    def _moved_on(self, document: Document, target: Target) -> bool:
        """Whether the cursor went elsewhere (or another appraisal opened) while `target` was read; then the
        latest place is read now."""
        self._reading = False
        now = self._document()
        if now is document and self.target == target:
            return False
        if now is not None and self.target is not None and not self._rest.isActive():
            self._read(now, self.target)
        return True
