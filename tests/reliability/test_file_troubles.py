"""Disk full, a file that turns read-only, deleted or replaced under the running app, and a lock held elsewhere:
each gets a plain message, the failed edit is not half-applied, and the file stays sound."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from app.services import appraisals, characterize
from app.services import evidence as ev
from app.services.characterize import CellKey, CellState
from app.services.workspace import Workspace
from app.storage import appraisal_file, database
from app.storage.errors import DiskFullError, FileLockedError, FileReplacedError, ReadOnlyFileError
from app.storage.schema import Artifact, ChangeLog
from tests.reliability.support import digest

REPO = Path(__file__).resolve().parents[2]
CELL = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")


@pytest.fixture
def ws(appraisal_path: Path) -> Iterator[Workspace]:
    workspace = appraisals.open_appraisal(appraisal_path, who="tester")
    yield workspace
    workspace.close()


def _counts(ws: Workspace) -> tuple[int, int]:
    with ws.uow() as uow:
        return (
            int(uow.session.scalar(select(func.count()).select_from(Artifact)) or 0),
            int(uow.session.scalar(select(func.count()).select_from(ChangeLog)) or 0),
        )


def _on_every_connection(ws: Workspace, pragma: str) -> Any:
    """Apply `pragma` to every connection from now on (the pool is emptied so none escapes it)."""

    def apply(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute(pragma)

    event.listen(ws.store.engine, "connect", apply)
    ws.store.engine.dispose()
    return apply


# --- disk full ------------------------------------------------------------------------------------------------


def test_disk_full_is_a_plain_message_and_the_edit_is_not_half_applied(ws: Workspace, tmp_path: Path) -> None:
    doc = tmp_path / "big.bin"
    doc.write_bytes(os.urandom(1 << 20))
    with ws.uow() as uow:
        pages: int = uow.session.connection().exec_driver_sql("PRAGMA page_count").scalar_one()
    # SQLite's page cap behaves exactly like a full disk (SQLITE_FULL) for this database.
    limit = _on_every_connection(ws, f"PRAGMA max_page_count = {pages + 20}")
    before = _counts(ws)
    with pytest.raises(DiskFullError, match="The disk is full") as caught:
        ev.add_artifact_from_file(ws, doc)
    assert "nothing of it is in the file" in str(caught.value)
    assert _counts(ws) == before
    # Small edits still fit, and once space is back the big one goes through.
    characterize.set_cell(ws, CELL, CellState("LI", notes="after the full disk"))
    event.remove(ws.store.engine, "connect", limit)
    ws.store.engine.dispose()
    ev.add_artifact_from_file(ws, doc)
    assert _counts(ws)[0] == before[0] + 1
    ws.close()
    assert appraisals.check_file(ws.store.path or Path()).problems == []


@contextlib.contextmanager
def _tiny_disk(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill up ({done.stderr.decode().strip()})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.geteuid() != 0 or shutil.which("mount") is None,
    reason="filling a real disk needs root to mount a small tmpfs",
)
def test_a_really_full_disk(appraisal_path: Path, tmp_path: Path) -> None:
    with _tiny_disk(tmp_path / "disk", "3m") as disk:
        path = disk / "full.appraisal"
        shutil.copyfile(appraisal_path, path)
        ws = appraisals.open_appraisal(path, who="tester")
        added: list[tuple[int, bytes]] = []
        try:
            with pytest.raises(DiskFullError, match="Free some space"):
                for n in range(40):
                    doc = tmp_path / f"doc{n}.bin"
                    doc.write_bytes(os.urandom(256 * 1024))
                    added.append((ev.add_artifact_from_file(ws, doc), doc.read_bytes()))
            assert added, "the disk was full before the first attachment"
            assert _counts(ws)[0] == len(added)
        finally:
            ws.close()
        assert appraisals.check_file(path).problems == []
        ws = appraisals.open_appraisal(path, who="tester")
        try:
            for artifact_id, content in added:
                assert ev.read_revision(ws, artifact_id) == content
        finally:
            ws.close()


# --- read-only --------------------------------------------------------------------------------------------------


def test_a_file_that_turns_read_only_refuses_the_edit_plainly(ws: Workspace) -> None:
    # query_only makes SQLite answer every write as a read-only file would (SQLITE_READONLY).
    _on_every_connection(ws, "PRAGMA query_only = ON")
    before = characterize.get_cell(ws, CELL)
    with pytest.raises(ReadOnlyFileError, match=r"cannot be written any more.*Save a copy"):
        characterize.set_cell(ws, CELL, CellState("FI"))
    assert characterize.get_cell(ws, CELL) == before


# --- deleted, moved or replaced under the running app -----------------------------------------------------------


def test_deleted_file_refuses_edits_and_save_a_copy_keeps_the_work(ws: Workspace, tmp_path: Path) -> None:
    path = ws.store.path
    assert path is not None
    characterize.set_cell(ws, CELL, CellState("LI", notes="before the delete"))
    path.unlink()
    with pytest.raises(FileReplacedError, match=r"deleted or moved while it was open.*Save a copy"):
        characterize.set_cell(ws, CELL, CellState("FI"))
    # Nothing was created at the old place, and Save a copy still has every saved edit.
    assert not path.exists()
    rescued = tmp_path / "rescued.appraisal"
    appraisal_file.save_as(ws.store, rescued)
    ws.close()
    assert not path.exists()
    copy = appraisals.open_appraisal(rescued)
    try:
        assert characterize.get_cell(copy, CELL).notes == "before the delete"
    finally:
        copy.close()


def test_replaced_file_is_never_written(ws: Workspace, appraisal_path: Path, tmp_path: Path, catalog: Any) -> None:
    other = tmp_path / "other.appraisal"
    appraisals.create_appraisal(other, appraisals.minimal_plan("Someone else's"), catalog).close()
    # A sync tool or a file manager puts another file in its place (write beside, rename over).
    os.replace(other, appraisal_path)
    replaced = digest(appraisal_path)
    with pytest.raises(FileReplacedError, match="replaced by another file"):
        characterize.set_cell(ws, CELL, CellState("FI"))
    ws.close()
    assert digest(appraisal_path) == replaced
    assert not Path(str(appraisal_path) + "-wal").exists()


def test_moved_file_refuses_edits_until_it_is_back(ws: Workspace, appraisal_path: Path, tmp_path: Path) -> None:
    moved = tmp_path / "moved.appraisal"
    appraisal_path.rename(moved)
    with pytest.raises(FileReplacedError):
        characterize.set_value(ws, CELL, "PI")
    moved.rename(appraisal_path)
    characterize.set_value(ws, CELL, "PI")
    assert characterize.get_cell(ws, CELL).value == "PI"


# --- another process --------------------------------------------------------------------------------------------


def test_file_open_in_another_appraisal_desk_names_it(appraisal_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from app.services import appraisals
                ws = appraisals.open_appraisal({str(appraisal_path)!r})
                print("open", flush=True)
                sys.stdin.readline()
                ws.close()
                """
            ),
        ],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        before = digest(appraisal_path)
        with pytest.raises(FileLockedError, match=rf"already open in another Appraisal Desk \(pid {holder.pid} on"):
            appraisals.open_appraisal(appraisal_path)
        assert digest(appraisal_path) == before
    finally:
        holder.communicate("\n", timeout=30)
    appraisals.open_appraisal(appraisal_path).close()


def test_another_program_holding_the_write_lock_gets_a_plain_message(
    ws: Workspace, appraisal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    ws.store.engine.dispose()
    other = sqlite3.connect(appraisal_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        before = characterize.get_cell(ws, CELL)
        with pytest.raises(FileLockedError, match="busy: another program is writing to it"):
            characterize.set_cell(ws, CELL, CellState("NI"))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert characterize.get_cell(ws, CELL) == before
    characterize.set_cell(ws, CELL, CellState("NI"))
    assert characterize.get_cell(ws, CELL).value == "NI"
