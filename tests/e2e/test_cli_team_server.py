"""The team server commands as a lead types them: init, users, push, pull (a real PostgreSQL server)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import Result
from tests.storage.conftest import BASE_URL, NO_SERVER
from tests.storage.conftest import server_db as server_db  # the fixture, shared

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not BASE_URL, reason=NO_SERVER)]
CLI = Callable[..., Result]


def _json(result: Result) -> dict[str, object]:
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert isinstance(data, dict)
    return data


def test_push_then_pull_of_the_demo_gives_equal_ratings_and_info(cli: CLI, server_db: str, tmp_path: Path) -> None:
    assert cli("demo", "demo.appraisal").code == 0
    pushed = cli("push", "demo.appraisal", server_db)
    assert pushed.code == 0 and "attachments" in pushed.out, pushed.err
    pulled = cli("pull", server_db, "back.appraisal")
    assert pulled.code == 0, pulled.err
    assert cli("ratings", "back.appraisal", "--json").out == cli("ratings", "demo.appraisal", "--json").out
    original, back = _json(cli("info", "demo.appraisal", "--json")), _json(cli("info", "back.appraisal", "--json"))
    assert original.pop("location") != back.pop("location")
    assert back == original
    again = cli("push", "demo.appraisal", server_db)
    assert again.code == 1 and "already holds an appraisal" in again.err and "Traceback" not in again.err


def test_init_and_accounts(cli: CLI, server_db: str) -> None:
    init = cli("server", "init", server_db)
    assert init.code == 0 and "roles" in init.out, init.err
    db = server_db.rsplit("/", 1)[1]
    os.environ["APPRAISAL_DESK_USER_PASSWORD"] = "s3cret-for-tests"
    try:
        added = cli("server", "users", server_db, "add", f"{db}_lee", "--role", "lead")
    finally:
        del os.environ["APPRAISAL_DESK_USER_PASSWORD"]
    assert added.code == 0 and "may log in as lead" in added.out, added.err
    no_password = cli("server", "users", server_db, "add", f"{db}_kim", "--role", "observer")
    assert no_password.code == 1 and "No password" in no_password.err  # not a terminal, no variable: refused
    member = cli("server", "users", server_db, "add", f"{db}_pat", "--role", "member", "--no-password")
    assert member.code == 1 and "needs their mini-team" in member.err
    listed = cli("server", "users", server_db, "list", "--json")
    assert listed.code == 0
    assert [(a["login"], a["role"]) for a in json.loads(listed.out)] == [(f"{db}_lee", "lead")]
    removed = cli("server", "users", server_db, "remove", f"{db}_lee")
    assert removed.code == 0 and json.loads(cli("server", "users", server_db, "list", "--json").out) == []
