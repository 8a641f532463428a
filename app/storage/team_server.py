"""A team server's setup: schema and security (`server init`), people's accounts (`server users`), and copying an
appraisal between a file and a server (`push`, `pull`), each in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, Table, delete, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from app.storage import migrate, server_security
from app.storage.database import make_engine
from app.storage.errors import KnownError
from app.storage.locations import parse_location
from app.storage.schema import Appraisal, Base, MiniTeam, ServerAccount
from app.storage.server_security import GroupRoles, quoted

_LOGIN = re.compile(r"^[a-z_][a-z0-9_.\-]{0,62}$")
NOT_COPIED = ("server_account", "alembic_version")
"""Who may log in to one server means nothing in a file or on another server."""
CHUNK = 500


class ServerError(KnownError):
    """The server refused or could not do what was asked; the message says why in plain words."""


def server_engine(url: str) -> Engine:
    location = parse_location(url)
    if location.url is None:
        raise KnownError(f"{url} is not a server URL: give postgresql+psycopg://USER@HOST/DATABASE.")
    return make_engine(location.url)


def database_name(engine: Engine) -> str:
    name = make_url(engine.url).database
    if not name:
        raise KnownError("The server URL names no database: postgresql+psycopg://USER@HOST/DATABASE.")
    return name


@contextmanager
def _transaction(engine: Engine) -> Iterator[Connection]:
    try:
        with engine.begin() as conn:
            yield conn
    except OperationalError as exc:
        raise ServerError(f"Cannot reach the database server: {_first_line(exc)}") from None
    except DBAPIError as exc:
        raise ServerError(f"The server refused it: {_first_line(exc)}. Nothing was changed.") from None


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)


@dataclass(frozen=True)
class InitReport:
    from_revision: str | None
    to_revision: str
    roles: GroupRoles


def initialize(engine: Engine) -> InitReport:
    """Create or upgrade the schema and (re)apply the roles, grants and policies: one transaction."""
    with _transaction(engine) as conn:
        before = migrate.current_revision(conn)
        if before is not None and before not in migrate.known_revisions():
            raise KnownError(f"The database was written by a newer Appraisal Desk (schema {before}).")
        migrate.upgrade_on(conn)
        roles = server_security.apply(conn, database_name(engine))
    return InitReport(before, migrate.head_revision(), roles)


@dataclass(frozen=True)
class Account:
    login: str
    role: str
    mini_team: str | None
    can_log_in: bool


def _check_login(login: str) -> None:
    if not _LOGIN.match(login):
        raise KnownError(
            f"{login!r} cannot be a login: use lower-case letters, digits, '_', '.' or '-', starting with a letter."
        )


def add_account(engine: Engine, login: str, role: str, mini_team: str | None, password: str | None) -> Account:
    """A person's own login in one role (a team member with their mini-team); created, or changed if it exists."""
    _check_login(login)
    if role not in server_security.ROLES:
        raise KnownError(f"{role!r} is not a role: lead, member or observer.")
    if role == "member" and not mini_team:
        raise KnownError("A team member needs their mini-team (--mini-team NAME): they write only in its PAs.")
    if role != "member" and mini_team:
        raise KnownError("Only a team member belongs to a mini-team; a lead writes everywhere, an observer nowhere.")
    roles = GroupRoles.of(database_name(engine))
    with _transaction(engine) as conn:
        _require_initialized(conn, roles)
        team_id = None
        if mini_team:
            team_id = conn.scalar(select(MiniTeam.id).where(MiniTeam.name == mini_team))
            if team_id is None:
                names = ", ".join(conn.scalars(select(MiniTeam.name).order_by(MiniTeam.position))) or "none yet"
                raise KnownError(f"There is no mini-team {mini_team!r} in this appraisal (mini-teams: {names}).")
        exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login}) is not None
        options = "LOGIN" + (" CREATEROLE" if role == "lead" else "")
        if password is not None:
            options += " PASSWORD " + conn.scalar(text("SELECT quote_literal(:p)"), {"p": password})
        conn.exec_driver_sql(f"{'ALTER' if exists else 'CREATE'} ROLE {quoted(login)} {options}")
        for other in roles.all:
            conn.exec_driver_sql(f"REVOKE {quoted(other)} FROM {quoted(login)}")
        conn.exec_driver_sql(f"GRANT {quoted(roles.name(role))} TO {quoted(login)}")
        conn.execute(delete(ServerAccount).where(ServerAccount.login == login))
        conn.execute(
            insert(ServerAccount).values(login=login, role=role, mini_team_id=team_id, added_at=datetime.now())
        )
    return Account(login, role, mini_team, True)


