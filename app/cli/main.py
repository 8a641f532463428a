"""The command line: `appraisal-desk [FILE]` opens the window; sub-commands script the same services.

Results go to stdout, messages to stderr. Exit codes: 0 success, 1 user error (bad file, bad input, no display),
2 usage (with "did you mean" for a mistyped command). User errors never print a traceback.

Start time: this module and every command module register their arguments with argparse alone. A command
module imports services, SQLAlchemy, openpyxl or reportlab inside its handlers, never at the top, so `--help`
and a usage error answer at once, and each command loads only what it uses (tests/e2e/test_cli_start.py).
To add a command group: a module with `register(sub)`, listed once in COMMAND_GROUPS below.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app.cli import (
    attribution_commands,
    commands,
    demo_command,
    history_command,
    output_commands,
    package_commands,
    report_commands,
    security_commands,
    server_commands,
    upgrade_command,
)

if TYPE_CHECKING:
    from types import ModuleType

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2
VERSION = "0.1.0"
"""The release, as pyproject.toml says it (read here without importlib.metadata, which is slow to import)."""

COMMAND_GROUPS: tuple[ModuleType, ...] = (
    commands,
    security_commands,
    demo_command,
    output_commands,
    package_commands,
    report_commands,
    attribution_commands,
    upgrade_command,
    history_command,
    server_commands,
)
"""The modules whose `register(sub)` add the sub-commands, in this order."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}{_suggestion(message)}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _suggestion(message: str) -> str:
    match = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
    if match is None:
        return ""
    choices = re.findall(r"'([^']*)'", match[2])
    close = difflib.get_close_matches(match[1], choices, n=2, cutoff=0.6)
    return f"\n  did you mean {' or '.join(close)}?" if close else ""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="appraisal-desk",
        description="Appraisal Desk: the lead appraiser's workbench. With no command (or a FILE), opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"appraisal-desk {VERSION}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for group in COMMAND_GROUPS:
        group.register(sub)
    return parser


def run(argv: Sequence[str], *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    args_list = list(argv)
    parser = build_parser()
    names = _command_names(parser)
    if not args_list or (args_list[0] not in names and not args_list[0].startswith("-")):
        return _start_gui(args_list, names, err)
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.command is None:
        return _start_gui([], names, err)
    handler: Callable[[argparse.Namespace, TextIO], int] = args.handler
    security_commands.install_passphrase_source()
    _warnings_to(err)
    from app.domain.plan import PlanError
    from app.storage.errors import KnownError

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


def _warnings_to(err: TextIO) -> None:
    """Warnings (a damaged model file skipped) as one line each on stderr, after the command's own output."""
    import logging

    logger = logging.getLogger("appraisal_desk")
    if not logger.handlers:
        handler = logging.StreamHandler(err)
        handler.setFormatter(logging.Formatter("warning: %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False


def _command_names(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def _start_gui(args: list[str], names: set[str], err: TextIO) -> int:
    if len(args) > 1 or (args and _looks_like_a_command(args[0])):
        close = difflib.get_close_matches(args[0], sorted(names), n=2, cutoff=0.6) if args else []
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        print("usage: appraisal-desk [FILE] | appraisal-desk COMMAND ...  (appraisal-desk --help lists them)", file=err)
        print(f"appraisal-desk: error: {args[0]!r} is neither a command nor an existing file.{hint}", file=err)
        return EXIT_USAGE
    missing = _missing_display()
    if missing:
        print(f"appraisal-desk: {missing}", file=err)
        return EXIT_USER_ERROR
    from app.ui.shell.app import run_gui

    if args and args[0].lower().startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        return run_gui(args[0])  # a team server (docs/team-server.md)
    return run_gui(Path(args[0]) if args else None)


def _looks_like_a_command(word: str) -> bool:
    """A lone word that is no file and has no suffix or folder in it is a mistyped command, not a file name."""
    path = Path(word)
    return not path.exists() and not path.suffix and os.sep not in word and "/" not in word


def _missing_display() -> str | None:
    """Why the window cannot open here (no display to show it on), or None. Qt would abort with a core dump."""
    if sys.platform in ("win32", "darwin"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith(("xcb", "wayland")):
        return None  # offscreen, vnc, eglfs…: the user chose where it goes
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "the window needs a display, and none was found (DISPLAY and WAYLAND_DISPLAY are not set). "
        "On a server or over SSH use the commands instead: appraisal-desk --help"
    )
