"""Issue 13, case 3: one lock, one writer. The lock is an OS lock on the appraisal file itself: it is never
split between a waiter on an old lock file and a newcomer on a new one, and a hard or symbolic link to the
file is the same file."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.services import appraisals
from app.storage.errors import FileLockedError
from app.storage.lock import FileLock

REPO = Path(__file__).resolve().parents[2]
PROCESSES = 4
ACQUISITIONS = 10_000

RACER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from app.storage.errors import FileLockedError
    from app.storage.lock import FileLock

    target, holder, wanted = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    got = doubles = 0
    while got < wanted:
        lock = FileLock(target)
        try:
            lock.acquire()
        except FileLockedError:
            continue
        got += 1
        try:
            # Whoever holds the lock creates the marker exclusively: failing means someone else holds it too.
            fd = os.open(holder, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            doubles += 1
        else:
            os.close(fd)
            os.unlink(holder)
        lock.release()
    print(got, doubles)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes and flock")
def test_racing_processes_never_hold_the_lock_together(appraisal_path: Path, tmp_path: Path) -> None:
    holder = tmp_path / "holder"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(appraisal_path), str(holder), str(ACQUISITIONS // PROCESSES)],
            cwd=REPO,
            env=dict(os.environ, PYTHONPATH=str(REPO)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    results = [racer.communicate(timeout=600) for racer in racers]
    assert all(racer.returncode == 0 for racer in racers), [err for _out, err in results]
    counts = [tuple(map(int, out.split())) for out, _err in results]
    assert sum(got for got, _ in counts) == ACQUISITIONS
    assert sum(doubles for _, doubles in counts) == 0
    assert not FileLock(appraisal_path).path.exists()  # the "who holds it" note goes with its holder


def test_a_hard_or_symbolic_link_meets_the_same_lock(appraisal_path: Path, tmp_path: Path) -> None:
    hard = tmp_path / "hard.appraisal"
    os.link(appraisal_path, hard)
    soft = tmp_path / "soft.appraisal"
    soft.symlink_to(appraisal_path)
    ws = appraisals.open_appraisal(appraisal_path)
    try:
        for other in (hard, soft):
            with pytest.raises(FileLockedError, match="already open"):
                appraisals.open_appraisal(other)
    finally:
        ws.close()
    appraisals.open_appraisal(hard).close()


def test_a_lock_held_while_its_note_is_deleted_is_still_held(appraisal_path: Path) -> None:
    first = FileLock(appraisal_path)
    first.acquire()
    try:
        first.path.unlink()  # what the old release did, racing with a waiter: the lock must not depend on it
        with pytest.raises(FileLockedError):
            FileLock(appraisal_path).acquire()
    finally:
        first.release()
    second = FileLock(appraisal_path)
    second.acquire()
    second.release()


def test_two_creators_of_one_new_file_never_both_succeed(tmp_path: Path) -> None:
    target = tmp_path / "new.appraisal"
    first = FileLock(target)
    first.acquire(create=True)
    try:
        with pytest.raises(Exception, match="already exists"):
            FileLock(target).acquire(create=True)
    finally:
        first.release()
