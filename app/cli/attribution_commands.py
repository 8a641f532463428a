"""Non-attribution from the command line: the appraisal's extra identifiers, and whether an edition may be released
(the same gate every export runs)."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from app.domain.edition import Edition

EXIT_BLOCKED = 1


def register(sub: Any) -> None:
    p = sub.add_parser(
        "identifiers",
        help="list, add or remove the identifiers withheld like names (nicknames, e-mail handles, team names)",
    )
    p.add_argument("file", help="the .appraisal file")
    p.add_argument("--add", metavar="TEXT", help="an identifier to withhold like a participant's name")
    p.add_argument("--note", default="", help="with --add: what it is (nickname, e-mail handle…)")
    p.add_argument("--remove", metavar="TEXT", help="an identifier to take off the list")
    p.set_defaults(handler=cmd_identifiers)

    p = sub.add_parser(
        "release-check",
        help="say whether an edition may be released; list each block (exit 1 when blocked)",
    )
    p.add_argument("file", help="the .appraisal file")
    p.add_argument("--edition", choices=[e.value for e in Edition], default=Edition.SPONSOR.value)
    p.set_defaults(handler=cmd_release_check)


def cmd_identifiers(args: argparse.Namespace, out: TextIO) -> int:
    # Imported here: the CLI answers --help and --version without loading the database layer.
    from app.services import appraisals, attribution
    from app.services.errors import KnownError

    workspace = appraisals.open_appraisal(args.file)
    try:
        if args.add:
            attribution.add_identifier(workspace, args.add, args.note)
        if args.remove:
            key = " ".join(args.remove.split()).casefold()
            found = [i for i in attribution.list_identifiers(workspace) if i.text.casefold() == key]
            if not found:
                raise KnownError(f"“{args.remove}” is not in the list of identifiers; nothing was removed.")
            attribution.remove_identifier(workspace, found[0].id)
        listed = attribution.list_identifiers(workspace)
    finally:
        workspace.close()
    if not listed:
        out.write("No extra identifiers (participants' names and roles one person holds are found on their own).\n")
    for info in listed:
        out.write(info.text + (f"\t{info.note}" if info.note else "") + "\n")
    return 0


def cmd_release_check(args: argparse.Namespace, out: TextIO, err: TextIO | None = None) -> int:
    from app.services import appraisals, release_gate

    edition = Edition(args.edition)
    workspace = appraisals.open_appraisal(args.file, read_only=True)
    try:
        blocks = release_gate.release_blocks(workspace, edition)
    finally:
        workspace.close()
    if not blocks:
        out.write(f"The {edition.label.lower()} may be released: nothing meant for it is flagged.\n")
        return 0
    stream = err or sys.stderr
    stream.write(f"The {edition.label.lower()} may not be released yet ({len(blocks)} block(s)):\n")
    for block in blocks:
        stream.write(block.line + "\n")
    return EXIT_BLOCKED
