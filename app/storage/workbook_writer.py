"""The practice-characterization workbook (layout in docs/workbook-format.md), written from plain report data.

Written in openpyxl's write-only mode so a 20,000-cell appraisal streams out quickly: per-cell styling is kept
to stamped copies of a few prepared styles, and colours come from conditional formats (one set per sheet), not
from styling each cell. The hidden `_appraisal_desk` sheet records what was exported so an import can tell
what the workbook changed, and what changed in the appraisal meanwhile.
"""

from __future__ import annotations

import contextlib
import json
import textwrap
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

from app.domain.catalog import UNVERIFIED_MARK, UNVERIFIED_NOTE
from app.domain.report import (
    CellLine,
    Edition,
    PracticeLine,
    ProcessAreaReport,
    ReportData,
    cell_text,
    text_digest,
)
from app.storage import workbook_layout as lay
from app.storage.output_files import OutputTarget, write_atomically

Progress = Callable[[int, int, str], None]
Row = list[Any]
LINE_HEIGHT = 15.0
"""Points per line of the default 11-point font."""
MAX_ROW_HEIGHT = 300.0
SUMMARY_WIDTHS = (22, 12, 44, 10, 16, 16, 12, 70)


def _silent(_done: int, _total: int, _label: str) -> None:
    return None


class _Stamp:
    """Cells of one prepared style: copying a style array is far cheaper than assigning fonts and fills."""

    def __init__(
        self,
        ws: Any,
        *,
        font: Font | None = None,
        fill: PatternFill | None = None,
        alignment: Alignment | None = None,
        border: Border | None = None,
    ) -> None:
        template: Any = WriteOnlyCell(ws)
        if font is not None:
            template.font = font
        if fill is not None:
            template.fill = fill
        if alignment is not None:
            template.alignment = alignment
        if border is not None:
            template.border = border
        self._ws = ws
        self._style = template._style

    def __call__(self, value: Any) -> Any:
        cell: Any = WriteOnlyCell(self._ws, _printable(value))
        cell._style = copy(self._style)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text the team typed, never a formula
        return cell


class _Sheet:
    """A write-only sheet with the house styles and the marking row, header and footer."""

    WRAP = Alignment(wrap_text=True, vertical="top")
    TOP = Alignment(vertical="top")

    def __init__(self, wb: Workbook, title: str, data: ReportData, widths: Sequence[float], *, freeze: str) -> None:
        # The stubs lack the attributes a write-only sheet gets at run time (print setup, filters, formats).
        ws: Any = wb.create_sheet(title)
        self.ws: Any = ws
        self.rows = 0
        # A write-only sheet writes its views and columns with the first row: set them now.
        ws.freeze_panes = freeze
        for n, width in enumerate(widths, start=1):
            ws.column_dimensions[lay.column_letter(n)].width = width
        self.wrap = _Stamp(ws, alignment=self.WRAP)
        self.top = _Stamp(ws, alignment=self.TOP)
        self.bold = _Stamp(ws, font=Font(bold=True), alignment=self.WRAP)
        self.key = _Stamp(ws, font=Font(bold=True, color="37474f"), alignment=self.TOP)
        self.heading = _Stamp(ws, font=Font(bold=True, size=13, color="263238"))
        self.marking = _Stamp(ws, font=Font(bold=True, color=lay.MARKING_COLOUR))
        self.header = _Stamp(
            ws,
            font=Font(bold=True, color="ffffff"),
            fill=PatternFill("solid", fgColor=lay.HEADER_FILL),
            alignment=Alignment(wrap_text=True, vertical="center"),
            border=Border(bottom=Side(style="thin", color="263238")),
        )
        self._setup_print(data)

    def _setup_print(self, data: ReportData) -> None:
        ws = self.ws
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        marking, size = _header_marking(data.marking)
        # Kept short: a long left part runs into the centred marking on the printed page.
        name = _header_text(data.header.name if len(data.header.name) <= 45 else data.header.name[:44] + "…", 45)
        ws.oddHeader.left.text = name
        ws.oddHeader.center.text = f"&B{marking}&B"
        ws.oddHeader.center.size = size
        ws.oddHeader.right.text = data.edition.label
        ws.oddFooter.left.text = "&A"
        ws.oddFooter.center.text = marking
        ws.oddFooter.center.size = size
        ws.oddFooter.right.text = "Page &P of &N"

    def append(self, row: Iterable[Any], *, fit: Iterable[tuple[str | None, float]] = ()) -> None:
        """Add a row; `fit` names its wrapped texts with their column widths, to give the row their height."""
        lines = max((_lines(text, width) for text, width in fit), default=1)
        if lines > 1:
            # Neither Excel nor LibreOffice grows a row to fit wrapped text when it opens a file; and in a tall
            # row every cell reads from the top, not only the wrapped ones.
            self.ws.row_dimensions[self.rows + 1].height = min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 3)
            row = [v if v is None or isinstance(v, Cell) else self.top(v) for v in row]
        self.ws.append([_text_safe(self.ws, value) for value in row])
        self.rows += 1

    def marking_row(self, data: ReportData) -> None:
        self.append([self.marking(f"{data.marking}  ·  {data.edition.label}")])

    def header_row(self, columns: Sequence[str]) -> None:
        self.ws.row_dimensions[self.rows + 1].height = 2 * LINE_HEIGHT + 3
        self.append([self.header(name) for name in columns])


