"""Use cases of a team server (docs/team-server.md): set it up, manage who may log in, push a file onto it and
pull it back into a standalone file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.services.workspace import Workspace
from app.storage import appraisal_file, team_server
from app.storage.errors import KnownError
from app.storage.locations import parse_location
from app.storage.team_server import Account, InitReport

__all__ = ["Account", "InitReport", "TransferReport", "add_user", "init_server", "list_users", "pull", "push"]


@dataclass(frozen=True)
class TransferReport:
    source: str
    target: str
    rows: int
    attachments: int


def is_server(target: str) -> bool:
    """Whether `target` names a team server (a postgresql URL) rather than a file."""
    try:
        return parse_location(target).is_server
    except KnownError:
        return False


def shown(url: str) -> str:
    """The server URL for messages: without its password."""
    return parse_location(url).shown()


def who_am_i(ws: Workspace) -> str | None:
    """For the window's status bar on a team server: "morgan · member of Security"; None for a file."""
    if ws.path is not None or ws.store.engine.dialect.name != "postgresql":
        return None
    found = team_server.role_of(ws.store.engine, ws.who)
    if found is None:
        return f"{ws.who} · administrator"  # the database's owner, who ran `server init`
    role, mini_team = found
    return f"{ws.who} · member of {mini_team}" if role == "member" else f"{ws.who} · {role}"


def is_observer(ws: Workspace) -> bool:
    if ws.path is not None or ws.store.engine.dialect.name != "postgresql":
        return False
    found = team_server.role_of(ws.store.engine, ws.who)
    return found is not None and found[0] == "observer"


def init_server(url: str) -> InitReport:
    engine = team_server.server_engine(url)
    try:
        return team_server.initialize(engine)
    finally:
        engine.dispose()


def add_user(url: str, login: str, role: str, mini_team: str | None, password: str | None) -> Account:
    engine = team_server.server_engine(url)
    try:
        return team_server.add_account(engine, login, role, mini_team, password)
    finally:
        engine.dispose()


def remove_user(url: str, login: str) -> None:
    engine = team_server.server_engine(url)
    try:
        team_server.remove_account(engine, login)
    finally:
        engine.dispose()


def list_users(url: str) -> list[Account]:
    engine = team_server.server_engine(url)
    try:
        return team_server.list_accounts(engine)
    finally:
        engine.dispose()


def push(file: str | Path, url: str) -> TransferReport:
    """Copy an appraisal file, attachments and history included, onto an empty server database: all or nothing."""
    if parse_location(file).is_server:
        raise KnownError("push copies a file onto a server: give the .appraisal file first, then the server URL.")
    engine = team_server.server_engine(url)
    source = appraisal_file.open_store(file, read_only=True)
    try:
        counts = team_server.push_rows(source.engine, engine)
    finally:
        source.close()
        engine.dispose()
    return TransferReport(source.display_name, parse_location(url).shown(), sum(counts.values()), counts["blob"])


def pull(url: str, file: str | Path) -> TransferReport:
    """Copy a server's appraisal into a new standalone file (e.g. to archive the appraisal record)."""
    if parse_location(file).is_server:
        raise KnownError("pull copies a server's appraisal into a file: give the server URL first, then a new file.")
    engine = team_server.server_engine(url)
    try:
        store = appraisal_file.create_store(file)
        try:
            counts = team_server.pull_rows(engine, store.engine)
        except BaseException:
            appraisal_file.discard_new_file(store)
            raise
        store.close()
    finally:
        engine.dispose()
    return TransferReport(parse_location(url).shown(), store.display_name, sum(counts.values()), counts["blob"])
