"""The team server commands: `server init URL`, `server users URL add|remove|list`, `push FILE URL`, `pull URL FILE`.

A new account's password is typed (twice, not echoed) or, for scripts, taken from APPRAISAL_DESK_USER_PASSWORD;
never from the command line, which other users of the machine can read. `--no-password` makes an account that
logs in by client certificate (or whatever pg_hba.conf allows), docs/team-server.md.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from typing import Any, TextIO

from app.storage.errors import KnownError

PASSWORD_ENV = "APPRAISAL_DESK_USER_PASSWORD"


def register(sub: Any) -> None:
    """Add `server`, `push` and `pull` to the CLI's sub-command parsers."""
    server = sub.add_parser("server", help="set up a team server on PostgreSQL and manage who may log in")
    actions = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    p = actions.add_parser("init", help="create or upgrade the schema and the team's roles and permissions")
    p.add_argument("url", help="postgresql+psycopg://ADMIN@HOST/DATABASE (an account that may create roles)")
    p.set_defaults(handler=cmd_init)

    users = actions.add_parser("users", help="add, remove or list the people who may log in")
    users.add_argument("url", help="postgresql+psycopg://LEAD@HOST/DATABASE")
    user_actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    p = user_actions.add_parser("add", help="give a person their own login, in one role")
    p.add_argument("login", help="their PostgreSQL login name (lower case)")
    p.add_argument("--role", choices=("lead", "member", "observer"), required=True)
    p.add_argument("--mini-team", help="a team member's mini-team, as on the Plan page")
    p.add_argument(
        "--no-password",
        action="store_true",
        help="no password: the person logs in with a client certificate (see docs/team-server.md)",
    )
    p.set_defaults(handler=cmd_users_add)
    p = user_actions.add_parser("remove", help="take a person's access to this appraisal away")
    p.add_argument("login")
    p.set_defaults(handler=cmd_users_remove)
    p = user_actions.add_parser("list", help="who may log in, in which role")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_users_list)

    p = sub.add_parser("push", help="copy an appraisal file with its attachments onto a team server (one transaction)")
    p.add_argument("file", help="the .appraisal file")
    p.add_argument("url", help="postgresql+psycopg://USER@HOST/DATABASE, an empty database")
    p.set_defaults(handler=cmd_push)
    p = sub.add_parser("pull", help="copy a team server's appraisal back into a standalone file")
    p.add_argument("url", help="postgresql+psycopg://USER@HOST/DATABASE")
    p.add_argument("file", help="the new .appraisal file")
    p.set_defaults(handler=cmd_pull)


def cmd_init(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import team_server

    report = team_server.init_server(args.url)
    was = f"upgraded from schema {report.from_revision}" if report.from_revision else "created"
    if report.from_revision == report.to_revision:
        was = "already at this version's schema"
    out.write(
        f"Schema {report.to_revision} ({was}); roles {', '.join(report.roles.all)} and their permissions are set.\n"
        "Next: appraisal-desk server users URL add LOGIN --role lead|member|observer [--mini-team NAME]\n"
    )
    return 0


def _password(args: argparse.Namespace) -> str | None:
    if args.no_password:
        return None
    given = os.environ.get(PASSWORD_ENV)
    if given:
        return given
    if not sys.stdin.isatty():
        raise KnownError(f"No password: type it at a terminal, set {PASSWORD_ENV}, or use --no-password.")
    first = getpass.getpass(f"Password for {args.login}: ")
    if not first:
        raise KnownError("The password may not be empty (use --no-password for certificate logins).")
    if getpass.getpass("Again: ") != first:
        raise KnownError("The two passwords differ; nothing was changed.")
    return first


def cmd_users_add(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import team_server

    account = team_server.add_user(args.url, args.login, args.role, args.mini_team, _password(args))
    team = f" in mini-team {account.mini_team}" if account.mini_team else ""
    out.write(f"{account.login} may log in as {account.role}{team}.\n")
    return 0


def cmd_users_remove(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import team_server

    team_server.remove_user(args.url, args.login)
    out.write(f"{args.login} may no longer use this appraisal.\n")
    return 0


def cmd_users_list(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import team_server

    accounts = team_server.list_users(args.url)
    if args.json:
        rows = [
            {"login": a.login, "role": a.role, "mini_team": a.mini_team, "can_log_in": a.can_log_in} for a in accounts
        ]
        out.write(json.dumps(rows, indent=2) + "\n")
        return 0
    if not accounts:
        out.write("No accounts yet.\n")
    for a in accounts:
        blocked = "" if a.can_log_in else "  (cannot log in)"
        out.write(f"{a.login:<24} {a.role:<9} {a.mini_team or ''}{blocked}\n")
    return 0


def cmd_push(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import team_server

    report = team_server.push(args.file, args.url)
    out.write(f"Pushed {report.source} to {report.target}: {report.rows} rows, {report.attachments} attachments.\n")
    return 0


def cmd_pull(args: argparse.Namespace, out: TextIO) -> int:
    from app.services import team_server

    report = team_server.pull(args.url, args.file)
    out.write(f"Pulled {report.source} into {report.target}: {report.rows} rows, {report.attachments} attachments.\n")
    return 0
