"""Full-text search: the FTS5 index on SQLite (kept current by triggers), the ILIKE fallback, and PostgreSQL.

The same expectations run against every backend; the PostgreSQL one needs APPRAISAL_DESK_PG_URL.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, ScopeEntry, UnitKind, UnitPlan
from app.services import appraisals
from app.services import evidence as ev
from app.services import interviews as iv
from app.services.characterize import CellKey, CellState, set_cell
from app.services.evidence import ArtifactMeta, LinkTarget
from app.services.interviews import SessionFields
from app.services.search import COLUMNS, MARK_END, MARK_START, SearchHit, search
from app.services.workspace import Workspace
from app.storage import migrate
from app.storage.schema import Finding
from app.storage.search_index import INDEX_COLUMNS, SOURCES, STRIDE, has_search_index

PG_URL = os.environ.get("APPRAISAL_DESK_PG_URL")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "schema"
PLAN = Plan(
    name="Search test",
    scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2), ScopeEntry(PaKey("SM", "SM"), 2)),
    units=(UnitPlan("Claims", UnitKind.BASIC_UNIT),),
)


@pytest.fixture
def pg_target(server_db: str) -> str:
    return server_db  # tests/storage/conftest.py


@pytest.fixture(
    params=[
        "sqlite-fts",
        "sqlite-like",
        pytest.param(
            "postgres",
            marks=[pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="APPRAISAL_DESK_PG_URL is not set")],
        ),
    ]
)
def ws(request: pytest.FixtureRequest, tmp_path: Path, catalog: Catalog) -> Iterator[Workspace]:
    if request.param == "postgres":
        target: str | Path = request.getfixturevalue("pg_target")
    else:
        target = tmp_path / "s.appraisal"
    workspace = appraisals.create_appraisal(target, PLAN, catalog, who="Lee")
    if request.param == "sqlite-like":
        # An SQLite without FTS5 gets no index from migration 0002; search must still work.
        with workspace.store.engine.begin() as conn:
            triggers: list[str] = list(
                conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars()
            )
            for name in triggers:
                conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
            conn.exec_driver_sql("DROP TABLE search_index")
    with workspace.uow() as uow:
        assert has_search_index(uow.session.connection()) == (request.param == "sqlite-fts")
    yield workspace
    workspace.close()


def fill(ws: Workspace, tmp_path: Path) -> dict[str, int]:
    claims = next(u.id for u in ev.unit_options(ws) if u.name == "Claims")
    doc = tmp_path / "procedure.txt"
    doc.write_bytes(b"body")
    art = ev.add_artifact_from_file(
        ws, doc, ArtifactMeta("Incident escalation procedure", description="Approved by the CISO in March")
    )
    sid = iv.create_session(ws, SessionFields("S1", held_at=datetime(2026, 11, 30, 9)))
    iv.add_participant(ws, sid, "Zebediah Quartermaine", "Service desk lead")
    iv.set_session_notes(ws, sid, "Quarterly tabletop exercises rehearse the escalation path.")
    aff = iv.add_affirmation(
        ws, sid, "Every breach is escalated within one hour.", [LinkTarget("CMMI-SVC", "IRP", "SP1.1", claims)]
    )
    set_cell(
        ws,
        CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims"),
        CellState("LI", strengths="Clear escalation matrix", weaknesses="Matrix not reviewed since 2024"),
    )
    with ws.uow() as uow:
        now = datetime.now()
        finding = Finding(kind="weakness", text="Escalation contacts are out of date.", created_at=now, updated_at=now)
        uow.session.add(finding)
        uow.session.flush()
        uow.commit()
        finding_id = finding.id
    return {"artifact": art, "session": sid, "affirmation": aff, "finding": finding_id}


def kinds(hits: tuple[SearchHit, ...]) -> set[tuple[str, str]]:
    return {(h.kind, h.field) for h in hits}


def test_search_covers_every_kind_of_text(ws: Workspace, tmp_path: Path) -> None:
    ids = fill(ws, tmp_path)
    hits = search(ws, "escalat")
    assert kinds(hits) == {
        ("artifact", "title"),
        ("session", "notes"),
        ("affirmation", "affirmation"),
        ("characterization", "strengths"),
        ("finding", "finding"),
    }
    by_kind = {h.kind: h for h in hits}
    assert by_kind["artifact"].id == ids["artifact"] and by_kind["artifact"].where == "Evidence"
    assert by_kind["session"].id == ids["session"] and by_kind["session"].where == "Interviews › S1"
    assert by_kind["affirmation"].id == ids["affirmation"]
    assert by_kind["affirmation"].where == "Interviews › S1, affirmation 1"
    assert by_kind["characterization"].title == "CMMI-SVC IRP SP1.1 · Claims"
    assert by_kind["finding"].id == ids["finding"] and by_kind["finding"].title.startswith("Weakness: ")
    assert MARK_START + "escalated" + MARK_END in by_kind["affirmation"].snippet.replace("Escalated", "escalated")
    assert "escalat" in by_kind["affirmation"].plain_snippet.lower()
    assert MARK_START not in by_kind["affirmation"].plain_snippet


def test_every_word_must_match_in_any_case(ws: Workspace, tmp_path: Path) -> None:
    fill(ws, tmp_path)
    assert kinds(search(ws, "CISO march")) == {("artifact", "description")}
    assert kinds(search(ws, "matrix 2024")) == {("characterization", "weaknesses")}
    assert search(ws, "escalation nowhere") == ()
    assert search(ws, "   ") == () and search(ws, '"*') == ()
    # Characters that mean something to FTS5 or LIKE are taken literally.
    assert search(ws, 'escal" OR "x') == () and search(ws, "100%") == () and search(ws, "a_b") == ()


def test_participant_names_are_never_searchable(ws: Workspace, tmp_path: Path) -> None:
    fill(ws, tmp_path)
    assert search(ws, "Zebediah") == ()
    assert search(ws, "Quartermaine") == ()
    assert search(ws, "Service desk lead") == ()


def test_index_follows_edits_and_deletes(ws: Workspace, tmp_path: Path) -> None:
    ids = fill(ws, tmp_path)
    ev.update_artifact(ws, ids["artifact"], ArtifactMeta("Crisis handbook"))
    assert ("artifact", "title") not in kinds(search(ws, "escalation procedure"))
    assert [h.id for h in search(ws, "crisis")] == [ids["artifact"]]
    assert search(ws, "CISO") == (), "the cleared description is out of the index"
    iv.update_affirmation_text(ws, ids["affirmation"], "Breaches are reported to the regulator.")
    assert [h.kind for h in search(ws, "regulator")] == ["affirmation"]
    # Deleting a session takes its notes and its affirmations out (cascade); restoring brings them back.
    record = iv.delete_session(ws, ids["session"])
    assert search(ws, "regulator") == () and search(ws, "tabletop") == ()
    iv.restore_session(ws, record)
    assert [h.kind for h in search(ws, "regulator")] == ["affirmation"]
    assert [h.kind for h in search(ws, "tabletop")] == ["session"]
    record_art = ev.delete_artifact(ws, ids["artifact"])
    assert search(ws, "crisis") == ()
    ev.restore_artifact(ws, record_art)
    assert [h.id for h in search(ws, "crisis")] == [ids["artifact"]]


def test_words_may_match_in_different_fields_of_one_thing(ws: Workspace, tmp_path: Path) -> None:
    ids = fill(ws, tmp_path)
    hits = search(ws, "ciso escalation")
    assert [(h.kind, h.id) for h in hits] == [("artifact", ids["artifact"])]
    # One word in the strengths, one in the weaknesses: one hit, on the field holding the first match.
    assert [(h.kind, h.field) for h in search(ws, "escalation 2024")] == [("characterization", "strengths")]


def test_index_and_fallback_read_the_same_columns() -> None:
    assert {s.code for s in SOURCES} == set(COLUMNS)
    assert all(0 < s.code < STRIDE for s in SOURCES)
    for source in SOURCES:
        key, columns = COLUMNS[source.code]
        assert key.class_.__tablename__ == source.table
        assert [c.key for c in columns] == [name for name, _label in source.columns]
        assert len(columns) <= len(INDEX_COLUMNS)


def test_upgrading_an_older_file_indexes_what_it_already_holds(tmp_path: Path) -> None:
    path = tmp_path / "old.appraisal"
    shutil.copy(FIXTURES / "0001.appraisal", path)
    workspace = appraisals.open_appraisal(path)
    try:
        assert workspace.store.migrated_from == "0001"
        assert migrate.head_revision() != "0001"
        assert kinds(search(workspace, "incident")) == {
            ("artifact", "title"),
            ("affirmation", "affirmation"),
            ("finding", "finding"),
        }
        assert search(workspace, "Pat Example") == ()
    finally:
        workspace.close()
