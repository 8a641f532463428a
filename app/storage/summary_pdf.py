"""The PDF appraisal summary (reportlab platypus), written from plain report data.

Every page carries the confidentiality marking (top and bottom) and "Page n of m". Text is set in DejaVu Sans,
shipped in `resources/fonts/`, so every name prints whatever its script; all text from the appraisal is
escaped before it reaches reportlab's paragraph markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.domain.plan import UnitKind
from app.domain.report import Edition, ProcessAreaReport, ReportData
from app.storage import workbook_layout as palette
from app.storage.errors import KnownError
from app.storage.output_files import OutputTarget, write_atomically
from app.storage.resources import resources_dir

Progress = Callable[[int, int, str], None]
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf",
}
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
FURNITURE_GAP = 10
"""Points between the marking and the texts either side of it in the header and footer."""
MARKING_SIZES = (8.5, 8.0, 7.5, 7.0, 6.5)
MARKING_WRAPPED_SIZE = 7.0
MAX_MARKING_LINES = 3
INK = colors.HexColor("#263238")
MUTED = colors.HexColor("#5f6368")
RULE = colors.HexColor("#cfd8dc")
MARKING = colors.HexColor("#" + palette.MARKING_COLOUR)
BARS_PER_CHART = 26
GAPS_LISTED = 300


def _silent(_done: int, _total: int, _label: str) -> None:
    return None


def register_fonts(folder: Path | None = None) -> None:
    """Register DejaVu Sans (once per process) from the shipped fonts folder."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    where = folder or resources_dir() / "fonts"
    try:
        for name, file_name in FONT_FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(where / file_name)))
    except Exception as exc:
        raise KnownError(f"Appraisal Desk is incomplete: the fonts for PDF summaries are missing ({exc}).") from None
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic="DejaVuSans-Oblique", boldItalic="DejaVuSans-BoldOblique"
    )


def _hex(colour: str) -> colors.Color:
    return colors.HexColor("#" + colour)


class _Styles:
    def __init__(self) -> None:
        self.body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK, spaceAfter=4)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8.2, leading=10.5, spaceAfter=0)
        self.small_bold = ParagraphStyle("small_bold", parent=self.small, fontName=FONT_BOLD)
        self.head = ParagraphStyle("head", parent=self.small, fontName=FONT_BOLD, textColor=colors.white)
        self.muted = ParagraphStyle("muted", parent=self.body, fontSize=8.5, textColor=MUTED)
        self.h1 = ParagraphStyle(
            "h1", parent=self.body, fontName=FONT_BOLD, fontSize=15, leading=19, spaceBefore=4, spaceAfter=8
        )
        self.h2 = ParagraphStyle(
            "h2", parent=self.body, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4
        )
        self.title = ParagraphStyle("title", parent=self.body, fontName=FONT_BOLD, fontSize=26, leading=32)
        self.subtitle = ParagraphStyle("subtitle", parent=self.body, fontSize=14, leading=19, textColor=MUTED)
        self.marking = ParagraphStyle(
            "marking", parent=self.body, fontName=FONT_BOLD, fontSize=11, textColor=MARKING, alignment=TA_CENTER
        )


