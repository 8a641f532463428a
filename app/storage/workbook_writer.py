"""The practice-characterization workbook (layout in docs/workbook-format.md), written from plain report data.

One read of the data streams out: openpyxl's write-only mode writes each sheet's frame (styles, widths, frozen
panes, validations, colour rules, print setup) and the rows go out as XML text (`sheet_rows`), so a 20,000-cell
appraisal costs about what a plain openpyxl write of its rows does. Colours come from conditional formats (one
set per sheet), not from styling each cell. The hidden `_appraisal_desk` sheet records what was exported so an
import can tell what the workbook changed, and what changed in the appraisal meanwhile.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from app.domain.catalog import UNVERIFIED_MARK, UNVERIFIED_NOTE
from app.domain.report import (
    Edition,
    ProcessAreaReport,
    ReportData,
    cell_text,
    text_digest,
)
from app.storage import workbook_layout as lay
from app.storage.output_files import OutputTarget, write_atomically
from app.storage.workbook_overview import coverage_sheet, findings_sheet, summary_sheet
from app.storage.workbook_sheet import Sheet, goal_rules, value_rules, wrapped_lines
from app.storage.workbook_stream import FILLED, SheetRows, StreamedBook, printable

Progress = Callable[[int, int, str], None]
Row = list[Any]


def _silent(_done: int, _total: int, _label: str) -> None:
    return None


# --- process areas ---------------------------------------------------------------------------------------


def _pa_title(pa: ProcessAreaReport) -> str:
    satisfied, total = pa.goals_satisfied
    target = f"target CL{pa.target_capability_level}" if pa.target_capability_level is not None else "no target"
    staged = f" · staged rating {pa.staged_rating}" if pa.staged_rating else ""
    marked = any(t.endswith(UNVERIFIED_MARK) for g in pa.goals for t in (g.title, *(p.title for p in g.practices)))
    return (
        f"{pa.pa} {pa.name} ({pa.model}) · {target} · capability level {pa.capability_text}"
        f" · {satisfied} of {total} goals satisfied{staged}" + (f" · {UNVERIFIED_NOTE}" if marked else "")
    )


def _pa_sheet(
    book: StreamedBook, title: str, pa: ProcessAreaReport, data: ReportData, columns: Sequence[str], freeze: str
) -> Sheet:
    """A process area's sheet up to its column headings."""
    widths = lay.TEAM_WIDTHS if columns == lay.TEAM_COLUMNS else lay.SPONSOR_WIDTHS
    sheet = Sheet(book, title, data, widths, freeze=f"{freeze}{lay.FIRST_DATA_ROW}")
    sheet.ws.print_options.gridLines = True
    sheet.marking_row(data)
    sheet.append([sheet.heading(_pa_title(pa))])
    sheet.header_row(columns)
    return sheet


def _team_sheet(book: StreamedBook, title: str, pa: ProcessAreaReport, data: ReportData, manifest: list[Row]) -> None:
    sheet = _pa_sheet(book, title, pa, data, lay.TEAM_COLUMNS, "E")
    ws = sheet.ws
    ou = book.stamp(ws, font=Font(bold=True), fill=PatternFill("solid", fgColor=lay.OU_ROW_FILL), alignment=Sheet.WRAP)
    # Each column's style, in a row of one line and in a taller one (where every cell reads from the top).
    plain, top, wrap = "", sheet.top.attr, sheet.wrap.attr
    flat = (plain, plain, wrap, plain, wrap, plain, wrap, wrap, wrap, plain, plain, plain, plain)
    tall = (top, top, wrap, top, wrap, top, wrap, wrap, wrap, top, top, top, top)
    ou_flat, ou_tall = (ou.attr,) * 11 + (plain, plain), (ou.attr,) * 11 + (top, top)
    widths = lay.TEAM_WIDTHS
    count = 0
    for goal in pa.goals:
        for practice in goal.practices:
            title_lines = wrapped_lines(practice.title, widths[2])
            for cell in practice.cells:
                artifacts = "\n".join(cell.artifacts)
                weaknesses, strengths, notes = (
                    cell_text(cell.weaknesses),
                    cell_text(cell.strengths),
                    cell_text(cell.notes),
                )
                row: Row = [
                    goal.code,
                    practice.code,
                    practice.title,
                    cell.unit,
                    artifacts or None,
                    ", ".join(cell.affirmation_sources) or None,
                    weaknesses or None,
                    strengths or None,
                    notes or None,
                    cell.proposed,
                    cell.value,
                    practice.ou_value,
                    goal.rating,
                ]
                lines = max(
                    title_lines,
                    wrapped_lines(artifacts, widths[4]),
                    wrapped_lines(weaknesses, widths[6]),
                    wrapped_lines(strengths, widths[7]),
                    wrapped_lines(notes, widths[8]),
                )
                sheet.add(row, lines, flat, tall)
                digests = (
                    text_digest(cell.weaknesses) if weaknesses else lay.EMPTY_DIGEST,
                    text_digest(cell.strengths) if strengths else lay.EMPTY_DIGEST,
                    text_digest(cell.notes) if notes else lay.EMPTY_DIGEST,
                )
                updated = cell.updated_at.isoformat() if cell.updated_at else ""
                manifest.append(
                    [title, goal.code, practice.code, cell.unit, lay.pack_state(cell.value, digests, updated)]
                )
            ou_row: Row = [
                goal.code,
                practice.code,
                practice.title,
                lay.OU_LABEL,
                FILLED,
                FILLED,
                FILLED,
                FILLED,
                practice.ou_note or FILLED,
                FILLED,
                FILLED,
                practice.ou_value or ("pending" if practice.judgment_needed else None),
                goal.rating,
            ]
            # Bold text is wider: estimate its lines on a narrower column.
            lines = max(
                wrapped_lines(practice.title, widths[2] / 1.2), wrapped_lines(practice.ou_note, widths[8] / 1.2)
            )
            sheet.add(ou_row, lines, ou_flat, ou_tall)
            count += len(practice.cells) + 1
    last = max(lay.FIRST_DATA_ROW, lay.HEADER_ROW + count)
    first = lay.FIRST_DATA_ROW
    ws.auto_filter.ref = f"A{lay.HEADER_ROW}:M{last}"
    ws.print_title_rows = f"1:{lay.HEADER_ROW}"
    codes = [entry.code for entry in data.scale_values]
    value_rules(ws, f"J{first}:L{last}", codes)
    goal_rules(ws, f"M{first}:M{last}")
    listed = ",".join(codes)
    validation = DataValidation(
        type="list",
        formula1=f'"{listed}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a characterization",
        error=f"Choose one of {', '.join(codes)}, or leave the cell empty.",
        promptTitle="Characterization",
        prompt=f"{', '.join(f'{e.code} {e.label}' for e in data.scale_values)}",
        showInputMessage=True,
    )
    validation.add(f"K{first}:K{last}")
    ws.data_validations.append(validation)
    sheet.close()