def remove_account(engine: Engine, login: str) -> None:
    """Take a person's access to this appraisal away (their login stays if other databases use it)."""
    roles = GroupRoles.of(database_name(engine))
    with _transaction(engine) as conn:
        _require_initialized(conn, roles)
        found = conn.execute(delete(ServerAccount).where(ServerAccount.login == login)).rowcount
        if not found:
            raise KnownError(f"{login} has no account on this appraisal (see `server users URL list`).")
        for role in roles.all:
            conn.exec_driver_sql(f"REVOKE {quoted(role)} FROM {quoted(login)}")


def list_accounts(engine: Engine) -> list[Account]:
    with _transaction(engine) as conn:
        rows = conn.execute(
            select(ServerAccount.login, ServerAccount.role, MiniTeam.name)
            .outerjoin(MiniTeam, MiniTeam.id == ServerAccount.mini_team_id)
            .order_by(ServerAccount.role, ServerAccount.login)
        ).all()
        can_log_in = {str(r[0]): bool(r[1]) for r in conn.execute(text("SELECT rolname, rolcanlogin FROM pg_roles"))}
    return [Account(login, role, team, bool(can_log_in.get(login))) for login, role, team in rows]


def _require_initialized(conn: Connection, roles: GroupRoles) -> None:
    if migrate.current_revision(conn) != migrate.head_revision():
        raise KnownError("This database is not set up for a team yet: run `appraisal-desk server init URL` first.")
    if conn.scalar(text("SELECT count(*) FROM pg_roles WHERE rolname = :r"), {"r": roles.lead}) == 0:
        raise KnownError("This database has no team roles yet: run `appraisal-desk server init URL` first.")


def role_of(engine: Engine, login: str) -> tuple[str, str | None] | None:
    """The login's role on this appraisal and, for a team member, their mini-team (None: no account here)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(ServerAccount.role, MiniTeam.name)
            .outerjoin(MiniTeam, MiniTeam.id == ServerAccount.mini_team_id)
            .where(ServerAccount.login == login)
        ).first()
    return (row[0], row[1]) if row is not None else None


def session_user(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.scalar(text("SELECT session_user")))


# --- copying an appraisal between a file and a server ------------------------------------------------------


def _tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_COPIED]


def copy_rows(source: Connection, target: Connection) -> dict[str, int]:
    """Copy every appraisal row from `source` to `target` (same schema revision), parents before children."""
    counts: dict[str, int] = {}
    for table in _tables():
        result = source.execute(select(table))
        total = 0
        while batch := result.fetchmany(CHUNK):
            target.execute(insert(table), [row._asdict() for row in batch])
            total += len(batch)
        counts[table.name] = total
    return counts


def reset_sequences(target: Connection) -> None:
    """After rows came in with their ids, PostgreSQL's id counters must start above them."""
    for table in _tables():
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        sequence = target.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})
        if sequence is None:
            continue
        highest = target.scalar(select(func.max(table.c.id)))
        target.execute(
            text("SELECT setval(CAST(:s AS regclass), :v, :called)"),
            {"s": sequence, "v": highest or 1, "called": highest is not None},
        )


def push_rows(source: Engine, target: Engine) -> dict[str, int]:
    """Copy a file's appraisal onto a server database: schema and security first if needed, one transaction."""
    with source.connect() as src, _transaction(target) as dst:
        revision = migrate.current_revision(dst)
        if revision is not None and revision not in migrate.known_revisions():
            raise KnownError(f"The database was written by a newer Appraisal Desk (schema {revision}).")
        migrate.upgrade_on(dst)
        if dst.scalar(select(func.count()).select_from(Appraisal)):
            raise KnownError("That database already holds an appraisal; push onto an empty database.")
        server_security.apply(dst, database_name(target))
        dst.exec_driver_sql(f"SET LOCAL {server_security.KEEP_AUTHORS} = 'on'")
        counts = copy_rows(src, dst)
        reset_sequences(dst)
    return counts


def pull_rows(source: Engine, target: Engine) -> dict[str, int]:
    """Copy a server's appraisal into a new file at head (`target`, made by create_store): one transaction.

    One snapshot of the whole appraisal (repeatable read), even while the team keeps editing.
    """
    try:
        with source.connect() as plain:
            src = plain.execution_options(isolation_level="REPEATABLE READ")
            with src.begin():
                revision = migrate.current_revision(src)
                if revision is None or not src.scalar(select(func.count()).select_from(Appraisal)):
                    raise KnownError("That database holds no appraisal to pull.")
                if revision != migrate.head_revision():
                    raise KnownError(
                        f"The database uses schema {revision}; this version writes {migrate.head_revision()}. "
                        "Upgrade it first (`appraisal-desk server init URL`)."
                    )
                with target.begin() as dst:
                    return copy_rows(src, dst)
    except OperationalError as exc:
        raise ServerError(f"Cannot reach the database server: {_first_line(exc)}") from None
