"""CLI for encrypted appraisals: `new FILE --encrypt`, `passphrase FILE`, and the passphrase of any encrypted file
a command opens (info, check, ratings, ...).

Passphrases come from the terminal (typed, not echoed) or, for scripts, from APPRAISAL_DESK_PASSPHRASE (and
APPRAISAL_DESK_NEW_PASSPHRASE for the new one when changing it). They are never taken as command-line arguments,
which other users of the machine can read in the process list.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from app.storage.errors import KnownError, PassphraseNeededError

PASSPHRASE_ENV = "APPRAISAL_DESK_PASSPHRASE"
NEW_PASSPHRASE_ENV = "APPRAISAL_DESK_NEW_PASSPHRASE"

Handler = Callable[[argparse.Namespace, TextIO], int]


def register(sub: Any) -> None:
    """Add `passphrase`, give `new` its --encrypt flag, and answer passphrase questions for every command."""
    new = sub.choices.get("new")
    if new is not None:
        new.add_argument(
            "--encrypt",
            action="store_true",
            help=f"encrypt the file with a passphrase (asked for, or taken from {PASSPHRASE_ENV})",
        )
        new.set_defaults(handler=_encrypting(new.get_default("handler")))
    p = sub.add_parser(
        "passphrase",
        help="change the passphrase of an encrypted appraisal file",
        description=f"Change the passphrase of an encrypted appraisal file. Scripts may set {PASSPHRASE_ENV} "
        f"(current) and {NEW_PASSPHRASE_ENV} (new).",
    )
    p.add_argument("file", help="the encrypted .appraisal file")
    p.set_defaults(handler=cmd_passphrase)


def install_passphrase_source() -> None:
    """Answer the passphrase questions of any command that opens an encrypted file (called before it runs)."""
    from app.storage import encryption

    encryption.set_passphrase_source(_AskOnce())


class _AskOnce:
    """The passphrase of an encrypted file a command opens: from the environment, else typed once per file."""

    def __init__(self) -> None:
        self._typed: dict[Path, str] = {}

    def __call__(self, path: Path) -> str | None:
        from_env = os.environ.get(PASSPHRASE_ENV)
        if from_env:
            return from_env
        key = path.expanduser().resolve()
        if key not in self._typed:
            self._typed[key] = _ask(f"Passphrase for {path.name}: ", path)
        return self._typed[key]


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _ask(prompt: str, path: Path) -> str:
    if not _interactive():
        raise PassphraseNeededError(
            f"{path.name} is encrypted: run the command in a terminal to type its passphrase, "
            f"or set {PASSPHRASE_ENV} for scripts."
        )
    return getpass.getpass(prompt)


def _new_passphrase(env: str, what: str) -> str:
    from app.services import security

    from_env = os.environ.get(env)
    if from_env:
        security.check_new_passphrase(from_env)
        return from_env
    if not _interactive():
        raise KnownError(f"No {what}: run the command in a terminal to type it, or set {env} for scripts.")
    print(
        f"Choose the {what}: at least {security.MIN_LENGTH} characters. Nobody can open the file without it, "
        "and it cannot be recovered if forgotten.",
        file=sys.stderr,
    )
    first = getpass.getpass(f"{what.capitalize()}: ")
    security.check_new_passphrase(first)
    security.check_new_passphrase(first, getpass.getpass(f"{what.capitalize()} again: "))
    return first


def _encrypting(plain: Handler) -> Handler:
    def handler(args: argparse.Namespace, out: TextIO) -> int:
        if not getattr(args, "encrypt", False):
            return plain(args, out)
        return cmd_new_encrypted(args, out)

    return handler


def cmd_new_encrypted(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import appraisals
    from app.services.catalogs import installed_catalog
    from app.storage import encryption
    from app.storage.locations import parse_location

    if parse_location(args.file).is_server:
        raise KnownError("--encrypt is for appraisal files; a server database is protected by its administrator.")
    encryption.require()
    catalog = installed_catalog()
    # Check the plan before asking for a passphrase: a typo in the plan should not cost typing it twice.
    if args.plan is not None:
        plan = appraisals.read_plan_file(args.plan, catalog)
    else:
        plan = appraisals.minimal_plan(args.name or Path(str(args.file)).stem)
    passphrase = _new_passphrase(PASSPHRASE_ENV, "passphrase of the new file")
    workspace = appraisals.create_appraisal(args.file, plan, catalog, passphrase=passphrase)
    try:
        info = appraisals.appraisal_info(workspace)
    finally:
        workspace.close()
    out.write(f"Created {info.location}: {info.name} ({len(info.scope)} process areas in scope), encrypted\n")
    return 0


def cmd_passphrase(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import appraisals, security
    from app.storage.file_inspection import inspect_file
    from app.storage.locations import parse_location

    location = parse_location(args.file)
    if location.path is None:
        raise KnownError(
            "A server database has no passphrase of Appraisal Desk's: its access and encryption are set by the "
            "server's administrator."
        )
    path = location.path
    if not security.file_is_encrypted(path):
        inspect_file(path)  # says plainly what the file is when it is not an appraisal at all
        raise KnownError(f"{path.name} is not encrypted, so it has no passphrase to change.")
    current = os.environ.get(PASSPHRASE_ENV) or _ask(f"Current passphrase for {path.name}: ", path)
    workspace = appraisals.open_appraisal(path, passphrase=current)
    try:
        new = _new_passphrase(NEW_PASSPHRASE_ENV, "new passphrase")
        security.change_passphrase(workspace, current, new)
    finally:
        workspace.close()
    out.write(f"Changed the passphrase of {path.name}. Backups taken before keep the passphrase they had.\n")
    return 0
