"""The practice-characterization workbook's overview sheets: the summary (header, capability profile, scope,
coverage rules, scale), the findings, and the coverage of every practice by every unit."""

from __future__ import annotations

import json

from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill

from app.domain.report import Edition, ReportData
from app.storage import workbook_layout as lay
from app.storage.workbook_sheet import Sheet, fill_rule
from app.storage.workbook_stream import StreamedBook

SUMMARY_WIDTHS = (22, 12, 44, 10, 16, 16, 12, 70)


# --- summary --------------------------------------------------------------------------------------------


def summary_sheet(book: StreamedBook, data: ReportData) -> None:
    sheet = Sheet(book, lay.SUMMARY, data, SUMMARY_WIDTHS, freeze="A3")
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
            fill_rule(ws, f"E{start + 1}:E{end}", f"CL{level}", colour)
        fill_rule(ws, f"E{start + 1}:E{end}", "Not Rated", lay.GOAL_COLOURS["Not Rated"])
        fill_rule(ws, f"F{start + 1}:F{end}", "Below target", lay.CAPABILITY_COLOURS[1])
        fill_rule(ws, f"F{start + 1}:F{end}", "Meets target", lay.GOAL_COLOURS["Satisfied"])
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
        stamp = book.stamp(
            ws,
            font=Font(bold=True, color=lay.text_colour(colour)),
            fill=PatternFill("solid", fgColor=colour),
            alignment=Alignment(horizontal="center"),
        )
        sheet.append([stamp(entry.code), entry.label])
    ws.print_title_rows = "1:2"
    sheet.close()


def _coverage_sentence(data: ReportData) -> str:
    total = data.coverage.total_gaps
    if total == 0:
        return "Every coverage and sufficiency rule is met."
    broken = ", ".join(f"{r.name.replace('COVERAGE_', '')} ({r.gaps})" for r in data.coverage.rules if r.gaps)
    return f"{total} gaps against the coverage and sufficiency rules: {broken}."


# --- findings and coverage -------------------------------------------------------------------------------


def findings_sheet(book: StreamedBook, data: ReportData) -> None:
    sheet = Sheet(book, lay.FINDINGS, data, (6, 12, 18, 24, 12, 100), freeze=f"A{lay.FIRST_DATA_ROW}")
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
    sheet.close()


def coverage_sheet(book: StreamedBook, data: ReportData) -> None:
    cov = data.coverage
    units = cov.units
    widths = (11, 10, 14, 40, *([11] * len(units)), 60)
    sheet = Sheet(book, lay.COVERAGE, data, widths, freeze=f"E{lay.FIRST_DATA_ROW}")
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
    pa_stamp = book.stamp(ws, font=Font(bold=True), fill=PatternFill("solid", fgColor=lay.OU_ROW_FILL))
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
    sheet.close()
