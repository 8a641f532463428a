"""The final findings briefing as a PowerPoint deck (python-pptx), laid out in the layouts' own placeholders.

Slides: title, scope, the capability profile as a native (editable) chart, one slide per process area with its
goal ratings and validated strengths, weaknesses and improvement opportunities (continued on a further slide when
they do not fit at a readable size), next steps. Every slide carries the marking in its footer placeholder;
speaker notes with the goals' reasons are written for the team edition only.

Text sizes are chosen so the body fits its placeholder (estimated from the characters per line at that size), so
the deck opens in PowerPoint or LibreOffice with nothing running off a slide.
"""

from __future__ import annotations

import copy
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu, Pt

from app.storage import workbook_layout as palette
from app.storage.output_files import OutputTarget, write_atomically

Progress = Callable[[int, int, str], None]
TITLE_SLIDE, TITLE_AND_CONTENT, TITLE_ONLY = 0, 1, 5
MAX_BODY_PT, MIN_BODY_PT = 20, 12
TITLE_PT = 28
MARKING_RED = RGBColor(0xB3, 0x26, 0x1E)


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    level: int = 0
    bold: bool = False


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.upper())


def _fits(lines: Sequence[Line], size: float, width_pt: float, height_pt: float) -> bool:
    """Whether `lines` fit a box at `size` points: ~0.55 em per character, 1.25 line height, bullets indented."""
    used = 0.0
    for line in lines:
        usable = width_pt - 30 - 27 * line.level
        per_line = max(usable / (0.55 * size * (0.85 if line.level else 1.0)), 1)
        used += math.ceil(max(len(line.text), 1) / per_line) * 1.25 * size * (0.85 if line.level else 1.0) + 4
    return used <= height_pt


def body_size(lines: Sequence[Line], width: int, height: int) -> float | None:
    """The largest size from 20 pt down to 12 pt at which `lines` fit, or None."""
    width_pt, height_pt = Emu(width).pt, Emu(height).pt
    for size in range(MAX_BODY_PT, MIN_BODY_PT - 1, -1):
        if _fits(lines, size, width_pt, height_pt):
            return float(size)
    return None


def split_to_fit(lines: Sequence[Line], width: int, height: int) -> list[list[Line]]:
    """`lines` in as few slides' worth as fit at 12 pt or more (a heading repeats on a continuing slide)."""
    pages: list[list[Line]] = [[]]
    heading: Line | None = None
    for line in lines:
        if line.bold:
            heading = line
        trial = [*pages[-1], line]
        if pages[-1] and body_size(trial, width, height) is None:
            pages.append([] if line.bold or heading is None else [Line(f"{heading.text} (continued)", 0, True)])
        pages[-1].append(line)
    return pages


class _Deck:
    def __init__(self, marking: str, notes: bool) -> None:
        self.prs = Presentation()
        self.marking = marking
        self.notes = notes

    def slide(self, layout: int, title: str) -> Any:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[layout])
        slide.shapes.title.text = title
        for paragraph in slide.shapes.title.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(TITLE_PT if layout != TITLE_SLIDE else 36)
        self._marking(slide)
        return slide

    def _marking(self, slide: Any) -> None:
        """The layout's footer placeholder, copied onto the slide (slides do not inherit it) and widened."""
        footer = next(
            ph for ph in slide.slide_layout.placeholders if ph.placeholder_format.type == PP_PLACEHOLDER.FOOTER
        )
        slide.shapes._spTree.append(copy.deepcopy(footer._element))
        shape = slide.placeholders[footer.placeholder_format.idx]
        margin = self.prs.slide_layouts[TITLE_AND_CONTENT].placeholders[0].left
        # Setting one coordinate writes all four on the slide: keep the layout's height and place.
        shape.left, shape.top = margin, footer.top
        shape.width, shape.height = self.prs.slide_width - 2 * margin, footer.height
        shape.text = self.marking
        run = shape.text_frame.paragraphs[0].runs[0]
        run.font.size, run.font.bold, run.font.color.rgb = Pt(11), True, MARKING_RED

    def body(self, slide: Any, lines: Sequence[Line]) -> None:
        holder = slide.placeholders[1]
        size = body_size(lines, holder.width, holder.height) or MIN_BODY_PT
        frame = holder.text_frame
        frame.word_wrap = True
        for n, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
            paragraph.level = line.level
            run = paragraph.add_run()
            run.text = line.text
            run.font.size = Pt(size * (0.85 if line.level else 1.0))
            run.font.bold = line.bold

    def note(self, slide: Any, text: str) -> None:
        if self.notes and text:
            slide.notes_slide.notes_text_frame.text = text


def _pa_lines(pa: dict[str, Any]) -> list[Line]:
    goals = " · ".join(f"{g['code']} {g['rating']}" for g in pa["goals"])
    lines = [Line(f"Goals: {goals}", 0, True)]
    for key, heading in (("strengths", "Strengths"), ("weaknesses", "Weaknesses"), ("improvements", "Improvements")):
        if pa[key]:
            lines.append(Line(heading, 0, True))
            lines += [Line(text, 1) for text in pa[key]]
    if len(lines) == 1:
        lines.append(Line("No validated finding about this process area.", 0))
    return lines


