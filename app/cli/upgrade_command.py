"""`appraisal-desk upgrade FILE`: bring a file of an older schema up to this version's, after a backup."""

from __future__ import annotations

import argparse
from typing import Any, TextIO


def register(sub: Any) -> None:
    p = sub.add_parser(
        "upgrade",
        help="upgrade an appraisal of an older schema to this version's (a backup is kept beside it)",
        description="Upgrade an appraisal file (or server database) written by an older Appraisal Desk. A file is "
        "first copied beside itself (NAME.before-REVISION-DATE.appraisal.bak); the commands that only read "
        "(info, ratings, export, check) never upgrade a file.",
    )
    p.add_argument("file", help="the .appraisal file (or a postgresql+psycopg:// URL)")
    p.set_defaults(handler=cmd_upgrade)


def cmd_upgrade(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import appraisals

    report = appraisals.upgrade_appraisal(args.file)
    if report.from_revision == report.to_revision:
        out.write(f"{report.location} is already at schema {report.to_revision}; nothing to upgrade.\n")
        return 0
    kept = f"; the file as it was is kept in {report.backup}" if report.backup else ""
    out.write(f"Upgraded {report.location} from schema {report.from_revision} to {report.to_revision}{kept}.\n")
    return 0