def _lines(text: str | None, width: float) -> int:
    """About how many lines `text` takes in a wrapped cell `width` characters wide."""
    if not text:
        return 1
    per_line = max(1, int(width * 1.2))  # an average character is narrower than the "0" widths count
    return sum(1 + (len(part) - 1) // per_line if part else 1 for part in text.split("\n"))


def _printable(value: Any) -> Any:
    """A text without the control characters a worksheet cannot hold (a file from an older version, or a path
    that let one through, must still export)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _text_safe(ws: Any, value: Any) -> Any:
    value = _printable(value)
    if isinstance(value, str) and value.startswith("="):
        cell: Any = WriteOnlyCell(ws, value)
        cell.data_type = "s"
        return cell
    return value


HEADER_LINE = 64
"""Characters of a marking on one line of a printed header: the centre section's share of a landscape page."""


def _header_marking(marking: str) -> tuple[str, int | None]:
    """The marking for the centre of a sheet's header and footer, whole (up to 160 characters): one line, or
    smaller type wrapped onto two or three lines so it never runs into the name or "Page n of m" beside it."""
    if len(marking) <= HEADER_LINE:
        return _header_text(marking, len(marking)), None
    width = max(HEADER_LINE, -(-len(marking) // 3) + 8)
    lines = textwrap.wrap(marking, width=width, break_long_words=True) or [marking]
    return _header_text("\n".join(lines), len(marking) + len(lines)), 7


def _header_text(text: str, limit: int) -> str:
    """Header/footer text: "&" escaped, kept short (Excel allows 255 characters for all three parts)."""
    return str(_printable(text))[:limit].replace("&", "&&")


def _fill_rule(ws: Any, ref: str, value: str, colour: str) -> None:
    ws.conditional_formatting.add(
        ref,
        CellIsRule(  # type: ignore[no-untyped-call]
            operator="equal",
            formula=[json.dumps(value)],
            fill=PatternFill("solid", bgColor=colour, fgColor=colour),
            font=Font(color=lay.text_colour(colour), bold=True),
        ),
    )


def _value_rules(ws: Any, ref: str, codes: Iterable[str]) -> None:
    for code in codes:
        colour = lay.VALUE_COLOURS.get(code)
        if colour is not None:
            _fill_rule(ws, ref, code, colour)


def _goal_rules(ws: Any, ref: str) -> None:
    for rating, colour in lay.GOAL_COLOURS.items():
        _fill_rule(ws, ref, rating, colour)


# --- summary --------------------------------------------------------------------------------------------


def _summary(wb: Workbook, data: ReportData) -> None:
    sheet = _Sheet(wb, lay.SUMMARY, data, SUMMARY_WIDTHS, freeze="A3")
    ws, h = sheet.ws, data.header
    sheet.marking_row(data)
    sheet.append([sheet.heading(f"Appraisal summary: {h.name}")])
    sheet.append([])
    models = "; ".join(f"{m.key} {m.version} ({m.name})" for m in h.models)
    pairs: list[tuple[str, str]] = [
        ("Appraisal", h.name),
        ("Edition", data.edition.label),
        ("Organizational unit", h.org_unit_name),
        ("Description", h.org_unit_description),
        ("Sponsor", h.sponsor),
        ("Lead appraiser", h.lead_appraiser),
        ("Method", f"{h.method}, {h.scale} characterization scale"),
        ("Dates", h.dates),
        ("Phase", h.phase.capitalize()),
        ("Models", models),
        ("Scope", f"{len(data.process_areas)} process areas rated, {len(data.excluded)} excluded"),
        ("Maturity level", data.maturity.text),
        ("Equivalent staging", data.equivalent_staging.text),
        ("Coverage", _coverage_sentence(data)),
        ("Exported", data.generated_at.strftime("%Y-%m-%d %H:%M")),
    ]
    for key, value in pairs:
        ws.merged_cells.add(f"B{sheet.rows + 1}:H{sheet.rows + 1}")
        sheet.append([sheet.key(key), sheet.wrap(value)], fit=[(value, sum(SUMMARY_WIDTHS[1:]))])
    sheet.append([])
    sheet.append([sheet.heading("Capability profile")])
    start = sheet.rows + 1
    sheet.header_row(
        ("Model", "Process area", "Name", "Target", "Capability level", "Status", "Goals satisfied", "Note")
    )
    for pa in data.process_areas:
        satisfied, total = pa.goals_satisfied
        target = f"CL{pa.target_capability_level}" if pa.target_capability_level is not None else ""
        sheet.append(
            [
                pa.model,
                pa.pa,
                sheet.top(pa.name),
                target,
                pa.capability_text,
                pa.status,
                f"{satisfied} of {total}",
                sheet.wrap(pa.capability_note if pa.capability_level is None else ""),
            ],
            fit=[(pa.capability_note if pa.capability_level is None else "", SUMMARY_WIDTHS[7])],
        )
    end = sheet.rows
    if end > start:
        for level, colour in lay.CAPABILITY_COLOURS.items():
            _fill_rule(ws, f"E{start + 1}:E{end}", f"CL{level}", colour)
        _fill_rule(ws, f"E{start + 1}:E{end}", "Not Rated", lay.GOAL_COLOURS["Not Rated"])
        _fill_rule(ws, f"F{start + 1}:F{end}", "Below target", lay.CAPABILITY_COLOURS[1])
        _fill_rule(ws, f"F{start + 1}:F{end}", "Meets target", lay.GOAL_COLOURS["Satisfied"])
    if data.excluded:
        sheet.append([])
        sheet.append([sheet.heading("Excluded from scope")])
        sheet.header_row(("Model", "Process area", "Name", "Reason"))
        for line in data.excluded:
            ws.merged_cells.add(f"D{sheet.rows + 1}:H{sheet.rows + 1}")
            sheet.append(
                [line.model, line.pa, line.name, sheet.wrap(line.exclusion_reason)],
                fit=[(line.exclusion_reason, sum(SUMMARY_WIDTHS[3:]))],
            )
    sheet.append([])
    sheet.append([sheet.heading("Coverage rules")])
    sheet.header_row(("Rule", "Gaps", "What it asks"))
    for rule in data.coverage.rules:
        ws.merged_cells.add(f"C{sheet.rows + 1}:H{sheet.rows + 1}")
        sheet.append(
            [rule.name.replace("COVERAGE_", ""), rule.gaps, sheet.wrap(rule.text)],
            fit=[(rule.text, sum(SUMMARY_WIDTHS[2:]))],
        )
    sheet.append([])
    sheet.append([sheet.heading("Characterization scale")])
    for entry in data.scale_values:
        colour = lay.VALUE_COLOURS.get(entry.code, "ffffff")
        stamp = _Stamp(
            ws,
            font=Font(bold=True, color=lay.text_colour(colour)),
            fill=PatternFill("solid", fgColor=colour),
            alignment=Alignment(horizontal="center"),
        )
        sheet.append([stamp(entry.code), entry.label])
    ws.print_title_rows = "1:2"


def _coverage_sentence(data: ReportData) -> str:
    total = data.coverage.total_gaps
    if total == 0:
        return "Every coverage and sufficiency rule is met."
    broken = ", ".join(f"{r.name.replace('COVERAGE_', '')} ({r.gaps})" for r in data.coverage.rules if r.gaps)
    return f"{total} gaps against the coverage and sufficiency rules: {broken}."


# --- findings and coverage -------------------------------------------------------------------------------


def _findings(wb: Workbook, data: ReportData) -> None:
    sheet = _Sheet(wb, lay.FINDINGS, data, (6, 12, 18, 24, 12, 100), freeze=f"A{lay.FIRST_DATA_ROW}")
    ws = sheet.ws
    sheet.marking_row(data)
    title = f"Findings ({len(data.findings)})"
    if data.unvalidated_findings:
        title += f"; {data.unvalidated_findings} preliminary not in this edition until the organization validates them"
    sheet.append([sheet.heading(title)])
    sheet.header_row(("#", "Process area", "About", "Kind", "Status", "Finding"))
    for f in data.findings:
        sheet.append(
            [
                f.id,
                f.pa or "Organization",
                f.target,
                f.kind_label,
                f.status.capitalize(),
                sheet.wrap(f.text),
            ],
            fit=[(f.text, 100)],
        )
    last = max(lay.FIRST_DATA_ROW, lay.HEADER_ROW + len(data.findings))
    ws.auto_filter.ref = f"A{lay.HEADER_ROW}:F{last}"
    ws.print_title_rows = f"1:{lay.HEADER_ROW}"
    for kind, colour in (("Strength", "1e6b34"), ("Weakness", "a11d2b"), ("Improvement opportunity", "1f4e8c")):
        ws.conditional_formatting.add(
            f"D{lay.FIRST_DATA_ROW}:D{last}",
            CellIsRule(  # type: ignore[no-untyped-call]
                operator="equal", formula=[json.dumps(kind)], font=Font(color=colour, bold=True)
            ),
        )


def _coverage(wb: Workbook, data: ReportData) -> None:
    cov = data.coverage
    units = cov.units
    widths = (11, 10, 14, 40, *([11] * len(units)), 60)
    sheet = _Sheet(wb, lay.COVERAGE, data, widths, freeze=f"E{lay.FIRST_DATA_ROW}")
    ws = sheet.ws
    sheet.marking_row(data)
    sheet.append(
        [
            sheet.heading(
                f"Coverage: {_coverage_sentence(data)}  (A = adequate artifacts, A? = artifacts not judged adequate, "
                "F = affirmations, — = the unit does not implement the process area)"
            )
        ]
    )
    sheet.header_row(("Model", "Process area", "Practice", "Title", *units, "Gaps"))
    pa_stamp = _Stamp(ws, font=Font(bold=True), fill=PatternFill("solid", fgColor=lay.OU_ROW_FILL))
    for line in cov.rows:
        cells = ["—" if c is None else c for c in line.cells]
        gaps = "\n".join(line.gaps)
        fit = [(line.title, widths[3]), (gaps, widths[-1])]
        if line.practice is None:
            row = [pa_stamp(v) for v in (line.model, line.pa, "", line.title, *cells)]
            sheet.append([*row, sheet.wrap(gaps)], fit=fit)
        else:
            sheet.append(
                [line.model, line.pa, line.practice, sheet.wrap(line.title), *cells, sheet.wrap(gaps)], fit=fit
            )
    last = max(lay.FIRST_DATA_ROW, lay.HEADER_ROW + len(cov.rows))
    end_col = lay.column_letter(5 + len(units))
    ws.auto_filter.ref = f"A{lay.HEADER_ROW}:{end_col}{last}"
    ws.print_title_rows = f"1:{lay.HEADER_ROW}"
    if units and data.edition is Edition.TEAM:
        unit_end = lay.column_letter(4 + len(units))
        ws.conditional_formatting.add(
            f"E{lay.FIRST_DATA_ROW}:{unit_end}{last}",
            FormulaRule(  # type: ignore[no-untyped-call]
                formula=[f'AND(LEN(E{lay.FIRST_DATA_ROW})=0,$C{lay.FIRST_DATA_ROW}<>"")'],
                fill=PatternFill("solid", bgColor="f6d3d6", fgColor="f6d3d6"),
            ),
        )


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


_Fit = list[tuple[str | None, float]]


def _team_rows(
    sheet: _Sheet, pa: ProcessAreaReport, ou_stamp: _Stamp
) -> Iterable[tuple[str, PracticeLine, CellLine | None, Row, _Fit]]:
    wrap, widths = sheet.wrap, lay.TEAM_WIDTHS
    for goal in pa.goals:
        for practice in goal.practices:
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
                    wrap(practice.title),
                    cell.unit,
                    wrap(artifacts) if artifacts else None,
                    ", ".join(cell.affirmation_sources) or None,
                    wrap(weaknesses) if weaknesses else None,
                    wrap(strengths) if strengths else None,
                    wrap(notes) if notes else None,
                    cell.proposed,
                    cell.value,
                    practice.ou_value,
                    goal.rating,
                ]
                fit: _Fit = [
                    (practice.title, widths[2]),
                    (artifacts, widths[4]),
                    (weaknesses, widths[6]),
                    (strengths, widths[7]),
                    (notes, widths[8]),
                ]
                yield goal.code, practice, cell, row, fit
            ou_row: Row = [
                ou_stamp(goal.code),
                ou_stamp(practice.code),
                ou_stamp(practice.title),
                ou_stamp(lay.OU_LABEL),
                ou_stamp(None),
                ou_stamp(None),
                ou_stamp(None),
                ou_stamp(None),
                ou_stamp(practice.ou_note or None),
                ou_stamp(None),
                ou_stamp(None),
                practice.ou_value or ("pending" if practice.judgment_needed else None),
                goal.rating,
            ]
            # Bold text is wider: estimate its lines on a narrower column.
            ou_fit: _Fit = [(practice.title, widths[2] / 1.2), (practice.ou_note, widths[8] / 1.2)]
            yield goal.code, practice, None, ou_row, ou_fit


def _team_sheet(wb: Workbook, title: str, pa: ProcessAreaReport, data: ReportData, manifest: list[Row]) -> None:
    sheet = _Sheet(wb, title, data, lay.TEAM_WIDTHS, freeze=f"E{lay.FIRST_DATA_ROW}")
    ws = sheet.ws
    ws.print_options.gridLines = True
    sheet.marking_row(data)
    sheet.append([sheet.heading(_pa_title(pa))])
    sheet.header_row(lay.TEAM_COLUMNS)
    ou_stamp = _Stamp(
        ws, font=Font(bold=True), fill=PatternFill("solid", fgColor=lay.OU_ROW_FILL), alignment=_Sheet.WRAP
    )
    count = 0
    for goal, practice, cell, row, fit in _team_rows(sheet, pa, ou_stamp):
        sheet.append(row, fit=fit)
        count += 1
        if cell is not None:
            digests = (_digest(cell.weaknesses), _digest(cell.strengths), _digest(cell.notes))
            updated = cell.updated_at.isoformat() if cell.updated_at else ""
            manifest.append([title, goal, practice.code, cell.unit, lay.pack_state(cell.value, digests, updated)])
    last = max(lay.FIRST_DATA_ROW, lay.HEADER_ROW + count)
    first = lay.FIRST_DATA_ROW
    ws.auto_filter.ref = f"A{lay.HEADER_ROW}:M{last}"
    ws.print_title_rows = f"1:{lay.HEADER_ROW}"
    codes = [entry.code for entry in data.scale_values]
    _value_rules(ws, f"J{first}:L{last}", codes)
    _goal_rules(ws, f"M{first}:M{last}")
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


def _sponsor_sheet(wb: Workbook, title: str, pa: ProcessAreaReport, data: ReportData) -> None:
    sheet = _Sheet(wb, title, data, lay.SPONSOR_WIDTHS, freeze=f"D{lay.FIRST_DATA_ROW}")
    ws = sheet.ws
    ws.print_options.gridLines = True
    sheet.marking_row(data)
    sheet.append([sheet.heading(_pa_title(pa))])
    sheet.header_row(lay.SPONSOR_COLUMNS)
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
    _value_rules(ws, f"D{lay.FIRST_DATA_ROW}:D{last}", [e.code for e in data.scale_values])
    _goal_rules(ws, f"E{lay.FIRST_DATA_ROW}:E{last}")


def _digest(text: str) -> str:
    return text_digest(text) if cell_text(text) else lay.EMPTY_DIGEST


# --- the manifest ----------------------------------------------------------------------------------------


def _manifest(wb: Workbook, data: ReportData, titles: Sequence[str], cells: list[Row]) -> None:
    ws: Any = wb.create_sheet(lay.MANIFEST)
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
    for key, value in meta:
        ws.append([key, _text_safe(ws, value)])
    ws.append(list(lay.MANIFEST_COLUMNS))
    for row in cells:
        ws.append([_text_safe(ws, v) for v in row])


# --- the workbook ----------------------------------------------------------------------------------------


def build_workbook(data: ReportData, progress: Progress = _silent) -> Workbook:
    """The whole workbook in memory, ready to save (the caller decides where)."""
    wb = Workbook(write_only=True)
    wb.properties.creator = "Appraisal Desk"
    wb.properties.title = _printable(data.header.name)[:200]
    wb.properties.subject = _printable(f"{data.edition.label}: {data.marking}")[:200]
    try:
        _fill(wb, data, progress)
    except BaseException:
        _discard(wb)  # cancelled or failed half-way: the sheets' temporary files go now
        raise
    return wb


def _fill(wb: Workbook, data: ReportData, progress: Progress) -> None:
    total = len(data.process_areas) + 2
    progress(0, total, "Writing the summary")
    _summary(wb, data)
    _findings(wb, data)
    _coverage(wb, data)
    titles = lay.pa_sheet_titles([(pa.model, pa.pa) for pa in data.process_areas])
    manifest: list[Row] = []
    for n, (title, pa) in enumerate(zip(titles, data.process_areas, strict=True), start=1):
        progress(n, total, f"Writing the {pa.pa} sheet")
        if data.edition is Edition.TEAM:
            _team_sheet(wb, title, pa, data, manifest)
        else:
            _sponsor_sheet(wb, title, pa, data)
    _manifest(wb, data, titles, manifest)
    progress(total - 1, total, "Saving the workbook")


def write_workbook(data: ReportData, path: Path | OutputTarget, progress: Progress = _silent) -> None:
    """Write the workbook to `path` atomically (a temporary file beside it, renamed into place)."""
    wb = build_workbook(data, progress)
    try:
        write_atomically(path, lambda temp: wb.save(temp))
    except BaseException:
        _discard(wb)
        raise
    progress(1, 1, "Done")


def _discard(wb: Workbook) -> None:
    """After a failed save: close the sheets' row streams and remove their temporary files now, quietly."""
    for sheet in wb.worksheets:
        for closing in (getattr(sheet, "_rows", None), getattr(sheet, "_writer", None)):
            with contextlib.suppress(Exception):
                if closing is not None:
                    closing.close()
        writer = getattr(sheet, "_writer", None)
        with contextlib.suppress(Exception):
            if writer is not None:
                writer.cleanup()
