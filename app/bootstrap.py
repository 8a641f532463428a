"""Composition root: builds the services and the window and wires them together. No singletons."""

from __future__ import annotations

from app.services.appraisals import current_user
from app.services.catalogs import installed_catalog
from app.ui.main_window import MainWindow
from app.ui.pages import page_factories
from app.ui.settings import UiSettings


def build_main_window(settings: UiSettings | None = None) -> MainWindow:
    settings = settings or UiSettings()
    return MainWindow(
        settings=settings,
        catalog_provider=installed_catalog,
        page_factories=page_factories(),
        user_name=settings.user_name() or current_user(),
        demo_factory=None,
    )
