"""What the benchmarks measure in a fresh process or through a whole feature: peak memory, exports and the
import, the window's grid, the command line from start to exit, and the UI thread's longest stall, each beside
its floor (`measuring.py` says how; `measures.py` registers these after the store's).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tracemalloc
from typing import Any

from app.services import search
from benchmarks.measuring import (
    FLOOR_ALL_CELLS,
    REPO,
    Figure,
    Probe,
    Unavailable,
    measure,
    median,
    timings,
)
from benchmarks.rss import peak_rss_mb

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
