"""`split` and `merge` through the real CLI: the evening routine, and its refusals in plain words."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from tests.e2e.conftest import REPO, Result

PLAN = REPO / "docs" / "examples" / "ovig-plan.yaml"


def _set_first_cell(path: Path, value: str, notes: str) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        row = conn.execute(
            "SELECT c.id FROM characterization c JOIN mini_team_process_area m ON m.process_area_id = c.process_area_id "
            "ORDER BY c.id LIMIT 1"
        ).fetchone()
        if row is None:
            pa, practice, unit = conn.execute(
                "SELECT m.process_area_id, p.id, u.id FROM mini_team_process_area m "
                "JOIN catalog_goal g ON g.process_area_id = m.process_area_id "
                "JOIN catalog_practice p ON p.goal_id = g.id, unit u WHERE u.kind = 'basic_unit' LIMIT 1"
            ).fetchone()
            conn.execute(
                "INSERT INTO characterization (process_area_id, practice_id, unit_id, value, strengths, weaknesses, "
                "notes, consensus, review_flag, review_comment, updated_by) VALUES (?, ?, ?, ?, '', '', ?, 0, 0, '', 'm')",
                (pa, practice, unit, value, notes),
            )
        else:
            conn.execute("UPDATE characterization SET value = ?, notes = ? WHERE id = ?", (value, notes, row[0]))


def test_split_edit_merge_and_merge_again(cli: Callable[..., Result], tmp_path: Path) -> None:
    lead = tmp_path / "lead.appraisal"
    assert cli("new", lead, "--plan", PLAN).code == 0
    package = tmp_path / "security.appraisal"
    result = cli("split", lead, "--mini-team", "Security", "-o", package)
    assert result.code == 0, result.err
    assert "Wrote" in result.out and "SM SM" in result.out
    again = cli("split", lead, "--mini-team", "Security", "-o", package)
    assert again.code == 1 and "already exists" in again.err

    _set_first_cell(package, "LI", "seen in the package")
    before = lead.read_bytes()
    dry = cli("merge", lead, package, "--dry-run")
    assert dry.code == 0, dry.err
    assert "Characterization: (empty) -> “LI”" in dry.out and "Dry run" in dry.out
    assert lead.read_bytes() == before

    merged = cli("merge", lead, package)
    assert merged.code == 0, merged.err
    assert "Merged 2 change(s) in one transaction" in merged.out
    info = cli("info", lead)
    assert "characterizations    1" in info.out
    twice = cli("merge", lead, package)
    assert twice.code == 0 and "Nothing to merge" in twice.out


def test_conflicts_need_a_choice_and_bad_packages_are_refused(cli: Callable[..., Result], tmp_path: Path) -> None:
    lead = tmp_path / "lead.appraisal"
    assert cli("new", lead, "--plan", PLAN).code == 0
    package = tmp_path / "security.appraisal"
    assert cli("split", lead, "--mini-team", "Security", "-o", package).code == 0
    _set_first_cell(package, "LI", "package")
    _set_first_cell(lead, "NI", "lead")
    before = lead.read_bytes()
    refused = cli("merge", lead, package)
    assert refused.code == 1 and "conflict" in refused.err and "--accept" in refused.err
    assert lead.read_bytes() == before
    ours = cli("merge", lead, package, "--accept", "ours")
    assert ours.code == 0 and "2 conflict(s) kept" in ours.out

    unknown = cli("split", lead, "--mini-team", "Nobody", "-o", tmp_path / "x.appraisal")
    assert unknown.code == 1 and "no mini-team called “Nobody”" in unknown.err
    assert not (tmp_path / "x.appraisal").exists()
    other = tmp_path / "other.appraisal"
    assert cli("new", other, "--plan", PLAN).code == 0
    before = other.read_bytes()
    foreign = cli("merge", other, package)
    assert foreign.code == 1 and "another appraisal" in foreign.err and "Traceback" not in foreign.err
    assert other.read_bytes() == before
