"""UI state kept between runs (window layout, recent files, last folder). Business data lives in the file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


class UiSettings:
    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or QSettings()

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
