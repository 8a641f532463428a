"""Background work: results and progress come back on the UI thread, and the garbage collector stays off
exactly while any task runs, however tasks and runners overlap."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator

import pytest

from app.ui.shell.tasks import GcPause, ProgressFn, Task, TaskRunner, gc_pause


@pytest.fixture
def runner(qapp: object) -> Iterator[TaskRunner]:
    made = TaskRunner()
    yield made
    made.wait()


def sampling(seconds: float, samples: list[bool]) -> Task[None]:
    def work(_progress: ProgressFn) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            samples.append(gc.isenabled())
            time.sleep(0.005)

    return Task(work, label="sampling")


def test_two_tasks_back_to_back_keep_the_collector_off_until_the_second_ends(qtbot, runner: TaskRunner) -> None:
    first_done: list[None] = []
    second_samples: list[bool] = []
    runner.start(Task(lambda _p: None, label="quick").on_success(first_done.append))
    runner.start(sampling(0.4, second_samples).on_success(lambda _r: second_samples.append(gc.isenabled())))

    qtbot.waitUntil(lambda: bool(first_done), timeout=5000)  # the first callback ran while the second works
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)

    *during, at_callback = second_samples
    assert len(during) > 10
    assert not any(during), f"collector on in {sum(during)} of {len(during)} samples during the second task"
    assert not at_callback, "the collector is back on only after the last callback"
    assert gc.isenabled()
    assert gc_pause.held == 0


def test_two_runners_share_one_pause(qtbot, runner: TaskRunner) -> None:
    other = TaskRunner()
    samples: list[bool] = []
    other.start(Task(lambda _p: None))
    runner.start(sampling(0.3, samples))
    qtbot.waitUntil(lambda: not other.busy and not runner.busy, timeout=5000)
    assert samples and not any(samples)
    assert gc.isenabled()


def test_a_failing_task_reports_on_the_ui_thread_and_lets_the_collector_run_again(qtbot, runner: TaskRunner) -> None:
    ui = threading.get_ident()
    seen: list[tuple[str, bool]] = []

    def fail(_progress: ProgressFn) -> None:
        raise ValueError("the disk is full")

    task: Task[None] = Task(fail)
    task.on_failure(lambda exc: seen.append((str(exc), threading.get_ident() == ui)))
    runner.start(task)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [("the disk is full", True)]
    assert gc.isenabled() and not runner.busy


def test_work_runs_off_the_ui_thread_and_progress_and_result_arrive_on_it(qtbot, runner: TaskRunner) -> None:
    ui = threading.get_ident()
    progress: list[tuple[int, int, str, bool]] = []
    results: list[tuple[int, bool]] = []

    def work(report: ProgressFn) -> int:
        for n in range(3):
            report(n + 1, 3, f"step {n + 1}")
        return threading.get_ident()

    task = Task(work)
    task.progressed.connect(lambda d, t, label: progress.append((d, t, label, threading.get_ident() == ui)))
    task.on_success(lambda worker: results.append((worker, threading.get_ident() == ui)))
    runner.start(task)
    qtbot.waitUntil(lambda: bool(results), timeout=5000)

    [(worker, on_ui)] = results
    assert worker != ui and on_ui
    assert progress == [(1, 3, "step 1", True), (2, 3, "step 2", True), (3, 3, "step 3", True)]


def test_busy_changes_once_for_overlapping_tasks(qtbot, runner: TaskRunner) -> None:
    busy: list[bool] = []
    runner.busy_changed.connect(busy.append)
    runner.start(sampling(0.1, []))
    runner.start(sampling(0.1, []))
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert busy == [True, False]


def test_a_callback_that_raises_still_ends_the_task(qtbot, runner: TaskRunner) -> None:
    def boom(_result: object) -> None:
        raise RuntimeError("callback bug")

    with qtbot.captureExceptions() as raised:
        runner.start(Task(lambda _p: 1).on_success(boom))
        qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert [str(e[1]) for e in raised] == ["callback bug"]
    assert gc.isenabled() and gc_pause.held == 0


def test_a_task_cannot_be_started_twice_while_it_runs(qtbot, runner: TaskRunner) -> None:
    task = sampling(0.1, [])
    runner.start(task)
    with pytest.raises(RuntimeError, match="already running"):
        runner.start(task)
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert gc_pause.held == 0


def test_the_pause_restores_a_collector_that_was_off_before_as_off() -> None:
    pause = GcPause()
    gc.disable()
    try:
        pause.hold()
        pause.release()
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(RuntimeError):
        pause.release()
