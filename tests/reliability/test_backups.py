"""Rolling backups: taken while the file is open, pruned to the last K, listed with what they hold, and restored
into a new file only (never over the working one)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.services import appraisals, backups, characterize
from app.services.characterize import CellKey, CellState
from app.storage.errors import KnownError, NotAnAppraisalError, WrongPassphraseError
from tests.reliability.support import PASSPHRASE, PLAN, digest, needs_sqlcipher

CELL = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")
REPO = Path(__file__).resolve().parents[2]


def test_backup_of_the_open_file_holds_its_edits_and_lives_beside_it(appraisal_path: Path) -> None:
    ws = appraisals.open_appraisal(appraisal_path)
    try:
        characterize.set_cell(ws, CELL, CellState("LI", notes="kept in the backup"))
        backup = backups.take_backup(ws, label="while editing")
        assert backup is not None
        characterize.set_cell(ws, CELL, CellState("NI", notes="after the backup"))
    finally:
        ws.close()
    assert backup.path.parent == appraisal_path.with_name("work.appraisal-backups")
    assert backup.label == "while editing"
    assert backups.backups_of(appraisal_path) == [backup]
    assert appraisals.check_file(backup.path).problems == []
    copy = appraisals.open_appraisal(backup.path)
    try:
        assert characterize.get_cell(copy, CELL).notes == "kept in the backup"
    finally:
        copy.close()


def test_only_the_last_k_are_kept_and_an_unchanged_file_is_not_backed_up_again(appraisal_path: Path) -> None:
    ws = appraisals.open_appraisal(appraisal_path)
    try:
        first = backups.take_backup(ws, label="on open", keep=3)
        assert backups.take_backup(ws, label="on open", keep=3) == first
        taken = [first]
        for n in range(4):
            characterize.set_cell(ws, CELL, CellState("FI", notes=f"edit {n}"))
            taken.append(backups.take_backup(ws, label="while editing", keep=3))
    finally:
        ws.close()
    listed = backups.backups_of(appraisal_path)
    assert [b.path for b in listed] == [b.path for b in reversed(taken[-3:]) if b is not None]
    assert all(b.path.exists() for b in listed)


def test_summary_counts_what_a_backup_holds(appraisal_path: Path) -> None:
    ws = appraisals.open_appraisal(appraisal_path)
    try:
        characterize.set_cell(ws, CELL, CellState("LI"))
        characterize.set_cell(ws, CellKey("CMMI-SVC", "IRP", "SG1", "SP1.2", "Claims"), CellState("FI"))
        backup = backups.take_backup(ws)
    finally:
        ws.close()
    assert backup is not None
    summary = backups.summarize(backup.path)
    assert summary.problem is None
    assert summary.name == "Reliability test"
    assert summary.counts["characterizations"] == 2
    assert summary.counts["artifacts"] == 0
    assert summary.last_edit is not None and summary.edits >= 2


def test_restore_goes_into_a_new_file_and_never_over_an_existing_one(appraisal_path: Path, tmp_path: Path) -> None:
    ws = appraisals.open_appraisal(appraisal_path)
    try:
        characterize.set_cell(ws, CELL, CellState("PI", notes="in the backup"))
        backup = backups.take_backup(ws)
        characterize.set_cell(ws, CELL, CellState("FI", notes="only in the working file"))
        assert backup is not None
        working = digest(appraisal_path)
        with pytest.raises(KnownError, match="already exists"):
            backups.restore(backup.path, appraisal_path)
        assert digest(appraisal_path) == working
        restored = backups.restore(backup.path, tmp_path / "restored.appraisal")
    finally:
        ws.close()
    copy = appraisals.open_appraisal(restored)
    try:
        assert characterize.get_cell(copy, CELL).notes == "in the backup"
    finally:
        copy.close()
    again = appraisals.open_appraisal(appraisal_path)
    try:
        assert characterize.get_cell(again, CELL).notes == "only in the working file"
    finally:
        again.close()


def test_a_damaged_backup_is_refused_and_nothing_is_written(appraisal_path: Path, tmp_path: Path) -> None:
    folder = backups.backup_folder(appraisal_path)
    folder.mkdir()
    bad = folder / "20260101-120000-on-open.appraisal"
    bad.write_text("not a database")
    assert backups.summarize(bad).problem is not None
    with pytest.raises(NotAnAppraisalError):
        backups.restore(bad, tmp_path / "restored.appraisal")
    assert not (tmp_path / "restored.appraisal").exists()
    assert not (tmp_path / "restored.appraisal.partial").exists()


def test_backup_of_a_closed_file(appraisal_path: Path) -> None:
    ws = appraisals.open_appraisal(appraisal_path)
    characterize.set_cell(ws, CELL, CellState("LI", notes="last edit before closing"))
    ws.close()
    before = digest(appraisal_path)
    backup = backups.backup_closed_file(appraisal_path)
    assert backup is not None and backup.label == "on close"
    assert digest(appraisal_path) == before
    assert sorted(p.name for p in appraisal_path.parent.iterdir()) == ["work.appraisal", "work.appraisal-backups"]
    # Nothing changed since: no second copy.
    assert backups.backup_closed_file(appraisal_path) is None
    assert len(backups.backups_of(appraisal_path)) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a POSIX signal")
def test_a_backup_killed_half_way_leaves_no_half_backup(appraisal_path: Path) -> None:
    # A file big enough that the process below spends most of its time copying it when it is killed.
    with sqlite3.connect(appraisal_path) as conn:
        conn.execute("CREATE TABLE padding (x BLOB)")
        conn.executemany("INSERT INTO padding VALUES (randomblob(65536))", [()] * 400)
    conn.close()
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from app.services import appraisals, backups, characterize
        from app.services.characterize import CellKey, CellState
        ws = appraisals.open_appraisal(Path({str(appraisal_path)!r}))
        n = 0
        while True:
            n += 1
            characterize.set_cell(ws, CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims"), CellState(notes=str(n)))
            backups.take_backup(ws, keep=1000, label="while editing")
            print("backup", n, flush=True)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO)), stdout=subprocess.PIPE
    )
    with proc:
        assert proc.stdout is not None
        for _ in range(3):
            assert proc.stdout.readline().startswith(b"backup")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    listed = backups.backups_of(appraisal_path)
    assert len(listed) >= 3
    for backup in listed:
        assert appraisals.check_file(backup.path).problems == []
    assert appraisals.check_file(appraisal_path).problems == []


@needs_sqlcipher
def test_backups_of_an_encrypted_file_are_encrypted(tmp_path: Path, catalog: object) -> None:
    path = tmp_path / "secret.appraisal"
    ws = appraisals.create_appraisal(path, PLAN, catalog, passphrase=PASSPHRASE)  # type: ignore[arg-type]
    try:
        characterize.set_cell(ws, CELL, CellState("LI"))
        backup = backups.take_backup(ws)
    finally:
        ws.close()
    assert backup is not None
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(backup.path).execute("SELECT * FROM appraisal").fetchall()
    assert backups.summarize(backup.path).locked
    assert backups.summarize(backup.path, "wrong passphrase").locked
    assert backups.summarize(backup.path, PASSPHRASE).counts["characterizations"] == 1
    with pytest.raises(WrongPassphraseError):
        backups.restore(backup.path, tmp_path / "r.appraisal", passphrase="wrong passphrase")
    restored = backups.restore(backup.path, tmp_path / "r.appraisal", passphrase=PASSPHRASE)
    appraisals.open_appraisal(restored, passphrase=PASSPHRASE).close()
