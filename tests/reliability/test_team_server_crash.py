"""Kill the team server mid-edit (as a power cut would) and start it again: no acknowledged edit is lost.

Runs its own throwaway PostgreSQL cluster (the server binaries of the machine, scripts/pg_throwaway.sh), since
it kills it; skips with a reason where PostgreSQL is not installed.
"""

from __future__ import annotations

import glob
import os
import random
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from app.domain.catalog import Catalog
from app.services import appraisals, characterize
from app.services.characterize import CellKey
from app.services.errors import KnownError
from app.services.grid import RowKind, grid_data
from app.services.workspace import Workspace
from tests.reliability.support import PLAN

REPO = Path(__file__).resolve().parents[2]
BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
pytestmark = pytest.mark.skipif(not BIN, reason="PostgreSQL server binaries are not installed (apt: postgresql)")


class Cluster:
    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.url = f"postgresql+psycopg://app@127.0.0.1:{port}/appdb"

    def _pg_ctl(self, *args: str) -> None:
        command = [f"{BIN[-1]}/pg_ctl", "-D", str(self.folder / "data"), *args]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def kill(self) -> None:
        self._pg_ctl("-m", "immediate", "stop")  # no shutdown checkpoint: recovery from the WAL on start

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder}"
        self._pg_ctl("-o", options, "-l", str(self.folder / "log"), "-w", "start")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    # Not under pytest's tmp folder: as root, the cluster runs as `postgres`, which may not enter that folder.
    folder = Path(tempfile.mkdtemp(prefix="appraisal-pg-"))
    folder.chmod(0o755)
    port = 56000 + random.randrange(1000)
    script = REPO / "scripts" / "pg_throwaway.sh"
    started = subprocess.run(
        [str(script), "start", str(folder), str(port)], capture_output=True, text=True, timeout=120
    )
    if started.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"could not start a throwaway PostgreSQL: {started.stderr.strip()[-300:]}")
    yield Cluster(folder, port)
    subprocess.run([str(script), "stop", str(folder)], capture_output=True, timeout=60)
    shutil.rmtree(folder, ignore_errors=True)


def test_killing_the_server_mid_edit_loses_no_acknowledged_edit(cluster: Cluster, catalog: Catalog) -> None:
    appraisals.create_appraisal(cluster.url, PLAN, catalog).close()
    ws = appraisals.open_appraisal(cluster.url)
    keys = cell_keys(ws)[:10]
    acknowledged: dict[CellKey, int] = {}
    unacknowledged: dict[CellKey, set[int]] = {key: set() for key in keys}
    stop = threading.Event()

    def edit() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            key = keys[n % len(keys)]
            try:
                before = characterize.get_cell(ws, key)
                characterize.set_cell(ws, key, replace(before, notes=f"edit {n}"), expected=before)
            except KnownError:
                unacknowledged[key].add(n)  # the window says "not saved"; it may or may not have landed
                time.sleep(0.05)
                continue
            acknowledged[key] = n

    worker = threading.Thread(target=edit)
    worker.start()
    try:
        time.sleep(1.0)
        cluster.kill()
        time.sleep(0.5)
        cluster.start()
        time.sleep(1.5)
    finally:
        stop.set()
        worker.join(30)
    assert acknowledged and any(unacknowledged.values()), "the edits must straddle the crash"
    stored = characterize.get_cells(ws, keys)
    ws.close()
    for key, last in acknowledged.items():
        number = int(stored[key].notes.removeprefix("edit "))
        # The last acknowledged edit, or one made after it whose answer the crash swallowed: never an older one.
        assert number == last or (number > last and number in unacknowledged[key]), (key, number, last)


def cell_keys(ws: Workspace) -> list[CellKey]:
    data = grid_data(ws)
    return [
        row.key(unit.name)
        for row in data.rows
        if row.kind is RowKind.PRACTICE
        for unit, cell in zip(data.units, row.cells, strict=False)
        if cell is not None
    ]
