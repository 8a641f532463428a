"""The workbench pages, in navigation order."""

from __future__ import annotations

from collections.abc import Callable

from app.ui.pages.base import Page


def page_factories() -> list[Callable[[], Page]]:
    from app.ui.pages.overview_page import OverviewPage

    return [OverviewPage]
