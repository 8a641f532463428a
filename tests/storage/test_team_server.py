"""A team server on a real PostgreSQL: set up, accounts, push and pull, and permissions the server enforces.

Needs APPRAISAL_DESK_PG_URL (`.ci/run` starts a throwaway server with scripts/pg_throwaway.sh). The throwaway
server trusts loopback logins, so each account connects by name; the passwords are still set and listed.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from app.domain.rating.json_report import result_to_json
from app.services import appraisals, characterize, history, ratings, team_server
from app.services.characterize import CellKey
from app.services.errors import KnownError, PermissionRefusedError
from app.storage.schema import Characterization
from tests.storage.conftest import BASE_URL, NO_SERVER

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not BASE_URL, reason=NO_SERVER)]

SECURITY_CELL = CellKey("SM", "SM", "ESG1", "ESP1.1", "Quotes")  # the Security mini-team's process area
DELIVERY_CELL = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Quotes")  # Service delivery's


def _info(target: str | Path) -> dict[str, object]:
    workspace = appraisals.open_appraisal(target, read_only=True)
    try:
        info = appraisals.appraisal_info(workspace).to_json()
        info.pop("location")
        return info
    finally:
        workspace.close()


def _ratings(target: str | Path) -> str:
    workspace = appraisals.open_appraisal(target, read_only=True)
    try:
        return json.dumps(result_to_json(ratings.rate_appraisal(workspace)), sort_keys=True)
    finally:
        workspace.close()


def test_push_then_pull_gives_back_the_same_appraisal(server_db: str, demo_file: Path, tmp_path: Path) -> None:
    pushed = team_server.push(demo_file, server_db)
    assert pushed.attachments > 0
    back = tmp_path / "back.appraisal"
    pulled = team_server.pull(server_db, back)
    assert pulled.rows == pushed.rows
    assert _info(back) == _info(demo_file)
    assert _ratings(back) == _ratings(demo_file) == _ratings(server_db)
    assert appraisals.check_file(back).problems == []


def test_push_refuses_a_database_that_already_holds_an_appraisal(server_db: str, demo_file: Path) -> None:
    team_server.push(demo_file, server_db)
    with pytest.raises(KnownError, match="already holds an appraisal"):
        team_server.push(demo_file, server_db)
    assert _info(server_db) == _info(demo_file)


def test_pull_never_replaces_a_file(server_db: str, demo_file: Path, tmp_path: Path) -> None:
    team_server.push(demo_file, server_db)
    existing = tmp_path / "mine.appraisal"
    shutil.copy(demo_file, existing)
    before = existing.read_bytes()
    with pytest.raises(KnownError, match="already exists"):
        team_server.pull(server_db, existing)
    assert existing.read_bytes() == before


def test_init_creates_the_schema_and_roles_and_is_idempotent(server_db: str) -> None:
    first = team_server.init_server(server_db)
    again = team_server.init_server(server_db)
    assert first.from_revision is None and again.from_revision == again.to_revision
    db = make_url(server_db).database
    assert first.roles.all == (f"{db}_lead", f"{db}_member", f"{db}_observer")


def test_accounts_are_listed_with_role_and_mini_team_and_can_be_removed(team: dict[str, str]) -> None:
    listed = {a.login.rsplit("_", 1)[1]: (a.role, a.mini_team) for a in team_server.list_users(team["admin"])}
    assert listed == {"lee": ("lead", None), "morgan": ("member", "Security"), "sam": ("observer", None)}
    observer = make_url(team["observer"]).username
    assert observer is not None
    team_server.remove_user(team["admin"], observer)
    assert observer not in {a.login for a in team_server.list_users(team["admin"])}
    with pytest.raises(KnownError):  # no longer a member of any of the appraisal's roles: cannot connect
        appraisals.open_appraisal(team["observer"])


def test_a_member_needs_an_existing_mini_team(team: dict[str, str]) -> None:
    with pytest.raises(KnownError, match="no mini-team 'Nope'"):
        team_server.add_user(team["admin"], "someone", "member", "Nope", None)
    with pytest.raises(KnownError, match="needs their mini-team"):
        team_server.add_user(team["admin"], "someone", "member", None, None)


def _set(url: str, key: CellKey, value: str | None) -> None:
    workspace = appraisals.open_appraisal(url)
    try:
        characterize.set_cell(workspace, key, replace(characterize.get_cell(workspace, key), value=value))
    finally:
        workspace.close()


def _value(url: str, key: CellKey) -> str | None:
    workspace = appraisals.open_appraisal(url, read_only=True)
    try:
        return characterize.get_cell(workspace, key).value
    finally:
        workspace.close()


def test_a_member_writes_in_their_mini_team_and_is_refused_outside_it(team: dict[str, str]) -> None:
    _set(team["member"], SECURITY_CELL, "PI")
    assert _value(team["admin"], SECURITY_CELL) == "PI"
    before = _value(team["admin"], DELIVERY_CELL)
    with pytest.raises(PermissionRefusedError, match="only the process areas of your mini-team"):
        _set(team["member"], DELIVERY_CELL, "NI")
    assert _value(team["admin"], DELIVERY_CELL) == before


def test_an_observer_reads_but_every_write_is_refused(team: dict[str, str]) -> None:
    assert _info(team["observer"])["name"] == _info(team["admin"])["name"]
    before = _value(team["admin"], SECURITY_CELL)
    with pytest.raises(PermissionRefusedError, match="may not make it"):
        _set(team["observer"], SECURITY_CELL, "NI")
    assert _value(team["admin"], SECURITY_CELL) == before


def test_the_lead_writes_everywhere(team: dict[str, str]) -> None:
    _set(team["lead"], DELIVERY_CELL, "NI")
    _set(team["lead"], SECURITY_CELL, "NI")
    assert (_value(team["admin"], DELIVERY_CELL), _value(team["admin"], SECURITY_CELL)) == ("NI", "NI")


def _row_of(url: str, key: CellKey) -> int:
    workspace = appraisals.open_appraisal(url, read_only=True)
    try:
        with workspace.uow() as uow:
            row = characterize.Resolver(uow.session, workspace).cell(key)
            assert row is not None
            return row.id
    finally:
        workspace.close()


def test_raw_sql_with_the_accounts_is_refused_by_the_server_itself(team: dict[str, str]) -> None:
    """Bypassing the app changes nothing: the server's grants and policies refuse it."""
    outside, inside = _row_of(team["admin"], DELIVERY_CELL), _row_of(team["admin"], SECURITY_CELL)
    member = create_engine(team["member"])
    observer = create_engine(team["observer"])
    try:
        with pytest.raises(ProgrammingError, match="row-level security"), member.begin() as conn:
            conn.execute(text("UPDATE characterization SET value = 'NI' WHERE id = :id"), {"id": outside})
        with member.begin() as conn:  # deleting outside the mini-team: nothing is visible to delete
            assert conn.execute(text("DELETE FROM characterization WHERE id = :id"), {"id": outside}).rowcount == 0
        with pytest.raises(ProgrammingError, match="permission denied"), member.begin() as conn:
            conn.execute(text("UPDATE appraisal SET name = 'mine now'"))
        with pytest.raises(ProgrammingError, match="permission denied"), member.begin() as conn:
            # moving a colleague's cell into one's own mini-team's process area
            conn.execute(
                text(
                    "UPDATE characterization SET process_area_id = "
                    "(SELECT process_area_id FROM characterization WHERE id = :mine), value = 'NI' WHERE id = :theirs"
                ),
                {"mine": inside, "theirs": outside},
            )
        with pytest.raises(ProgrammingError, match="permission denied"), observer.begin() as conn:
            conn.execute(text("UPDATE characterization SET value = 'NI' WHERE id = :id"), {"id": inside})
        with pytest.raises(ProgrammingError, match="permission denied"), observer.begin() as conn:
            conn.execute(
                text("INSERT INTO change_log (at, who, action, entity, detail) VALUES (now(), 'x', 'a', 'b', '')")
            )
        with member.begin() as conn:  # inside, allowed; the author is the login, not what the client wrote
            conn.execute(
                text("UPDATE characterization SET value = 'LI', updated_by = 'Somebody Else' WHERE id = :id"),
                {"id": inside},
            )
            conn.execute(
                text("INSERT INTO change_log (at, who, action, entity, detail) VALUES (now(), 'mallory', 'a', 'b', '')")
            )
    finally:
        member.dispose()
        observer.dispose()
    morgan = make_url(team["member"]).username
    admin = create_engine(team["admin"])
    try:
        with admin.connect() as conn:
            assert conn.scalar(select(Characterization.value).where(Characterization.id == outside)) is not None
            assert conn.scalar(select(Characterization.updated_by).where(Characterization.id == inside)) == morgan
            assert conn.scalar(text("SELECT who FROM change_log ORDER BY id DESC LIMIT 1")) == morgan
    finally:
        admin.dispose()


def test_the_change_log_names_the_database_user(team: dict[str, str]) -> None:
    workspace = appraisals.open_appraisal(team["member"], who="Typed Name")
    try:
        characterize.set_value(workspace, SECURITY_CELL, "NI")
        newest = history.history(workspace)[0]
    finally:
        workspace.close()
    assert newest.who == make_url(team["member"]).username
