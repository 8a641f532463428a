"""Started as its own process: the real window opens FILE and shows the characterization grid, offscreen, as
for a lead who left the grid open last time (the page the window shows first).

Prints one JSON line: the wall-clock time the grid was usable (`ready`, for the parent to subtract its launch
time from) and how long each phase took since this module started (`*_ms`). Settings go to SCRATCH, never to
the user's.

    python -m benchmarks.grid_probe FILE SCRATCH
"""

from __future__ import annotations

import time

STARTED = time.time()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402


def main(path: Path, scratch: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, QStandardPaths

    from app.ui.shell.app import make_application

    app = make_application([sys.argv[0]])
    QStandardPaths.setTestModeEnabled(True)
    from app.bootstrap import build_main_window
    from app.ui.characterize.characterize_page import CharacterizePage
    from app.ui.shell.settings import UiSettings

    imported = time.time()
    settings = UiSettings(QSettings(str(scratch / "grid-probe.ini"), QSettings.Format.IniFormat))
    settings.set_current_page(CharacterizePage.title)  # the lead left the grid open last time
    window = build_main_window(settings)
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    shown = time.time()
    failures: list[str] = []
    window.failed.connect(failures.append)
    window.open_path(path)
    deadline = time.time() + 300
    while window.document is None and not failures and time.time() < deadline:
        app.processEvents()
        time.sleep(0.001)
    if window.document is None:
        raise SystemExit(f"Could not open {path}: {failures[0] if failures else 'timed out'}")
    opened = time.time()
    page = next(p for p in window.page_list if isinstance(p, CharacterizePage))
    window.nav.setCurrentRow(window.page_list.index(page))
    while not page.model.rows and time.time() < deadline:
        app.processEvents()
        time.sleep(0.001)  # as the window's own event loop, which sleeps between events, not a busy spin
    app.processEvents()
    ready = time.time()
    columns = len(page.model.units) + 1  # units and the OU column
    print(
        json.dumps(
            {
                "ready": ready,
                "rows": len(page.model.rows),
                "columns": columns,
                "imports_and_app_ms": (imported - STARTED) * 1000,
                "window_ms": (shown - imported) * 1000,
                "open_file_ms": (opened - shown) * 1000,
                "grid_ms": (ready - opened) * 1000,
            }
        )
    )
    window.close_document()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
