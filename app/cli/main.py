"""The command line: `appraisal-desk [FILE]` opens the window; sub-commands script the same services.

Results go to stdout, messages to stderr. Exit codes: 0 success, 1 user error (bad file, bad input),
2 usage. User errors never print a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from app.cli import commands, demo_command, output_commands, package_commands, report_commands, security_commands
from app.domain.plan import PlanError
from app.storage.errors import KnownError

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="appraisal-desk",
        description="Appraisal Desk: the lead appraiser's workbench. With no command, opens the window.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("new", help="create an appraisal file, optionally from a plan file")
    p.add_argument("file", help="the new .appraisal file (or a postgresql+psycopg:// URL)")
    p.add_argument("--plan", type=Path, help="plan YAML (see docs/plan-format.md)")
    p.add_argument("--name", help="appraisal name when no plan is given")
    p.set_defaults(handler=commands.cmd_new)

    p = sub.add_parser("info", help="show an appraisal's scope, schema revision and counts")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="machine-readable output (docs/info-json.md)")
    p.set_defaults(handler=commands.cmd_info)

    p = sub.add_parser("check", help="check a file's integrity, schema revision and foreign keys")
    p.add_argument("file", type=Path)
    p.set_defaults(handler=commands.cmd_check)

    p = sub.add_parser("models", help="list installed models; import or export a model")
    p.set_defaults(handler=commands.cmd_models)
    models_sub = p.add_subparsers(dest="models_action", metavar="ACTION", parser_class=_Parser)
    q = models_sub.add_parser("import", help="add a model (YAML or the Excel template) to your library")
    q.add_argument("model_file", type=Path)
    q = models_sub.add_parser("export", help="write an installed model as YAML (stdout without -o)")
    q.add_argument("model", help="KEY or KEY@VERSION, as `appraisal-desk models` lists them")
    q.add_argument("-o", "--output", type=Path)
    q.add_argument("--force", action="store_true", help=output_commands.FORCE_HELP)
    q = models_sub.add_parser("template", help="write the Excel template for a custom model")
    q.add_argument("-o", "--output", type=Path, required=True)
    q.add_argument("--force", action="store_true", help=output_commands.FORCE_HELP)

    p = sub.add_parser("ratings", help="rate an appraisal: goals, capability and maturity levels, coverage gaps")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="machine-readable output (docs/ratings-json.md)")
    p.set_defaults(handler=commands.cmd_ratings)

    security_commands.register(sub)
    demo_command.register(sub)
    output_commands.register(sub)
    package_commands.register(sub)
    report_commands.register(sub)
    for extra in commands.EXTRA_COMMANDS:
        extra(sub)
    return parser


def run(argv: Sequence[str], *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args_list = list(argv)
    if not args_list or (args_list[0] not in _command_names() and not args_list[0].startswith("-")):
        return _start_gui(args_list)
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.command is None:
        return _start_gui([])
    handler: Callable[[argparse.Namespace, TextIO], int] = args.handler
    try:
        return handler(args, out)
    except PlanError as exc:
        print("The plan has problems; nothing was created:", file=err)
        for problem in exc.problems:
            print(f"  {exc.source}: {problem}", file=err)
        return EXIT_USER_ERROR
    except KnownError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_USER_ERROR
    except BrokenPipeError:
        # The reader (`| head`) stopped early: that is its choice, not an error to report.
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


def _command_names() -> set[str]:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def _start_gui(args: list[str]) -> int:
    if len(args) > 1:
        print("usage: appraisal-desk [FILE] | appraisal-desk COMMAND ...", file=sys.stderr)
        return EXIT_USAGE
    from app.ui.app import run_gui

    return run_gui(Path(args[0]) if args else None)


def print_json(data: object, out: TextIO) -> None:
    json.dump(data, out, indent=2, ensure_ascii=False)
    out.write("\n")
