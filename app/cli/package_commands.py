"""The mini-team package commands: `split` (a package for one mini-team) and `merge` (bring one back)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from app.domain.merge import RECORD, Side

if TYPE_CHECKING:
    from app.services.package_merge import MergeItem, MergePreview
from app.storage.errors import KnownError

SHOWN_TEXT = 60


def register(sub: Any) -> None:
    """Add `split` and `merge` to the CLI's sub-command parsers."""
    p = sub.add_parser("split", help="write a mini-team package: an appraisal file holding only its process areas")
    p.add_argument("file", help="the lead's .appraisal file")
    p.add_argument("--mini-team", required=True, help="the mini-team's name, as on the Plan page")
    p.add_argument("-o", "--output", type=Path, required=True, help="the new package file (.appraisal)")
    p.add_argument(
        "--encrypt",
        action="store_true",
        help=f"encrypt the package with a passphrase (asked for, or taken from {PACKAGE_PASSPHRASE_ENV})",
    )
    p.set_defaults(handler=cmd_split)

    p = sub.add_parser("merge", help="merge a mini-team package back: preview, conflicts, then one transaction")
    p.add_argument("file", help="the lead's .appraisal file the package was split from")
    p.add_argument("package", type=Path, help="the mini-team's package file")
    p.add_argument("--dry-run", action="store_true", help="show what would change; change nothing")
    p.add_argument(
        "--accept",
        choices=("theirs", "ours"),
        help="settle every conflict for the package (theirs) or for the lead's file (ours)",
    )
    p.set_defaults(handler=cmd_merge)


PACKAGE_PASSPHRASE_ENV = "APPRAISAL_DESK_PACKAGE_PASSPHRASE"


def _new_passphrase() -> str:
    from app.cli.security_commands import _new_passphrase as ask

    return ask(PACKAGE_PASSPHRASE_ENV, "passphrase of the package")


def cmd_split(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import appraisals, packages  # only when run: `--help` loads no services (app/cli/main.py)

    passphrase = _new_passphrase() if args.encrypt else None
    workspace = appraisals.open_appraisal(args.file)
    try:
        result = packages.split(workspace, args.mini_team, args.output, passphrase=passphrase)
    finally:
        workspace.close()
    encrypted = ", encrypted" if passphrase else ""
    out.write(
        f"Wrote {result.path} for {result.mini_team}{encrypted}: {', '.join(result.process_areas)}; "
        f"{result.cells} cells, {result.artifacts} artifacts, {result.affirmations} affirmations, "
        f"{result.findings} findings. No participants' names are in it.\n"
    )
    return 0


def _shown(value: object) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, dict):
        return "(present)"
    if isinstance(value, list):
        return f"{len(value)} file(s)"
    flat = " ".join(str(value).split())
    return f"“{flat if len(flat) <= SHOWN_TEXT else flat[: SHOWN_TEXT - 1] + '…'}”"


def _item_line(item: MergeItem) -> str:
    change = item.change
    where = " / ".join(p for p in (item.process_area, item.practice, item.unit) if p)
    head = f"  {where}  {item.what}"
    if change.field == RECORD:
        if change.package is None:
            body = "deleted in the package"
        elif change.base is None:
            body = "added in the package"
        else:
            body = "edited in the package, deleted in the appraisal"
    else:
        body = f"{item.field_label}: {_shown(change.lead)} -> {_shown(change.package)}"
    if change.conflict:
        body += f"   CONFLICT (base {_shown(change.base)})"
    return f"{head}: {body}"


def preview_lines(preview: MergePreview) -> list[str]:
    lines = list(preview.status_lines)
    lines.extend(_item_line(item) for item in preview.items)
    if preview.new_log_entries:
        lines.append(f"{preview.new_log_entries} change-log entr(ies) of the mini-team come along.")
    return lines


def cmd_merge(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import appraisals, package_merge

    workspace = appraisals.open_appraisal(args.file)
    try:
        preview = package_merge.preview(workspace, args.package)
        out.write("\n".join(preview_lines(preview)) + "\n")
        if preview.empty:
            out.write("Nothing to merge: the appraisal already holds everything in the package.\n")
            return 0
        if args.dry_run:
            out.write("Dry run: nothing was changed.\n")
            return 0
        conflicts = len(preview.conflicts)
        if conflicts and args.accept is None:
            raise KnownError(
                f"{conflicts} conflict(s): the package and the appraisal changed the same thing differently (marked "
                "CONFLICT above). Nothing was merged. Re-run with --accept theirs (the package wins) or --accept ours "
                "(the appraisal keeps its values), or settle each one in the window (File > Merge mini-team package…)."
            )
        side = Side.PACKAGE if args.accept == "theirs" else Side.LEAD
        result = package_merge.apply(workspace, preview, package_merge.settle_all(preview, side))
    finally:
        workspace.close()
    out.write(
        f"Merged {result.written} change(s) in one transaction; {result.kept_lead} conflict(s) kept as the appraisal "
        f"had them; {result.log_entries} change-log entr(ies) of the mini-team added.\n"
    )
    return 0
