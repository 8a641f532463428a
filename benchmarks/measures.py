"""What the benchmarks measure of the store: opening, rating, editing, searching and reading the grid, each
beside its floor (`measuring.py` says how). Importing this module registers every measurement in table order:
these, then those that need a fresh process, an export or the window (`measures_process.py`).
"""

from __future__ import annotations

import time

from app.services import characterize, search
from benchmarks.measuring import (
    FLOOR_ONE_CELL,
    REGISTRY,
    REPO,
    Figure,
    Probe,
    Unavailable,
    _read_all_cells,
    _toggle,
    measure,
    median,
    timings,
)

__all__ = ["REGISTRY", "REPO", "Probe", "Unavailable", "_toggle"]
"""What the runner, the probe and the profiler take from here."""


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


# The measurements that need a fresh process, an export or the window register after these (table order).
import benchmarks.measures_process  # noqa: E402, F401
