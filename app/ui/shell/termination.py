"""SIGTERM (a logout, `kill`, a service manager) and SIGHUP close the window as the Quit command does: the open
appraisal folds its write-ahead log into the file and releases its lock, so nothing is left beside it.

Python runs signal handlers only between bytecodes, and Qt's event loop runs in C++: a light timer gives the
interpreter a moment several times a second to notice the signal.
"""

from __future__ import annotations

import signal
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from app.ui.shell.main_window import MainWindow

POLL_MS = 200


def close_on_termination(app: QApplication, window: MainWindow) -> None:
    def terminate(_signum: int, _frame: object) -> None:
        QTimer.singleShot(0, shut_down)

    def shut_down() -> None:
        window.close_document()  # waits for the worker, then folds the log and releases the lock
        window.close()
        app.quit()

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name) and sys.platform != "win32":
            signal.signal(getattr(signal, name), terminate)
    poll = QTimer(app)
    poll.timeout.connect(lambda: None)
    poll.start(POLL_MS)
