"""A process killed (SIGKILL) in the middle of a burst of edits loses nothing it acknowledged.

The editor subprocess commits edits through the services and prints an acknowledgement after each commit
returns, as the window shows "All changes saved"; it is killed at a different moment in each round, often in
the middle of a transaction (some of them stream a 2 MB attachment into the file).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.domain.catalog import Catalog
from app.services import appraisals, characterize
from app.services import evidence as ev
from app.services.characterize import CellKey
from app.storage.instantiation_repo import instantiations
from app.storage.lock import FileLock
from tests.reliability.support import PASSPHRASE, PLAN, needs_sqlcipher

REPO = Path(__file__).resolve().parents[2]
EDITOR = Path(__file__).with_name("editor_process.py")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a POSIX signal")


def _kill_mid_burst(path: Path, acks_before_kill: int, passphrase: str | None = None) -> list[str]:
    """Run the editor until it acknowledged `acks_before_kill` edits, SIGKILL it, and return every ack it printed."""
    args = [sys.executable, str(EDITOR), str(path)] + ([passphrase] if passphrase else [])
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    acks: list[str] = []
    try:
        assert proc.stdout is not None
        ready = proc.stdout.readline()
        assert ready.startswith("ready"), proc.stderr.read() if proc.stderr else ready
        while len(acks) < acks_before_kill:
            line = proc.stdout.readline()
            assert line, f"the editor stopped by itself: {proc.stderr.read() if proc.stderr else ''}"
            acks.append(line.strip())
        proc.send_signal(signal.SIGKILL)
        rest, _err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    # Whatever the editor printed before it died was acknowledged after its commit returned: it counts too.
    acks.extend(line.strip() for line in rest.splitlines() if line.startswith("ack"))
    return acks


def _verify(path: Path, acks: list[str], passphrase: str | None = None) -> None:
    report = appraisals.check_file(path, passphrase=passphrase)
    assert report.problems == []
    ws = appraisals.open_appraisal(path, passphrase=passphrase)
    try:
        with ws.uow() as uow:
            cells = [
                CellKey(c.model, c.pa, c.goal, c.practice, c.unit) for c in instantiations(uow.session, ws.catalog())
            ]
        last_ack: dict[int, int] = {}
        artifacts: dict[int, int] = {}
        for ack in acks:
            _, kind, count, detail = ack.split()
            if kind == "cell":
                last_ack[int(detail)] = int(count)
            else:
                artifacts[int(detail)] = int(count)
        assert last_ack, "the burst acknowledged no cell edit before the kill"
        for index, n in last_ack.items():
            notes = characterize.get_cell(ws, cells[index]).notes
            # The cell holds its last acknowledged edit, or a later one that committed just before the kill.
            stored = int(notes.removeprefix("edit "))
            assert stored >= n and stored % len(cells) == index, (index, n, notes)
        for artifact_id, n in artifacts.items():
            assert ev.read_revision(ws, artifact_id) == n.to_bytes(4, "big") * (512 * 1024)
    finally:
        ws.close()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sigkill_mid_burst_keeps_every_acknowledged_edit(tmp_path: Path, catalog: Catalog, seed: int) -> None:
    path = tmp_path / "burst.appraisal"
    appraisals.create_appraisal(path, PLAN, catalog, who="tester").close()
    acks = _kill_mid_burst(path, random.Random(seed).randint(12, 60))
    _verify(path, acks)
    # The killed process's lock died with it: the file opens for editing again at once.
    lock = FileLock(path)
    lock.acquire()
    lock.release()


@needs_sqlcipher
def test_sigkill_mid_burst_on_an_encrypted_file(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "secret.appraisal"
    appraisals.create_appraisal(path, PLAN, catalog, who="tester", passphrase=PASSPHRASE).close()
    acks = _kill_mid_burst(path, 25, PASSPHRASE)
    _verify(path, acks, PASSPHRASE)
