"""The model browser: SM with ESP1.2's informative material, its links one click away, filtering."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl

from app.domain.catalog import Catalog, Ref
from app.domain.plan import PaKey, Plan, ScopeEntry
from app.services import appraisals
from app.services.catalogs import installed_catalog
from app.ui.catalog.catalog_tree import NODE_ROLE
from app.ui.catalog.models_page import ModelsPage
from app.ui.shell.main_window import MainWindow
from app.ui.shell.page_list import page_factories


def open_models_page(qtbot, make_window: Callable[..., MainWindow], tmp_path: Path, catalog: Catalog) -> ModelsPage:
    path = tmp_path / "m.appraisal"
    appraisals.create_appraisal(path, Plan(name="m", scope=(ScopeEntry(PaKey("SM", "SM"), 2),)), catalog).close()
    window = make_window()
    window.show()  # a hidden page reads its data when first shown
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


def test_shipped_sm_shows_esp12_subpractices_and_its_iso_and_rmm_links(
    qtbot, make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    """The real catalogs, as a user gets them: SM ESP1.2 with the seed's subpractices and its cross-model links."""
    installed = installed_catalog()
    path = tmp_path / "sm.appraisal"
    appraisals.create_appraisal(path, Plan(name="sm", scope=(ScopeEntry(PaKey("SM", "SM"), 2),)), installed).close()
    window = make_window(catalog_provider=installed_catalog, page_factories=page_factories(library=installed_catalog))
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document is not None, timeout=10000)
    page = window.page(ModelsPage)
    assert isinstance(page, ModelsPage)
    window.nav.setCurrentRow(window.page_list.index(page))
    # The appraisal keeps only the models it rates; the library view shows every installed model's links.
    page.source.setCurrentIndex(page.source.findData("library"))

    assert page.select(Ref("SM", "SM", "ESP1.2"))
    text = page.detail.toPlainText()
    assert "Establish an Approach to Threat Assessment" in text
    for subpractice in (
        "Select methods for assessing security threats.",
        "Define criteria for evaluating and quantifying security threats.",
        "Describe responsibility and resources for evaluating vulnerabilities and threats.",
    ):
        assert subpractice in text
    assert "4.2.1" in text and "Establish the ISMS" in text
    assert "RISK:SG1.SP2" in text and "VAR:SG1.SP2" in text

    page.detail.anchorClicked.emit(QUrl("ref:CERT-RMM|VAR|VAR:SG1.SP2"))
    assert page.tree.currentIndex().data(NODE_ROLE).ref == Ref("CERT-RMM", "VAR", "VAR:SG1.SP2")
