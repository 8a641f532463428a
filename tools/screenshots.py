"""Screenshots of every page on the demo appraisal at 1366x768, offscreen: `uv run python tools/screenshots.py [DIR]`.

Writes DIR/<page>.png (default docs/screenshots), DIR/main-window.png (the Characterize page), DIR/worklist.png
(the worklist docked beside the grid) and DIR/history.png (a cell's history after a few edits), the images the
README and the issues point at. Run it after changing a screen, then look at the pictures.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from app.ui.shell.main_window import MainWindow


def main(out: Path) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["APPRAISAL_DESK_HOME"] = tmp
        from app.bootstrap import build_main_window
        from app.ui.shell.settings import UiSettings

        settings = UiSettings(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
        settings.set_last_folder(Path(tmp))
        window = build_main_window(settings)
        window.resize(1366, 768)
        window.show()
        out.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(out / "start-page.png"))
        window.open_demo()
        deadline = time.monotonic() + 60
        while window.document is None and time.monotonic() < deadline:
            app.processEvents()
        if window.document is None:
            print("the demo did not open", file=sys.stderr)
            return 1
        for row, page in enumerate(window.page_list):
            window.nav.setCurrentRow(row)
            _settle(app, window)
            name = page.title.lower().replace(" ", "-")
            window.grab().save(str(out / f"{name}.png"))
            if page.title == "Characterize":
                window.grab().save(str(out / "main-window.png"))
            print(f"saved {out / name}.png")
        _docks(app, window, out)
        window.close()
    return 0


def _settle(app: QApplication, window: MainWindow) -> None:
    """Until the page has what it reads on the worker (the grid, the ratings): a picture never says "Reading…"."""
    deadline = time.monotonic() + 60
    for _ in range(30):
        app.processEvents()
    while window.runner.busy and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    for _ in range(30):
        app.processEvents()


def _docks(app: QApplication, window: MainWindow, out: Path) -> None:
    """The worklist beside the grid, then a cell's history after a range fill and an undo."""
    from app.services.characterize import CellKey
    from app.ui.characterize.characterize_page import CharacterizePage

    def settle() -> None:
        _settle(app, window)

    page = window.page(CharacterizePage)
    assert isinstance(page, CharacterizePage)
    window.show_page(window.page_list.index(page))
    page.go_to("IRP SP3.1")
    window.worklist_action.trigger()
    settle()
    window.grab().save(str(out / "worklist.png"))
    print(f"saved {out / 'worklist.png'}")
    window.worklist_action.trigger()
    cell = CellKey("CMMI-SVC", "IRP", "SG3", "SP3.1", "Claims")
    for value in ("LI", "FI"):
        page.edits.set_value(cell, value)
    page.edits.fill([cell, CellKey("CMMI-SVC", "IRP", "SG3", "SP3.2", "Claims")], "PI")
    assert window.document is not None
    window.document.undo_stack.undo()
    page.select_cell(cell)
    window.history_action.trigger()
    settle()
    window.grab().save(str(out / "history.png"))
    print(f"saved {out / 'history.png'}")


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")))
