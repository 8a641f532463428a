"""Handlers of the CLI sub-commands; each calls services and prints their results."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from app.domain.rating.json_report import result_to_json, result_to_text
from app.services import appraisals, catalogs, ratings
from app.services.catalogs import installed_catalog
from app.storage.errors import KnownError

EXTRA_COMMANDS: list[Callable[[Any], None]] = []


def cmd_new(args: argparse.Namespace, out: TextIO) -> int:
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
    workspace = appraisals.open_appraisal(args.file)
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
    report = appraisals.check_file(args.file)
    if report.problems:
        raise KnownError(f"{args.file.name} has problems:\n  " + "\n  ".join(report.problems))
    schema = f"schema {report.revision}"
    if report.revision != report.head:
        schema += f" (older than {report.head}: opening it in Appraisal Desk upgrades it, after a backup)"
    out.write(f"{args.file.name}: ok; integrity and foreign keys sound; {schema}\n")
    return 0


def cmd_models(args: argparse.Namespace, out: TextIO) -> int:
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
    if action == "template":
        catalogs.write_template(args.output, overwrite=args.force)
        out.write(f"Wrote the Excel template for a custom model to {args.output}\n")
        return 0
    rows = catalogs.installed_models()
    width = max((len(m.ident) for m in rows), default=10)
    for m in rows:
        origin = "built-in" if m.builtin else "imported"
        out.write(f"{m.ident:<{width}}  {m.kind:<12} {m.process_areas:>3} PAs  {origin:<8}  {m.name}\n")
    return 0


def cmd_ratings(args: argparse.Namespace, out: TextIO) -> int:
    workspace = appraisals.open_appraisal(args.file)
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
