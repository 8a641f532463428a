"""Every Qt item model of the window passes Qt's model checks, filled by its page from the demo appraisal.

The list of models is not kept by hand: every QAbstractItemModel subclass under app/ui must be checked here,
so a new model without a check fails `test_every_item_model_of_the_ui_is_checked`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QSortFilterProxyModel

import app.ui
from app.services import demo
from app.services.catalogs import installed_catalog
from app.ui.catalog.models_page import ModelsPage
from app.ui.characterize.characterize_page import CharacterizePage
from app.ui.coverage.coverage_page import CoveragePage
from app.ui.evidence.evidence_page import EvidencePage
from app.ui.findings.findings_page import FindingsPage
from app.ui.shell.main_window import MainWindow


@pytest.fixture
def window(qtbot, make_window: Callable[..., MainWindow], tmp_path: Path) -> Iterator[MainWindow]:
    path = tmp_path / "demo.appraisal"
    demo.create_demo(path, installed_catalog(), who="tester").close()
    win = make_window(catalog_provider=installed_catalog)
    win.show()
    win.open_path(path)
    qtbot.waitUntil(lambda: win.document is not None, timeout=30000)
    yield win


def shown(qtbot, window: MainWindow, page_type: type) -> object:
    page = window.page(page_type)
    window.show_page(window.page_list.index(page))
    qtbot.waitUntil(lambda: window.pages.currentWidget() is page, timeout=10000)
    return page


def models_of(qtbot, window: MainWindow) -> dict[str, QAbstractItemModel]:
    """Each page's models as the page filled them, and each proxy over its source."""
    evidence = shown(qtbot, window, EvidencePage)
    findings = shown(qtbot, window, FindingsPage)
    coverage = shown(qtbot, window, CoveragePage)
    characterize = shown(qtbot, window, CharacterizePage)
    # The grid is read on the worker thread; the page fills it when the read arrives.
    qtbot.waitUntil(lambda: characterize.model.rowCount() > 0, timeout=20000)  # type: ignore[attr-defined]
    models = shown(qtbot, window, ModelsPage)
    window.search_box.edit.setText("incident")
    window.search_box.run_search()
    found: dict[str, QAbstractItemModel] = {
        "ArtifactTable": evidence.model,  # type: ignore[attr-defined]
        "ArtifactFilter": evidence.proxy,  # type: ignore[attr-defined]
        "FindingsTable": findings.model,  # type: ignore[attr-defined]
        "FindingsFilter": findings.proxy,  # type: ignore[attr-defined]
        "CoverageTable": coverage.model,  # type: ignore[attr-defined]
        "CoverageFilter": coverage.proxy,  # type: ignore[attr-defined]
        "GridTable": characterize.model,  # type: ignore[attr-defined]
        "CatalogFilter": models.proxy,  # type: ignore[attr-defined]
        "HitList": window.search_box.model,
    }
    return found


def test_every_item_model_passes_the_qt_model_checks(qtbot, qtmodeltester, window: MainWindow) -> None:
    found = models_of(qtbot, window)
    for name, model in found.items():
        assert model.rowCount() > 0, f"{name} is empty: the check would prove little"
        if isinstance(model, QSortFilterProxyModel):
            qtmodeltester.check(model.sourceModel())
        qtmodeltester.check(model)


def _ui_model_classes() -> set[str]:
    for info in pkgutil.walk_packages(app.ui.__path__, "app.ui."):
        importlib.import_module(info.name)
    found: set[str] = set()
    pending = [QAbstractItemModel]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            # A base shared by several models (RowTable) is checked through each model built on it.
            if sub.__module__.startswith("app.ui.") and not sub.__subclasses__():
                found.add(sub.__name__)
    return found


def test_every_item_model_of_the_ui_is_checked(qtbot, window: MainWindow) -> None:
    assert _ui_model_classes() <= set(models_of(qtbot, window)), "add the new model to models_of()"
