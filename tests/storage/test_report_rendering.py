"""The Word report and the briefing as LibreOffice renders them: converted to PDF without error, the marking on
every page, and no word outside its page (text running off a page or a slide)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.report import DEFAULT_MARKINGS, Edition
from app.services import report_exports
from app.services.workspace import Workspace
from tests.office import Page, Word, missing_tools, pages, to_pdf
from tests.unit.services.ready_demo import make_ready_demo

pytestmark = pytest.mark.skipif(missing_tools() is not None, reason=missing_tools() or "")
EDGE = 0.5
"""Points a word may touch the page edge by (rounding in pdftotext's boxes)."""


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = make_ready_demo(tmp_path_factory.mktemp("demo") / "demo.appraisal")
    yield ws
    ws.close()


def off_page(page: Page) -> list[str]:
    return [
        w.text
        for w in page.words
        if w.x_min < -EDGE or w.y_min < -EDGE or w.x_max > page.width + EDGE or w.y_max > page.height + EDGE
    ]


def check_rendered(pdf: Path, marking: str) -> list[Page]:
    rendered = pages(pdf)
    assert rendered, f"{pdf.name} has no pages"
    for number, page in enumerate(rendered, start=1):
        assert marking in page.text, f"page {number} of {pdf.name} lacks the marking"
        assert off_page(page) == [], f"page {number} of {pdf.name}: text off the page"
    return rendered


@pytest.mark.parametrize("edition", list(Edition))
def test_the_word_report_renders_marked_on_every_page(demo_ws: Workspace, tmp_path: Path, edition: Edition) -> None:
    source = tmp_path / f"report-{edition.value}.docx"
    report_exports.export_docx(demo_ws, source, edition)
    rendered = check_rendered(to_pdf(source, tmp_path), DEFAULT_MARKINGS[edition])
    assert len(rendered) >= 5
    assert "Appendix A Disclosure" in rendered[-1].text or "Appendix A" in " ".join(p.text for p in rendered[-2:])


def test_the_briefing_renders_marked_on_every_slide(demo_ws: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "briefing.pptx"
    result = report_exports.export_pptx(demo_ws, source, Edition.SPONSOR)
    rendered = check_rendered(to_pdf(source, tmp_path), result.marking)
    assert len(rendered) == result.process_areas + 4
    assert rendered[0].text.startswith("Final findings")


def test_a_word_past_the_edge_counts_as_off_the_page() -> None:
    inside = Word("fits", 10, 10, 100, 20)
    beyond = Word("overflow", 500, 10, 620, 20)
    assert off_page(Page(595, 842, (inside, beyond))) == ["overflow"]
    assert off_page(Page(595, 842, (inside,))) == []
