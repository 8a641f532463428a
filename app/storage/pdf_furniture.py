"""The PDF outputs' page furniture: the shipped fonts, the A4 page and its margins, the house colours, the
confidentiality marking at the top and bottom of every page with "Page n of m", and the document writer that
puts a story of flowables on those pages, atomically."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from app.domain.report import ReportData
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


def write_pdf(
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
