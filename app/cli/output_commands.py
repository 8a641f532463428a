"""The output commands: `export xlsx|pdf` and `import xlsx` (workbook layout in docs/workbook-format.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from app.domain.edition import DEFAULT_MARKINGS, Edition

if TYPE_CHECKING:
    from app.services.workbook_import import CellChange, ImportPreview

FORCE_HELP = "replace an existing file of that name (never an appraisal, never the input)"
SHOWN_TEXT = 70
"""Characters of a changed text shown in the preview."""


def register(sub: Any) -> None:
    """Add `export` and `import` to the CLI's sub-command parsers."""
    p = sub.add_parser("export", help="write the characterization workbook (xlsx) or the PDF appraisal summary")
    kinds = p.add_subparsers(dest="export_kind", metavar="KIND", parser_class=type(p))
    kinds.required = True
    for kind, what, handler in (
        ("xlsx", "the practice-characterization workbook", cmd_export_xlsx),
        ("pdf", "the PDF appraisal summary", cmd_export_pdf),
    ):
        q = kinds.add_parser(kind, help=f"write {what}")
        q.add_argument("file", help="the .appraisal file")
        q.add_argument("-o", "--output", type=Path, required=True, help=f"the .{kind} file to write")
        q.add_argument("--force", action="store_true", help=FORCE_HELP)
        q.add_argument(
            "--edition",
            choices=[e.value for e in Edition],
            default=Edition.TEAM.value,
            help="team: everything; sponsor: ratings and findings, no notes or evidence detail (default team)",
        )
        q.add_argument(
            "--marking",
            help=f"confidentiality marking on every sheet or page (default: {DEFAULT_MARKINGS[Edition.TEAM]!r} "
            f"for the team edition, {DEFAULT_MARKINGS[Edition.SPONSOR]!r} for the sponsor's)",
        )
        q.set_defaults(handler=handler)

    p = sub.add_parser("import", help="import a team workbook's characterizations and notes back")
    kinds = p.add_subparsers(dest="import_kind", metavar="KIND", parser_class=type(p))
    kinds.required = True
    q = kinds.add_parser("xlsx", help="preview, then apply, the changes a team workbook makes")
    q.add_argument("file", help="the .appraisal file the workbook was exported from")
    q.add_argument("workbook", type=Path, help="the edited workbook (.xlsx)")
    q.add_argument("--dry-run", action="store_true", help="show what would change; change nothing")
    q.add_argument(
        "--accept-conflicts",
        action="store_true",
        help="where a cell also changed in the appraisal since the export, let the workbook's value win",
    )
    q.set_defaults(handler=cmd_import_xlsx)


def _export(args: argparse.Namespace, out: TextIO, kind: str) -> int:
    from app.services import appraisals, exports
    from app.services.release_gate import ReleaseRefused

    workspace = appraisals.open_appraisal(args.file, read_only=True)
    try:
        write = exports.export_xlsx if kind == "xlsx" else exports.export_pdf
        result = write(workspace, args.output, args.edition, args.marking, overwrite=args.force)
    except ReleaseRefused as refused:
        # One line per block, so a script (or the lead) can work through them.
        sys.stderr.write(
            f"error: the {refused.edition.label.lower()} was not written; {len(refused.blocks)} block(s):\n"
        )
        for block in refused.blocks:
            sys.stderr.write(block.line + "\n")
        return 1
    finally:
        workspace.close()
    rows = f", {result.cells} characterization rows" if result.cells else ""
    out.write(
        f"Wrote {result.path} ({result.edition.label}: {result.process_areas} process areas{rows}), "
        f"marked “{result.marking}”\n"
    )
    return 0


def cmd_export_xlsx(args: argparse.Namespace, out: TextIO) -> int:
    return _export(args, out, "xlsx")


def cmd_export_pdf(args: argparse.Namespace, out: TextIO) -> int:
    return _export(args, out, "pdf")


def _shown(value: str | None) -> str:
    if value is None or value == "":
        return "(empty)"
    flat = " ".join(value.split())
    return f"“{flat if len(flat) <= SHOWN_TEXT else flat[: SHOWN_TEXT - 1] + '…'}”"


def _change_lines(change: CellChange) -> list[str]:
    where = f"(sheet {change.sheet}, row {change.row})"
    head = f"  {change.label}  {where}"
    if change.conflict:
        head += "  CONFLICT: also changed in the appraisal since the export"
    lines = [head]
    for f in change.fields:
        mark = "   <- conflict" if f.conflict else ""
        lines.append(f"      {f.label:<17} {_shown(f.before)} -> {_shown(f.after)}{mark}")
    return lines


def preview_lines(preview: ImportPreview) -> list[str]:
    changes, conflicts = preview.changes, preview.conflicts
    lines = [
        f"Workbook {preview.path.name}, exported {preview.exported_when}",
        f"{len(changes)} cell(s) change, {len(conflicts)} conflict(s); {preview.unchanged} cell(s) unchanged.",
    ]
    for change in changes:
        lines.extend(_change_lines(change))
    return lines


def cmd_import_xlsx(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import appraisals, workbook_import
    from app.storage.errors import KnownError

    workspace = appraisals.open_appraisal(args.file)
    try:
        preview = workbook_import.preview(workspace, args.workbook)
        out.write("\n".join(preview_lines(preview)) + "\n")
        if preview.empty:
            out.write("Nothing to import: the workbook matches the appraisal.\n")
            return 0
        conflicts = len(preview.conflicts)
        if args.dry_run:
            out.write("Dry run: nothing was changed.\n")
            return 0
        if conflicts and not args.accept_conflicts:
            raise KnownError(
                f"{conflicts} cell(s) also changed in the appraisal since the workbook was exported (marked CONFLICT "
                "above). Nothing was imported. Re-run with --accept-conflicts to let the workbook's values win for "
                "them, or export a fresh workbook and redo those edits there."
            )
        applied = workbook_import.apply(workspace, preview, accept_conflicts=args.accept_conflicts)
    finally:
        workspace.close()
    won = f" ({conflicts} conflict(s) settled in the workbook's favour)" if conflicts else ""
    out.write(f"Imported {len(applied.after)} cell(s) in one transaction{won}.\n")
    return 0
