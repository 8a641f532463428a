"""`appraisal-desk demo FILE`: create the demo appraisal (Olive Vehicle Insurance, the seed's worked example)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO


def register(sub: Any) -> None:
    p = sub.add_parser(
        "demo",
        help="create the demo appraisal: Olive Vehicle Insurance mid-way through its on-site week",
        description="Create a new appraisal file holding the demo: the seed's Olive Vehicle Insurance appraisal "
        "with evidence, interviews, characterizations and findings. It never overwrites a file.",
    )
    p.add_argument("file", help="the new .appraisal file (or an empty postgresql+psycopg:// database)")
    p.set_defaults(handler=cmd_demo)


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import appraisals
    from app.services.catalogs import installed_catalog
    from app.services.demo import create_demo
    from app.storage.errors import KnownError
    from app.storage.locations import parse_location

    location = parse_location(args.file)
    if location.path is not None and (location.path.exists() or location.path.is_symlink()):
        raise KnownError(
            f"{location.path} already exists; the demo is only written to a new file. Choose another name."
        )
    workspace = create_demo(location.path or args.file, installed_catalog())
    try:
        info = appraisals.appraisal_info(workspace)
    finally:
        workspace.close()
    counts = info.counts
    out.write(f"Created {info.location}: {info.name}\n")
    out.write(
        f"  {len(info.scope)} process areas in scope, {counts['basic_units']} basic units, "
        f"{_count(counts['support_functions'], 'support function')}\n"
        f"  {counts['artifacts']} artifacts, {counts['interview_sessions']} interview sessions, "
        f"{counts['affirmations']} affirmations, {counts['evidence_links']} evidence links\n"
        f"  {counts['characterizations']} characterizations, {counts['findings']} findings\n"
        f"Open it with: appraisal-desk {args.file}\n"
    )
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