def _p(text: str | None, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: escaped, line breaks kept."""
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def _table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    styles: _Styles,
    *,
    extra: Iterable[tuple[Any, ...]] = (),
) -> Table:
    """A table whose first row is the header; plain strings become wrapped paragraphs."""
    body = [
        [_p(c, styles.head if r == 0 else styles.small) if isinstance(c, str) or c is None else c for c in row]
        for r, row in enumerate(rows)
    ]
    table = Table(body, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (-1, 0), _hex(palette.HEADER_FILL)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                *extra,
            ]
        )
    )
    return table


def _fill(cell: tuple[int, int], colour: str) -> list[tuple[Any, ...]]:
    return [("BACKGROUND", cell, cell, _hex(colour))]


def _rating_cell(text: str, colour: str | None, styles: _Styles) -> Paragraph:
    if colour is None:
        return _p(text, styles.small)
    style = ParagraphStyle(
        "rating", parent=styles.small_bold, textColor=colors.HexColor("#" + palette.text_colour(colour))
    )
    return _p(text, style)


# --- page furniture ---------------------------------------------------------------------------------------


def _canvas_class(data: ReportData) -> type[Canvas]:
    """A canvas that remembers its pages so each can say "Page n of m" once the total is known."""
    marking = data.marking
    name = data.header.name
    edition = data.edition.label

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Otherwise every page also references Helvetica, which cannot print most scripts.
            kwargs["initialFontName"] = FONT
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._furniture(number, total)
                super().showPage()
            super().save()

        def _furniture(self, number: int, total: int) -> None:
            self.saveState()
            page = f"Page {number} of {total}"
            # The marking keeps to the middle, clear of "Page n of m" and the edition label on the right (and
            # of as much room on the left); a long one shrinks, then wraps onto up to three lines.
            side = max(pdfmetrics.stringWidth(t, FONT, 7.5) for t in (page, edition, f"Page {total} of {total}"))
            zone = BODY_WIDTH - 2 * (side + FURNITURE_GAP)
            size, lines = _marking_lines(marking, zone)
            lead = size * 1.2
            self.setFont(FONT_BOLD, size)
            self.setFillColor(MARKING)
            for n, line in enumerate(lines):
                # The header's lines stack upwards from above the rule, the footer's downwards from below it.
                self.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 11 * mm + (len(lines) - 1 - n) * lead, line)
                self.drawCentredString(PAGE_WIDTH / 2, 9 * mm - n * lead, line)
            self.setFont(FONT, 7.5)
            self.setFillColor(MUTED)
            widest = max(pdfmetrics.stringWidth(line, FONT_BOLD, size) for line in lines)
            room = PAGE_WIDTH / 2 - widest / 2 - MARGIN - FURNITURE_GAP
            self.drawString(MARGIN, 9 * mm, _fit(name, room))
            self.drawRightString(PAGE_WIDTH - MARGIN, 9 * mm, page)
            self.drawRightString(PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 11 * mm, edition)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, PAGE_HEIGHT - 13 * mm, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 13 * mm)
            self.line(MARGIN, 12.5 * mm, PAGE_WIDTH - MARGIN, 12.5 * mm)
            self.restoreState()

    return NumberedCanvas


def _marking_lines(marking: str, width: float) -> tuple[float, list[str]]:
    """The font size and lines that fit `marking` into `width` points: one line from 8.5 down to 6.5 points,
    else wrapped at 7 points (a 160-character marking takes two lines on A4)."""
    for size in MARKING_SIZES:
        if pdfmetrics.stringWidth(marking, FONT_BOLD, size) <= width:
            return size, [marking]
    size = MARKING_WRAPPED_SIZE
    lines = simpleSplit(marking, FONT_BOLD, size, width)
    # A single word wider than the zone (a pasted URL) is cut rather than let it run off the page.
    return size, [_fit_bold(line, width, size) for line in lines[:MAX_MARKING_LINES]]


def _fit_bold(text: str, width: float, size: float) -> str:
    if pdfmetrics.stringWidth(text, FONT_BOLD, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT_BOLD, size) > width:
        text = text[:-1]
    return text + "…"


def _fit(text: str, width: float, size: float = 7.5) -> str:
    """`text`, shortened with an ellipsis until it fits `width` points."""
    if pdfmetrics.stringWidth(text, FONT, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text.rstrip() + "…" if text else ""


def _swatch(x: float, y: float, colour: str) -> Rect:
    box = Rect(x, y, 8, 7)
    box.fillColor = _hex(colour)
    box.strokeColor = None
    return box


# --- the capability chart ---------------------------------------------------------------------------------


def _profile_chart(areas: Sequence[ProcessAreaReport], max_level: int) -> Drawing:
    """Bars up to each process area's capability level, a marker at its target; Not Rated said in words."""
    label_width = 62.0
    row = 15.0
    height = row * len(areas) + 40
    drawing = Drawing(BODY_WIDTH, height)
    drawing.initialFontName = FONT  # type: ignore[attr-defined]  # else the renderer starts in Helvetica
    chart = HorizontalBarChart()
    chart.x = int(label_width)
    chart.y = 28
    chart.width = int(BODY_WIDTH - label_width - 70)
    chart.height = int(row * len(areas))
    # A sliver for CL0 and Not Rated, so every row shows a bar in its colour.
    chart.data = [[pa.capability_level or 0.04 * max_level for pa in areas]]
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max_level
    chart.valueAxis.valueStep = 1
    chart.valueAxis.labelTextFormat = "CL%d"
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = RULE
    chart.categoryAxis.categoryNames = [pa.pa for pa in areas]
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.barWidth = int(row * 0.6)
    chart.groupSpacing = int(row * 0.4)
    chart.bars.strokeColor = None
    for n, pa in enumerate(areas):
        level = pa.capability_level
        colour = palette.CAPABILITY_COLOURS.get(level, palette.GOAL_COLOURS["Not Rated"]) if level is not None else None
        chart.bars[(0, n)].fillColor = _hex(colour or palette.GOAL_COLOURS["Not Rated"])
    drawing.add(chart)
    per_level = chart.width / max_level
    for n, pa in enumerate(areas):
        centre = chart.y + chart.height - (n + 0.5) * row
        value_x = chart.x + (pa.capability_level or 0.04 * max_level) * per_level
        text = pa.capability_text if pa.capability_level is not None else "Not Rated"
        drawing.add(String(value_x + 4, centre - 2.5, text, fontName=FONT, fontSize=7, fillColor=MUTED))
        if pa.target_capability_level is not None:
            x = chart.x + pa.target_capability_level * per_level
            drawing.add(Line(x, centre - row * 0.42, x, centre + row * 0.42, strokeColor=INK, strokeWidth=1.6))
            drawing.add(
                Polygon([x - 3, centre + row * 0.5, x + 3, centre + row * 0.5, x, centre + row * 0.3], fillColor=INK)
            )
    legend_y = 6
    x = chart.x
    for level in range(max_level + 1):
        colour = palette.CAPABILITY_COLOURS.get(level)
        if colour is None:
            continue
        drawing.add(_swatch(x, legend_y, colour))
        drawing.add(String(x + 11, legend_y + 0.5, f"CL{level}", fontName=FONT, fontSize=7, fillColor=INK))
        x += 38
    drawing.add(_swatch(x, legend_y, palette.GOAL_COLOURS["Not Rated"]))
    drawing.add(String(x + 11, legend_y + 0.5, "Not Rated", fontName=FONT, fontSize=7, fillColor=INK))
    x += 58
    drawing.add(Line(x + 4, legend_y - 1, x + 4, legend_y + 8, strokeColor=INK, strokeWidth=1.6))
    drawing.add(String(x + 10, legend_y + 0.5, "target level", fontName=FONT, fontSize=7, fillColor=INK))
    return drawing


# --- sections -----------------------------------------------------------------------------------------------


class _Summary:
    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.s = _Styles()
        self.team = data.edition is Edition.TEAM

    def pairs(self, rows: Sequence[tuple[str, str]], key_width: float = 42 * mm) -> Table:
        body = [[_p(k, self.s.small_bold), _p(v, self.s.small)] for k, v in rows]
        table = Table(body, colWidths=[key_width, BODY_WIDTH - key_width])
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), FONT),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return table

    def cover(self) -> list[Flowable]:
        d, h, s = self.data, self.data.header, self.s
        areas = d.process_areas
        meets = sum(1 for pa in areas if pa.status == "Meets target")
        below = sum(1 for pa in areas if pa.status == "Below target")
        not_rated = sum(1 for pa in areas if pa.capability_level is None)
        glance = [
            ("Process areas rated", f"{len(areas)} ({meets} at target, {below} below target, {not_rated} not rated)"),
            ("Maturity level", d.maturity.text),
            ("Equivalent staging", d.equivalent_staging.text),
            ("Findings", _finding_counts(d)),
            ("Coverage", _coverage_sentence(d)),
        ]
        return [
            Spacer(1, 30 * mm),
            _p("Appraisal summary", s.title),
            Spacer(1, 4 * mm),
            _p(h.name, s.subtitle),
            Spacer(1, 10 * mm),
            self.pairs(
                [
                    ("Organizational unit", h.org_unit_name),
                    ("Sponsor", h.sponsor),
                    ("Lead appraiser", h.lead_appraiser),
                    ("Dates", h.dates),
                    ("Method", f"{h.method}, {h.scale} characterization scale"),
                    ("Edition", d.edition.label),
                    ("Produced", d.generated_at.strftime("%Y-%m-%d %H:%M")),
                ]
            ),
            Spacer(1, 8 * mm),
            _p("At a glance", s.h2),
            self.pairs(glance),
            Spacer(1, 14 * mm),
            _p(d.marking, s.marking),
            _p(
                "Non-attribution: nothing in this summary identifies a person who took part in interviews; "
                "interview sessions are referred to by their codes only.",
                s.muted,
            ),
        ]

    def scope(self) -> list[Flowable]:
        d, h, s = self.data, self.data.header, self.s
        models = "; ".join(f"{m.name} ({m.key} {m.version})" for m in h.models) or "none"
        target = f"target maturity level {h.target_maturity_level}" if h.target_maturity_level else "capability profile"
        out: list[Flowable] = [
            _p("1  Scope and method", s.h1),
            _p(
                f"Method: {h.method}, rated on the {h.scale} characterization scale ({target}). Models: {models}. "
                f"Appraisal dates: {h.dates}; phase: {h.phase}.",
                s.body,
            ),
        ]
        rows: list[list[Any]] = [["Model", "Process area", "Name", "Category", "Target"]]
        for line in d.scope:
            target_text = (
                "excluded"
                if line.excluded
                else (f"CL{line.target_capability_level}" if line.target_capability_level is not None else "-")
            )
            rows.append([line.model, line.pa, line.name, line.category, target_text])
        widths = [26 * mm, 22 * mm, 70 * mm, BODY_WIDTH - 136 * mm, 18 * mm]
        out.append(_table(rows, widths, s))
        if d.excluded:
            out.append(_p("Excluded process areas", s.h2))
            ex_rows: list[list[Any]] = [["Process area", "Reason"]]
            ex_rows += [[f"{e.pa} {e.name}", e.exclusion_reason] for e in d.excluded]
            out.append(_table(ex_rows, [60 * mm, BODY_WIDTH - 60 * mm], s))
        return out

    def sampling(self) -> list[Flowable]:
        d, h, s = self.data, self.data.header, self.s
        out: list[Flowable] = [
            _p("2  Organizational unit and sampling", s.h1),
            _p(h.org_unit_name, s.h2),
            _p(h.org_unit_description, s.body),
        ]
        if d.factors:
            out.append(_p("Sampling factors", s.h2))
            rows: list[list[Any]] = [["Factor", "Relevant", "Values", "Rationale"]]
            rows += [[f.name, "yes" if f.relevant else "no", ", ".join(f.values), f.rationale] for f in d.factors]
            out.append(_table(rows, [38 * mm, 19 * mm, 44 * mm, BODY_WIDTH - 101 * mm], s))
        if d.subgroups:
            out.append(_p("Subgroups", s.h2))
            rows = [["Subgroup", "Factor values", "Basic units", "Sampled", "People"]]
            rows += [
                [g.name, g.factors, _num(g.total_units), str(g.sampled_units), _num(g.people)] for g in d.subgroups
            ]
            out.append(_table(rows, [44 * mm, BODY_WIDTH - 112 * mm, 24 * mm, 20 * mm, 24 * mm], s))
        out.append(CondPageBreak(50 * mm))
        out.append(_p("Basic units and support functions", s.h2))
        rows = [["Unit", "Kind", "Subgroup", "Sampled", "Process areas", "Description"]]
        for u in d.units:
            pas = ", ".join(k.split(":", 1)[-1] for k in u.process_areas) or (
                "all in scope" if u.kind == UnitKind.BASIC_UNIT else "-"
            )
            rows.append([u.name, u.kind_label, u.subgroup or "-", "yes" if u.sampled else "no", pas, u.description])
        out.append(_table(rows, [32 * mm, 24 * mm, 28 * mm, 18 * mm, 28 * mm, BODY_WIDTH - 130 * mm], s))
        return out

    def profile(self) -> list[Flowable]:
        d, s = self.data, self.s
        out: list[Flowable] = [PageBreak(), _p("3  Capability profile", s.h1)]
        out.append(_p(f"Maturity level: {d.maturity.text}. Equivalent staging: {d.equivalent_staging.text}.", s.body))
        areas = d.process_areas
        for start in range(0, len(areas), BARS_PER_CHART):
            out.append(_profile_chart(areas[start : start + BARS_PER_CHART], 3))
            out.append(Spacer(1, 4 * mm))
        rows: list[list[Any]] = [["Process area", "Target", "Capability level", "Status", "Goals satisfied"]]
        extra: list[tuple[Any, ...]] = []
        for n, pa in enumerate(areas, start=1):
            satisfied, total = pa.goals_satisfied
            colour = (
                palette.CAPABILITY_COLOURS.get(pa.capability_level)
                if pa.capability_level is not None
                else palette.GOAL_COLOURS["Not Rated"]
            )
            rows.append(
                [
                    f"{pa.pa} {pa.name}",
                    f"CL{pa.target_capability_level}" if pa.target_capability_level is not None else "-",
                    _rating_cell(pa.capability_text, colour, s),
                    pa.status,
                    f"{satisfied} of {total}",
                ]
            )
            if colour:
                extra += _fill((2, n), colour)
        widths = [BODY_WIDTH - 100 * mm, 16 * mm, 28 * mm, 30 * mm, 26 * mm]
        out.append(CondPageBreak(40 * mm))
        out.append(_table(rows, widths, s, extra=extra))
        return out

    def goals(self) -> list[Flowable]:
        s = self.s
        out: list[Flowable] = [PageBreak(), _p("4  Goal ratings", s.h1)]
        for pa in self.data.process_areas:
            rows: list[list[Any]] = [["Goal", "Title", "Rating"]]
            extra: list[tuple[Any, ...]] = []
            for n, goal in enumerate(pa.goals, start=1):
                colour = palette.GOAL_COLOURS.get(goal.rating)
                rows.append([goal.code, goal.title, _rating_cell(goal.rating, colour, s)])
                if colour:
                    extra += _fill((2, n), colour)
            heading = _p(f"{pa.pa} {pa.name} · {pa.model} · capability level {pa.capability_text}", s.h2)
            table = _table(rows, [28 * mm, BODY_WIDTH - 58 * mm, 30 * mm], s, extra=extra)
            out.append(KeepTogether([heading, table]))
        return out

    def findings(self) -> list[Flowable]:
        d, s = self.data, self.s
        out: list[Flowable] = [PageBreak(), _p("5  Findings", s.h1)]
        if not self.team:
            note = "Every finding the organization has validated, with its status."
            if d.unvalidated_findings:
                note += (
                    f" {d.unvalidated_findings} preliminary finding(s) are not in this edition until the organization "
                    "validates them."
                )
            out.append(_p(note, s.muted))
        if not d.findings:
            out.append(_p("No findings are recorded yet.", s.body))
            return out
        names = {(pa.model, pa.pa): pa.name for pa in d.process_areas}
        groups: dict[tuple[str | None, str | None], list[Any]] = {}
        for f in d.findings:
            groups.setdefault((f.model, f.pa), []).append(f)
        kinds = {"strength": "1e6b34", "weakness": "a11d2b", "improvement": "1f4e8c"}
        for (model, pa), items in groups.items():
            title = "The organizational unit as a whole" if pa is None else f"{pa} {names.get((model or '', pa), '')}"
            rows: list[list[Any]] = [["Kind", "About", "Finding"]]
            extra: list[tuple[Any, ...]] = []
            for n, f in enumerate(items, start=1):
                rows.append([f"{f.kind_label} ({f.status})", f.target or "-", f.text])
                extra.append(("TEXTCOLOR", (0, n), (0, n), _hex(kinds.get(f.kind, "263238"))))
            out.append(_p(title, s.h2))
            out.append(_table(rows, [34 * mm, 24 * mm, BODY_WIDTH - 58 * mm], s, extra=extra))
        return out

    def coverage(self) -> list[Flowable]:
        d, s = self.data, self.s
        cov = d.coverage
        out: list[Flowable] = [CondPageBreak(60 * mm), _p("6  Coverage statement", s.h1)]
        units = len([u for u in d.units if u.sampled])
        out.append(
            _p(
                f"{_coverage_sentence(d)} The sample holds {units} sampled unit(s) across {len(d.subgroups)} "
                f"subgroup(s); coverage is checked for every rated practice of the {len(d.process_areas)} process "
                "areas in scope.",
                s.body,
            )
        )
        rows: list[list[Any]] = [["Rule", "What it asks", "Gaps"]]
        extra: list[tuple[Any, ...]] = []
        for n, rule in enumerate(cov.rules, start=1):
            rows.append([rule.name.replace("COVERAGE_", ""), rule.text, str(rule.gaps)])
            if rule.gaps:
                extra += _fill((2, n), "f6d3d6")
        out.append(_table(rows, [34 * mm, BODY_WIDTH - 52 * mm, 18 * mm], s, extra=extra))
        if self.team and cov.gaps:
            out.append(_p("Gaps", s.h2))
            listed = cov.gaps[:GAPS_LISTED]
            gap_rows: list[list[Any]] = [["Process area", "Practice", "Unit", "What is missing"]]
            gap_rows += [[g.pa or "-", g.practice or "-", g.unit or "-", g.missing] for g in listed]
            out.append(_table(gap_rows, [22 * mm, 26 * mm, 32 * mm, BODY_WIDTH - 80 * mm], s))
            if len(cov.gaps) > len(listed):
                more = len(cov.gaps) - len(listed)
                out.append(_p(f"… and {more} more; the workbook's Coverage sheet lists every gap.", s.muted))
        return out

    def deficiencies(self) -> list[Flowable]:
        d, s = self.data, self.s
        out: list[Flowable] = [CondPageBreak(60 * mm), _p("7  Deficiencies", s.h1)]
        if not d.deficiencies:
            out.append(
                _p(
                    "No practice is characterized below Largely at organizational-unit level, and no goal is "
                    "Unsatisfied.",
                    s.body,
                )
            )
            return out
        behind = "the weaknesses the team recorded" if self.team else "the validated findings that explain them"
        out.append(
            _p(
                "Practices characterized below Largely at organizational-unit level, and Unsatisfied goals, with "
                f"{behind}.",
                s.body,
            )
        )
        column = "Weaknesses" if self.team else "Findings"
        rows: list[list[Any]] = [["Process area", "Item", "Rating", column]]
        extra: list[tuple[Any, ...]] = []
        for n, item in enumerate(d.deficiencies, start=1):
            colour = palette.VALUE_COLOURS.get(item.rating) or palette.GOAL_COLOURS.get(item.rating)
            empty = "(no weakness recorded)" if self.team else "(see the goal's findings)"
            weak = "\n".join(f"• {w}" for w in item.weaknesses) or empty
            rows.append([item.pa, f"{item.code} {item.title}", _rating_cell(item.rating, colour, s), weak])
            if colour:
                extra += _fill((2, n), colour)
        out.append(_table(rows, [22 * mm, 52 * mm, 24 * mm, BODY_WIDTH - 98 * mm], s, extra=extra))
        return out

    def appendix(self) -> list[Flowable]:
        d, h, s = self.data, self.data.header, self.s
        valid = h.valid_until.isoformat() if h.valid_until else "three years from the appraisal's end date"
        scope = ", ".join(f"{line.model} {line.pa}" for line in d.scope if not line.excluded)
        excluded = "; ".join(f"{e.pa}: {e.exclusion_reason}" for e in d.excluded) or "none"
        out: list[Flowable] = [
            PageBreak(),
            _p("Appendix A  Disclosure", s.h1),
            _p(
                "The facts an appraisal disclosure statement records, as held in the appraisal file when this "
                "summary was produced.",
                s.muted,
            ),
            self.pairs(
                [
                    ("Appraisal", h.name),
                    ("Appraisal ID", h.identifier or "not yet assigned"),
                    ("Sponsor", h.sponsor),
                    ("Lead appraiser", h.lead_appraiser),
                    ("Method", f"{h.method}; {h.scale} characterization scale"),
                    ("Dates", h.dates),
                    ("Ratings valid until", valid),
                    ("Organizational unit", h.org_unit_name),
                    ("Models", "; ".join(f"{m.name} ({m.key} {m.version})" for m in h.models) or "none"),
                    ("Process areas in scope", scope or "none"),
                    ("Exclusions", excluded),
                    ("Maturity level", d.maturity.text),
                    ("Equivalent staging", d.equivalent_staging.text),
                    (
                        "Unit-specific findings",
                        "announced in the plan"
                        if h.unit_specific_findings
                        else "not used (findings are about the organizational unit)",
                    ),
                    ("Edition and marking", f"{d.edition.label}; {d.marking}"),
                ]
            ),
            _p("Appraisal team", s.h2),
        ]
        rows: list[list[Any]] = [["Name", "Role", "Organization"]]
        rows += [[m.name, m.role.capitalize(), m.organization] for m in d.team]
        if len(rows) == 1:
            rows.append(["(no team recorded)", "", ""])
        out.append(_table(rows, [60 * mm, 30 * mm, BODY_WIDTH - 90 * mm], s))
        out.append(Spacer(1, 10 * mm))
        out.append(
            self.pairs(
                [
                    ("Lead appraiser", "Signature: ______________________   Date: ____________"),
                    ("Sponsor", "Signature: ______________________   Date: ____________"),
                ]
            )
        )
        return out


