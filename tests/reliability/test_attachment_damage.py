"""A stored document whose bytes no longer match their SHA-256 is reported by `check` and refused when opened."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.services import appraisals
from app.services import evidence as ev
from app.storage.errors import DamagedAttachmentError


def _add_and_damage(appraisal_path: Path, tmp_path: Path) -> int:
    doc = tmp_path / "Incident procedure.pdf"
    doc.write_bytes(b"%PDF-1.4 incident procedure " * 4000)
    other = tmp_path / "Risk register.xlsx"
    other.write_bytes(b"PK risk register " * 1000)
    ws = appraisals.open_appraisal(appraisal_path)
    try:
        artifact_id = ev.add_artifact_from_file(ws, doc)
        ev.add_artifact_from_file(ws, other)
    finally:
        ws.close()
    # Bit rot, or an edit made behind Appraisal Desk's back: the bytes change, the recorded hash does not.
    with sqlite3.connect(appraisal_path) as conn:
        conn.execute(
            "UPDATE blob SET data = CAST(replace(CAST(data AS TEXT), 'incident', 'INCIDENT') AS BLOB)"
            " WHERE id = (SELECT blob_id FROM artifact_revision WHERE artifact_id = ?)",
            (artifact_id,),
        )
    conn.close()
    return artifact_id


def test_check_reports_the_damaged_document_by_name(appraisal_path: Path, tmp_path: Path) -> None:
    _add_and_damage(appraisal_path, tmp_path)
    problems = appraisals.check_file(appraisal_path).problems
    assert len(problems) == 1
    assert problems[0].startswith("attachment: Incident procedure (revision 1, Incident procedure.pdf)")
    assert "no longer matches the SHA-256" in problems[0]


def test_opening_the_damaged_document_is_refused_and_leaves_no_copy(appraisal_path: Path, tmp_path: Path) -> None:
    artifact_id = _add_and_damage(appraisal_path, tmp_path)
    out = tmp_path / "opened"
    out.mkdir()
    ws = appraisals.open_appraisal(appraisal_path)
    try:
        with pytest.raises(DamagedAttachmentError, match="damaged: its bytes no longer match"):
            ev.save_revision(ws, artifact_id, out)
        with pytest.raises(DamagedAttachmentError):
            ev.read_revision(ws, artifact_id)
    finally:
        ws.close()
    assert list(out.iterdir()) == []


def test_sound_documents_pass(appraisal_path: Path, tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("sound")
    ws = appraisals.open_appraisal(appraisal_path)
    try:
        artifact_id = ev.add_artifact_from_file(ws, doc)
        assert ev.read_revision(ws, artifact_id) == b"sound"
    finally:
        ws.close()
    assert appraisals.check_file(appraisal_path).problems == []
