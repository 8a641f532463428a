"""How the benchmarks measure: the registry of measurement functions, each beside its floor, and the helpers they
share. The measurements themselves are in `measures.py` (the store) and `measures_process.py` (fresh processes,
exports, the command line, the UI thread).

A measurement gets a `Probe` (the open appraisal of one size, a sample cell, a scratch folder) and returns a
`Figure`: the median of several runs, and the floor, the same work done with the plainest tool (sqlite3 on
the same rows, bare openpyxl, bare reportlab, a bare Qt window), measured in the same run on the same
machine. The floor says how much of a figure is the app's own overhead. A measurement whose feature is not
built yet raises `Unavailable` and is reported as skipped.

Measurements marked `own_process` run alone in a fresh interpreter (peak memory, process start), the others
share one interpreter per size. Add a measurement by decorating a function with `@measure(...)`.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.domain.rating.facts import InstantiationKey
from app.services import characterize
from app.services.characterize import CellKey, CellState
from app.services.workspace import Workspace
from app.storage.instantiation_repo import instantiations
from app.storage.schema import Characterization

REPO = Path(__file__).resolve().parents[1]


class Unavailable(Exception):
    """The feature this measurement needs is not in the code base yet."""


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str = "ms"
    floor: float | None = None
    floor_what: str = ""
    parts: dict[str, float] = field(default_factory=dict)
    """Named sub-figures (a split of `value`, per-query times, ...), same unit."""
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "value": round(self.value, 3),
            "unit": self.unit,
            "floor": None if self.floor is None else round(self.floor, 3),
            "floor_what": self.floor_what,
            "parts": {k: round(v, 3) for k, v in self.parts.items()},
            "note": self.note,
        }


@dataclass
class Probe:
    size: str
    path: Path
    ws: Workspace
    scratch: Path
    repeat: int = 7

    def __post_init__(self) -> None:
        self.key = _sample_cell(self.ws)

    @property
    def ikey(self) -> InstantiationKey:
        return InstantiationKey(self.key.model, self.key.pa, self.key.practice, self.key.unit)

    @contextmanager
    def released(self) -> Iterator[None]:
        """The file closed for a while, so another process can open it (the app locks what it opens)."""
        from app.services import appraisals

        self.ws.close()
        try:
            yield
        finally:
            self.ws = appraisals.open_appraisal(self.path, who="benchmark")

    def floor_db(self) -> sqlite3.Connection:
        """A plain sqlite3 connection to the same file, with the app's pragmas (WAL, synchronous=FULL)."""
        db = sqlite3.connect(self.path, isolation_level=None)
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        return db

    def cell_ids(self) -> tuple[int, int, int]:
        with self.ws.uow() as uow:
            for cell in instantiations(uow.session, self.ws.catalog()):
                if (cell.model, cell.pa, cell.practice, cell.unit) == (
                    self.key.model,
                    self.key.pa,
                    self.key.practice,
                    self.key.unit,
                ):
                    return cell.pa_id, cell.practice_id, cell.unit_id
        raise LookupError(self.key)


@dataclass(frozen=True)
class Measure:
    name: str
    title: str
    """Short, for the table; the function's docstring says exactly what is timed."""
    fn: Callable[[Probe], Figure]
    unit: str = "ms"
    target_l: float | None = None
    """The target (same unit) at `target_size`, L unless said; None when there is none."""
    own_process: bool = False
    target_size: str = "L"
    grows_with_cells: bool = True
    """The work grows with the appraisal (False: the same work at every size, such as `--help`)."""
    target_floor: float | None = None
    """A target relative to the floor: the figure at most this many times its floor."""


REGISTRY: dict[str, Measure] = {}


def measure(
    name: str,
    title: str,
    *,
    unit: str = "ms",
    target_l: float | None = None,
    own_process: bool = False,
    target_size: str = "L",
    grows_with_cells: bool = True,
    target_floor: float | None = None,
) -> Callable[[Callable[[Probe], Figure]], Callable[[Probe], Figure]]:
    def register(fn: Callable[[Probe], Figure]) -> Callable[[Probe], Figure]:
        REGISTRY[name] = Measure(
            name, title, fn, unit, target_l, own_process, target_size, grows_with_cells, target_floor
        )
        return fn

    return register


# --- helpers -----------------------------------------------------------------------------------------------


def timings(fn: Callable[[], object], repeat: int, *, warmup: int = 1) -> list[float]:
    """Milliseconds per call, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    result = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        result.append((time.perf_counter() - started) * 1000)
    return result


def median(values: list[float]) -> float:
    return statistics.median(values)


def _sample_cell(ws: Workspace) -> CellKey:
    """A characterized specific practice in the middle of the scope, in the first unit."""
    with ws.uow() as uow:
        cells = [c for c in instantiations(uow.session, ws.catalog()) if not c.generic]
        done = {
            (r.process_area_id, r.practice_id, r.unit_id)
            for r in uow.session.execute(
                select(Characterization.process_area_id, Characterization.practice_id, Characterization.unit_id)
            )
        }
    middle = len(cells) // 2
    for cell in cells[middle:] + cells[:middle]:
        if (cell.pa_id, cell.practice_id, cell.unit_id) in done:
            return CellKey(cell.model, cell.pa, cell.goal, cell.practice, cell.unit)
    raise LookupError("No characterized cell to edit.")


def _toggle(probe: Probe, n: int) -> CellState:
    current = characterize.get_cell(probe.ws, probe.key)
    if n % 2:
        return replace(current, value="LI", weaknesses="Benchmark edit: a weakness noted.")
    return replace(current, value="FI", weaknesses="")


# Plain-sqlite3 versions of what the services read (the floors).
FLOOR_ALL_CELLS = (
    "SELECT id, process_area_id, practice_id, unit_id, value, strengths, weaknesses FROM characterization",
    "SELECT process_area_id, practice_id, unit_id, "
    "SUM(CASE WHEN artifact_id IS NOT NULL AND adequacy = 'adequate' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN affirmation_id IS NOT NULL THEN 1 ELSE 0 END) "
    "FROM evidence_link GROUP BY process_area_id, practice_id, unit_id",
)
FLOOR_ONE_CELL = (
    "SELECT id, value, strengths, weaknesses FROM characterization "
    "WHERE process_area_id = ? AND practice_id = ? AND unit_id = ?",
    "SELECT SUM(CASE WHEN artifact_id IS NOT NULL AND adequacy = 'adequate' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN affirmation_id IS NOT NULL THEN 1 ELSE 0 END) "
    "FROM evidence_link WHERE process_area_id = ? AND practice_id = ? AND unit_id = ?",
)


def _read_all_cells(db: sqlite3.Connection) -> int:
    return sum(len(db.execute(sql).fetchall()) for sql in FLOOR_ALL_CELLS)
