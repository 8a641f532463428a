"""The Word report: the demo's report read back with python-docx, the marking on every page, no participant's
name in any XML part, the refusal of an appraisal that is not ready, templates kept with the appraisal, and
`templates check` finding broken tags and unknown fields where they are."""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from docx.shared import Cm
from sqlalchemy import select

from app.domain.catalog import Catalog
from app.domain.report import DEFAULT_MARKINGS, Edition
from app.domain.report_fields import FIELDS, field_paths
from app.services import report_exports
from app.services.report_exports import NotReady, TemplateProblems
from app.services.workspace import Workspace
from app.storage.errors import KnownError
from app.storage.report_docx import default_template
from app.storage.schema import Participant
from app.storage.template_check import check_template
from tests.unit.services.output_appraisal import PARTICIPANTS, make_output_appraisal
from tests.unit.services.ready_demo import make_ready_demo

DOCS = Path(__file__).resolve().parents[3] / "docs" / "report-templates.md"


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = make_ready_demo(tmp_path_factory.mktemp("demo") / "demo.appraisal")
    yield ws
    ws.close()


@pytest.fixture
def named_ws(tmp_path: Path, catalog: Catalog) -> Iterator[Workspace]:
    ws = make_output_appraisal(tmp_path / "o.appraisal", catalog)
    yield ws
    ws.close()


def xml_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {n: html.unescape(archive.read(n).decode("utf-8", "replace")) for n in archive.namelist()}


def names_of(ws: Workspace) -> list[str]:
    with ws.uow() as uow:
        return sorted(set(uow.session.scalars(select(Participant.name))))


def assert_no_names(path: Path, names: list[str]) -> None:
    for part, text in xml_parts(path).items():
        for name in names:
            assert name.casefold() not in text.casefold(), f"{name!r} leaked into {part}"


@pytest.mark.parametrize("edition", list(Edition))
def test_the_demo_report_holds_its_sections_tables_chart_and_marking(
    demo_ws: Workspace, tmp_path: Path, edition: Edition
) -> None:
    out = tmp_path / f"{edition.value}.docx"
    result = report_exports.export_docx(demo_ws, out, edition)
    assert result.marking == DEFAULT_MARKINGS[edition]
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings == [
        "1  Scope and sampling",
        "2  Capability profile",
        "3  Goal ratings",
        "4  Findings",
        "5  Coverage of objective evidence",
        "Appendix A  Disclosure",
    ]
    texts = "\n".join(p.text for p in document.paragraphs)
    assert "{{" not in texts and "{%" not in texts
    assert "IRP Incident Resolution and Prevention" in texts
    # One goal-rating table per process area, each with a row per goal.
    goal_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Goal"]
    assert len(goal_tables) == result.process_areas == 14
    assert any(row.cells[2].text == "Unsatisfied" for t in goal_tables for row in t.rows)
    why = [t for t in goal_tables if len(t.columns) == 4]
    assert bool(why) is (edition is Edition.TEAM), "only the team edition gives the goals' reasons"
    # The capability profile is a picture in the body.
    assert len(document.inline_shapes) == 1
    assert document.inline_shapes[0].width == pytest.approx(Cm(16.5), rel=0.01)
    # The marking is in the header and the footer of every section.
    for section in document.sections:
        assert result.marking in section.header.paragraphs[0].text
        assert result.marking in section.footer.paragraphs[0].text
    signatures = document.tables[-1]
    assert [r.cells[0].text for r in signatures.rows][:3] == ["Role", "Lead appraiser", "Sponsor"]
    assert_no_names(out, names_of(demo_ws))


def test_no_participant_name_reaches_any_part_of_either_edition(named_ws: Workspace, tmp_path: Path) -> None:
    for edition in Edition:
        out = tmp_path / f"{edition.value}.docx"
        report_exports.export_docx(named_ws, out, edition, draft=True)
        assert_no_names(out, list(PARTICIPANTS))
        assert "[name withheld]" in "".join(xml_parts(out).values()) or edition is Edition.SPONSOR


