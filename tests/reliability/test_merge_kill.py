"""A merge killed inside its transaction (SIGKILL) leaves the lead's file as it was, and sound."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from app.services import appraisals, packages
from app.services.characterize import CellKey, get_cell, set_cell
from tests.unit.services.package_appraisal import make_package_appraisal

REPO = Path(__file__).resolve().parents[2]
CELL = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_mid_merge_leaves_the_lead_file_unchanged_and_valid(tmp_path: Path) -> None:
    from tests.conftest import tiny_catalog

    lead_path = tmp_path / "lead.appraisal"
    lead = make_package_appraisal(lead_path, tiny_catalog())
    package = packages.split(lead, "Alpha", tmp_path / "alpha.appraisal").path
    before_value = get_cell(lead, CELL).value
    lead.close()
    member = appraisals.open_appraisal(package, who="member")
    set_cell(member, CELL, replace(get_cell(member, CELL), value="NI", notes="changed in the package"))
    member.close()

    proc = subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "reliability" / "merge_process.py"), str(lead_path), str(package)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline().strip(), proc.stdout.readline().strip()]
        assert lines[0].startswith("changes ") and lines[0] != "changes 0"
        assert lines[1] == "inside"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        if proc.stdout is not None:
            proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL

    report = appraisals.check_file(lead_path)
    assert report.problems == []
    ws = appraisals.open_appraisal(lead_path, who="lead")
    try:
        state = get_cell(ws, CELL)
        assert state.value == before_value and state.notes != "changed in the package"
        from app.services import package_merge

        again = package_merge.preview(ws, package)
        assert again.already_merged_at is None and len(again.items) == 2
    finally:
        ws.close()
