"""The streamed workbook writer: rows written as XML text read back as the values, styles and sheet settings a
person opening the file sees, and no typed text can break the file or turn into something else."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from app.storage.workbook_stream import FILLED, SheetRows, StreamedBook

TRICKY = [
    "=SUM(A1:A9)",
    "#N/A",
    "  padded on both sides  ",
    "tags <b>&amp;</b> & more",
    "Windows\r\nline end",
    "control\x01\x1bcharacters",
    "lone \ud800 surrogate and \ufffe non-character",
    "accents: Évaluation réalisée · naïve",
]


def _write(path: Path, rows: list[list[object]]) -> None:
    book = StreamedBook()
    ws = book.create_sheet("Data")
    ws.freeze_panes = "B2"
    validation = DataValidation(type="list", formula1='"FI,LI"', allow_blank=True)
    validation.add("B1:B9")
    ws.data_validations.append(validation)
    sheet = SheetRows()
    bold = book.stamp(ws, font=Font(bold=True))
    filled = book.stamp(ws, fill=PatternFill("solid", fgColor="eceff1"))
    for row in rows:
        sheet.add(row)
    sheet.add([bold("bold"), None, 7, 2.5, True], 48)
    sheet.add(["under a fill", FILLED], None, ["", filled.attr])
    book.finish(ws, sheet)
    book.save(path)


def test_every_text_reads_back_as_the_text_it_was_less_what_a_cell_cannot_hold(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    long_text = "x" * 40_000
    _write(path, [[text] for text in [*TRICKY, long_text]])
    ws = openpyxl.load_workbook(path)["Data"]
    got = [ws.cell(row=n, column=1) for n in range(1, len(TRICKY) + 2)]
    assert [c.value for c in got[: len(TRICKY)]] == [
        "=SUM(A1:A9)",
        "#N/A",
        "  padded on both sides  ",
        "tags <b>&amp;</b> & more",
        "Windows\r\nline end",
        "controlcharacters",
        "lone  surrogate and  non-character",
        "accents: Évaluation réalisée · naïve",
    ]
    assert all(c.data_type == "s" for c in got[:2])  # a typed "=..." or "#N/A" is text, not a formula or error
    assert got[-1].value == "x" * 32767


def test_numbers_styles_heights_and_the_sheet_settings_survive(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    wide: list[object] = [f"c{n}" for n in range(1, 30)]  # past column Z
    _write(path, [wide])
    ws = openpyxl.load_workbook(path)["Data"]
    assert ws["AC1"].value == "c29"
    assert [ws.cell(row=2, column=n).value for n in range(1, 6)] == ["bold", None, 7, 2.5, True]
    assert ws["A2"].font.b and not ws["C2"].font.b
    assert ws.row_dimensions[2].height == 48
    assert ws["B3"].value is None and ws["B3"].fill.fgColor.rgb == "00eceff1"
    assert ws.freeze_panes == "B2"
    assert [str(dv.sqref) for dv in ws.data_validations.dataValidation] == ["B1:B9"]
    assert openpyxl.load_workbook(path, read_only=True)["Data"].calculate_dimension() == "A1:AC3"


def test_a_sheet_never_finished_is_refused_rather_than_saved_empty(tmp_path: Path) -> None:
    book = StreamedBook()
    book.create_sheet("Data")
    with pytest.raises(RuntimeError, match="never finished: Data"):
        book.save(tmp_path / "t.xlsx")
