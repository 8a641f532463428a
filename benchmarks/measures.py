"""What the benchmarks measure: a registry of measurement functions, each beside its floor.

A measurement gets a `Probe` (the open appraisal of one size, a sample cell, a scratch folder) and returns a
`Figure`: the median of several runs, and the floor, the same work done with the plainest tool (sqlite3 on
the same rows, bare openpyxl, bare reportlab, a bare Qt window), measured in the same run on the same
machine. The floor says how much of a figure is the app's own overhead. A measurement whose feature is not
built yet raises `Unavailable` and is reported as skipped.

Measurements marked `own_process` run alone in a fresh interpreter (peak memory, process start), the others
share one interpreter per size. Add a measurement by decorating a function with `@measure(...)`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.domain.rating.facts import InstantiationKey
from app.services import characterize, search
from app.services.characterize import CellKey, CellState
from app.services.workspace import Workspace
from app.storage.instantiation_repo import instantiations
from app.storage.schema import Characterization
from benchmarks.rss import peak_rss_mb

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


# --- opening -----------------------------------------------------------------------------------------------


@measure("open", "Open the file")
def open_file(probe: Probe) -> Figure:
    """appraisals.open_appraisal(path) and ws.catalog(), then close; floor: sqlite3 connect and one query."""
    from app.services import appraisals

    def open_and_close() -> None:
        workspace = appraisals.open_appraisal(probe.path, who="benchmark")
        workspace.catalog()
        workspace.close()

    def plain() -> None:
        db = probe.floor_db()
        db.execute("SELECT name FROM appraisal").fetchall()
        db.close()

    with probe.released():
        times = timings(open_and_close, max(3, probe.repeat // 2))
        floor = timings(plain, 5)
    return Figure(median(times), floor=median(floor), floor_what="sqlite3: connect with the app's pragmas, one query")


# --- ratings -----------------------------------------------------------------------------------------------


@measure("ratings.full", "Full ratings recompute", target_l=300)
def ratings_full(probe: Probe) -> Figure:
    """rate_appraisal(ws), split into load_facts (reading) and RatingEngine(facts) (rating)."""
    from app.domain.rating.engine import RatingEngine
    from app.services.ratings import load_facts, rate_appraisal

    repeat = max(3, probe.repeat // 2)
    total = timings(lambda: rate_appraisal(probe.ws), repeat)
    loads = timings(lambda: load_facts(probe.ws), repeat)
    facts = load_facts(probe.ws)
    engines = timings(lambda: RatingEngine(facts), repeat)
    db = probe.floor_db()
    floor = timings(lambda: _read_all_cells(db), repeat)
    db.close()
    return Figure(
        median(total),
        floor=median(floor),
        floor_what="sqlite3: every characterization row and the evidence counts per cell",
        parts={"load_facts": median(loads), "engine": median(engines)},
    )


@measure("ratings.after_edit", "Ratings update after one edit", target_l=10)
def ratings_after_edit(probe: Probe) -> Figure:
    """LiveRatings.cells_changed([cell]) after set_cell changed the cell (the edit itself not timed)."""
    from app.services.ratings import LiveRatings

    live = LiveRatings(probe.ws)
    pa_id, practice_id, unit_id = probe.cell_ids()
    times = []
    for n in range(probe.repeat + 1):
        characterize.set_cell(probe.ws, probe.key, _toggle(probe, n))
        started = time.perf_counter()
        live.cells_changed([probe.ikey])
        times.append((time.perf_counter() - started) * 1000)
    db = probe.floor_db()
    floor = timings(lambda: [db.execute(sql, (pa_id, practice_id, unit_id)).fetchall() for sql in FLOOR_ONE_CELL], 9)
    db.close()
    return Figure(
        median(times[1:]),
        floor=median(floor),
        floor_what="sqlite3: the cell's row and its evidence counts (the engine's re-rating has no floor)",
    )


# --- editing -----------------------------------------------------------------------------------------------


@measure("edit.round_trip", "One edit with its commit", target_l=10)
def edit_round_trip(probe: Probe) -> Figure:
    """characterize.set_cell(ws, key, state): read, write, change log, commit (WAL, synchronous=FULL)."""
    states = [_toggle(probe, n) for n in range(2)]
    counter = iter(range(10**6))
    times = timings(lambda: characterize.set_cell(probe.ws, probe.key, states[next(counter) % 2]), probe.repeat)
    pa_id, practice_id, unit_id = probe.cell_ids()
    db = probe.floor_db()
    flip = iter(range(10**6))

    def plain_edit() -> None:
        value = "FI" if next(flip) % 2 else "LI"
        db.execute("BEGIN")
        db.execute(
            "UPDATE characterization SET value = ?, updated_at = datetime('now') "
            "WHERE process_area_id = ? AND practice_id = ? AND unit_id = ?",
            (value, pa_id, practice_id, unit_id),
        )
        db.execute(
            "INSERT INTO change_log(at, who, action, entity, entity_id, detail) "
            "VALUES (datetime('now'), 'bench', 'characterize', 'characterization', NULL, ?)",
            (value,),
        )
        db.execute("COMMIT")

    floor = timings(plain_edit, probe.repeat)
    db.close()
    characterize.set_cell(probe.ws, probe.key, states[0])
    return Figure(
        median(times),
        floor=median(floor),
        floor_what="sqlite3: UPDATE of the cell and a change-log INSERT, committed (WAL, synchronous=FULL)",
    )


@measure("edit.with_ratings", "Edit, then ratings update")
def edit_with_ratings(probe: Probe) -> Figure:
    """What a keystroke in the grid waits for: set_cell, then LiveRatings.cells_changed."""
    from app.services.ratings import LiveRatings

    live = LiveRatings(probe.ws)
    states = [_toggle(probe, n) for n in range(2)]
    counter = iter(range(10**6))

    def edit() -> None:
        characterize.set_cell(probe.ws, probe.key, states[next(counter) % 2])
        live.cells_changed([probe.ikey])

    times = timings(edit, probe.repeat)
    characterize.set_cell(probe.ws, probe.key, states[0])
    return Figure(median(times))


# --- search ------------------------------------------------------------------------------------------------

QUERIES = ("incident", "review", "audit plan", "escalat")


@measure("search", "Full-text search (slowest query)", target_l=50)
def full_text_search(probe: Probe) -> Figure:
    """search.search(ws, q) for four queries (common words, a phrase, a prefix), up to 50 hits each."""
    from app.services.search import MARK_END, MARK_START, _fts_query

    per_query: dict[str, float] = {}
    hits: dict[str, int] = {}
    for query in QUERIES:
        per_query[query] = median(timings(lambda q=query: search.search(probe.ws, q), probe.repeat))  # type: ignore[misc]
        hits[query] = len(search.search(probe.ws, query))
    db = probe.floor_db()
    floors = []
    for query in QUERIES:
        sql = (
            "SELECT rowid, highlight(search_index, 0, ?, ?), highlight(search_index, 1, ?, ?), "
            "highlight(search_index, 2, ?, ?) FROM search_index WHERE search_index MATCH ? ORDER BY rank LIMIT 50"
        )
        args = (MARK_START, MARK_END) * 3 + (_fts_query(query.split()),)
        floors.append(median(timings(lambda s=sql, a=args: db.execute(s, a).fetchall(), probe.repeat)))  # type: ignore[misc]
    db.close()
    return Figure(
        max(per_query.values()),
        floor=max(floors),
        floor_what="sqlite3: the same FTS5 MATCH with highlights, 50 rows",
        parts=per_query,
        note="slowest query shown; hits per query: " + ", ".join(f"{q!r} {n}" for q, n in hits.items()),
    )


# --- the grid's data ---------------------------------------------------------------------------------------


@measure("grid.data", "Grid read model")
def grid_data(probe: Probe) -> Figure:
    """grid.grid_data(ws): what the Characterize page reads on every refresh."""
    from app.services import grid

    times = timings(lambda: grid.grid_data(probe.ws), max(3, probe.repeat // 2))
    db = probe.floor_db()
    floor = timings(lambda: _read_all_cells(db), 5)
    db.close()
    return Figure(median(times), floor=median(floor), floor_what="sqlite3: every characterization row and counts")


# --- memory (each in a fresh process) ----------------------------------------------------------------------


def _started_like_an_install(env: dict[str, str] | None) -> dict[str, str]:
    """The environment for a timed child: bytecode caches allowed, as an installed app has them (with
    PYTHONDONTWRITEBYTECODE set every start compiles every module from source, tens of seconds)."""
    chosen = dict(os.environ if env is None else env)
    chosen.pop("PYTHONDONTWRITEBYTECODE", None)
    return chosen


def _child(args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a fresh interpreter with `args`; it prints one JSON object last. Its stderr explains a failure."""
    done = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=_started_like_an_install(env),
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr.strip()[-800:]}")
    parsed: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return parsed


