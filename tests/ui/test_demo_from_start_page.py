"""The start page's "Open the demo appraisal": the OVIG demo is created beside the last folder and opened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.services import demo
from app.services.catalogs import installed_catalog
from app.services.workspace import Workspace
from app.ui.characterize.characterize_page import CharacterizePage
from app.ui.shell.main_window import MainWindow


def make_demo(path: Path) -> Workspace:
    return demo.create_demo(path, installed_catalog(), who="tester")


def test_open_the_demo_from_the_start_page_and_again_without_overwriting(qtbot, make_window, ui_settings, tmp_path):
    ui_settings.set_last_folder(tmp_path)
    window: MainWindow = make_window(demo_factory=make_demo, catalog_provider=installed_catalog)
    window.show()
    assert window.start_page.demo_button.isVisible()

    qtbot.mouseClick(window.start_page.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.document is not None, timeout=20000)
    first = window.document.workspace.path
    assert first == tmp_path / "Olive Vehicle Insurance demo.appraisal"
    assert window.windowTitle().startswith("Olive Vehicle Insurance")
    ratings = window.document.ratings()
    assert any(g.rating.value == "Satisfied" for pa in ratings.process_areas for g in pa.goals)

    window.show_page(window.page_list.index(window.page(CharacterizePage)))
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.page(CharacterizePage), timeout=5000)

    # A second demo never overwrites the first (which may hold the user's experiments).
    window.open_demo()
    qtbot.waitUntil(lambda: window.document is not None and window.document.workspace.path != first, timeout=20000)
    assert window.document.workspace.path == tmp_path / "Olive Vehicle Insurance demo (2).appraisal"
    assert first.is_file()