def _sponsor_sheet(book: StreamedBook, title: str, pa: ProcessAreaReport, data: ReportData) -> None:
    sheet = _pa_sheet(book, title, pa, data, lay.SPONSOR_COLUMNS, "D")
    ws = sheet.ws
    count = 0
    for goal in pa.goals:
        for practice in goal.practices:
            pending = "pending" if practice.judgment_needed else None
            sheet.append(
                [goal.code, practice.code, sheet.wrap(practice.title), practice.ou_value or pending, goal.rating],
                fit=[(practice.title, lay.SPONSOR_WIDTHS[2])],
            )
            count += 1
    last = max(lay.FIRST_DATA_ROW, lay.HEADER_ROW + count)
    ws.auto_filter.ref = f"A{lay.HEADER_ROW}:E{last}"
    ws.print_title_rows = f"1:{lay.HEADER_ROW}"
    value_rules(ws, f"D{lay.FIRST_DATA_ROW}:D{last}", [e.code for e in data.scale_values])
    goal_rules(ws, f"E{lay.FIRST_DATA_ROW}:E{last}")
    sheet.close()


# --- the manifest ----------------------------------------------------------------------------------------


def _manifest(book: StreamedBook, data: ReportData, titles: Sequence[str], cells: list[Row]) -> None:
    ws: Any = book.create_sheet(lay.MANIFEST)
    ws.sheet_state = "hidden"
    # Protection guards against accidental edits; it is not a secret (the importer checks everything anyway).
    ws.protection.sheet = True
    sheets = [[title, pa.model, pa.pa] for title, pa in zip(titles, data.process_areas, strict=True)]
    meta = [
        ("format", lay.FORMAT_NAME),
        ("version", lay.FORMAT_VERSION),
        ("appraisal_id", data.identity.appraisal_id),
        ("fingerprint", data.identity.fingerprint),
        ("appraisal", data.identity.name),
        ("edition", data.edition.value),
        ("scale", data.scale_key),
        ("exported_at", data.generated_at.isoformat(timespec="seconds")),
        ("sheets", json.dumps(sheets, ensure_ascii=False)),
    ]
    rows = SheetRows()
    for key, value in meta:
        rows.add([key, value])
    rows.add(lay.MANIFEST_COLUMNS)
    for row in cells:
        rows.add(row)
    book.finish(ws, rows)


# --- the workbook ----------------------------------------------------------------------------------------


def build_workbook(data: ReportData, progress: Progress = _silent) -> StreamedBook:
    """The whole workbook in memory, ready to save (the caller decides where)."""
    book = StreamedBook()
    wb = book.wb
    wb.properties.creator = "Appraisal Desk"
    wb.properties.title = printable(data.header.name)[:200]
    wb.properties.subject = printable(f"{data.edition.label}: {data.marking}")[:200]
    total = len(data.process_areas) + 2
    progress(0, total, "Writing the summary")
    summary_sheet(book, data)
    findings_sheet(book, data)
    coverage_sheet(book, data)
    titles = lay.pa_sheet_titles([(pa.model, pa.pa) for pa in data.process_areas])
    manifest: list[Row] = []
    for n, (title, pa) in enumerate(zip(titles, data.process_areas, strict=True), start=1):
        progress(n, total, f"Writing the {pa.pa} sheet")
        if data.edition is Edition.TEAM:
            _team_sheet(book, title, pa, data, manifest)
        else:
            _sponsor_sheet(book, title, pa, data)
    _manifest(book, data, titles, manifest)
    progress(total - 1, total, "Saving the workbook")
    return book


def write_workbook(data: ReportData, path: Path | OutputTarget, progress: Progress = _silent) -> None:
    """Write the workbook to `path` atomically (a temporary file beside it, renamed into place). Nothing is on
    disk before the save, so a cancelled or failed export leaves nothing behind."""
    book = build_workbook(data, progress)
    write_atomically(path, book.save)
    progress(1, 1, "Done")
