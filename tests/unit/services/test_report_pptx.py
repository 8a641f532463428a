"""The final findings briefing: the demo's deck read back with python-pptx (placeholders, a native chart, the
marking on every slide, notes only in the team edition), no participant name in any part, bodies sized to fit."""

from __future__ import annotations

import html
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu

from app.domain.catalog import Catalog
from app.domain.report import DEFAULT_MARKINGS, Edition
from app.services import report_exports
from app.services.report_exports import NotReady
from app.services.workspace import Workspace
from app.storage.briefing_pptx import Line, body_size, split_to_fit
from tests.unit.services.output_appraisal import PARTICIPANTS, make_output_appraisal
from tests.unit.services.ready_demo import make_ready_demo
from tests.unit.services.test_report_docx import assert_no_names, names_of


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = make_ready_demo(tmp_path_factory.mktemp("demo") / "demo.appraisal")
    yield ws
    ws.close()


@pytest.mark.parametrize("edition", list(Edition))
def test_the_demo_briefing_has_its_slides_chart_marking_and_notes(
    demo_ws: Workspace, tmp_path: Path, edition: Edition
) -> None:
    out = tmp_path / "b.pptx"
    result = report_exports.export_pptx(demo_ws, out, edition)
    deck = Presentation(str(out))
    slides = list(deck.slides)
    titles = [s.shapes.title.text for s in slides]
    assert titles[:3] == ["Final findings", "Scope", "Capability profile"]
    assert titles[-1] == "Next steps"
    assert "IRP Incident Resolution and Prevention: CL0 (target CL2)" in titles
    assert len(slides) == 3 + result.process_areas + 1
    for slide in slides:
        footers = [p for p in slide.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.FOOTER]
        assert [f.text for f in footers] == [DEFAULT_MARKINGS[edition]]
        assert footers[0].top + footers[0].height <= deck.slide_height
    charts = [shape for shape in slides[2].shapes if shape.has_chart]
    assert len(charts) == 1
    chart = charts[0].chart
    assert [s.name for s in chart.plots[0].series] == ["Reached", "Target"]
    assert list(chart.plots[0].categories)[:2] == ["SM", "IRP"]
    irp = slides[titles.index("IRP Incident Resolution and Prevention: CL0 (target CL2)")]
    body = irp.placeholders[1].text_frame.text
    assert body.startswith("Goals: SG1 Satisfied · SG2 Satisfied · SG3 Unsatisfied")
    assert "Weaknesses" in body
    with_notes = [s for s in slides if s.has_notes_slide and s.notes_slide.notes_text_frame.text.strip()]
    if edition is Edition.TEAM:
        assert len(with_notes) == result.process_areas
        assert "SG3 Unsatisfied: " in irp.notes_slide.notes_text_frame.text
    else:
        assert with_notes == []
        with zipfile.ZipFile(out) as archive:
            assert not [n for n in archive.namelist() if "notesSlide" in n]
    assert_no_names(out, names_of(demo_ws))


def test_no_participant_name_reaches_the_briefing(tmp_path: Path, catalog: Catalog) -> None:
    ws = make_output_appraisal(tmp_path / "o.appraisal", catalog)
    try:
        with pytest.raises(NotReady):
            report_exports.export_pptx(ws, tmp_path / "b.pptx")
        assert not (tmp_path / "b.pptx").exists()
        for edition in Edition:
            out = tmp_path / f"{edition.value}.pptx"
            report_exports.export_pptx(ws, out, edition, draft=True)
            assert_no_names(out, list(PARTICIPANTS))
            with zipfile.ZipFile(out) as archive:
                texts = [html.unescape(archive.read(n).decode("utf-8", "replace")) for n in archive.namelist()]
            assert any("DRAFT - " in text for text in texts)
    finally:
        ws.close()


def test_long_bodies_shrink_then_continue_on_another_slide() -> None:
    width, height = 8229600, 4525963
    short = [Line("Goals: SG1 Satisfied", 0, True), Line("Strengths", 0, True), Line("One strength.", 1)]
    assert body_size(short, width, height) == 20
    many = [Line("Goals: SG1 Satisfied", 0, True), Line("Weaknesses", 0, True)]
    many += [Line(f"Weakness {n}: " + "the process is not followed consistently " * 3, 1) for n in range(30)]
    assert body_size(many, width, height) is None
    pages = split_to_fit(many, width, height)
    assert len(pages) > 1
    assert [line for page in pages for line in page if not line.text.endswith("(continued)")] == many
    assert pages[1][0] == Line("Weaknesses (continued)", 0, True)
    for page in pages:
        size = body_size(page, width, height)
        assert size is not None and size >= 12
    assert Emu(height).pt > 300