def _num(value: int | None) -> str:
    return "-" if value is None else str(value)


def _finding_counts(d: ReportData) -> str:
    counts = {"strength": 0, "weakness": 0, "improvement": 0}
    for f in d.findings:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    text = (
        f"{counts['strength']} strengths, {counts['weakness']} weaknesses, "
        f"{counts['improvement']} improvement opportunities"
    )
    return text + (f" ({d.unvalidated_findings} preliminary not shown)" if d.unvalidated_findings else "")


def _coverage_sentence(d: ReportData) -> str:
    total = d.coverage.total_gaps
    if total == 0:
        return "Every coverage and sufficiency rule is met."
    broken = ", ".join(f"{r.name.replace('COVERAGE_', '')} {r.gaps}" for r in d.coverage.rules if r.gaps)
    return f"{total} gaps remain against the coverage and sufficiency rules ({broken})."


def build_story(data: ReportData, progress: Progress = _silent) -> list[Flowable]:
    summary = _Summary(data)
    story: list[Flowable] = []
    sections = (
        summary.cover,
        summary.scope,
        summary.sampling,
        summary.profile,
        summary.goals,
        summary.findings,
        summary.coverage,
        summary.deficiencies,
        summary.appendix,
    )
    for n, section in enumerate(sections):
        progress(n, len(sections) + 1, "Laying out the summary")
        if section == summary.scope:
            story.append(PageBreak())
        story.extend(section())
    return story


