"""The workbook written as a stream: openpyxl frames each sheet, the rows go out as XML text.

openpyxl builds a cell object per value and serializes it through lxml: over 400,000 styled cells at L that
was most of an export's time. Here openpyxl still writes everything around the rows (views, frozen panes,
column widths, merged cells, filters, conditional formats, validations, protection, print setup, header and
footer) and the rest of the package (styles, workbook, relationships, properties); the rows themselves are
joined as text in the form openpyxl gives them (inline strings; styles as the indexes openpyxl gave the
prepared styles) and go straight into the zip, with no temporary file. Every text is escaped here and always
written as text, so nothing a person typed can break the XML or become a formula.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Iterable, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from app.storage.workbook_layout import column_letter

COMPRESS_LEVEL = 3
MAX_TEXT = 32767
"""Characters a cell can hold (Excel's limit; openpyxl cuts longer texts the same way)."""
_EMPTY_DATA = b"<sheetData></sheetData>"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""What XML 1.0 cannot carry: control characters (openpyxl refuses the same ones), lone surrogates, and the
two non-characters."""
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
"""A carriage return is escaped so that it survives XML's line-end normalization, as lxml does."""


def printable(value: Any) -> Any:
    """A text without the control characters a worksheet cannot hold (a file from an older version, or a path
    that let one through, must still export)."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    return value


FILLED: Any = object()
"""A cell written empty, in its column's style (a fill or border that shows without a value)."""
_PLAIN = itertools.repeat("")


class Styled:
    """A value to be written with one of the prepared styles."""

    __slots__ = ("attr", "value")

    def __init__(self, value: Any, attr: str) -> None:
        self.value = value
        self.attr = attr


class Stamp:
    """One prepared style of a workbook (`StreamedBook.stamp`): `stamp(value)` is the value in that style."""

    def __init__(self, attr: str) -> None:
        self.attr = attr
        """The cell attribute that names the style (` s="3"`)."""

    def __call__(self, value: Any) -> Styled:
        return Styled(value, self.attr)


class SheetRows:
    """The rows of one sheet, in order, as XML text."""

    def __init__(self) -> None:
        self._tails: dict[tuple[str, str], str] = {}
        self._parts: list[str] = []
        self._openings: list[str] = []
        self.count = 0
        self.columns = 0
        """The widest row's columns up to its last value."""

    def _tail(self, style: str, text: str) -> str:
        """A text cell after its reference: style, type and content, made once per distinct style and text."""
        clean = printable(text)[:MAX_TEXT]
        if not clean:
            tail = f'{style} t="inlineStr"/>' if style else ""
        else:
            space = ' xml:space="preserve"' if clean != clean.strip() else ""
            tail = f'{style} t="inlineStr"><is><t{space}>{clean.translate(_ESCAPES)}</t></is></c>'
        self._tails[style, text] = tail
        return tail

    def add(self, values: Sequence[Any], height: float | None = None, styles: Iterable[str] = _PLAIN) -> None:
        """The next row: a value per column from A, optionally `height` points tall. `styles` gives each column's
        style (a `Stamp`'s `attr`) for values that are not `Styled`; None leaves a cell out, FILLED writes it
        empty in its style."""
        self.count += 1
        r = f'{self.count}"'
        openings = self._openings
        width = len(values)
        while width and values[width - 1] is None:
            width -= 1
        if width > self.columns:
            self.columns = width
            while len(openings) < width:
                openings.append('<c r="' + column_letter(len(openings) + 1))
        tails = self._tails
        cells: list[str] = []
        # Columns past the end of `styles` are plain; values past the last one are None (`width`).
        for opening, value, column_style in zip(openings, values, itertools.chain(styles, _PLAIN), strict=False):
            if value is None:
                continue
            style = column_style
            if type(value) is Styled:
                style, value = value.attr, value.value
            if value is None or value is FILLED:  # an empty cell that still shows its fill or border
                cells.append(f"{opening}{r}{style}/>")
            elif type(value) is str:
                tail = tails.get((style, value)) or self._tail(style, value)
                if tail:
                    cells.append(opening + r + tail)
            elif type(value) is bool:
                cells.append(f'{opening}{r}{style} t="b"><v>{int(value)}</v></c>')
            elif type(value) is int or type(value) is float:
                cells.append(f'{opening}{r}{style} t="n"><v>{value!r}</v></c>')
            else:
                raise TypeError(f"A workbook cell cannot hold {type(value).__name__} {value!r}")
        size = f' ht="{height:g}" customHeight="1"' if height is not None else ""
        self._parts.append(f'<row r="{r}{size}>{"".join(cells)}</row>')

    def xml(self) -> bytes:
        """The rows written so far, as the content of the sheet's `<sheetData>`."""
        return "".join(self._parts).encode("utf-8")


class StreamedBook:
    """A write-only openpyxl workbook whose sheets' rows are written by `SheetRows`."""

    def __init__(self) -> None:
        self.wb: Any = Workbook(write_only=True)
        self._sheets: dict[str, tuple[bytes, bytes, bytes]] = {}
        """Sheet title -> its XML up to the rows, the rows, and after them."""
        self._stamps: dict[tuple[Any, ...], Stamp] = {}

    def create_sheet(self, title: str) -> Any:
        return self.wb.create_sheet(title)

    def stamp(
        self,
        ws: Any,
        *,
        font: Font | None = None,
        fill: PatternFill | None = None,
        alignment: Alignment | None = None,
        border: Border | None = None,
    ) -> Stamp:
        """The workbook's stamp of a style, prepared once (on any of its sheets `ws`: they share their styles)."""
        key = (font, fill, alignment, border)
        found = self._stamps.get(key)
        if found is None:
            template: Any = WriteOnlyCell(ws)
            if font is not None:
                template.font = font
            if fill is not None:
                template.fill = fill
            if alignment is not None:
                template.alignment = alignment
            if border is not None:
                template.border = border
            # Registers the style with the workbook: its index is what a cell's "s" attribute names.
            found = self._stamps[key] = Stamp(f' s="{template.style_id}"')
        return found

    def finish(self, ws: Any, rows: SheetRows) -> None:
        """Frame `ws` as openpyxl would (set its filters, rules and print titles first) around `rows`."""
        frame = BytesIO()
        # The used range, which a write-only sheet leaves out: without it a reader (openpyxl's read-only mode
        # among them) parses the whole sheet once just to learn its size.
        used = f"A1:{column_letter(max(rows.columns, 1))}{max(rows.count, 1)}"
        ws.calculate_dimension = lambda: used
        writer = WorksheetWriter(ws, out=frame)  # in memory: openpyxl's default is a temporary file per sheet
        ws._writer = writer
        writer.write_top()
        ws.close()
        shell = frame.getvalue()
        if shell.count(_EMPTY_DATA) != 1:
            raise RuntimeError(f"openpyxl framed sheet {ws.title!r} in a way this writer does not know")
        head, tail = shell.split(_EMPTY_DATA)
        self._sheets[ws.title] = (head, rows.xml(), tail)

    def save(self, path: Path) -> None:
        """The whole package to `path` (a new file)."""
        unfinished = [ws.title for ws in self.wb.worksheets if ws.title not in self._sheets]
        if unfinished:
            raise RuntimeError(f"Sheets never finished: {', '.join(unfinished)}")
        self.wb.properties.modified = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
        # Deflate level 3, not zlib's default 6: a third of the compressing time for a file some 15% larger
        # (about 2.6 MB instead of 2.3 MB at L).
        with ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=COMPRESS_LEVEL) as archive:
            _StreamWriter(self.wb, archive, self._sheets).save()


class _StreamWriter(ExcelWriter):
    """openpyxl's package writer, taking each sheet's XML from the `StreamedBook` instead of a temporary file."""

    def __init__(self, wb: Workbook, archive: ZipFile, sheets: dict[str, tuple[bytes, bytes, bytes]]) -> None:
        super().__init__(wb, archive)
        self._zip = archive
        self._sheets = sheets

    def write_worksheet(self, ws: Any) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        ws._rels = ws._writer._rels
        head, rows, tail = self._sheets[ws.title]
        with self._zip.open(ws.path[1:], "w") as part:
            part.write(head)
            part.write(b"<sheetData>")
            part.write(rows)
            part.write(b"</sheetData>")
            part.write(tail)
        self.manifest.append(ws)
