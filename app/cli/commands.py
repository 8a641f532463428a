"""The file and model commands: new, info, check, models, ratings. Handlers import what they use when they
run (see app/cli/main.py: `--help` loads none of it)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from app.cli.output_commands import FORCE_HELP

EXTRA_COMMANDS: list[Callable[[Any], None]] = []
"""More `register(sub)` functions, called after these commands'."""


def register(sub: Any) -> None:
    p = sub.add_parser("new", help="create an appraisal file, optionally from a plan file")
    p.add_argument("file", help="the new .appraisal file (or a postgresql+psycopg:// URL)")
    p.add_argument("--plan", type=Path, help="plan YAML (see docs/plan-format.md)")
    p.add_argument("--name", help="appraisal name when no plan is given")
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser("info", help="show an appraisal's scope, schema revision and counts (reads only)")
    p.add_argument("file", help="the .appraisal file (or a postgresql+psycopg:// URL)")
    p.add_argument("--json", action="store_true", help="machine-readable output (docs/info-json.md)")
    p.set_defaults(handler=cmd_info)

    p = sub.add_parser("check", help="check a file's integrity, schema revision and foreign keys (reads only)")
    p.add_argument("file", help="the .appraisal file (or a postgresql+psycopg:// URL)")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("models", help="list installed models; import, export or check models")
    p.set_defaults(handler=cmd_models)
    models_sub = p.add_subparsers(dest="models_action", metavar="ACTION", parser_class=type(p))
    q = models_sub.add_parser("import", help="add a model (YAML or the Excel template) to your library")
    q.add_argument("model_file", type=Path)
    q = models_sub.add_parser("export", help="write an installed model as YAML (stdout without -o)")
    q.add_argument("model", help="KEY or KEY@VERSION, as `appraisal-desk models` lists them")
    q.add_argument("-o", "--output", type=Path)
    q.add_argument("--force", action="store_true", help=FORCE_HELP)
    models_sub.add_parser("check", help="check every model file in your library; name the damaged ones")
    q = models_sub.add_parser("template", help="write the Excel template for a custom model")
    q.add_argument("-o", "--output", type=Path, required=True)
    q.add_argument("--force", action="store_true", help=FORCE_HELP)

    p = sub.add_parser("ratings", help="rate an appraisal: goals, capability and maturity levels, coverage gaps")
    p.add_argument("file", help="the .appraisal file (or a postgresql+psycopg:// URL)")
    p.add_argument("--json", action="store_true", help="machine-readable output (docs/ratings-json.md)")
    p.set_defaults(handler=cmd_ratings)
    for extra in EXTRA_COMMANDS:
        extra(sub)


def cmd_new(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import appraisals
    from app.services.catalogs import installed_catalog

    catalog = installed_catalog()
    if args.plan is not None:
        plan = appraisals.read_plan_file(args.plan, catalog)
    else:
        plan = appraisals.minimal_plan(args.name or Path(str(args.file)).stem)
    workspace = appraisals.create_appraisal(args.file, plan, catalog)
    try:
        info = appraisals.appraisal_info(workspace)
    finally:
        workspace.close()
    out.write(f"Created {info.location}: {info.name} ({len(info.scope)} process areas in scope)\n")
    return 0


def cmd_info(args: argparse.Namespace, out: TextIO) -> int:
    from app.services.appraisal_info import quick_info

    info = quick_info(args.file)  # a plain file: sqlite3 alone, no SQLAlchemy to load
    if info is None:
        from app.services import appraisals

        workspace = appraisals.open_appraisal(args.file, read_only=True)
        try:
            info = appraisals.appraisal_info(workspace)
        finally:
            workspace.close()
    if args.json:
        json.dump(info.to_json(), out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 0
    dates = " to ".join(d for d in (info.start_date, info.end_date) if d) or "not set"
    lines = [
        f"Appraisal:      {info.name}",
        f"Sponsor:        {info.sponsor or '-'}",
        f"Lead appraiser: {info.lead_appraiser or '-'}",
        f"Method:         {info.method}, scale {info.scale}, phase {info.phase}",
        f"Dates:          {dates}",
        f"Org. unit:      {info.org_unit or '-'}",
        f"Target ML:      {info.target_maturity_level if info.target_maturity_level else '-'}",
        f"Schema:         {info.schema_revision}",
        "Scope:",
    ]
    if not info.scope:
        lines.append("  (no process areas yet)")
    for line in info.scope:
        cl = "-" if line.target_capability_level is None else f"CL{line.target_capability_level}"
        excluded = "  (excluded)" if line.excluded else ""
        lines.append(f"  {line.model:<9} {line.pa:<6} {line.name:<45} target {cl}{excluded}")
    lines.append("Counts:")
    lines.extend(f"  {key.replace('_', ' '):<20} {value}" for key, value in info.counts.items())
    out.write("\n".join(lines) + "\n")
    return 0


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import appraisals
    from app.storage.errors import KnownError

    report = appraisals.check_file(args.file)
    if report.problems:
        raise KnownError(f"{report.name} has problems:\n  " + "\n  ".join(report.problems))
    schema = f"schema {report.revision}"
    if report.revision != report.head:
        schema += (
            f" (older than {report.head}: it opens after an upgrade in the window or with "
            f"`appraisal-desk upgrade {args.file}`, after a backup)"
        )
    out.write(f"{report.name}: ok; {report.checked}; {schema}\n")
    return 0


def cmd_models(args: argparse.Namespace, out: TextIO) -> int:
    from app.domain.catalog import UNVERIFIED_MARK, UNVERIFIED_NOTE
    from app.services import catalogs

    action = getattr(args, "models_action", None)
    if action == "import":
        model = catalogs.import_model(args.model_file)
        out.write(f"Imported {model.key}@{model.version}: {model.name} ({len(model.process_areas)} process areas)\n")
        return 0
    if action == "export":
        text = catalogs.export_model(args.model, args.output, overwrite=args.force)
        if args.output is None:
            out.write(text)
        else:
            out.write(f"Wrote {args.output}\n")
        return 0
    if action == "check":
        from app.storage.catalog_files import library_dir, library_problems
        from app.storage.errors import KnownError

        problems = library_problems()
        if problems:
            lines = "\n".join(f"  {path}: {problem}" for path, problem in problems)
            raise KnownError(f"{len(problems)} model file(s) in {library_dir()} cannot be read:\n{lines}")
        out.write(f"Every model file in {library_dir()} is sound.\n")
        return 0
    if action == "template":
        catalogs.write_template(args.output, overwrite=args.force)
        out.write(f"Wrote the Excel template for a custom model to {args.output}\n")
        return 0
    rows = catalogs.installed_models()
    width = max((len(m.ident) for m in rows), default=10)
    for m in rows:
        origin = "built-in" if m.builtin else "imported"
        marks = f"  {m.unverified} titles {UNVERIFIED_MARK}" if m.unverified else ""
        out.write(f"{m.ident:<{width}}  {m.kind:<12} {m.process_areas:>3} PAs  {origin:<8}  {m.name}{marks}\n")
    if any(m.unverified for m in rows):
        out.write(f"\n{UNVERIFIED_NOTE}\n")
    return 0


def cmd_ratings(args: argparse.Namespace, out: TextIO) -> int:
    from app.domain.rating.json_report import result_to_json, result_to_text
    from app.services import appraisals, ratings

    workspace = appraisals.open_appraisal(args.file, read_only=True)
    try:
        result = ratings.rate_appraisal(workspace)
    finally:
        workspace.close()
    if args.json:
        json.dump(result_to_json(result), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(result_to_text(result))
    return 0
