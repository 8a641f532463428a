"""The workbench pages, in navigation order."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from app.domain.catalog import Catalog
from app.ui.pages.base import Page


def page_factories(
    *,
    library: Callable[[], Catalog] | None = None,
    importer: Callable[[Path], str] | None = None,
    template_writer: Callable[[Path], None] | None = None,
) -> list[Callable[[], Page]]:
    from app.ui.pages.characterize_page import CharacterizePage
    from app.ui.pages.coverage_page import CoveragePage
    from app.ui.pages.evidence_page import EvidencePage
    from app.ui.pages.findings_page import FindingsPage
    from app.ui.pages.interviews_page import InterviewsPage
    from app.ui.pages.models_page import ModelsPage
    from app.ui.pages.overview_page import OverviewPage
    from app.ui.pages.plan_page import PlanPage
    from app.ui.pages.ratings_page import RatingsPage

    return [
        OverviewPage,
        PlanPage,
        EvidencePage,
        InterviewsPage,
        CoveragePage,
        CharacterizePage,
        FindingsPage,
        RatingsPage,
        partial(ModelsPage, library, importer, template_writer),
    ]
