"""Live: each of two clients on a real PostgreSQL server sees the other's edit within 2 seconds."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from app.domain.catalog import Catalog
from app.services import appraisals, characterize, live, team_server
from app.services.characterize import CellKey
from app.services.live import RemoteChange
from tests.reliability.support import PLAN
from tests.storage.conftest import BASE_URL, NO_SERVER, as_login

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not BASE_URL, reason=NO_SERVER)]

CELLS = (CellKey("SM", "SM", "ESG1", "ESP1.1", "Quotes"), CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims"))


def test_each_client_sees_the_others_edit_within_two_seconds(server_db: str, demo_file: Path) -> None:
    team_server.push(demo_file, server_db)
    db = server_db.rsplit("/", 1)[1]
    urls = []
    for name in ("ann", "ben"):
        team_server.add_user(server_db, f"{db}_{name}", "lead", None, None)
        urls.append(as_login(server_db, f"{db}_{name}"))
    spaces = [appraisals.open_appraisal(url) for url in urls]
    followers = [live.follower(ws) for ws in spaces]
    assert all(f is not None and f.listening for f in followers)
    heard: dict[int, tuple[float, list[RemoteChange]]] = {}
    ready = threading.Barrier(5)  # two followers, two editors, and the clock

    def follow(index: int) -> None:
        follower = followers[index]
        assert follower is not None
        ready.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            changes = follower.next(0.5)
            if changes:
                heard[index] = (time.monotonic(), changes)
                return

    def edit(index: int) -> None:
        # both clients edit at the same moment, each on a thread of its own
        ws, key = spaces[index], CELLS[index]
        before = characterize.get_cell(ws, key)
        ready.wait()
        characterize.set_cell(ws, key, replace(before, value="NI"), expected=before)

    threads = [threading.Thread(target=follow, args=(i,)) for i in (0, 1)]
    threads += [threading.Thread(target=edit, args=(i,)) for i in (0, 1)]
    try:
        for t in threads:
            t.start()
        ready.wait()
        sent = time.monotonic()
        for t in threads:
            t.join(10)
        for index, other in ((0, 1), (1, 0)):
            at, changes = heard[index]
            assert at - sent < 2.0
            assert [(c.who, c.cell) for c in changes] == [(spaces[other].who, CELLS[other])]
    finally:
        for f in followers:
            if f is not None:
                f.close()
        for ws in spaces:
            ws.close()


def test_a_file_has_no_follower(demo_file: Path) -> None:
    ws = appraisals.open_appraisal(demo_file, read_only=True)
    try:
        assert live.follower(ws) is None
    finally:
        ws.close()


def test_a_server_never_initialised_for_a_team_is_polled_and_still_live(server_db: str, catalog: Catalog) -> None:
    """`new URL` without `server init`: no announcements, so the follower polls; edits still arrive within 2 s."""
    appraisals.create_appraisal(server_db, PLAN, catalog).close()
    watcher, editor = appraisals.open_appraisal(server_db), appraisals.open_appraisal(server_db)
    follower = live.follower(watcher)
    assert follower is not None and not follower.listening
    try:
        watcher.uow_factory.who = "someone else"  # one login for both here: tell the two apart
        key = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")
        before = characterize.get_cell(editor, key)
        characterize.set_cell(editor, key, replace(before, value="LI"), expected=before)
        sent = time.monotonic()
        heard: list[RemoteChange] = []
        while not heard and time.monotonic() - sent < 3:
            heard = follower.next(0.25)
        assert heard and time.monotonic() - sent < 2.0
        assert heard[0].cell == key
    finally:
        follower.close()
        watcher.close()
        editor.close()
