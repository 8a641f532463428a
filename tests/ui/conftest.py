"""GUI test setup: settings in a private place, and a window built like the real one."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

from app.domain.catalog import Catalog
from app.services import demo
from app.services.catalogs import installed_catalog
from app.ui.shell.main_window import MainWindow
from app.ui.shell.page_list import page_factories
from app.ui.shell.settings import UiSettings


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


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo appraisal, made once; tests open a copy (`demo_window`)."""
    path = tmp_path_factory.mktemp("demo") / "demo.appraisal"
    demo.create_demo(path, installed_catalog(), who="tester").close()
    return path


@pytest.fixture
def demo_window(qtbot, make_window: Callable[..., MainWindow], demo_file: Path, tmp_path: Path) -> MainWindow:
    """A window with a copy of the demo open."""
    path = tmp_path / demo_file.name
    shutil.copy(demo_file, path)
    window = make_window(catalog_provider=installed_catalog)
    window.show()
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document is not None, timeout=20000)
    return window
