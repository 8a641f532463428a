"""The report commands: `export docx|pptx|record` and `templates check|use|reset` (docs/report-templates.md)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from app.cli.output_commands import FORCE_HELP
from app.domain.edition import DEFAULT_MARKINGS, Edition
from app.services.errors import KnownError

if TYPE_CHECKING:
    from app.services.exports import ExportResult


def _kinds(sub: Any, command: str) -> Any:
    """The sub-command group of an existing command (`export`), so its kinds stay in one list."""
    parser = sub.choices[command]
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def _common(q: argparse.ArgumentParser, suffix: str, editions: bool = True) -> None:
    q.add_argument("file", help="the .appraisal file")
    q.add_argument("-o", "--output", type=Path, required=True, help=f"the {suffix} to write")
    if editions:
        q.add_argument(
            "--edition",
            choices=[e.value for e in Edition],
            default=Edition.TEAM.value,
            help="team: everything, with the goals' reasons; sponsor: ratings and validated findings (default team)",
        )
    q.add_argument(
        "--marking",
        help=f"confidentiality marking on every page (default: {DEFAULT_MARKINGS[Edition.TEAM]!r} for the team "
        f"edition, {DEFAULT_MARKINGS[Edition.SPONSOR]!r} for the sponsor's)",
    )
    q.add_argument("--force", action="store_true", help=FORCE_HELP)
    q.add_argument(
        "--draft",
        action="store_true",
        help="make it although judgments or validations are still open; every page is marked DRAFT",
    )


def register(sub: Any) -> None:
    """Add `export docx|pptx|record` and the `templates` command."""
    kinds = _kinds(sub, "export")
    q = kinds.add_parser("docx", help="write the appraisal report in Word, from a template")
    _common(q, ".docx file")
    q.add_argument(
        "--template",
        type=Path,
        help="a .docx template to use this time (default: the appraisal's own, else the shipped one)",
    )
    q.set_defaults(handler=cmd_export_docx)
    q = kinds.add_parser("pptx", help="write the final findings briefing in PowerPoint")
    _common(q, ".pptx file")
    q.set_defaults(handler=cmd_export_pptx)
    q = kinds.add_parser(
        "record", help="write the disclosure statement (DOCX, PDF), record.json and CSV tables into a folder"
    )
    _common(q, "folder", editions=False)
    q.set_defaults(handler=cmd_export_record)

    p = sub.add_parser("templates", help="check a Word report template; choose the one an appraisal uses")
    actions = p.add_subparsers(dest="templates_action", metavar="ACTION", parser_class=type(p))
    actions.required = True
    q = actions.add_parser("check", help="list every unknown field and broken tag of a template, with its place")
    q.add_argument("template", type=Path, help="the .docx template")
    q.set_defaults(handler=cmd_templates_check)
    q = actions.add_parser("use", help="keep a template in the appraisal file for an edition's reports")
    q.add_argument("file", help="the .appraisal file")
    q.add_argument("template", type=Path, help="the .docx template")
    q.add_argument("--edition", choices=[e.value for e in Edition], default=Edition.SPONSOR.value)
    q.set_defaults(handler=cmd_templates_use)
    q = actions.add_parser("reset", help="go back to the shipped template for an edition")
    q.add_argument("file", help="the .appraisal file")
    q.add_argument("--edition", choices=[e.value for e in Edition], default=Edition.SPONSOR.value)
    q.set_defaults(handler=cmd_templates_reset)


def _wrote(result: ExportResult, out: TextIO, what: str) -> None:
    out.write(
        f"Wrote {result.path} ({what}, {result.edition.label}: {result.process_areas} process areas), "
        f"marked “{result.marking}”\n"
    )


def cmd_export_docx(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import appraisals, report_exports  # when run only: `--help` loads no services

    workspace = appraisals.open_appraisal(args.file, read_only=True)
    try:
        result = report_exports.export_docx(
            workspace,
            args.output,
            args.edition,
            args.marking,
            template=args.template,
            draft=args.draft,
            overwrite=args.force,
        )
    finally:
        workspace.close()
    _wrote(result, out, "Word report")
    return 0


def cmd_export_pptx(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import appraisals, report_exports  # when run only: `--help` loads no services

    workspace = appraisals.open_appraisal(args.file, read_only=True)
    try:
        result = report_exports.export_pptx(
            workspace, args.output, args.edition, args.marking, draft=args.draft, overwrite=args.force
        )
    finally:
        workspace.close()
    _wrote(result, out, "final findings briefing")
    return 0


def cmd_export_record(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import appraisals, report_exports  # when run only: `--help` loads no services

    workspace = appraisals.open_appraisal(args.file, read_only=True)
    try:
        result = report_exports.export_record(
            workspace, args.output, args.marking, draft=args.draft, overwrite=args.force
        )
    finally:
        workspace.close()
    out.write(
        f"Wrote the appraisal record to {result.folder} ({len(result.files)} files, {result.practices} "
        f"practice-in-unit rows), marked “{result.marking}”:\n"
    )
    for path in result.files:
        out.write(f"  {path.name}\n")
    return 0


def cmd_templates_check(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import report_exports  # when run only: `--help` loads no services

    problems = report_exports.check_template_file(args.template)
    if not problems:
        out.write(f"{args.template}: no problems; every tag is well formed and every field is known.\n")
        return 0
    out.write(f"{args.template}: {len(problems)} problem(s)\n")
    for problem in problems:
        out.write(f"  {problem}\n")
    raise KnownError(f"{args.template.name} has {len(problems)} problem(s); fix them in Word and check again.")


def cmd_templates_use(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import appraisals, report_exports  # when run only: `--help` loads no services

    workspace = appraisals.open_appraisal(args.file)
    try:
        info = report_exports.set_template(workspace, args.edition, args.template)
    finally:
        workspace.close()
    out.write(f"The {info.edition.label.lower()} reports of {args.file} now use {info.file_name}.\n")
    return 0


def cmd_templates_reset(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import appraisals, report_exports  # when run only: `--help` loads no services

    workspace = appraisals.open_appraisal(args.file)
    try:
        report_exports.clear_template(workspace, args.edition)
    finally:
        workspace.close()
    out.write(f"The {Edition(args.edition).label.lower()} reports of {args.file} use the shipped template.\n")
    return 0
