"""The open appraisal inside the window: its workspace, undo stack and change notifications.

Pages never open sessions: they call services with `document.workspace`, push undo commands through
`document.push()`, and refresh on `changed` for the parts they show.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.domain.rating.facts import GoalKey, InstantiationKey, PracticeKey
from app.services.characterize import prepare_edits
from app.services.errors import KnownError
from app.services.workspace import Workspace
from app.ui.shell.tasks import ProgressFn, Task, TaskRunner

if TYPE_CHECKING:
    from app.domain.rating.results import RatingResult
    from app.services.ratings import LiveRatings

log = logging.getLogger(__name__)

T = TypeVar("T")


class Change(StrEnum):
    """What an edit touched, for the pages to refresh what they show (`Document.changed`).

    A misspelt kind is an error at once (`Document.notify` takes only these), never a refresh silently skipped.
    """

    PLAN = "plan"
    EVIDENCE = "evidence"
    INTERVIEWS = "interviews"
    CHARACTERIZATION = "characterization"
    JUDGMENT = "judgment"
    FINDINGS = "findings"
    RATINGS = "ratings"
    MODELS = "models"
    REPORTS = "reports"
    """The report templates kept with the appraisal (no page shows them; the Report templates dialog does)."""
    DATA = "data"
    """Anything in the appraisal (an import, a restore): every page reloads."""


# Kinds of change that can alter a rating; anything else (layout, settings) leaves the ratings alone.
RATING_INPUTS = frozenset(
    {
        Change.PLAN,
        Change.EVIDENCE,
        Change.INTERVIEWS,
        Change.CHARACTERIZATION,
        Change.JUDGMENT,
        Change.FINDINGS,
        Change.DATA,
    }
)
# Kinds whose exact cells, judgments or goals an edit names, so the ratings follow them incrementally.
INCREMENTAL = frozenset({Change.CHARACTERIZATION, Change.JUDGMENT, Change.EVIDENCE})


@dataclass(frozen=True, slots=True)
class Touched:
    """Exactly which rating inputs an edit changed, so the ratings follow it without a full recompute."""

    cells: tuple[InstantiationKey, ...] = ()
    practices: tuple[PracticeKey, ...] = ()
    goals: tuple[GoalKey, ...] = ()

    @classmethod
    def of(
        cls,
        cells: Iterable[InstantiationKey] = (),
        practices: Iterable[PracticeKey] = (),
        goals: Iterable[GoalKey] = (),
    ) -> Touched:
        return cls(tuple(cells), tuple(practices), tuple(goals))


def _live_ratings(workspace: Workspace) -> LiveRatings:
    # The engine is imported with the first rating, on the worker after the first page shows, not at start.
    from app.services.ratings import LiveRatings

    return LiveRatings(workspace)


def _rate(workspace: Workspace) -> LiveRatings:
    """The full rating, on the worker; then, while the worker is at it, the ids the first edit looks up."""
    live = _live_ratings(workspace)
    with suppress(Exception):  # only a head start: the first edit reads them itself, and says what fails
        prepare_edits(workspace)
    return live


def _as_refusal(exc: BaseException) -> BaseException:
    """What a failed full rating tells the pages. The rules' refusals (`KnownError`, `ValueError`) say it
    already; a read that failed (the team server's connection lost, a disk error) becomes a refusal in plain
    words, so every page shows "cannot be computed" instead of an error escaping its slot; the ratings are
    computed again with the next change (a reconnection reads everything again)."""
    if isinstance(exc, (KnownError, ValueError)):
        return exc
    log.warning("The full rating failed", exc_info=exc)
    cause = getattr(exc, "orig", None) or exc
    reason = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
    return KnownError(f"The appraisal could not be read to rate it ({reason}). It is rated again when it can be.")


class Document(QObject):
    """Signals:
    changed(set[Change]): what kinds of data an edit touched.
    saved(): an edit was committed to the file.
    failed(BaseException): an undo or redo step could not be applied; the file is unchanged by it.
    history_trimmed(str): after such a failure, what became of the undo history, in plain words.
    """

    changed = Signal(object)
    saved = Signal()
    failed = Signal(object)
    history_trimmed = Signal(str)
    ratings_ready = Signal()
    """A full rating computed on the worker thread arrived (or failed): `ratings_if_ready` now answers."""

    def __init__(self, workspace: Workspace, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.undo_stack = QUndoStack(self)
        self._live: LiveRatings | None = None
        self._ratings_stale = False
        self._clear_history = False
        # A full rating running on the worker thread, and what changed while it ran (replayed when it lands).
        self._rating: Task[LiveRatings] | None = None
        self._missed: list[Touched] = []
        self._rerate = False
        self._rating_error: BaseException | None = None
        self._closed = False
        self._offline: str | None = None
        self.first_read: object = None
        """What the first page read as the file opened (MainWindow.open_path), for that page to take once."""

    def take_first_read(self) -> object:
        """What the first page read as the file opened, once; None after (or when nothing was read)."""
        data, self.first_read = self.first_read, None
        return data

    def notify(self, *kinds: Change, touched: Touched | None = None) -> None:
        """Tell the pages what an edit changed; `touched` names the exact cells for an incremental re-rate."""
        changes = {Change(kind) for kind in kinds}  # a string that is no Change raises here, not downstream
        self._follow_ratings(changes, touched)
        self.changed.emit(changes)
        self.saved.emit()

    def ratings(self) -> RatingResult:
        """The current ratings of the whole appraisal (computed on first use, then kept current)."""
        if self._live is None:
            self._live = _live_ratings(self.workspace)
        elif self._ratings_stale:
            self._live.reload()
        self._ratings_stale = False
        return self._live.result

    @property
    def rating_in_progress(self) -> bool:
        """A full rating is running on the worker thread (the pages show "rating…")."""
        return self._rating is not None

    def ratings_if_ready(self, *, start: bool = True) -> RatingResult | None:
        """The current ratings without waiting: None while a full rating runs on the worker thread (started
        here if needed, unless `start` is False); `ratings_ready` follows. Raises what the rating raised (data
        the rules cannot rate)."""
        if self._live is not None and not self._ratings_stale:
            return self._live.result
        if self._rating_error is not None:
            raise self._rating_error
        if start:
            self._rate_in_background()
        return None

    def _rate_in_background(self) -> None:
        if self._rating is not None or self._closed:
            return
        self._missed.clear()
        self._rerate = False
        workspace = self.workspace
        task: Task[LiveRatings] = Task(lambda _progress: _rate(workspace), label="Rating")
        task.on_success(self._rated).on_failure(self._rating_failed)
        self._rating = task
        self.runner.start(task)

    def _rated(self, live: LiveRatings) -> None:
        self._rating = None
        if self._closed:
            return
        if self._rerate:
            self._rate_in_background()  # the plan or the findings changed while it ran: rate them afresh
            return
        if self._live is None or self._ratings_stale:
            self._live, self._ratings_stale = live, False
            # The rating and the grid live as long as the document: the collector need not walk them again
            # and again while the team types (a full collection of them stalls the window at size L).
            gc.freeze()
            missed, self._missed = self._missed, []
            for touched in missed:
                self._follow_ratings(set(INCREMENTAL), touched)
        self.ratings_ready.emit()

    def _rating_failed(self, exc: BaseException) -> None:
        self._rating = None
        if self._closed:
            return
        if self._rerate:
            self._rate_in_background()
            return
        self._rating_error = _as_refusal(exc)
        self.ratings_ready.emit()

    def _follow_ratings(self, kinds: set[Change], touched: Touched | None) -> None:
        if not kinds & RATING_INPUTS:
            return
        self._rating_error = None
        incremental = touched is not None and kinds <= INCREMENTAL
        if self._live is None or self._ratings_stale:
            if self._rating is not None:
                # The rating on the worker may have read the file before this edit: catch it up on arrival.
                if touched is not None and incremental:
                    self._missed.append(touched)
                else:
                    self._rerate = True
            return
        if touched is None or not incremental:
            self._ratings_stale = True
            return
        try:
            self._live.cells_changed(touched.cells)
            for practice in touched.practices:
                self._live.ou_changed(practice)
            for goal in touched.goals:
                self._live.goal_changed(goal)
        except Exception:
            # An incremental step that cannot apply (a cell no longer rated) falls back to a full re-rate.
            self._ratings_stale = True

    def follow_remote(self, kinds: set[Change], touched: Touched | None = None) -> None:
        """Other people's edits on a team server arrived (app/ui/shell/live_follow.py): the pages and ratings follow
        them as they follow one's own, but nothing of this window was saved, so `saved` stays silent."""
        changes = {Change(kind) for kind in kinds}
        self._follow_ratings(changes, touched)
        self.changed.emit(changes)

    def set_offline(self, reason: str | None) -> None:
        """The server cannot be reached (`reason`), or can again (None): edits are refused meanwhile."""
        self._offline = reason

    def execute(self, command: QUndoCommand) -> None:
        """Apply an edit now (committed at once) and record it for undo.

        A command with `apply_now` is applied before it is recorded: if the service refuses the edit, the
        exception reaches the caller and nothing lands on the undo stack. While the team server cannot be
        reached nothing is tried: the edit is refused as not saved.
        """
        if self._offline is not None:
            raise KnownError(f"Not saved: {self._offline} The appraisal is read-only until the connection is back.")
        apply_now = getattr(command, "apply_now", None)
        if callable(apply_now):
            apply_now()
        self.undo_stack.push(command)

    def undo(self) -> None:
        """Undo the last edit (the Edit menu's action)."""
        self._step(self.undo_stack.undo)

    def redo(self) -> None:
        """Redo the next edit (the Edit menu's action)."""
        self._step(self.undo_stack.redo)

    def _step(self, step: Callable[[], None]) -> None:
        step()
        if self._clear_history:
            # Only now, outside QUndoStack.redo(): the stack cannot be cleared from inside one of its commands.
            self._clear_history = False
            self.undo_stack.clear()

    def attempt(self, command: QUndoCommand, fn: Callable[[], object], *, undoing: bool) -> bool:
        """Run one undo/redo step of `command`; False when it failed (its transaction rolled back).

        The undo history must never drift from the file. An edit that cannot be undone is still in the file,
        so it leaves the history (obsolete: Qt drops it) and the edits after it stay redoable. An edit that
        cannot be redone is not in the file, so nothing after it can be redone either: the rest of the history
        goes too (every later command obsolete, and the whole stack cleared once the step returns).
        """
        try:
            fn()
        except Exception as exc:
            command.setObsolete(True)
            if undoing:
                note = f"“{command.text()}” could not be undone and stays in the file; it left the undo history."
            else:
                for index in range(self.undo_stack.index(), self.undo_stack.count()):
                    later = self.undo_stack.command(index)
                    if later is not None:
                        later.setObsolete(True)
                self._clear_history = True
                note = f"“{command.text()}” could not be redone; the file is as it was; the undo history was cleared."
            self.failed.emit(exc)
            self.history_trimmed.emit(note)
            return False
        return True

    def run(self, fn: Callable[[Workspace, ProgressFn], T], *, label: str = "") -> Task[T]:
        """Run `fn(workspace, progress)` on the worker thread; chain .on_success/.on_failure then it starts."""
        workspace = self.workspace
        task: Task[T] = Task(lambda progress: fn(workspace, progress), label=label)
        return task

    def start(self, task: Task[Any]) -> None:
        self.runner.start(task)

    def close(self) -> None:
        self._closed = True
        gc.unfreeze()
        self.runner.wait()
        self.undo_stack.clear()
        try:
            from app.services.artifact_files import purge_unused_blobs  # loaded at the first close only

            # Undo may need a deleted attachment's bytes until the stack is gone; now they can go.
            purge_unused_blobs(self.workspace)
        except Exception:
            pass  # a read-only or vanished file keeps its unused bytes; closing must still succeed
        finally:
            self.workspace.close()
