"""The workbench pages, in navigation order."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from app.domain.catalog import Catalog
from app.ui.common.page import Page


def page_factories(
    *,
    library: Callable[[], Catalog] | None = None,
    importer: Callable[[Path], str] | None = None,
    template_writer: Callable[[Path], None] | None = None,
) -> list[Callable[[], Page]]:
    from app.ui.catalog.models_page import ModelsPage
    from app.ui.characterize.characterize_page import CharacterizePage
    from app.ui.coverage.coverage_page import CoveragePage
    from app.ui.evidence.evidence_page import EvidencePage
    from app.ui.findings.findings_page import FindingsPage
    from app.ui.interviews.interviews_page import InterviewsPage
    from app.ui.overview.overview_page import OverviewPage
    from app.ui.plan.plan_page import PlanPage
    from app.ui.ratings.ratings_page import RatingsPage

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
