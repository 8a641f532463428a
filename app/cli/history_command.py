"""`appraisal-desk history FILE [--json]`: the change log, newest first: who, when, what, old -> new."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from app.services.history import HistoryEntry


def register(sub: Any) -> None:
    p = sub.add_parser(
        "history",
        help="the change log: who changed what and when, with the value before and after",
        description="Print the appraisal's change log, newest first. Filters combine.",
    )
    p.add_argument("file", help="the .appraisal file (or a postgresql+psycopg:// URL)")
    p.add_argument("--json", action="store_true", help="machine-readable output (docs/history-json.md)")
    p.add_argument("--who", help="only changes by this person")
    p.add_argument("--kind", help="only this kind of change: Characterization, Team judgment, Goal rating, Evidence, …")
    p.add_argument("--since", type=_day, help="only changes on or after this day (YYYY-MM-DD)")
    p.add_argument("--until", type=_day, help="only changes on or before this day (YYYY-MM-DD)")
    p.add_argument("--limit", type=int, default=0, help="at most this many lines (the newest)")
    p.set_defaults(handler=cmd_history)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day: write it as YYYY-MM-DD") from None


def cmd_history(args: argparse.Namespace, out: TextIO) -> int:
    # Imported here: the CLI answers --help and --version without loading the database layers.
    from app.services import appraisals
    from app.services.errors import KnownError
    from app.services.history import KINDS, HistoryFilter, history

    kinds = sorted(set(KINDS.values()))
    if args.kind is not None and args.kind not in kinds:
        raise KnownError(f"{args.kind!r} is not a kind of change: choose one of {', '.join(kinds)}.")
    if args.limit < 0:
        raise KnownError("--limit counts lines: give 0 (all) or more.")
    workspace = appraisals.open_appraisal(args.file)
    try:
        entries = history(workspace, wanted=HistoryFilter(args.who, args.kind, args.since, args.until))
    finally:
        workspace.close()
    if args.limit:
        entries = entries[: args.limit]
    if args.json:
        json.dump({"entries": [entry_json(e) for e in entries]}, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 0
    for entry in entries:
        change = f"  {entry.old or '?'} -> {entry.new}" if entry.new else ""
        out.write(f"{entry.at:%Y-%m-%d %H:%M:%S}  {entry.who:<16} {entry.kind:<16} {entry.what}{change}\n")
    if not entries:
        out.write("No changes recorded" + (" that match the filters.\n" if _filtered(args) else ".\n"))
    return 0


def _filtered(args: argparse.Namespace) -> bool:
    return any((args.who, args.kind, args.since, args.until))


def entry_json(entry: HistoryEntry) -> dict[str, object]:
    return {
        "at": entry.at.isoformat(timespec="seconds"),
        "who": entry.who,
        "kind": entry.kind,
        "what": entry.what,
        "old": entry.old or None,
        "new": entry.new or None,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "detail": entry.detail,
    }