def write_summary_pdf(data: ReportData, path: Path | OutputTarget, progress: Progress = _silent) -> None:
    """Write the summary to `path` atomically."""
    register_fonts()
    story = build_story(data, progress)
    progress(9, 10, "Writing the PDF")
    _write_pdf(data, path, story, f"Appraisal summary ({data.edition.label}); {data.marking}", progress)
    progress(10, 10, "Done")


def _write_pdf(
    data: ReportData, path: Path | OutputTarget, story: list[Flowable], subject: str, progress: Progress = _silent
) -> None:
    def write(temp: Path) -> None:
        doc = BaseDocTemplate(
            str(temp),
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=data.header.name,
            author="Appraisal Desk",
            subject=subject,
            creator="Appraisal Desk",
        )
        frame = Frame(MARGIN, MARGIN, BODY_WIDTH, PAGE_HEIGHT - 2 * MARGIN, id="body")
        doc.addPageTemplates([PageTemplate("body", [frame])])
        # Each page laid out reports in: the progress bar moves, and a cancel stops the build there.
        doc.setProgressCallBack(
            lambda kind, value: progress(9, 10, f"Writing page {value}") if kind == "PAGE" else None
        )
        doc.build(story, canvasmaker=_canvas_class(data))

    write_atomically(path, write)


