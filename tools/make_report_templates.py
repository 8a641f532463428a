"""Write the shipped Word report templates, resources/templates/report-{team,sponsor}.docx.

Run after changing the layout (`uv run python tools/make_report_templates.py`) and commit the two files. They
are ordinary docxtpl templates: an organisation can open one in Word, restyle it, and choose it for an
appraisal; docs/report-templates.md lists the fields. `appraisal-desk templates check` must find nothing in them
(tests/unit/services/test_report_docx.py checks).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "templates"
MARKING_RED = RGBColor(0xB3, 0x26, 0x1E)
HEAD_FILL = "37474F"


def _shade(cell: _Cell, colour: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    fill = OxmlElement("w:shd")
    fill.set(qn("w:val"), "clear")
    fill.set(qn("w:color"), "auto")
    fill.set(qn("w:fill"), colour)
    tc_pr.append(fill)


def _repeat_header(row: _Row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _page_field(paragraph: Paragraph) -> None:
    """A PAGE field, so every page says its number."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _loop_table(doc: DocxDocument, headers: list[str], loop: str, cells: list[str], widths: list[float]) -> Table:
    """A table with a heading row and one row per item: `{%tr for ... %}` and `{%tr endfor %}` rows around it."""
    table: Table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(headers):
        cell = table.rows[0].cells[i]
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        _shade(cell, HEAD_FILL)
    _repeat_header(table.rows[0])
    table.rows[1].cells[0].text = "{%tr for " + loop + " %}"
    for i, text in enumerate(cells):
        table.rows[2].cells[i].text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    _widths(table, widths)
    return table


def _widths(table: Table, widths: list[float]) -> None:
    """Fixed column widths (Word and LibreOffice read the grid; Word also each cell's own width)."""
    table.autofit = False
    for i, width in enumerate(widths):
        table.columns[i].width = Cm(width)
        for cell in table.columns[i].cells:
            cell.width = Cm(width)


def _pairs(doc: DocxDocument, rows: list[tuple[str, str]]) -> None:
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].text = ""
        row.cells[0].paragraphs[0].add_run(label).bold = True
        _shade(row.cells[0], "ECEFF1")
        row.cells[1].text = value
    _widths(table, [5, 12])


def _p(doc: DocxDocument, text: str, style: str | None = None) -> Paragraph:
    return doc.add_paragraph(text, style=style)


def _sampling(doc: DocxDocument) -> None:
    """The sampling factors, subgroups and units: the same tables in the report and the disclosure statement."""
    _p(doc, "Sampling factors", "Heading 2")
    _loop_table(
        doc,
        ["Factor", "Relevant", "Values", "Rationale"],
        "f in factors",
        ["{{ f.name }}", "{{ f.relevant }}", "{{ f.value_list }}", "{{ f.rationale }}"],
        [3.5, 2, 4, 7.5],
    )
    _p(doc, "Subgroups", "Heading 2")
    _loop_table(
        doc,
        ["Subgroup", "Factors", "Basic units", "People", "Sampled"],
        "g in subgroups",
        ["{{ g.name }}", "{{ g.factors }}", "{{ g.total_units }}", "{{ g.people }}", "{{ g.sampled_units }}"],
        [4, 6, 2.5, 2, 2.5],
    )
    _p(doc, "Basic units and support functions", "Heading 2")
    _loop_table(
        doc,
        ["Unit", "Kind", "Subgroup", "Sampled", "Process areas"],
        "u in units",
        ["{{ u.name }}", "{{ u.kind }}", "{{ u.subgroup }}", "{{ u.sampled }}", "{{ u.process_areas }}"],
        [4, 3, 3, 2, 5],
    )


def _scope(doc: DocxDocument) -> None:
    _loop_table(
        doc,
        ["Model", "Process area", "Target", "In scope"],
        "s in scope",
        [
            "{{ s.model }}",
            "{{ s.pa }} {{ s.name }}",
            "{{ s.target }}",
            "{% if s.excluded %}Excluded: {{ s.exclusion_reason }}{% else %}yes{% endif %}",
        ],
        [3, 7, 2, 5],
    )


def _team(doc: DocxDocument) -> None:
    _p(doc, "Appraisal team", "Heading 2")
    _loop_table(
        doc,
        ["Name", "Role", "Organization"],
        "m in team",
        ["{{ m.name }}", "{{ m.role }}", "{{ m.organization }}"],
        [6, 3, 8],
    )


def _signatures(doc: DocxDocument) -> None:
    _loop_table(
        doc,
        ["Role", "Name", "Signature", "Date"],
        "s in signatures",
        ["{{ s.role }}", "{{ s.name }}", "\n\n", ""],
        [3.5, 5, 5.5, 3],
    )