def _python(code: str, *args: str) -> dict[str, Any]:
    return _child(["-c", code, *args])


_FLOOR_MEMORY = """
import json, sqlite3, sys
from benchmarks.rss import peak_rss_mb
db = sqlite3.connect(sys.argv[1])
rows = [db.execute(sql).fetchall() for sql in (
    "SELECT * FROM characterization", "SELECT * FROM evidence_link", "SELECT id, title, description FROM artifact",
    "SELECT * FROM affirmation")]
print(json.dumps({"rss_mb": peak_rss_mb(), "rows": sum(map(len, rows))}))
"""
_IMPORTS_MEMORY = """
import json
from benchmarks.rss import peak_rss_mb
import app.services.ratings, app.services.grid, app.services.search, app.services.characterize
print(json.dumps({"rss_mb": peak_rss_mb()}))
"""


@measure(
    "memory.peak",
    "Peak memory",
    unit="MB",
    target_l=400,
    own_process=True,
)
def memory_peak(probe: Probe) -> Figure:
    """Peak resident memory of a fresh process that opens the file, keeps LiveRatings, reads the grid and
    searches; beside a process holding the raw rows (floor) and one that only imports the app."""
    from app.services import grid
    from app.services.ratings import LiveRatings

    live = LiveRatings(probe.ws)
    data = grid.grid_data(probe.ws)
    hits = search.search(probe.ws, "incident")
    peak = peak_rss_mb()
    floor = _python(_FLOOR_MEMORY, str(probe.path))
    imports = _python(_IMPORTS_MEMORY)
    del live, data, hits
    return Figure(
        peak,
        unit="MB",
        floor=floor["rss_mb"],
        floor_what=f"python + sqlite3 holding the raw rows ({floor['rows']} rows)",
        parts={"interpreter_and_imports": imports["rss_mb"]},
    )


