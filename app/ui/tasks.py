"""Running slow work off the UI thread: `Task(fn).on_success(cb).on_failure(cb).start(runner)`.

Database work is serialized on one worker thread (SQLite has one writer anyway), and results come back to
the UI thread through a queued signal, so callbacks may touch widgets but `fn` never must.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

T = TypeVar("T")
ProgressFn = Callable[[int, int, str], None]


class _Relay(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)


def _collect_on_ui_thread() -> None:
    gc.enable()
    gc.collect()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[ProgressFn], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        # Python's garbage collector must not run on this thread: it could free Qt wrappers the UI thread is
        # still delivering events to (a crash seen under load). The UI thread collects when the task ends.
        gc.disable()
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
        _collect_on_ui_thread()
        for callback in self._on_success:
            callback(result)  # type: ignore[arg-type]

    def _failed(self, exc: object) -> None:
        _collect_on_ui_thread()
        assert isinstance(exc, BaseException)
        for callback in self._on_failure:
            callback(exc)


class TaskRunner(QObject):
    """Owns the worker thread; keeps running tasks alive until they report back."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._running: set[Task[Any]] = set()

    def start(self, task: Task[Any]) -> None:
        self._running.add(task)
        task.on_success(lambda _r: self._done(task)).on_failure(lambda _e: self._done(task))
        if len(self._running) == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Runnable(task.fn, task._relay))

    def _done(self, task: Task[Any]) -> None:
        self._running.discard(task)
        if not self._running:
            self.busy_changed.emit(False)

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)
