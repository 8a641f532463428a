"""Issue 13, case 9: SIGTERM to the window folds the log and releases the lock: no `-wal`, `-shm` or `.lock`
is left beside the file, and every edit is in it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.services import appraisals

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is a POSIX signal")
def test_sigterm_to_the_window_leaves_nothing_beside_the_file(appraisal_path: Path, _private_home: Path) -> None:
    beside = [Path(str(appraisal_path) + suffix) for suffix in ("-wal", "-shm", ".lock")]
    window = subprocess.Popen(
        [sys.executable, "-m", "app", str(appraisal_path)],
        cwd=REPO,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen", APPRAISAL_DESK_HOME=str(_private_home)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while not all(p.exists() for p in beside) and time.monotonic() < deadline:
            assert window.poll() is None, window.communicate()
            time.sleep(0.2)
        assert all(p.exists() for p in beside), "the window did not open the file"
        time.sleep(2)  # let it finish opening (the first rating, the backup on open)
        window.send_signal(signal.SIGTERM)
        _out, err = window.communicate(timeout=120)
    finally:
        if window.poll() is None:
            window.kill()
            window.wait()
    assert window.returncode == 0, err
    assert [p.name for p in beside if p.exists()] == []
    appraisals.open_appraisal(appraisal_path).close()
