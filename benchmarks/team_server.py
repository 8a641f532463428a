"""The team server under a small team's load: N clients each making an edit per second on the demo appraisal.

    uv run python -m benchmarks.team_server --url postgresql+psycopg://ADMIN@HOST:PORT/postgres
    uv run python -m benchmarks.team_server --url ... --clients 5 --seconds 60 --cells 40

Creates a scratch database beside the one named (dropped afterwards), pushes the demo onto it, gives each client
its own lead login, and runs every client on a thread of its own, as a window would: between its edits it
follows the others' (LISTEN/NOTIFY, `app/services/live.py`) and re-reads what they changed. Each edit is made
on the client's own view of the cell (`expected`), so two clients editing one cell in the same second collide
and one is refused. Prints, and writes as JSON (`--out`):

- propagation: from the moment an edit's commit returned to its author until each other client has read it
  (median, p95, max), the figure the issue holds to 2 s;
- refused writes (stale views), and edits made;
- the single-user edit time beside it: one client alone on the server, and the same edit on the demo file.

A measurement, not a test: nothing fails (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from app.services import appraisals, characterize, demo, live, team_server
from app.services.catalogs import installed_catalog
from app.services.characterize import CellKey, CellState
from app.services.errors import StaleEditError
from app.services.grid import RowKind, grid_data
from app.services.workspace import Workspace
from app.storage.schema import ChangeLog

VALUES = ("FI", "LI", "PI", "NI")


@dataclass
class Shared:
    committed: dict[int, float] = field(default_factory=dict)
    """change log id -> when its author's commit returned (monotonic)."""
    received: list[tuple[int, float]] = field(default_factory=list)
    """(change log id, when another client had read it); matched with `committed` at the end."""
    refused: int = 0
    made: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _last_own_entry(ws: Workspace) -> int:
    with ws.uow() as uow:
        return int(uow.session.scalar(select(func.max(ChangeLog.id)).where(ChangeLog.who == ws.who)) or 0)


def _client(
    url: str, cells: list[CellKey], seconds: float, shared: Shared, seed: int, start: threading.Barrier
) -> None:
    rng = random.Random(seed)
    ws = appraisals.open_appraisal(url)
    follower = live.follower(ws)
    assert follower is not None
    view: dict[CellKey, CellState] = characterize.get_cells(ws, cells)
    start.wait()
    end = time.monotonic() + seconds
    next_edit = time.monotonic() + rng.random()
    try:
        while time.monotonic() < end:
            changes = follower.next(max(0.0, min(next_edit, end) - time.monotonic()))
            now = time.monotonic()
            if changes:
                with shared.lock:
                    shared.received.extend((c.id, now) for c in changes)
                changed = [c.cell for c in changes if c.cell is not None]
                view.update(characterize.get_cells(ws, changed))
            if now < next_edit:
                continue
            next_edit += 1.0
            key = rng.choice(cells)
            seen = view[key]
            after = replace(seen, value=rng.choice([v for v in VALUES if v != seen.value]))
            try:
                characterize.set_cell(ws, key, after, expected=seen)
            except StaleEditError:
                with shared.lock:
                    shared.refused += 1
                view[key] = characterize.get_cell(ws, key)
                continue
            done = time.monotonic()
            view[key] = after
            entry = _last_own_entry(ws)
            with shared.lock:
                shared.committed[entry] = done
                shared.made += 1
    finally:
        follower.close()
        ws.close()


def _edit_times(ws: Workspace, cells: list[CellKey], count: int) -> list[float]:
    times = []
    for i in range(count):
        key = cells[i % len(cells)]
        before = characterize.get_cell(ws, key)
        after = replace(before, value=VALUES[(VALUES.index(before.value) + 1) % 4 if before.value in VALUES else 0])
        t0 = time.perf_counter()
        characterize.set_cell(ws, key, after, expected=before)
        times.append(time.perf_counter() - t0)
    return times


def _ms(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="an account that may create databases and roles")
    parser.add_argument("--clients", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--cells", type=int, default=40, help="how many cells the clients share (fewer: more collisions)"
    )
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/team_server.json"))
    args = parser.parse_args()

    admin = create_engine(args.url, isolation_level="AUTOCOMMIT")
    name = f"bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(args.url).set(database=name)
    try:
        with tempfile.TemporaryDirectory() as folder:
            file = Path(folder) / "demo.appraisal"
            demo.create_demo(file, installed_catalog(), who="Lead").close()
            team_server.push(file, url.render_as_string(hide_password=False))
            logins = [f"{name}_c{i}" for i in range(args.clients)]
            for login in logins:
                team_server.add_user(url.render_as_string(hide_password=False), login, "lead", None, None)
            urls = [url.set(username=login).render_as_string(hide_password=False) for login in logins]

            probe = appraisals.open_appraisal(urls[0])
            data = grid_data(probe)
            every = [
                row.key(unit.name)
                for row in data.rows
                if row.kind is RowKind.PRACTICE
                for unit, cell in zip(data.units, row.cells, strict=False)
                if cell is not None
            ]
            cells = random.Random(7).sample(every, min(args.cells, len(every)))
            server_alone = _edit_times(probe, cells, 30)
            probe.close()
            local = appraisals.open_appraisal(file, who="Lead")
            file_alone = _edit_times(local, cells, 30)
            local.close()

            shared = Shared()
            start = threading.Barrier(args.clients)
            threads = [
                threading.Thread(target=_client, args=(u, cells, args.seconds, shared, i, start))
                for i, u in enumerate(urls)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            for (role,) in conn.execute(text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p"), {"p": f"{name}%"}):
                conn.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()

    latencies = [at - shared.committed[i] for i, at in shared.received if i in shared.committed]
    figures = {
        "clients": args.clients,
        "seconds": args.seconds,
        "shared_cells": len(cells),
        "edits_made": shared.made,
        "refused_writes": shared.refused,
        "propagations": len(latencies),
        "propagation_ms": {
            "median": round(1000 * statistics.median(latencies), 1) if latencies else None,
            "p95": _ms(latencies, 0.95),
            "max": _ms(latencies, 1.0),
        },
        "single_user_edit_ms": {
            "server_median": round(1000 * statistics.median(server_alone), 1),
            "file_median": round(1000 * statistics.median(file_alone), 1),
        },
    }
    print(json.dumps(figures, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