@measure("memory.ratings_python", "Python heap peak while rating", unit="MB", own_process=True)
def memory_ratings(probe: Probe) -> Figure:
    """tracemalloc peak over load_facts + LiveRatings (the facts and the engine's results)."""
    from app.services.ratings import LiveRatings, load_facts

    tracemalloc.start()
    facts = load_facts(probe.ws)
    after_load = tracemalloc.get_traced_memory()
    live = LiveRatings(probe.ws)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    db = probe.floor_db()
    tracemalloc.start()
    rows = [db.execute(sql).fetchall() for sql in FLOOR_ALL_CELLS]
    _c, floor_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    db.close()
    del facts, live, rows
    mb = 1024 * 1024
    return Figure(
        peak / mb,
        unit="MB",
        floor=floor_peak / mb,
        floor_what="sqlite3 rows of the cells and their evidence counts",
        parts={"facts_loaded": after_load[1] / mb},
    )


# --- hooks for features being built (measured when their modules exist) ------------------------------------


def _need(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise Unavailable(f"{module} is not available: {exc}") from None


_GRID_FLOOR = """
import json, sys, time
from PySide6.QtWidgets import QApplication, QTableView
from PySide6.QtGui import QStandardItemModel, QStandardItem
app = QApplication([])
model = QStandardItemModel(int(sys.argv[1]), int(sys.argv[2]))
view = QTableView(); view.setModel(model); view.resize(1366, 768); view.show(); app.processEvents()
print(json.dumps({"ready": time.time()}))
"""


@measure("ui.grid_start", "Process start to usable grid", target_l=1500)
def ui_grid_start(probe: Probe) -> Figure:
    """A fresh process runs the real window (offscreen), opens the file and shows the Characterize page;
    timed from before the process is started to the grid holding its rows (benchmarks/grid_probe.py)."""
    _need("app.ui.characterize.characterize_page")
    with probe.released():
        return _grid_start(probe)


def _grid_start(probe: Probe) -> Figure:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    runs, floors = [], []
    rows = columns = 0
    for _ in range(3):
        started = time.time()
        report = _child(["-m", "benchmarks.grid_probe", str(probe.path), str(probe.scratch)], env)
        report["total"] = (report["ready"] - started) * 1000
        runs.append(report)
        rows, columns = report["rows"], report["columns"]
        started = time.time()
        floor = _child(["-c", _GRID_FLOOR, str(rows), str(columns)], env)
        floors.append((floor["ready"] - started) * 1000)
    best = sorted(runs, key=lambda r: r["total"])[len(runs) // 2]
    return Figure(
        best["total"],
        floor=median(floors),
        floor_what=f"bare PySide6 process showing a {rows}x{columns} QTableView",
        parts={k: v for k, v in best.items() if k.endswith("_ms")},
    )


@measure("export.xlsx", "Team workbook export (xlsx)", target_floor=2.0)
def export_xlsx(probe: Probe) -> Figure:
    """exports.export_xlsx(ws, path), team edition; floor: openpyxl write-only, same number of rows."""
    exports = _need("app.services.exports")
    target = probe.scratch / f"bench-{probe.size}.xlsx"
    times = timings(lambda: exports.export_xlsx(probe.ws, target, overwrite=True), 3, warmup=0)
    result = exports.export_xlsx(probe.ws, target, overwrite=True)
    from openpyxl import Workbook

    def plain() -> None:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("cells")
        for n in range(result.cells):
            sheet.append([f"PA{n % 50}", f"SP{n % 9}.{n % 5}", f"Unit {n % 20}", "FI", "weakness text " * 3, "", n])
        book.save(probe.scratch / "floor.xlsx")

    floor = timings(plain, 3, warmup=0)
    return Figure(
        median(times),
        floor=median(floor),
        floor_what=f"openpyxl write-only: {result.cells} rows x 7 plain cells",
        note=f"{target.stat().st_size // 1024} KB, {result.cells} cells",
    )


@measure("export.pdf", "PDF summary export", target_l=2000)
def export_pdf(probe: Probe) -> Figure:
    """exports.export_pdf(ws, path); floor: a reportlab canvas with as many pages of plain text."""
    exports = _need("app.services.exports")
    target = probe.scratch / f"bench-{probe.size}.pdf"
    times = timings(lambda: exports.export_pdf(probe.ws, target, overwrite=True), 3, warmup=0)
    try:
        from pypdf import PdfReader

        pages = len(PdfReader(target).pages)
    except ImportError:
        pages = 10
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    def plain() -> None:
        canvas = Canvas(str(probe.scratch / "floor.pdf"), pagesize=A4)
        for page in range(pages):
            for line in range(60):
                canvas.drawString(40, 800 - 12 * line, f"Page {page + 1} line {line + 1}: plain text of a summary")
            canvas.showPage()
        canvas.save()

    floor = timings(plain, 3, warmup=0)
    return Figure(
        median(times),
        floor=median(floor),
        floor_what=f"reportlab canvas: {pages} pages of 60 text lines",
        note=f"{pages} pages",
    )


@measure("import.xlsx", "Workbook import preview (xlsx)", target_floor=1.3)
def import_xlsx(probe: Probe) -> Figure:
    """workbook_import.preview(ws, path) of a fresh, unchanged export: reading and diffing every cell."""
    exports = _need("app.services.exports")
    importer = _need("app.services.workbook_import")
    source = probe.scratch / f"bench-{probe.size}-import.xlsx"
    exports.export_xlsx(probe.ws, source, overwrite=True)
    times = timings(lambda: importer.preview(probe.ws, source), 3, warmup=0)
    from openpyxl import load_workbook

    def plain() -> None:
        book = load_workbook(source, read_only=True, data_only=True)
        for sheet in book.worksheets:
            for _row in sheet.iter_rows(values_only=True):
                pass
        book.close()

    floor = timings(plain, 3, warmup=0)
    return Figure(median(times), floor=median(floor), floor_what="openpyxl read-only: every row of the same file")


# --- process start to exit: the command line -----------------------------------------------------------


def _process_ms(args: list[str], env: dict[str, str] | None = None) -> float:
    """Wall-clock milliseconds from starting a process to its exit (it must succeed)."""
    started = time.perf_counter()
    done = subprocess.run(
        args, capture_output=True, text=True, cwd=REPO, env=_started_like_an_install(env), timeout=300, check=False
    )
    elapsed = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[1:4])} failed: {done.stderr.strip()[-800:]}")
    return elapsed


