"""One sheet of the practice-characterization workbook: the house styles, the marking in the first row and in
the printed header and footer, rows tall enough for their wrapped texts, and the colour rules."""

from __future__ import annotations

import itertools
import json
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from app.domain.report import ReportData
from app.storage import workbook_layout as lay
from app.storage.workbook_stream import SheetRows, StreamedBook, printable

LINE_HEIGHT = 15.0
"""Points per line of the default 11-point font."""
MAX_ROW_HEIGHT = 300.0
HEADER_LINE = 64
"""Characters of a marking on one line of a printed header: the centre section's share of a landscape page."""

Fit = list[tuple[str | None, float]]
"""The wrapped texts of a row, each with its column's width."""


class Sheet:
    """A write-only sheet with the house styles and the marking row, header and footer. Its rows are kept as
    text (`SheetRows`); everything else is set on `ws` as on any openpyxl sheet, before `close`."""

    WRAP = Alignment(wrap_text=True, vertical="top")
    TOP = Alignment(vertical="top")

    def __init__(
        self, book: StreamedBook, title: str, data: ReportData, widths: Sequence[float], *, freeze: str
    ) -> None:
        # The stubs lack the attributes a write-only sheet gets at run time (print setup, filters, formats).
        ws: Any = book.create_sheet(title)
        self.ws: Any = ws
        self._book = book
        self._rows = SheetRows()
        ws.freeze_panes = freeze
        for n, width in enumerate(widths, start=1):
            ws.column_dimensions[lay.column_letter(n)].width = width
        self.wrap = self._book.stamp(ws, alignment=self.WRAP)
        self.top = self._book.stamp(ws, alignment=self.TOP)
        self.bold = self._book.stamp(ws, font=Font(bold=True), alignment=self.WRAP)
        self.key = self._book.stamp(ws, font=Font(bold=True, color="37474f"), alignment=self.TOP)
        self.heading = self._book.stamp(ws, font=Font(bold=True, size=13, color="263238"))
        self.marking = self._book.stamp(ws, font=Font(bold=True, color=lay.MARKING_COLOUR))
        self.header = self._book.stamp(
            ws,
            font=Font(bold=True, color="ffffff"),
            fill=PatternFill("solid", fgColor=lay.HEADER_FILL),
            alignment=Alignment(wrap_text=True, vertical="center"),
            border=Border(bottom=Side(style="thin", color="263238")),
        )
        self._setup_print(data)

    @property
    def rows(self) -> int:
        """Rows written so far (the next row is `rows + 1`)."""
        return self._rows.count

    def _setup_print(self, data: ReportData) -> None:
        ws = self.ws
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        marking, size = header_marking(data.marking)
        # Kept short: a long left part runs into the centred marking on the printed page.
        name = header_text(data.header.name if len(data.header.name) <= 45 else data.header.name[:44] + "…", 45)
        ws.oddHeader.left.text = name
        ws.oddHeader.center.text = f"&B{marking}&B"
        ws.oddHeader.center.size = size
        ws.oddHeader.right.text = data.edition.label
        ws.oddFooter.left.text = "&A"
        ws.oddFooter.center.text = marking
        ws.oddFooter.center.size = size
        ws.oddFooter.right.text = "Page &P of &N"

    def append(self, row: Sequence[Any], *, fit: Iterable[tuple[str | None, float]] = ()) -> None:
        """Add a row; `fit` names its wrapped texts with their column widths, to give the row their height."""
        lines = max((wrapped_lines(text, width) for text, width in fit), default=1)
        self.add(row, lines, itertools.repeat(""), itertools.repeat(self.top.attr))

    def add(self, row: Sequence[Any], lines: int, flat: Iterable[str], tall: Iterable[str]) -> None:
        """Add a row `lines` lines tall, its columns in styles `flat`, or `tall` when it takes more than a line."""
        if lines > 1:
            # Neither Excel nor LibreOffice grows a row to fit wrapped text when it opens a file; and in a tall
            # row every cell reads from the top, not only the wrapped ones.
            self._rows.add(row, min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 3), tall)
        else:
            self._rows.add(row, None, flat)

    def marking_row(self, data: ReportData) -> None:
        self.append([self.marking(f"{data.marking}  ·  {data.edition.label}")])

    def header_row(self, columns: Sequence[str]) -> None:
        self._rows.add([self.header(name) for name in columns], 2 * LINE_HEIGHT + 3)

    def close(self) -> None:
        """The sheet is complete: set its filters, rules and print titles first."""
        self._book.finish(self.ws, self._rows)


def wrapped_lines(text: str | None, width: float) -> int:
    """About how many lines `text` takes in a wrapped cell `width` characters wide."""
    if not text:
        return 1
    per_line = max(1, int(width * 1.2))  # an average character is narrower than the "0" widths count
    return sum(1 + (len(part) - 1) // per_line if part else 1 for part in text.split("\n"))


def header_marking(marking: str) -> tuple[str, int | None]:
    """The marking for the centre of a sheet's header and footer, whole (up to 160 characters): one line, or
    smaller type wrapped onto two or three lines so it never runs into the name or "Page n of m" beside it."""
    if len(marking) <= HEADER_LINE:
        return header_text(marking, len(marking)), None
    width = max(HEADER_LINE, -(-len(marking) // 3) + 8)
    lines = textwrap.wrap(marking, width=width, break_long_words=True) or [marking]
    return header_text("\n".join(lines), len(marking) + len(lines)), 7


def header_text(text: str, limit: int) -> str:
    """Header/footer text: "&" escaped, kept short (Excel allows 255 characters for all three parts)."""
    return str(printable(text))[:limit].replace("&", "&&")


def fill_rule(ws: Any, ref: str, value: str, colour: str) -> None:
    """Cells of `ref` that read `value` show in `colour`, with text that reads on it."""
    ws.conditional_formatting.add(
        ref,
        CellIsRule(  # type: ignore[no-untyped-call]
            operator="equal",
            formula=[json.dumps(value)],
            fill=PatternFill("solid", bgColor=colour, fgColor=colour),
            font=Font(color=lay.text_colour(colour), bold=True),
        ),
    )


def value_rules(ws: Any, ref: str, codes: Iterable[str]) -> None:
    for code in codes:
        colour = lay.VALUE_COLOURS.get(code)
        if colour is not None:
            fill_rule(ws, ref, code, colour)


def goal_rules(ws: Any, ref: str) -> None:
    for rating, colour in lay.GOAL_COLOURS.items():
        fill_rule(ws, ref, rating, colour)
