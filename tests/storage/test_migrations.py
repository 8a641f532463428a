"""Schema migrations: empty to head, no drift between models and migrations, every old schema upgrades, and
every revision downgrades to the first and back with its data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select

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


# --- downgrades: every revision goes down to the first and back up with its data ------------------------


def _downgrade(engine: Engine, target: str) -> None:
    cfg = migrate.alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, target)


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return migrate.current_revision(conn)


def _schema(engine: Engine) -> dict[str, set[str]]:
    """Table -> column names, without Alembic's own table and FTS5's internal tables."""
    inspector = inspect(engine)
    return {
        table: {c["name"] for c in inspector.get_columns(table)}
        for table in inspector.get_table_names()
        if table != "alembic_version" and not table.startswith("search_index_")
    }


def _rows(engine: Engine, schema: dict[str, set[str]]) -> dict[str, list[tuple[object, ...]]]:
    found: dict[str, list[tuple[object, ...]]] = {}
    with engine.connect() as conn:
        for table, columns in schema.items():
            names = ", ".join(f'"{c}"' for c in sorted(columns))
            rows = conn.exec_driver_sql(f'SELECT {names} FROM "{table}"').all()
            found[table] = sorted((tuple(r) for r in rows), key=repr)
    return found


def _fixture_data(engine: Engine) -> tuple[list[str], list[str], int]:
    with engine.connect() as conn:
        return (
            [r[0] for r in conn.exec_driver_sql("SELECT name FROM participant")],
            [r[0] for r in conn.exec_driver_sql("SELECT value FROM characterization")],
            conn.exec_driver_sql("SELECT count(*) FROM evidence_link").scalar_one(),
        )


FIXTURE_DATA = (["Pat Example"], ["FI"], 2)


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.appraisal")), ids=lambda p: p.stem)
def test_each_revision_downgrades_to_the_first_and_upgrades_back_keeping_its_data(
    fixture: Path, tmp_path: Path
) -> None:
    revisions = migrate.known_revisions()
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    engine = make_engine(sqlite_url(path))
    try:
        assert _revision(engine) == fixture.stem
        for target in reversed(revisions[: revisions.index(fixture.stem)]):
            _downgrade(engine, target)
            assert _revision(engine) == target
            assert _fixture_data(engine) == FIXTURE_DATA, f"data lost going down to {target}"
        base_schema = _schema(engine)
        base_rows = _rows(engine, base_schema)

        for target in revisions[1:]:
            migrate.upgrade(engine, target)
            assert _revision(engine) == target
            assert _fixture_data(engine) == FIXTURE_DATA, f"data lost going up to {target}"
        assert _rows(engine, base_schema) == base_rows, "a round trip down and up changed rows"
        with engine.connect() as conn:
            opts = {"compare_type": True, "include_name": include_name}
            assert compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata) == []
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("older", "newer"),
    list(zip(sorted(FIXTURES.glob("*.appraisal")), sorted(FIXTURES.glob("*.appraisal"))[1:], strict=False)),
    ids=lambda p: p.stem,
)
def test_a_downgrade_gives_exactly_the_schema_of_the_revision_before(older: Path, newer: Path, tmp_path: Path) -> None:
    path, before = tmp_path / newer.name, tmp_path / older.name
    shutil.copy(newer, path)
    shutil.copy(older, before)  # opening a file sets its pragmas: the committed fixtures stay untouched
    engine, reference = make_engine(sqlite_url(path)), make_engine(sqlite_url(before))
    try:
        _downgrade(engine, older.stem)
        assert _schema(engine) == _schema(reference)
    finally:
        engine.dispose()
        reference.dispose()
