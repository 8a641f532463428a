"""Schema migrations: empty to head, no drift between models and migrations, and every old schema upgrades."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select

from app.services import appraisals
from app.storage import migrate
from app.storage.database import make_engine, sqlite_url
from app.storage.schema import Base, Characterization, EvidenceLink, Participant
from app.storage.search_index import include_name

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "schema"


def test_empty_database_upgrades_to_head_without_drift(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "x.db"))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
        opts = {"compare_type": True, "include_name": include_name}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)
    engine.dispose()
    assert diff == [], f"schema.py and migrations/ disagree: {diff}"


def test_there_is_a_fixture_for_every_revision() -> None:
    revisions = migrate.known_revisions()
    fixtures = sorted(p.stem for p in FIXTURES.glob("*.appraisal"))
    assert fixtures == revisions, "add a fixture with tests/fixtures/make_schema_fixture.py for each new revision"


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.appraisal")), ids=lambda p: p.stem)
def test_each_earlier_schema_opens_and_keeps_its_data(fixture: Path, tmp_path: Path) -> None:
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    workspace = appraisals.open_appraisal(path)
    try:
        info = appraisals.appraisal_info(workspace)
        assert info.schema_revision == migrate.head_revision()
        assert info.name == "Schema fixture"
        assert info.counts["evidence_links"] == 2
        assert info.counts["characterizations"] == 1
        with workspace.uow() as uow:
            assert uow.session.scalars(select(Participant.name)).all() == ["Pat Example"]
            assert uow.session.scalars(select(Characterization.value)).all() == ["FI"]
            assert len(uow.session.scalars(select(EvidenceLink)).all()) == 2
    finally:
        workspace.close()
    if fixture.stem != migrate.head_revision():
        backups = list(tmp_path.glob("*.bak"))
        assert len(backups) == 1, "an upgrade must first write a backup beside the file"
        assert backups[0].stat().st_size > 0


def test_head_schema_has_named_constraints(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "x.db"))
    migrate.upgrade(engine)
    inspector = inspect(engine)
    for table in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(table):
            assert fk["name"], f"unnamed foreign key in {table}"
    engine.dispose()
