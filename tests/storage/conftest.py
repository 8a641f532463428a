"""Fixtures of the team-server tests: the demo appraisal, an empty database, a team of three accounts on it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.services import demo, team_server
from app.services.catalogs import installed_catalog

BASE_URL = os.environ.get("APPRAISAL_DESK_PG_URL")
NO_SERVER = "APPRAISAL_DESK_PG_URL is not set: no PostgreSQL server to test against"


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "ovig.appraisal"
    demo.create_demo(path, installed_catalog(), who="Lead Appraiser").close()
    return path


@pytest.fixture
def server_db() -> Iterator[str]:
    """An empty database on the server (and, afterwards, no trace of it or of its roles and logins)."""
    assert BASE_URL is not None
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(BASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(BASE_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        for (role,) in conn.execute(text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p"), {"p": f"{name}%"}):
            conn.execute(text(f'DROP ROLE "{role}"'))
    admin.dispose()


def as_login(url: str, login: str) -> str:
    return make_url(url).set(username=login, password=None).render_as_string(hide_password=False)


@pytest.fixture
def team(server_db: str, demo_file: Path) -> dict[str, str]:
    """The demo pushed to the server, with a lead, a Security team member and an observer: their URLs."""
    team_server.push(demo_file, server_db)
    db = make_url(server_db).database
    assert db is not None
    logins = {"lead": f"{db}_lee", "member": f"{db}_morgan", "observer": f"{db}_sam"}
    team_server.add_user(server_db, logins["lead"], "lead", None, "lead-pw")
    team_server.add_user(server_db, logins["member"], "member", "Security", "member-pw")
    team_server.add_user(server_db, logins["observer"], "observer", None, None)
    return {role: as_login(server_db, login) for role, login in logins.items()} | {"admin": server_db}


def two_leads(server_db: str, demo_file: Path) -> tuple[str, str]:
    """The demo pushed to the server, with two leads (ann, ben): their URLs."""
    team_server.push(demo_file, server_db)
    logins = []
    for name in ("ann", "ben"):
        login = f"{server_db.rsplit('/', 1)[1]}_{name}"
        team_server.add_user(server_db, login, "lead", None, None)
        logins.append(as_login(server_db, login))
    return logins[0], logins[1]
