"""Running slow work off the UI thread: `Task(fn).on_success(cb).on_failure(cb).start(runner)`.

Database work is serialized on one worker thread (SQLite has one writer anyway), and results come back to
the UI thread through a queued signal, so callbacks may touch widgets but `fn` never must.

Python's garbage collector stays off while any task runs (`gc_pause`): a collection on the worker thread
could free Qt wrappers the UI thread is still delivering events to (a crash seen under load). The UI thread
collects when the last running task has reported back.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

T = TypeVar("T")
ProgressFn = Callable[[int, int, str], None]


class _Relay(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)


class GcPause:
    """Counts the tasks running in the process: the collector is off from the first start to the last end.

    Every runner shares one (the collector is process-wide), so two runners, or two tasks back to back, never
    switch it on under each other's feet. `release` collects once everything has stopped.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held = 0
        self._was_enabled = True

    @property
    def held(self) -> int:
        return self._held

    def hold(self) -> None:
        with self._lock:
            if self._held == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._held += 1

    def release(self) -> None:
        with self._lock:
            if self._held == 0:
                raise RuntimeError("GcPause.release() without a matching hold()")
            self._held -= 1
            if self._held or not self._was_enabled:
                return
            gc.enable()
        # The young objects only (all that was made while the collector was off): a full collection walks
        # every object of a large open appraisal, a stall of a few hundred milliseconds at size L; the older
        # generations are collected as usual when their turn comes.
        gc.collect(0)


gc_pause = GcPause()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[ProgressFn], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._fn(self._relay.progressed.emit)
        except BaseException as exc:
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


class Task(Generic[T]):
    """One piece of background work. `fn` receives a progress callback (done, total, label)."""

    def __init__(self, fn: Callable[[ProgressFn], T], *, label: str = "") -> None:
        self.fn = fn
        self.label = label
        self._relay = _Relay()
        self._on_success: list[Callable[[T], None]] = []
        self._on_failure: list[Callable[[BaseException], None]] = []
        self._on_end: list[Callable[[], None]] = []
        self._relay.succeeded.connect(self._succeeded)
        self._relay.failed.connect(self._failed)

    @property
    def progressed(self) -> Any:
        return self._relay.progressed

    def on_success(self, callback: Callable[[T], None]) -> Task[T]:
        self._on_success.append(callback)
        return self

    def on_failure(self, callback: Callable[[BaseException], None]) -> Task[T]:
        self._on_failure.append(callback)
        return self

    def _succeeded(self, result: object) -> None:
        try:
            for callback in self._on_success:
                callback(result)  # type: ignore[arg-type]
        finally:
            self._ended()

    def _failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        try:
            for callback in self._on_failure:
                callback(exc)
        finally:
            self._ended()

    def _ended(self) -> None:
        # After every callback, even one that raised: the runner's bookkeeping must not depend on them.
        ends, self._on_end = self._on_end, []
        for end in ends:
            end()


class TaskRunner(QObject):
    """Owns the worker thread; keeps running tasks alive until they report back.

    Signals:
        busy_changed(bool): the first task started, or the last one ended.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._running: set[Task[Any]] = set()

    def start(self, task: Task[Any]) -> None:
        if task in self._running:
            raise RuntimeError(f"{task.label or 'This task'} is already running")
        gc_pause.hold()
        self._running.add(task)
        task._on_end.append(lambda: self._done(task))
        if len(self._running) == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Runnable(task.fn, task._relay))

    def _done(self, task: Task[Any]) -> None:
        self._running.discard(task)
        try:
            if not self._running:
                self.busy_changed.emit(False)
        finally:
            gc_pause.release()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)
