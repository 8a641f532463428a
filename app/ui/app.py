"""Starting the window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName("AppraisalDesk")
    app.setApplicationName("Appraisal Desk")
    app.setApplicationDisplayName("Appraisal Desk")
    return app


def run_gui(path: Path | None) -> int:
    app = make_application()
    from app.bootstrap import build_main_window

    window = build_main_window()
    window.resize(1366, 768)
    window.show()
    if path is not None:
        window.open_path(path)
    return app.exec()
