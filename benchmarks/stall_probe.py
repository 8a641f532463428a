"""Started as its own process: how long the UI thread stays busy at a stretch while the real window opens FILE
and while the team types values into the characterization grid (offscreen).

A 2 ms timer runs on the UI thread for the whole session; the longest gap between two of its ticks (less the
2 ms) is the longest stall: the time a key press or a paint would have waited. Opening counts from the
`open_path` call until the grid shows its cells with their ratings; editing is `--edits` values typed into
grid cells (every edit committed to the file and re-rated), one every 60 ms. Prints one JSON line.

    python -m benchmarks.stall_probe FILE SCRATCH [--edits 12]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

TICK_MS = 2
EDIT_EVERY_MS = 60


class StallMeter:
    """The longest gap between ticks of a fast UI-thread timer, per named phase."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.longest: dict[str, float] = {}
        self.phase = ""
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def enter(self, phase: str) -> None:
        self._tick()
        self.phase = phase
        self.longest.setdefault(phase, 0.0)

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self._last) * 1000 - TICK_MS
        self._last = now
        if self.phase:
            self.longest[self.phase] = max(self.longest[self.phase], gap)


def main(path: Path, scratch: Path, edits: int) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QSettings, QStandardPaths, QTimer
    from PySide6.QtTest import QTest

    from app.ui.shell.app import make_application

    app = make_application(["stall_probe"])
    QStandardPaths.setTestModeEnabled(True)
    from app.bootstrap import build_main_window
    from app.services.grid import RowKind
    from app.ui.characterize.characterize_page import CharacterizePage
    from app.ui.shell.settings import UiSettings

    settings = UiSettings(QSettings(str(scratch / "stall-probe.ini"), QSettings.Format.IniFormat))
    settings.set_current_page(CharacterizePage.title)
    window = build_main_window(settings)
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    page = next(p for p in window.page_list if isinstance(p, CharacterizePage))
    window.nav.setCurrentRow(window.page_list.index(page))  # the page the lead left open last time
    failures: list[str] = []
    window.failed.connect(failures.append)
    meter = StallMeter()
    loop = QEventLoop()
    deadline = time.time() + 300

    def wait_for(done: Any) -> None:
        def check() -> None:
            if done() or failures or time.time() > deadline:
                loop.quit()
            else:
                QTimer.singleShot(TICK_MS, check)

        QTimer.singleShot(0, check)
        loop.exec()
        if failures or time.time() > deadline:
            raise SystemExit(f"stall_probe: {failures[0] if failures else 'timed out'}")

    meter.enter("opening")
    started = time.perf_counter()
    QTimer.singleShot(0, lambda: window.open_path(path))
    wait_for(lambda: window.document is not None and page.model.rows and page.model.ratings is not None)
    opened_ms = (time.perf_counter() - started) * 1000

    rows = [i for i, row in enumerate(page.model.rows) if row.kind is RowKind.PRACTICE and row.cells[0] is not None]
    targets = [rows[(n * 7919) % len(rows)] for n in range(edits)]
    typed = [0]

    def type_next() -> None:
        n = typed[0]
        page.view.setCurrentIndex(page.model.index(targets[n], 0))
        cell = page.model.rows[targets[n]].cells[0]
        # A value other than the cell's: the same value again is no edit (a second run on the file would time none)
        letter = "P" if cell is not None and cell.value == "LI" else "L"
        QTest.keyClicks(page.view, letter)
        typed[0] += 1
        if typed[0] < len(targets):
            QTimer.singleShot(EDIT_EVERY_MS, type_next)

    meter.enter("editing")
    started = time.perf_counter()
    QTimer.singleShot(0, type_next)
    wait_for(lambda: typed[0] >= len(targets))
    editing_ms = (time.perf_counter() - started) * 1000
    meter.enter("done")
    undone = window.document.undo_stack.count() if window.document is not None else 0
    window.close_document()
    return {
        "opening_ms": meter.longest["opening"],
        "editing_ms": meter.longest["editing"],
        "open_to_rated_grid_ms": opened_ms,
        "edits_wall_ms": editing_ms,
        "edits": undone,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="benchmarks.stall_probe")
    parser.add_argument("file", type=Path)
    parser.add_argument("scratch", type=Path)
    parser.add_argument("--edits", type=int, default=12)
    args = parser.parse_args()
    print(json.dumps(main(args.file, args.scratch, args.edits)))