def build_disclosure_story(data: ReportData, signatures: Sequence[tuple[str, str]]) -> list[Flowable]:
    """The appraisal disclosure statement (method-rules §6): identification, team, OU and sampling, model
    scope with exclusions, ratings, validity and signature blocks."""
    summary = _Summary(data)
    h, s = data.header, summary.s
    valid = h.valid_until.isoformat() if h.valid_until else "three years from the appraisal's end date"
    story: list[Flowable] = [
        _p("Appraisal disclosure statement", s.title),
        Spacer(1, 3 * mm),
        _p(h.name, s.subtitle),
        Spacer(1, 6 * mm),
        summary.pairs(
            [
                ("Appraisal ID", h.identifier or "not yet assigned"),
                ("Dates", h.dates),
                ("Method and version", f"{h.method}; {h.scale} characterization scale"),
                ("Sponsor", h.sponsor),
                ("Lead appraiser", h.lead_appraiser),
                ("Ratings valid until", valid),
            ]
        ),
        _p("Appraisal team", s.h2),
    ]
    rows: list[list[Any]] = [["Name", "Role", "Organization"]]
    rows += [[m.name, m.role.capitalize(), m.organization] for m in data.team] or [["(no team recorded)", "", ""]]
    story.append(_table(rows, [60 * mm, 30 * mm, BODY_WIDTH - 90 * mm], s))
    story += summary.scope()
    story += summary.sampling()
    story.append(_p("3  Ratings", s.h1))
    story.append(
        _p(f"Maturity level: {data.maturity.text}. Equivalent staging: {data.equivalent_staging.text}.", s.body)
    )
    rows = [["Process area", "Target", "Capability level", "Goals satisfied"]]
    for pa in data.process_areas:
        satisfied, total = pa.goals_satisfied
        target = f"CL{pa.target_capability_level}" if pa.target_capability_level is not None else "-"
        rows.append([pa.label, target, pa.capability_text, f"{satisfied} of {total}"])
    story.append(_table(rows, [BODY_WIDTH - 84 * mm, 22 * mm, 32 * mm, 30 * mm], s))
    story.append(CondPageBreak(70 * mm))
    story.append(_p("4  Affirmation and signatures", s.h1))
    story.append(
        _p(
            "The lead appraiser affirms that the appraisal was conducted in accordance with the method and that the "
            "ratings rest on the objective evidence; the sponsor affirms the accuracy of the organizational scope; "
            f"the team members affirm the results. The ratings are valid until {valid}.",
            s.body,
        )
    )
    rows = [["Role", "Name", "Signature", "Date"]]
    rows += [[role, name, "", ""] for role, name in signatures]
    room = [("TOPPADDING", (0, 1), (-1, -1), 6), ("BOTTOMPADDING", (0, 1), (-1, -1), 26)]  # room to sign
    story.append(_table(rows, [32 * mm, 50 * mm, BODY_WIDTH - 112 * mm, 30 * mm], s, extra=room))
    return story


def write_disclosure_pdf(data: ReportData, signatures: Sequence[tuple[str, str]], path: Path | OutputTarget) -> None:
    """Write the disclosure statement as a PDF to `path` atomically."""
    register_fonts()
    _write_pdf(data, path, build_disclosure_story(data, signatures), f"Appraisal disclosure statement; {data.marking}")
