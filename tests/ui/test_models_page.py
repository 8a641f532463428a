"""The model browser: SM with ESP1.2's informative material, its links one click away, filtering."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl

from app.domain.catalog import Catalog, Ref
from app.domain.plan import PaKey, Plan, ScopeEntry
from app.services import appraisals
from app.ui.main_window import MainWindow
from app.ui.models.catalog_tree_model import NODE_ROLE
from app.ui.pages.models_page import ModelsPage


def open_models_page(qtbot, make_window: Callable[..., MainWindow], tmp_path: Path, catalog: Catalog) -> ModelsPage:
    path = tmp_path / "m.appraisal"
    appraisals.create_appraisal(path, Plan(name="m", scope=(ScopeEntry(PaKey("SM", "SM"), 2),)), catalog).close()
    window = make_window()
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document is not None, timeout=10000)
    page = window.page(ModelsPage)
    window.nav.setCurrentRow(window.page_list.index(page))
    assert isinstance(page, ModelsPage)
    return page


def test_sm_practice_shows_statement_subpractices_and_links(
    qtbot, make_window, tmp_path: Path, catalog: Catalog
) -> None:
    page = open_models_page(qtbot, make_window, tmp_path, catalog)
    assert page.select(Ref("SM", "SM", "ESP1.2"))
    text = page.detail.toPlainText()
    assert "ESP1.2 Establish an Approach to Threat Assessment" in text
    assert "Establish and maintain an approach." in text
    assert "Select methods." in text
    assert "ISO27001 4.2 4.2.1 Establish the ISMS" in text
    assert "CMMI-SVC IRP SP1.1 Establish an Approach" in text
    # One click on a link selects the linked practice in the other model.
    page.detail.anchorClicked.emit(QUrl("ref:CMMI-SVC|IRP|SP1.1"))
    node = page.tree.currentIndex().data(NODE_ROLE)
    assert node.ref == Ref("CMMI-SVC", "IRP", "SP1.1")
    assert "linked" in page.detail.toPlainText().lower() and "SM SM ESP1.2" in page.detail.toPlainText()


def test_filter_as_you_type_keeps_matches_and_their_parents(
    qtbot, make_window, tmp_path: Path, catalog: Catalog
) -> None:
    page = open_models_page(qtbot, make_window, tmp_path, catalog)
    qtbot.keyClicks(page.filter_edit, "threat")
    proxy = page.proxy
    visible: list[str] = []
    stack = [proxy.index(r, 0) for r in range(proxy.rowCount())]
    while stack:
        index = stack.pop()
        visible.append(index.data())
        stack.extend(proxy.index(r, 0, index) for r in range(proxy.rowCount(index)))
    assert any("ESP1.2" in v for v in visible)
    assert not any("IRP" in v for v in visible)
