"""The same migrations and storage code against a real PostgreSQL server (the team's shared engine).

Needs APPRAISAL_DESK_PG_URL (`.ci/run` starts a throwaway server with scripts/pg_throwaway.sh).
"""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, ScopeEntry, UnitKind, UnitPlan
from app.services import appraisals
from app.storage import migrate
from app.storage.database import make_engine
from app.storage.errors import KnownError
from app.storage.schema import Base

BASE_URL = os.environ.get("APPRAISAL_DESK_PG_URL")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not BASE_URL, reason="APPRAISAL_DESK_PG_URL is not set: no PostgreSQL server to test against"),
]


@pytest.fixture
def pg_url(server_db: str) -> str:
    return server_db  # tests/storage/conftest.py


def test_migrations_run_unchanged_and_match_the_models(pg_url: str) -> None:
    engine = make_engine(pg_url)
    migrate.upgrade(engine)
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    assert diff == []


def test_create_and_reopen_an_appraisal_on_the_server(pg_url: str, catalog: Catalog) -> None:
    plan = Plan(
        name="Team appraisal",
        scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2), ScopeEntry(PaKey("SM", "SM"), 2)),
        units=(UnitPlan("Claims", UnitKind.BASIC_UNIT),),
    )
    appraisals.create_appraisal(pg_url, plan, catalog, who="tester").close()
    workspace = appraisals.open_appraisal(pg_url)
    try:
        info = appraisals.appraisal_info(workspace)
        assert info.name == "Team appraisal"
        assert [s.pa for s in info.scope] == ["IRP", "SM"]
        assert info.schema_revision == migrate.head_revision()
        assert {m.key for m in workspace.catalog().models} == {"CMMI-SVC", "SM", "ISO27001"}
    finally:
        workspace.close()


def test_a_database_holding_no_appraisal_is_refused(pg_url: str) -> None:
    with pytest.raises(KnownError, match="holds no appraisal"):
        appraisals.open_appraisal(pg_url)


def test_creating_twice_is_refused(pg_url: str, catalog: Catalog) -> None:
    appraisals.create_appraisal(pg_url, Plan(name="x"), catalog).close()
    with pytest.raises(KnownError, match="already holds an appraisal"):
        appraisals.create_appraisal(pg_url, Plan(name="y"), catalog)
