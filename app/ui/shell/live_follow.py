"""The window on a team server: other people's edits arrive within 2 seconds, and a lost connection is shown.

A timer on the UI thread asks the `Follower` (app/services/live.py) every TICK_MS without blocking: with LISTEN/
NOTIFY that is a look at the socket, and the change log is read only when something was announced (polling:
the change log's highest id, once a second). No extra thread, so no Python object is ever freed off the UI
thread (app/ui/shell/tasks.py explains why that matters with Qt).

What arrives refreshes the pages as one's own edits do (grid, live ratings, worklist, findings, evidence,
interviews) and marks what changed with who changed it for MARK_MS: the grid's cells, and the rows of the other
pages' lists (app/ui/common/remote_marks.py). When the server cannot be reached the window turns read-only
with a banner, retries every RETRY_MS, and re-reads everything once it is back.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from app.domain.rating.facts import InstantiationKey
from app.services import live
from app.services.characterize import CellKey
from app.services.live import Follower, RemoteChange
from app.ui.shell.document import Change, Document, Touched

TICK_MS = 250
RETRY_MS = 2000
MARK_MS = 6000

KINDS = {
    "characterization": Change.CHARACTERIZATION,
    "ou_characterization": Change.JUDGMENT,
    "goal_rating": Change.JUDGMENT,
    "artifact": Change.EVIDENCE,
    "blob": Change.EVIDENCE,
    "evidence_link": Change.EVIDENCE,
    "interview_session": Change.INTERVIEWS,
    "affirmation": Change.INTERVIEWS,
    "participant": Change.INTERVIEWS,
    "finding": Change.FINDINGS,
    "plan": Change.PLAN,
    "appraisal": Change.PLAN,
}
"""The page kinds a change log entity touches; any other entity reloads everything (Change.DATA)."""


class LiveFollow(QObject):
    """Signals: marks(dict[CellKey, str]) the cells others just changed, by whom (empty: marks expired);
    arrived(str) a one-line summary for the status bar; connection(str | None) lost (why) or back (None)."""

    marks = Signal(object)
    row_marks = Signal(object)
    """{(change log entity, row id): who} of the rows (findings, artifacts, sessions, …) others just changed."""
    arrived = Signal(str)
    connection = Signal(object)

    def __init__(self, document: Document, follower: Follower, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._follower: Follower | None = follower
        self._marked: dict[CellKey, tuple[str, float]] = {}
        self._rows: dict[tuple[str, int], tuple[str, float]] = {}
        self._lost_at = 0.0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(TICK_MS)

    @classmethod
    def start(cls, document: Document, parent: QObject | None = None) -> LiveFollow | None:
        """Follow `document` if it lives on a team server (None for a file)."""
        follower = live.follower(document.workspace)
        return cls(document, follower, parent) if follower is not None else None

    def stop(self) -> None:
        self._timer.stop()
        if self._follower is not None:
            self._follower.close()
            self._follower = None

    def _tick(self) -> None:
        self._expire_marks()
        if self._follower is None:
            self._reconnect()
            return
        try:
            changes = self._follower.next(0)
        except Exception as exc:
            self._lose(exc)
            return
        if changes:
            self.take(changes)

    def take(self, changes: list[RemoteChange]) -> None:
        """Show what others changed: refresh what it touched, mark the cells, say who did what."""
        kinds = {KINDS.get(c.entity, Change.DATA) for c in changes}
        cells = [c.cell for c in changes if c.cell is not None]
        touched = Touched.of(cells=[InstantiationKey(k.model, k.pa, k.practice, k.unit) for k in cells])
        self.document.follow_remote(kinds, touched)
        now = time.monotonic()
        rows = False
        for change in changes:
            if change.cell is not None:
                self._marked[change.cell] = (change.who, now)
            elif change.entity_id is not None:
                self._rows[(change.entity, change.entity_id)] = (change.who, now)
                rows = True
        if cells:
            self.marks.emit({key: who for key, (who, _at) in self._marked.items()})
        if rows:
            self.row_marks.emit({key: who for key, (who, _at) in self._rows.items()})
        last = changes[-1]
        more = f" (and {len(changes) - 1} more)" if len(changes) > 1 else ""
        self.arrived.emit(f"{last.who} at {last.at:%H:%M}: {last.detail}{more}")

    def _expire_marks(self) -> None:
        now = time.monotonic()
        kept = {k: v for k, v in self._marked.items() if now - v[1] < MARK_MS / 1000}
        if len(kept) != len(self._marked):
            self._marked = kept
            self.marks.emit({key: who for key, (who, _at) in kept.items()})
        rows = {k: v for k, v in self._rows.items() if now - v[1] < MARK_MS / 1000}
        if len(rows) != len(self._rows):
            self._rows = rows
            self.row_marks.emit({key: who for key, (who, _at) in rows.items()})

    def _lose(self, exc: BaseException) -> None:
        if self._follower is not None:
            self._follower.close()
            self._follower = None
        self._lost_at = time.monotonic()
        reason = "the connection to the team server was lost."
        self.document.set_offline(reason)
        self.connection.emit(f"{reason[0].upper()}{reason[1:]} Reconnecting… ({type(exc).__name__})")

    def _reconnect(self) -> None:
        if time.monotonic() - self._lost_at < RETRY_MS / 1000:
            return
        self._lost_at = time.monotonic()
        try:
            follower = live.follower(self.document.workspace)
        except Exception:
            return
        self._follower = follower
        self.document.set_offline(None)
        self.connection.emit(None)
        # Everything may have changed meanwhile: read it all again.
        self.document.follow_remote({Change.DATA})
