"""Issue 13, cases 2 and 6: reading never writes. `check`, `info`, `ratings` and the exports open the file
read-only: they never delete a `-wal`/`-shm` that another Appraisal Desk uses, never migrate, and work on a
file open in the window. `upgrade` migrates, after a backup, and says so."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from app.services import appraisals, characterize
from app.services.characterize import CellKey, CellState
from app.storage import file_inspection, migrate
from app.storage.appraisal_file import NeedsUpgradeError
from tests.e2e.conftest import Result
from tests.reliability.support import digest
from tests.reliability.test_crash_recovery import EDITOR, _verify

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "schema"
CELL = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")
CLI = Callable[..., Result]
LOOP_SECONDS = 60


def _sidecars(path: Path) -> set[str]:
    return {suffix for suffix in ("-wal", "-shm") if Path(str(path) + suffix).exists()}


def test_a_check_never_deletes_the_log_of_a_window_that_opened_meanwhile(appraisal_path: Path) -> None:
    assert _sidecars(appraisal_path) == set()
    with file_inspection.reading(appraisal_path) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
        # The window opens the file while the check is still reading, and saves an edit into its new log.
        ws = appraisals.open_appraisal(appraisal_path, who="window")
        characterize.set_cell(ws, CELL, CellState("FI", notes="saved during the check"))
    assert _sidecars(appraisal_path) == {"-wal", "-shm"}  # still the window's
    characterize.set_cell(ws, CELL, CellState("LI", notes="saved after the check"))
    ws.close()
    reopened = appraisals.open_appraisal(appraisal_path)
    try:
        assert characterize.get_cell(reopened, CELL).notes == "saved after the check"
    finally:
        reopened.close()
    assert appraisals.check_file(appraisal_path).problems == []


def test_a_reader_leaves_no_trace_on_a_file_nobody_holds(appraisal_path: Path) -> None:
    before = digest(appraisal_path)
    appraisals.check_file(appraisal_path)
    ws = appraisals.open_appraisal(appraisal_path, read_only=True)
    ws.close()
    assert _sidecars(appraisal_path) == set() and digest(appraisal_path) == before


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_check_in_a_loop_while_another_process_edits_loses_no_acknowledged_edit(appraisal_path: Path) -> None:
    editor = subprocess.Popen(
        [sys.executable, str(EDITOR), str(appraisal_path), "--reopen-every", "7"],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    checks = 0
    try:
        assert editor.stdout is not None
        assert editor.stdout.readline().startswith("ready")
        deadline = time.monotonic() + LOOP_SECONDS
        while time.monotonic() < deadline:
            assert appraisals.check_file(appraisal_path).problems == []
            checks += 1
        editor.send_signal(signal.SIGKILL)
        out, err = editor.communicate(timeout=60)
    finally:
        if editor.poll() is None:
            editor.kill()
            editor.wait()
    acks = [line.strip() for line in out.splitlines() if line.startswith("ack")]
    assert editor.returncode == -signal.SIGKILL, err
    assert checks >= 5 and len(acks) >= 20, (checks, len(acks))
    _verify(appraisal_path, acks)


def test_reading_commands_work_on_a_file_open_in_the_window(cli: CLI, appraisal_path: Path, tmp_path: Path) -> None:
    ws = appraisals.open_appraisal(appraisal_path, who="window")
    try:
        characterize.set_cell(ws, CELL, CellState("FI", notes="unsaved? no: saved at once"))
        info = cli("info", appraisal_path, "--json")
        assert info.code == 0, info.err
        assert cli("ratings", appraisal_path, "--json").code == 0
        exported = cli("export", "xlsx", appraisal_path, "-o", tmp_path / "w.xlsx")
        assert exported.code == 0, exported.err
        assert cli("check", appraisal_path).code == 0
        # The window goes on saving into the same log.
        characterize.set_cell(ws, CELL, CellState("LI", notes="after the readers"))
    finally:
        ws.close()
    reopened = appraisals.open_appraisal(appraisal_path)
    try:
        assert characterize.get_cell(reopened, CELL).notes == "after the readers"
    finally:
        reopened.close()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores file permissions")
def test_reading_commands_work_on_a_read_only_file(cli: CLI, appraisal_path: Path) -> None:
    appraisal_path.chmod(0o444)
    try:
        assert cli("info", appraisal_path).code == 0
        assert cli("ratings", appraisal_path).code == 0
        assert cli("check", appraisal_path).code == 0
    finally:
        appraisal_path.chmod(0o644)


def _older(tmp_path: Path) -> Path | None:
    head = migrate.head_revision()
    older = [p for p in sorted(FIXTURES.glob("*.appraisal")) if p.stem != head]
    if not older:
        return None
    copy = tmp_path / "old.appraisal"
    shutil.copyfile(older[-1], copy)
    return copy


def test_info_never_upgrades_an_older_file_and_upgrade_does(cli: CLI, tmp_path: Path) -> None:
    old = _older(tmp_path)
    assert old is not None, "there is an earlier schema fixture"
    before = digest(old)
    with closing(sqlite3.connect(f"{old.as_uri()}?immutable=1", uri=True)) as conn:
        old_revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    for command in (("info", old), ("ratings", old), ("export", "pdf", old, "-o", tmp_path / "s.pdf")):
        shown = cli(*command)
        assert shown.code == 1 and "upgrade" in shown.err and "Nothing was changed" in shown.err, shown.err
    assert digest(old) == before and sorted(p.name for p in tmp_path.iterdir()) == ["old.appraisal"]
    with pytest.raises(NeedsUpgradeError):
        appraisals.open_appraisal(old, read_only=True)
    checked = cli("check", old)
    assert checked.code == 0 and "upgrade" in checked.out
    upgraded = cli("upgrade", old)
    assert upgraded.code == 0 and f"to {migrate.head_revision()}" in upgraded.out and ".bak" in upgraded.out
    backups = list(tmp_path.glob("old.before-*.bak"))
    assert len(backups) == 1
    with closing(sqlite3.connect(backups[0])) as conn:  # the file as it was, schema and all
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (old_revision,)
    assert cli("info", old).code == 0
    again = cli("upgrade", old)
    assert again.code == 0 and "nothing to upgrade" in again.out