def _bare_python() -> float:
    return median([_process_ms([sys.executable, "-c", "pass"]) for _ in range(5)])


@measure("cli.help", "CLI --help, start to exit", target_l=300, target_size="S", grows_with_cells=False)
def cli_help(_probe: Probe) -> Figure:
    """`python -m app --help` (what `appraisal-desk --help` runs), from process start to exit; floor: a bare
    interpreter start (`python -c pass`)."""
    _process_ms([sys.executable, "-m", "app", "--help"])  # warm-up: writes the bytecode caches once
    times = [_process_ms([sys.executable, "-m", "app", "--help"]) for _ in range(5)]
    return Figure(median(times), floor=_bare_python(), floor_what="python -c pass: the interpreter alone")


@measure("cli.info", "CLI info FILE, start to exit", target_l=600, target_size="S")
def cli_info(probe: Probe) -> Figure:
    """`python -m app info FILE` on this size's file (S is the demo), from process start to exit; floor: a
    fresh interpreter that connects with sqlite3 and counts the characterizations."""
    with probe.released():
        _process_ms([sys.executable, "-m", "app", "info", str(probe.path)])  # warm-up (bytecode caches)
        times = [_process_ms([sys.executable, "-m", "app", "info", str(probe.path)]) for _ in range(5)]
        code = "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM characterization')"
        floor = [_process_ms([sys.executable, "-c", code, str(probe.path)]) for _ in range(5)]
    return Figure(median(times), floor=median(floor), floor_what="python + sqlite3: connect and count the cells")


# --- the UI thread ------------------------------------------------------------------------------------------


@measure("ui.longest_stall", "Longest UI-thread stall", target_l=100)
def ui_longest_stall(probe: Probe) -> Figure:
    """The longest time the window's UI thread did not answer (a 2 ms timer's longest gap) while it opened the
    file up to a grid with its ratings, and while 12 values were typed into grid cells; the larger of the two
    (benchmarks/stall_probe.py, real window, offscreen). The median of three processes."""
    _need("app.ui.characterize.characterize_page")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with probe.released():
        runs = [_child(["-m", "benchmarks.stall_probe", str(probe.path), str(probe.scratch)], env) for _ in range(3)]
    for run in runs:
        run["longest_ms"] = max(run["opening_ms"], run["editing_ms"])
    middle = sorted(runs, key=lambda r: r["longest_ms"])[len(runs) // 2]
    return Figure(
        middle["longest_ms"],
        parts={k: v for k, v in middle.items() if k.endswith("_ms") and k != "longest_ms"},
        note=f"{middle['edits']} edits typed",
    )