def _bullets(doc: DocxDocument, heading: str, items: str, level: int) -> None:
    """A heading and a bulleted list of the template's `items`, both left out when there are none."""
    _p(doc, f"{{%p if {items} %}}")
    _p(doc, heading, f"Heading {level}")
    _p(doc, f"{{%p for t in {items} %}}")
    _p(doc, "{{ t }}", "List Bullet")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p endif %}")


def build(edition: str) -> DocxDocument:
    team = edition == "team"
    doc = Document()
    doc.sections[0].orientation = WD_ORIENT.PORTRAIT
    _page(doc, "{{ appraisal.name }} · {{ edition_label }} · page ")

    # Cover
    _p(doc, "Appraisal report", "Title")
    _p(doc, "{{ appraisal.name }}", "Subtitle")
    _pairs(
        doc,
        [
            ("Appraisal ID", "{{ appraisal.id }}"),
            ("Organizational unit", "{{ appraisal.org_unit }}"),
            ("Sponsor", "{{ appraisal.sponsor }}"),
            ("Lead appraiser", "{{ appraisal.lead_appraiser }}"),
            ("Method", "{{ appraisal.method }}, {{ appraisal.scale }} characterization scale"),
            ("Dates", "{{ appraisal.dates }}"),
            ("Ratings valid until", "{{ appraisal.valid_until }}"),
            ("Edition", "{{ edition_label }}"),
            ("Produced", "{{ generated }}"),
        ],
    )
    _p(doc, "")
    _p(
        doc,
        "This report records the results of the appraisal for the organizational unit named above. "
        "Statements are about the organizational unit, not about any person or project (non-attribution).",
    )
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # 1 Scope and sampling
    _p(doc, "1  Scope and sampling", "Heading 1")
    _p(doc, "{{ appraisal.org_unit_description }}")
    _p(doc, "Models", "Heading 2")
    _loop_table(
        doc,
        ["Model", "Version", "Name"],
        "m in appraisal.models",
        ["{{ m.key }}", "{{ m.version }}", "{{ m.name }}"],
        [3.5, 2.5, 11],
    )
    _p(doc, "Process areas in scope", "Heading 2")
    _scope(doc)
    _sampling(doc)

    # 2 Capability profile
    _p(doc, "2  Capability profile", "Heading 1")
    _p(doc, "{{ profile_chart }}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    _p(doc, "Maturity level: {{ maturity }}. Equivalent staging: {{ equivalent_staging }}.")
    _loop_table(
        doc,
        ["Process area", "Target", "Reached", "Status", "Goals satisfied"],
        "pa in process_areas",
        ["{{ pa.label }}", "{{ pa.target }}", "{{ pa.capability }}", "{{ pa.status }}", "{{ pa.goals_satisfied }}"],
        [7, 2, 2, 3, 3],
    )

    # 3 Goal ratings
    _p(doc, "3  Goal ratings", "Heading 1")
    _p(doc, "{%p for pa in process_areas %}")
    _p(doc, "{{ pa.label }}: {{ pa.capability }}", "Heading 2")
    if team:
        _loop_table(
            doc,
            ["Goal", "Statement", "Rating", "Why"],
            "g in pa.goals",
            [
                "{{ g.code }}",
                "{{ g.title }}",
                "{{ g.rating }}",
                "{{ g.reasons }}{% if g.override %} Team: {{ g.override }}{% endif %}",
            ],
            [1.6, 4.4, 2.2, 8.8],
        )
    else:
        _loop_table(
            doc,
            ["Goal", "Statement", "Rating"],
            "g in pa.goals",
            ["{{ g.code }}", "{{ g.title }}", "{{ g.rating }}"],
            [2, 12, 3],
        )
    _p(doc, "{%p endfor %}")

    # 4 Findings by process area
    _p(doc, "4  Findings", "Heading 1")
    _p(
        doc,
        "Validated findings, by process area. {% if withheld_findings %}{{ withheld_findings }} finding(s) "
        "naming a participant or unit are withheld until reworded.{% endif %}",
    )
    _p(doc, "{%p for pa in process_areas %}")
    _p(doc, "{{ pa.label }}", "Heading 2")
    _bullets(doc, "Strengths", "pa.strengths", 3)
    _bullets(doc, "Weaknesses", "pa.weaknesses", 3)
    _bullets(doc, "Improvement opportunities", "pa.improvements", 3)
    _p(doc, "{%p if not (pa.strengths or pa.weaknesses or pa.improvements) %}")
    _p(doc, "No validated finding about this process area.")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p endfor %}")
    _bullets(doc, "Across the organizational unit", "organization_findings", 2)
    if team:
        _p(doc, "Deficiencies behind the ratings", "Heading 2")
        _loop_table(
            doc,
            ["Process area", "Item", "Rating", "Weaknesses"],
            "d in deficiencies",
            ["{{ d.pa }}", "{{ d.code }} {{ d.title }}", "{{ d.rating }}", "{{ d.weaknesses }}"],
            [2.5, 5.5, 2, 7],
        )

    # 5 Coverage
    _p(doc, "5  Coverage of objective evidence", "Heading 1")
    _p(doc, "{{ coverage.statement }}")
    _loop_table(
        doc,
        ["Rule", "What it requires", "Open gaps"],
        "r in coverage.rules",
        ["{{ r.name }}", "{{ r.text }}", "{{ r.gaps }}"],
        [3, 11.5, 2.5],
    )

    # Appendix: disclosure
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _p(doc, "Appendix A  Disclosure", "Heading 1")
    _pairs(
        doc,
        [
            ("Appraisal", "{{ appraisal.name }}"),
            ("Appraisal ID", "{{ appraisal.id }}"),
            ("Method", "{{ appraisal.method }}; {{ appraisal.scale }} scale"),
            ("Dates", "{{ appraisal.dates }}"),
            ("Ratings valid until", "{{ appraisal.valid_until }}"),
            ("Sponsor", "{{ appraisal.sponsor }}"),
            ("Lead appraiser", "{{ appraisal.lead_appraiser }}"),
            ("Organizational unit", "{{ appraisal.org_unit }}"),
            ("Maturity level", "{{ maturity }}"),
        ],
    )
    _team(doc)
    _p(doc, "Signatures", "Heading 2")
    _p(
        doc,
        "By signing, the lead appraiser affirms that the appraisal was conducted as planned and the ratings rest on "
        "the objective evidence; the sponsor and the team affirm the results as stated.",
    )
    _signatures(doc)
    return doc


