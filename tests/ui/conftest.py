"""GUI test setup: settings in a private place, and a window built like the real one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

from app.domain.catalog import Catalog
from app.ui.main_window import MainWindow
from app.ui.pages import page_factories
from app.ui.settings import UiSettings


@pytest.fixture
def ui_settings(tmp_path: Path, qapp: object) -> UiSettings:
    QStandardPaths.setTestModeEnabled(True)
    return UiSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def make_window(qtbot: object, ui_settings: UiSettings, catalog: Catalog) -> Callable[..., MainWindow]:
    def make(**overrides: object) -> MainWindow:
        kwargs: dict[str, object] = {
            "settings": ui_settings,
            "catalog_provider": lambda: catalog,
            "page_factories": page_factories(),
            "user_name": "tester",
        }
        kwargs.update(overrides)
        window = MainWindow(**kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(window)  # type: ignore[attr-defined]
        window.resize(1366, 768)
        return window

    return make