def _chart(deck: _Deck, slide: Any, context: dict[str, Any]) -> None:
    areas = context["process_areas"]
    data = CategoryChartData()
    data.categories = [pa["pa"] for pa in areas]
    reached = [int(pa["capability"][2:]) if pa["capability"].startswith("CL") else 0 for pa in areas]
    targets = [int(pa["target"][2:]) if pa["target"] else 0 for pa in areas]
    data.add_series("Reached", reached)
    data.add_series("Target", targets)
    layout = deck.prs.slide_layouts[TITLE_AND_CONTENT].placeholders[1]
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, layout.left, layout.top, layout.width, layout.height, data
    )
    chart = frame.chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.has_title = True
    chart.chart_title.text_frame.text = f"Maturity level: {context['maturity']}"
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = 0, max(3, *reached, *targets), 1
    axis.tick_labels.font.size = Pt(11)
    chart.category_axis.tick_labels.font.size = Pt(11)
    chart.category_axis.reverse_order = True
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.overlap = -10
    achieved, target = plot.series
    for n, pa in enumerate(areas):
        level = reached[n] if pa["capability"].startswith("CL") else None
        point = achieved.points[n]
        point.format.fill.solid()
        colour = palette.CAPABILITY_COLOURS.get(level, "") if level is not None else ""
        point.format.fill.fore_color.rgb = _rgb(colour or palette.GOAL_COLOURS["Not Rated"])
    target.format.fill.solid()
    target.format.fill.fore_color.rgb = RGBColor(0x90, 0xA4, 0xAE)


def build_briefing(context: dict[str, Any], *, notes: bool, progress: Progress) -> bytes:
    """The deck's bytes for one report context (`app.domain.report_fields.report_context`)."""
    deck = _Deck(context["marking"], notes)
    a = context["appraisal"]
    areas = context["process_areas"]
    total = len(areas) + 4
    progress(0, total, "Title and scope")
    title = deck.slide(TITLE_SLIDE, "Final findings")
    title.placeholders[1].text = f"{a['name']}\n{a['org_unit']} · {a['dates']}\nLead appraiser: {a['lead_appraiser']}"
    for paragraph in title.placeholders[1].text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(18)

    in_scope = [f"{s['pa']} {s['name']}" for s in context["scope"] if not s["excluded"]]
    scope_lines = [
        Line(f"{a['method']}, {a['scale']} characterization scale; appraisal ID {a['id']}"),
        Line(f"Organizational unit: {a['org_unit']}"),
        Line(
            f"Sampled: {sum(1 for u in context['units'] if u['sampled'] == 'yes')} of {len(context['units'])} "
            "basic units and support functions"
        ),
        Line(f"Process areas rated ({len(in_scope)})", 0, True),
        Line(", ".join(in_scope), 1),
    ]
    if context["excluded"]:
        scope_lines.append(Line("Excluded", 0, True))
        scope_lines += [Line(f"{s['pa']}: {s['exclusion_reason']}", 1) for s in context["excluded"]]
    deck.body(deck.slide(TITLE_AND_CONTENT, "Scope"), scope_lines)

    progress(1, total, "Capability profile")
    chart_slide = deck.slide(TITLE_ONLY, "Capability profile")
    _chart(deck, chart_slide, context)
    holder = deck.prs.slide_layouts[TITLE_AND_CONTENT].placeholders[1]
    for n, pa in enumerate(areas, start=2):
        progress(n, total, f"{pa['pa']} findings")
        pages = split_to_fit(_pa_lines(pa), holder.width, holder.height)
        for page, lines in enumerate(pages):
            more = " (continued)" if page else ""
            target = f" (target {pa['target']})" if pa["target"] else ""
            slide = deck.slide(TITLE_AND_CONTENT, f"{pa['label']}: {pa['capability']}{target}{more}")
            deck.body(slide, lines)
            if page == 0:
                deck.note(
                    slide,
                    "\n".join(
                        f"{g['code']} {g['rating']}: {g['reasons']}"
                        + (f" Team override: {g['override']}" if g["override"] else "")
                        for g in pa["goals"]
                    ),
                )
    progress(total - 1, total, "Next steps")
    below = [pa["pa"] for pa in areas if pa["status"] == "Below target"]
    steps = [
        Line("The sponsor confirms the final findings; the disclosure statement is signed"),
        Line(f"Ratings are valid until {a['valid_until']}"),
    ]
    if below:
        steps.append(Line("Improvement planning for the process areas below target", 0, True))
        steps.append(Line(", ".join(below), 1))
    steps.append(Line("The appraisal record is handed over; names stay with the appraisal team"))
    deck.body(deck.slide(TITLE_AND_CONTENT, "Next steps"), steps)
    out = io.BytesIO()
    deck.prs.save(out)
    progress(total, total, "Done")
    return out.getvalue()


def write_briefing(content: bytes, target: Path | OutputTarget) -> None:
    def write(temp: Path) -> None:
        temp.write_bytes(content)

    write_atomically(target, write)
