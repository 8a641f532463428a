"""Creating, opening and copying appraisal files on real SQLite files, and every refusal case."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, ScopeEntry, UnitKind, UnitPlan
from app.services import appraisals
from app.services.workspace import Workspace
from app.storage import appraisal_file
from app.storage.errors import (
    CorruptFileError,
    FileLockedError,
    KnownError,
    NotAnAppraisalError,
    ReadOnlyFileError,
    TooNewError,
)
from app.storage.lock import FileLock

PLAN = Plan(
    name="Test appraisal",
    sponsor="Sponsor",
    scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2), ScopeEntry(PaKey("SM", "SM"), 2)),
    units=(UnitPlan("Claims", UnitKind.BASIC_UNIT),),
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def appraisal_path(tmp_path: Path, catalog: Catalog) -> Path:
    path = tmp_path / "a.appraisal"
    appraisals.create_appraisal(path, PLAN, catalog, who="tester").close()
    return path


def test_new_file_holds_plan_and_models(appraisal_path: Path) -> None:
    workspace = appraisals.open_appraisal(appraisal_path)
    try:
        info = appraisals.appraisal_info(workspace)
        catalog = workspace.catalog()
    finally:
        workspace.close()
    assert info.name == "Test appraisal"
    assert [(s.model, s.pa, s.target_capability_level) for s in info.scope] == [("CMMI-SVC", "IRP", 2), ("SM", "SM", 2)]
    assert info.counts["basic_units"] == 1
    # SM borrows CMMI-SVC's generic goals, and its ISO 27001 link target travels with it.
    assert {m.key for m in catalog.models} == {"CMMI-SVC", "SM", "ISO27001"}
    sm = catalog.model("SM")
    assert sm is not None
    practice = sm.process_areas[0].practice("ESP1.2")
    assert practice is not None and practice.informative[0].text == "Select methods."
    assert [g.code for g in catalog.generic_goals_for(sm)] == ["GG1", "GG2", "GG3"]


def test_closed_file_needs_no_wal_beside_it(appraisal_path: Path) -> None:
    assert not Path(str(appraisal_path) + "-wal").exists() or Path(str(appraisal_path) + "-wal").stat().st_size == 0
    assert not FileLock(appraisal_path).path.exists()


def test_save_as_writes_a_consistent_copy(appraisal_path: Path, tmp_path: Path) -> None:
    workspace = appraisals.open_appraisal(appraisal_path)
    try:
        copy = tmp_path / "copy.appraisal"
        appraisal_file.save_as(workspace.store, copy)
    finally:
        workspace.close()
    copied = appraisals.open_appraisal(copy)
    try:
        assert appraisals.appraisal_info(copied).name == "Test appraisal"
    finally:
        copied.close()


def test_save_as_onto_itself_is_refused(appraisal_path: Path) -> None:
    workspace = appraisals.open_appraisal(appraisal_path)
    try:
        with pytest.raises(KnownError, match="already open"):
            appraisal_file.save_as(workspace.store, appraisal_path)
    finally:
        workspace.close()


def test_creating_over_an_existing_file_is_refused(appraisal_path: Path, catalog: Catalog) -> None:
    before = digest(appraisal_path)
    with pytest.raises(KnownError, match="already exists"):
        appraisals.create_appraisal(appraisal_path, PLAN, catalog)
    assert digest(appraisal_path) == before


def test_failed_creation_leaves_no_file(tmp_path: Path, catalog: Catalog) -> None:
    bad = Plan(name="x", scope=(ScopeEntry(PaKey("CMMI-SVC", "NOPE"), 2),))
    target = tmp_path / "b.appraisal"
    with pytest.raises(KeyError):
        appraisals.create_appraisal(target, bad, catalog)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# --- refusals: each leaves the file byte-identical ---------------------------------------------------


def test_text_file_is_not_an_appraisal(tmp_path: Path) -> None:
    path = tmp_path / "notes.appraisal"
    path.write_text("hello")
    with pytest.raises(NotAnAppraisalError, match="not an appraisal file"):
        appraisals.open_appraisal(path)
    assert path.read_text() == "hello"


def test_empty_file_is_not_an_appraisal(tmp_path: Path) -> None:
    path = tmp_path / "empty.appraisal"
    path.write_bytes(b"")
    with pytest.raises(NotAnAppraisalError):
        appraisals.open_appraisal(path)
    assert path.read_bytes() == b""


def test_other_sqlite_database_is_not_an_appraisal(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    before = digest(path)
    with pytest.raises(NotAnAppraisalError, match="not an appraisal file made by Appraisal Desk"):
        appraisals.open_appraisal(path)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]


def test_corrupt_file_is_refused(appraisal_path: Path) -> None:
    data = bytearray(appraisal_path.read_bytes())
    page = 4096
    for offset in range(page * 2, min(len(data), page * 6)):
        data[offset] = 0xA5
    appraisal_path.write_bytes(bytes(data))
    before = digest(appraisal_path)
    with pytest.raises((CorruptFileError, NotAnAppraisalError)):
        appraisals.open_appraisal(appraisal_path)
    assert digest(appraisal_path) == before


def test_corrupt_file_is_refused_when_its_pages_are_checked_beside_the_first_read(appraisal_path: Path) -> None:
    data = bytearray(appraisal_path.read_bytes())
    for offset in range(4096 * 2, min(len(data), 4096 * 6)):
        data[offset] = 0xA5
    appraisal_path.write_bytes(bytes(data))
    before = digest(appraisal_path)
    read: list[Workspace] = []
    with pytest.raises((CorruptFileError, NotAnAppraisalError)):
        appraisals.open_appraisal_reading(appraisal_path, read.append)
    assert digest(appraisal_path) == before
    # Refused as opening refuses it, and let go of: the file opens (and is refused) again.
    with pytest.raises((CorruptFileError, NotAnAppraisalError)):
        appraisals.open_appraisal(appraisal_path)


def test_a_sound_file_opens_with_its_first_read(appraisal_path: Path) -> None:
    ws, name = appraisals.open_appraisal_reading(appraisal_path, lambda w: appraisals.appraisal_heading(w)[0])
    try:
        assert name == appraisals.appraisal_heading(ws)[0]
    finally:
        ws.close()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_file_is_refused(appraisal_path: Path) -> None:
    appraisal_path.chmod(0o444)
    before = digest(appraisal_path)
    with pytest.raises(ReadOnlyFileError, match="read-only"):
        appraisals.open_appraisal(appraisal_path)
    assert digest(appraisal_path) == before


def test_read_only_file_is_refused_even_for_root(appraisal_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Root may write anything, so the permission check is what the user meets; simulate its answer.
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == appraisal_path else real_access(p, mode))
    before = digest(appraisal_path)
    with pytest.raises(ReadOnlyFileError, match="read-only"):
        appraisals.open_appraisal(appraisal_path)
    assert digest(appraisal_path) == before


def test_file_open_in_another_process_is_refused(appraisal_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from pathlib import Path
                from app.storage.lock import FileLock
                lock = FileLock(Path({str(appraisal_path)!r}))
                lock.acquire()
                print("locked", flush=True)
                sys.stdin.readline()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        before = digest(appraisal_path)
        with pytest.raises(FileLockedError, match="already open in another Appraisal Desk"):
            appraisals.open_appraisal(appraisal_path)
        assert digest(appraisal_path) == before
    finally:
        holder.communicate("\n", timeout=10)
    # Once the other process is gone the file opens again (no stale lock).
    appraisals.open_appraisal(appraisal_path).close()


def test_second_open_in_same_process_is_refused(appraisal_path: Path) -> None:
    first = appraisals.open_appraisal(appraisal_path)
    try:
        with pytest.raises(FileLockedError):
            appraisals.open_appraisal(appraisal_path)
    finally:
        first.close()


def test_file_from_newer_version_is_refused(appraisal_path: Path) -> None:
    with sqlite3.connect(appraisal_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.close()
    before = digest(appraisal_path)
    with pytest.raises(TooNewError, match="newer version of Appraisal Desk"):
        appraisals.open_appraisal(appraisal_path)
    assert digest(appraisal_path) == before


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(KnownError, match="does not exist"):
        appraisals.open_appraisal(tmp_path / "nope.appraisal")


def test_check_finds_broken_foreign_keys(appraisal_path: Path) -> None:
    with sqlite3.connect(appraisal_path) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("UPDATE unit SET subgroup_id = 999")
    conn.close()
    report = appraisals.check_file(appraisal_path)
    assert any("foreign key: unit" in problem for problem in report.problems)


def test_lock_is_released_by_close(appraisal_path: Path) -> None:
    workspace = appraisals.open_appraisal(appraisal_path)
    workspace.close()
    lock = FileLock(appraisal_path)
    lock.acquire()
    lock.release()


def test_edits_are_durable_without_close(appraisal_path: Path) -> None:
    workspace = appraisals.open_appraisal(appraisal_path)
    with workspace.uow() as uow:
        uow.session.execute(text("UPDATE appraisal SET sponsor = 'Changed'"))
        uow.commit()
    # Another reader sees the committed edit while the file is still open (WAL).
    with sqlite3.connect(appraisal_path) as conn:
        assert conn.execute("SELECT sponsor FROM appraisal").fetchone() == ("Changed",)
    conn.close()
    workspace.close()
