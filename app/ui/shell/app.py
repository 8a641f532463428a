"""Starting the window."""

from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path
from types import ModuleType, TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.services import user_dirs

LOG_FILE = "appraisal-desk.log"
log = logging.getLogger("app")


def _uses_pyside(module: ModuleType) -> bool:
    """Whether `module` holds anything of PySide6's, read from its names rather than its source text."""
    for value in list(vars(module).values()):
        name = value.__name__ if isinstance(value, ModuleType) else getattr(value, "__module__", None)
        if isinstance(name, str) and name.startswith("PySide6"):
            return True
    return False


def _cheap_feature_check() -> None:
    """PySide6 reads the whole source text of every module imported after it (to see whether it mentions
    PySide6, for its opt-in `__feature__` switches): about a tenth of a second of the window's start. The same
    question is answered from the module's names. Nothing here uses `__feature__`; should PySide6 change its
    internals, this leaves them alone."""
    feature = sys.modules.get("PySide6.support.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        setattr(feature, "_mod_uses_pyside", _uses_pyside)  # noqa: B010 (a module mypy cannot see into)


_cheap_feature_check()


def start_error_log(folder: Path | None = None) -> Path:
    """Unexpected errors (bugs, never the user's mistakes) go to a small rotating log in the user's log folder.

    The file is created only when something is written to it; the path is returned for messages.
    """
    from logging.handlers import RotatingFileHandler  # (and the socket and pickle modules it brings) only here

    folder = folder if folder is not None else user_dirs.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.WARNING)

    def log_uncaught(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("uncaught exception", exc_info=(kind, exc, tb))
        sys.__excepthook__(kind, exc, tb)

    sys.excepthook = log_uncaught
    return path


def _collect_after_start() -> None:
    """The collector rests while the window's modules load and it is built (tens of thousands of objects, none
    of them garbage, walked again and again: a tenth of a second of the start); once the event loop runs they
    are set aside for good (`gc.freeze`) and collecting resumes."""
    if not gc.isenabled():
        return

    def resume() -> None:
        gc.freeze()
        gc.enable()

    gc.disable()
    QTimer.singleShot(0, resume)


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    _collect_after_start()
    app.setOrganizationName("AppraisalDesk")
    app.setApplicationName("Appraisal Desk")
    app.setApplicationDisplayName("Appraisal Desk")
    return app


def run_gui(path: Path | str | None) -> int:
    app = make_application()
    start_error_log()
    from app.bootstrap import build_main_window
    from app.ui.shell.termination import close_on_termination

    window = build_main_window()
    close_on_termination(app, window)
    window.resize(1366, 768)
    window.show()
    if isinstance(path, str):
        window.open_server(path)
    elif path is not None:
        window.open_path(path)
    return app.exec()
