"""Where Appraisal Desk keeps the user's own things on each OS: the model library, the settings, the logs.

Each is the platform's place (platformdirs): on Linux `~/.local/share/appraisal-desk`, `~/.config/...` and
`~/.local/state/.../log`; on Windows under `%LOCALAPPDATA%\\appraisal-desk`; on macOS under
`~/Library/Application Support`, `~/Library/Preferences` and `~/Library/Logs`. `$APPRAISAL_DESK_HOME` puts all
three in one folder instead (a portable install, a test, a second identity).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

HOME_ENV = "APPRAISAL_DESK_HOME"
APP_DIR = "appraisal-desk"


def _home() -> Path | None:
    home = os.environ.get(HOME_ENV)
    return Path(home) if home else None


def data_dir() -> Path:
    """The user's data (the model library lives in `models/` below it)."""
    home = _home()
    return home if home is not None else platformdirs.user_data_path(APP_DIR, appauthor=False)


def config_dir() -> Path:
    """The window's settings (layout, recent files)."""
    home = _home()
    return home / "config" if home is not None else platformdirs.user_config_path(APP_DIR, appauthor=False)


def log_dir() -> Path:
    """The log of unexpected errors."""
    home = _home()
    return home / "logs" if home is not None else platformdirs.user_log_path(APP_DIR, appauthor=False)
