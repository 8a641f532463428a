"""The PDF outputs' house table as a reader sees it: every text of a cell printed whole, inside its own column,
whether it fits on one line or has to wrap (a text one character too long wraps rather than run on)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import SimpleDocTemplate

from app.storage.pdf_blocks import CELL_PADDING, Styles, rating_cell, rows_table
from app.storage.pdf_furniture import FONT, register_fonts
from tests.office import pages

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
WIDTHS = (30 * mm, 46 * mm, 90 * mm)
EDGE = 0.5
"""Points a word's box may pass its column's text edge by (rounding in pdftotext's boxes)."""


def just_over(width: float) -> str:
    """Words that fill `width` points at the table's body size, then one character more."""
    size = Styles().small.fontSize
    room = width - 2 * CELL_PADDING
    text = "Service"
    while stringWidth(text + " desk", FONT, size) <= room:
        text += " desk"
    while stringWidth(text, FONT, size) <= room:
        text += "x"
    return text


def test_every_cell_prints_whole_inside_its_column_on_one_line_or_wrapped(tmp_path: Path) -> None:
    register_fonts()
    styles = Styles()
    rows: list[list[Any]] = [
        ["Code", "Rating", "Text"],
        ["SP1.1", rating_cell("Fully Implemented", "63be7b"), "Short."],
        ["SP1.2", rating_cell("Not Rated", None), just_over(WIDTHS[2])],
        [just_over(WIDTHS[0]), "Largely  spaced   words", "One\nline each"],
        ["GP2.2", just_over(WIDTHS[1]), "A long text " * 20],
        ["GP2.3", "-", "Co\xadoperate\u200b"],
    ]
    path = tmp_path / "table.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build([rows_table(rows, WIDTHS, styles)])

    (page,) = pages(path)
    header = {w.text: w for w in page.words if w.text in ("Code", "Rating", "Text")}
    lefts = [header[name].x_min - CELL_PADDING for name in ("Code", "Rating", "Text")]
    rights = [left + width - CELL_PADDING for left, width in zip(lefts, WIDTHS, strict=True)]
    for column in range(3):
        inside = [w for w in page.words if lefts[column] - EDGE <= w.x_min < rights[column]]
        assert all(w.x_max <= rights[column] + EDGE for w in inside), [w.text for w in inside]
        printed = [w.text for w in sorted(inside, key=lambda w: (w.y_min, w.x_min))]
        # A soft hyphen shows only where a word breaks, a zero-width space not at all.
        expected = [word for row in rows for word in _text(row[column]).replace("\xad", "").split()]
        assert printed == expected
    # The texts one character too long took a second line; the short ones one line.
    heights = {w.text: w.y_min for w in page.words}
    assert heights["Short."] == heights["SP1.1"]
    assert heights["line"] > heights["One"]


def _text(cell: object) -> str:
    return str(getattr(cell, "text", cell)).replace("\u200b", "")
