"""UI state kept between runs (window layout, recent files, last folder). Business data lives in the file."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from app.services import user_dirs

MAX_RECENT = 8
SETTINGS_FILE = "settings.ini"


def default_store() -> QSettings:
    """An INI file in the user's settings folder (the same on every OS, and under `$APPRAISAL_DESK_HOME`).

    Earlier versions used Qt's native store (the registry on Windows, a plist on macOS); its values are
    copied over the first time, so an upgrade keeps the window's layout and recent files.
    """
    path = user_dirs.config_dir() / SETTINGS_FILE
    first_time = not path.exists()
    store = QSettings(str(path), QSettings.Format.IniFormat)
    if first_time and not os.environ.get(user_dirs.HOME_ENV):
        native = QSettings()
        for key in native.allKeys():
            store.setValue(key, native.value(key))
        store.sync()
    return store


class UiSettings:
    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store if store is not None else default_store()

    def recent_files(self) -> list[Path]:
        raw = self._store.value("files/recent", [])
        items: list[object] = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list | tuple) else []
        return [Path(str(item)) for item in items if item]

    def add_recent_file(self, path: Path) -> None:
        items = [p for p in self.recent_files() if p != path]
        items.insert(0, path)
        self._store.setValue("files/recent", [str(p) for p in items[:MAX_RECENT]])

    def remove_recent_file(self, path: Path) -> None:
        self._store.setValue("files/recent", [str(p) for p in self.recent_files() if p != path])

    def last_folder(self) -> Path:
        value = self._store.value("files/last_folder", "")
        return Path(str(value)) if value else Path.home()

    def set_last_folder(self, folder: Path) -> None:
        self._store.setValue("files/last_folder", str(folder))

    def geometry(self) -> QByteArray | None:
        value = self._store.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, value: QByteArray) -> None:
        self._store.setValue("window/geometry", value)

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        """The main window's toolbar/dock state and the workbench splitter's sizes."""
        window = self._store.value("window/state")
        splitter = self._store.value("window/splitter")
        return (
            window if isinstance(window, QByteArray) else None,
            splitter if isinstance(splitter, QByteArray) else None,
        )

    def set_window_state(self, window: QByteArray, splitter: QByteArray) -> None:
        self._store.setValue("window/state", window)
        self._store.setValue("window/splitter", splitter)

    def current_page(self) -> str:
        return str(self._store.value("window/page", "") or "")

    def set_current_page(self, title: str) -> None:
        self._store.setValue("window/page", title)

    def user_name(self) -> str:
        return str(self._store.value("user/name", "") or "")

    def set_user_name(self, name: str) -> None:
        self._store.setValue("user/name", name)

    def advance(self) -> str:
        """Where the grid's cursor goes after a typed value: "down" (the default), "right" or "stay"."""
        value = str(self._store.value("entry/advance", "down") or "down")
        return value if value in ("down", "right", "stay") else "down"

    def set_advance(self, value: str) -> None:
        self._store.setValue("entry/advance", value)