def test_a_report_is_refused_while_the_appraisal_is_not_ready(named_ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    with pytest.raises(NotReady) as caught:
        report_exports.export_docx(named_ws, out, Edition.SPONSOR)
    assert not out.exists()
    assert len(caught.value.blockers) == 3
    assert all("preliminary" in line for line in caught.value.blockers)
    assert "--draft" in str(caught.value)
    for name in PARTICIPANTS:
        assert name not in str(caught.value)
    result = report_exports.export_docx(named_ws, out, Edition.SPONSOR, draft=True)
    assert result.marking.startswith("DRAFT - ")
    assert result.marking in docx.Document(str(out)).sections[0].header.paragraphs[0].text


def test_the_shipped_templates_have_no_problem() -> None:
    for edition in Edition:
        assert check_template(default_template(edition.value)) == []


def make_template(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "{{ marking }}"
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    document.save(str(path))
    return path


def test_templates_check_reports_three_broken_tags_with_their_places(tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "t.docx",
        ["Report for {{ appraisal.name }}", "Sponsor: {{ appraisal.sponsor", "{% for pa in process_areas %}"],
        [["Area", "Rating"], ["{{ pa.label }}", "{{ pa.capability }"], ["{% endif %}", ""]],
    )
    problems = check_template(template.read_bytes())
    assert [(p.place, p.message.split(" (")[0]) for p in problems] == [
        ("paragraph 2", "“{{” is not closed by “}}” in the same paragraph"),
        ("table 1, row 2, cell 2", "“{{” is not closed by “}}” in the same paragraph"),
        ("table 1, row 3, cell 1", "“endif” closes the {% for %} opened at paragraph 3"),
    ]


def test_templates_check_names_unknown_fields_and_suggests_the_right_one(tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "t.docx",
        [
            "{{ apraisal.name }}",
            "{%p for pa in process_areas %}",
            "{{ pa.capabilty }} {{ pa.label|upper }}",
            "{%p endfor %}",
            "{{ pa.label }}",
        ],
    )
    problems = [str(p) for p in check_template(template.read_bytes())]
    assert problems == [
        "paragraph 1: {{ apraisal.name }}  unknown field “apraisal” (did you mean “appraisal”?)",
        "paragraph 3: {{ pa.capabilty }}  unknown field “pa.capabilty”: pa has no field “capabilty” (did you mean “capability”?)",
        "paragraph 5: {{ pa.label }}  unknown field “pa”",
    ]


def test_a_report_from_a_custom_template_renders_its_findings_table(demo_ws: Workspace, tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "org.docx",
        ["Findings of {{ appraisal.name }} ({{ appraisal.id }})"],
        [
            ["Area", "Kind", "Finding"],
            ["{%tr for f in findings %}", "", ""],
            ["{{ f.pa }}", "{{ f.kind_label }}", "{{ f.text }}"],
            ["{%tr endfor %}", "", ""],
        ],
    )
    report_exports.set_template(demo_ws, Edition.SPONSOR, template)
    try:
        assert report_exports.template_info(demo_ws, Edition.SPONSOR).file_name == "org.docx"
        out = tmp_path / "r.docx"
        report_exports.export_docx(demo_ws, out, Edition.SPONSOR)
        document = docx.Document(str(out))
        rows = document.tables[0].rows
        body = [[c.text for c in r.cells] for r in rows[1:]]
        assert len(body) >= 5
        assert all(kind in ("Strength", "Weakness", "Improvement opportunity") for _pa, kind, _t in body)
        assert ["IRP", "Weakness"] in [row[:2] for row in body]
        assert document.sections[0].header.paragraphs[0].text == DEFAULT_MARKINGS[Edition.SPONSOR]
    finally:
        report_exports.clear_template(demo_ws, Edition.SPONSOR)
    assert report_exports.template_info(demo_ws, Edition.SPONSOR).shipped


def test_a_template_with_problems_is_not_kept_and_makes_no_report(demo_ws: Workspace, tmp_path: Path) -> None:
    bad = make_template(tmp_path / "bad.docx", ["{{ appraisal.nam }}"])
    with pytest.raises(TemplateProblems) as caught:
        report_exports.set_template(demo_ws, Edition.TEAM, bad)
    assert "paragraph 1" in str(caught.value)
    assert report_exports.template_info(demo_ws, Edition.TEAM).shipped
    out = tmp_path / "r.docx"
    with pytest.raises(TemplateProblems):
        report_exports.export_docx(demo_ws, out, template=bad)
    assert not out.exists()
    not_docx = tmp_path / "notes.docx"
    not_docx.write_text("plain text")
    with pytest.raises(KnownError, match="not a Word document"):
        report_exports.check_template_file(not_docx)


def test_the_docs_list_every_field() -> None:
    text = DOCS.read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([a-z_\[\].]+)` \|", text, flags=re.MULTILINE))
    assert listed == {path for path, _f in field_paths()}
    # A field named like a dict method would show the method instead of the value in Jinja.
    assert not {f.name for _p, f in field_paths(FIELDS)} & set(dir(dict))