def _page(doc: DocxDocument, footer_text: str) -> None:
    """A4 with the marking in the header and footer, and `footer_text` before the page number."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2.2)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    for part in (section.header, section.footer):
        para = part.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run("{{ marking }}")
        run.bold = True
        run.font.size = Pt(9)
        run.font.color.rgb = MARKING_RED
    footer = section.footer.add_paragraph()
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(footer_text).font.size = Pt(8)
    _page_field(footer)


def build_disclosure() -> DocxDocument:
    """The appraisal disclosure statement (method-rules §6), part of `appraisal-desk export record`."""
    doc = Document()
    _page(doc, "Appraisal disclosure statement · {{ appraisal.id }} · page ")
    _p(doc, "Appraisal disclosure statement", "Title")
    _p(doc, "{{ appraisal.name }}", "Subtitle")
    _p(doc, "1  Identification", "Heading 1")
    _pairs(
        doc,
        [
            ("Appraisal ID", "{{ appraisal.id }}"),
            ("Dates", "{{ appraisal.dates }}"),
            ("Method and version", "{{ appraisal.method }} ({{ appraisal.scale }} characterization scale)"),
            ("Sponsor", "{{ appraisal.sponsor }}"),
            ("Lead appraiser", "{{ appraisal.lead_appraiser }}"),
            ("Ratings valid until", "{{ appraisal.valid_until }}"),
        ],
    )
    _team(doc)
    _p(doc, "2  Organizational unit and sampling", "Heading 1")
    _p(doc, "{{ appraisal.org_unit }}: {{ appraisal.org_unit_description }}")
    _sampling(doc)
    _p(doc, "3  Model scope", "Heading 1")
    _p(doc, "{%p for m in appraisal.models %}")
    _p(doc, "{{ m.name }} ({{ m.key }} {{ m.version }})", "List Bullet")
    _p(doc, "{%p endfor %}")
    _scope(doc)
    _p(doc, "4  Ratings", "Heading 1")
    _p(doc, "Maturity level: {{ maturity }}. Equivalent staging: {{ equivalent_staging }}.")
    _loop_table(
        doc,
        ["Process area", "Target", "Capability level", "Goals satisfied"],
        "pa in process_areas",
        ["{{ pa.label }}", "{{ pa.target }}", "{{ pa.capability }}", "{{ pa.goals_satisfied }}"],
        [8, 2.5, 3.5, 3],
    )
    _p(doc, "5  Affirmation and signatures", "Heading 1")
    _p(
        doc,
        "The lead appraiser affirms that the appraisal was conducted in accordance with the method and that the "
        "ratings rest on the objective evidence; the sponsor affirms the accuracy of the organizational scope; the "
        "team members affirm the results. The ratings are valid until {{ appraisal.valid_until }}.",
    )
    _signatures(doc)
    return doc


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for edition in ("team", "sponsor"):
        target = OUT / f"report-{edition}.docx"
        build(edition).save(str(target))
        print(f"wrote {target.relative_to(ROOT)}")
    target = OUT / "disclosure-statement.docx"
    build_disclosure().save(str(target))
    print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
