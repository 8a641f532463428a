"""The PDF outputs' building blocks: the paragraph styles, escaped paragraphs, the house table (a header row,
wrapped cells, rules between rows, rating colours), key-value tables, and the capability chart."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table, TableStyle

from app.domain.report import ProcessAreaReport
from app.storage import workbook_layout as palette
from app.storage.pdf_furniture import BODY_WIDTH, FONT, FONT_BOLD, INK, MARKING, MUTED, RULE


def hex_colour(colour: str) -> colors.Color:
    return colors.HexColor("#" + colour)


class Styles:
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
        self._ratings: dict[str, ParagraphStyle] = {}

    def rating(self, colour: str) -> ParagraphStyle:
        """A rating on its `colour` fill: bold, in the text colour that reads on it."""
        style = self._ratings.get(colour)
        if style is None:
            text_colour = colors.HexColor("#" + palette.text_colour(colour))
            style = ParagraphStyle("rating", parent=self.small_bold, textColor=text_colour)
            self._ratings[colour] = style
        return style


def para(text: str | None, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: escaped, line breaks kept."""
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


class CellParagraph(Paragraph):
    """A table cell's paragraph that lays its lines out once per width: a table measures every cell again when it
    is split across pages and again when it draws, and the lines do not change while the width does not."""

    _laid_out: tuple[float, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._laid_out is not None and self._laid_out[0] == availWidth:
            return self._laid_out[1]
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._laid_out = (availWidth, size)
        return size


@dataclass(frozen=True, slots=True)
class RatingCell:
    """A rating in a table: bold, in the text colour that reads on its fill (plain text without a fill)."""

    text: str
    colour: str | None


def rating_cell(text: str, colour: str | None) -> RatingCell:
    return RatingCell(text, colour)


PARAGRAPH_ONLY = frozenset("\xa0\xad\u200b")
"""Characters reportlab's paragraphs treat specially (a no-break space; a soft hyphen, shown only where a line
breaks; a zero-width space, a break opportunity): a text holding one is always set as a paragraph."""
CELL_PADDING = 3.0
"""Points left and right of a table cell's text (rows_table; `extra` may change the top and bottom only)."""


def _cell(text: str | None, width: float, style: ParagraphStyle) -> str | Paragraph:
    """The cell as plain text where it is one line as a paragraph would set it (the table draws that far more
    cheaply, identically), else a wrapped paragraph."""
    if (
        text
        and text == " ".join(text.split())
        and PARAGRAPH_ONLY.isdisjoint(text)
        and stringWidth(text, style.fontName, style.fontSize) <= width - 2 * CELL_PADDING - 0.01
    ):
        return text
    return CellParagraph(escape(text or "").replace("\n", "<br/>"), style)


def rows_table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    styles: Styles,
    *,
    extra: Iterable[tuple[Any, ...]] = (),
) -> Table:
    """A table whose first row is the header; text cells wrap, ratings (`rating_cell`) show in their colours."""
    cells: list[tuple[Any, ...]] = []
    body: list[list[Any]] = []
    for r, row in enumerate(rows):
        line: list[Any] = []
        for c, value in enumerate(row):
            style = styles.head if r == 0 else styles.small
            if isinstance(value, RatingCell):
                text: str | None = value.text
                if value.colour is not None:
                    style = styles.rating(value.colour)
                    cells += [("FONTNAME", (c, r), (c, r), FONT_BOLD), ("TEXTCOLOR", (c, r), (c, r), style.textColor)]
            elif isinstance(value, str) or value is None:
                text = value
            else:
                line.append(value)
                continue
            line.append(_cell(text, widths[c], style))
        body.append(line)
    table = Table(body, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                # What a plain-text cell is set in: the body and header paragraph styles (Styles.small, .head).
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), styles.small.fontSize),
                ("LEADING", (0, 0), (-1, -1), styles.small.leading),
                ("TEXTCOLOR", (0, 0), (-1, -1), styles.small.textColor),
                ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
                ("TEXTCOLOR", (0, 0), (-1, 0), styles.head.textColor),
                *cells,
                ("BACKGROUND", (0, 0), (-1, 0), hex_colour(palette.HEADER_FILL)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                *extra,
            ]
        )
    )
    return table


def fill(cell: tuple[int, int], colour: str) -> list[tuple[Any, ...]]:
    return [("BACKGROUND", cell, cell, hex_colour(colour))]


def pairs(rows: Sequence[tuple[str, str]], styles: Styles, key_width: float = 42 * mm) -> Table:
    """A table of keys (bold) and their values."""
    body = [[para(k, styles.small_bold), para(v, styles.small)] for k, v in rows]
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


def _swatch(x: float, y: float, colour: str) -> Rect:
    box = Rect(x, y, 8, 7)
    box.fillColor = hex_colour(colour)
    box.strokeColor = None
    return box


# --- the capability chart ---------------------------------------------------------------------------------


def profile_chart(areas: Sequence[ProcessAreaReport], max_level: int) -> Drawing:
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
        chart.bars[(0, n)].fillColor = hex_colour(colour or palette.GOAL_COLOURS["Not Rated"])
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
