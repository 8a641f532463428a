"""The CLI end to end: new from a plan, info, check, and every refusal with its exit code."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import REPO, Result

pytestmark = pytest.mark.e2e
PLAN = REPO / "docs" / "examples" / "ovig-plan.yaml"
CLI = Callable[..., Result]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_from_plan_then_info_shows_the_plan(cli: CLI, tmp_path: Path) -> None:
    made = cli("new", "x.appraisal", "--plan", PLAN)
    assert made.code == 0, made.err
    assert "Created x.appraisal" in made.out
    info = cli("info", "x.appraisal", "--json")
    assert info.code == 0, info.err
    data = json.loads(info.out)
    assert data["name"] == "Olive Vehicle Insurance – service resilience and security appraisal"
    assert data["scale"] == "v1.3"
    assert data["schema_revision"]
    scope = {(s["model"], s["pa"]): s["target_capability_level"] for s in data["scope"]}
    assert scope[("SM", "SM")] == 2
    assert scope[("CMMI-SVC", "IRP")] == 2
    assert scope[("CERT-RMM", "VAR")] == 2
    assert len(scope) == 14
    assert data["counts"] == {
        "basic_units": 6,
        "support_functions": 1,
        "artifacts": 0,
        "interview_sessions": 0,
        "affirmations": 0,
        "evidence_links": 0,
        "characterizations": 0,
        "findings": 0,
    }
    text = cli("info", "x.appraisal")
    assert "Security Management" in text.out and "target CL2" in text.out
    assert cli("check", "x.appraisal").code == 0


def test_new_without_plan_uses_name(cli: CLI, tmp_path: Path) -> None:
    assert cli("new", "y.appraisal", "--name", "Quick look").code == 0
    assert json.loads(cli("info", "y.appraisal", "--json").out)["name"] == "Quick look"


def test_bad_plan_names_line_and_field_and_creates_nothing(cli: CLI, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = PLAN.read_text().replace("{model: CMMI-SVC, pa: SST", "{model: CMMI-SVC, pa: XYZ")
    bad.write_text(text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "pa: XYZ" in row)
    result = cli("new", "z.appraisal", "--plan", bad)
    assert result.code == 1
    assert f"bad.yaml: line {line}, scope[5]: CMMI-SVC has no process area 'XYZ'" in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "z.appraisal").exists()


def test_plan_with_yaml_syntax_error(cli: CLI, tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("appraisal:\n  name: [oops\n")
    result = cli("new", "z.appraisal", "--plan", bad)
    assert result.code == 1 and "broken.yaml, line" in result.err and "not valid YAML" in result.err
    assert not (tmp_path / "z.appraisal").exists()


def test_usage_errors_exit_2(cli: CLI) -> None:
    assert cli("info").code == 2
    assert cli("new", "a.appraisal", "--bogus").code == 2


def test_refusals_exit_1_with_message_and_leave_file_identical(cli: CLI, tmp_path: Path) -> None:
    text_file = tmp_path / "notes.appraisal"
    text_file.write_text("meeting notes")
    result = cli("info", text_file)
    assert result.code == 1 and "not an appraisal file" in result.err and "Traceback" not in result.err
    assert text_file.read_text() == "meeting notes"

    assert cli("new", "v.appraisal", "--name", "v").code == 0
    target = tmp_path / "v.appraisal"
    with sqlite3.connect(target) as conn:
        conn.execute("UPDATE alembic_version SET version_num='9999_future'")
    conn.close()
    before = digest(target)
    result = cli("info", target)
    assert result.code == 1 and "newer version of Appraisal Desk" in result.err
    assert digest(target) == before
    assert cli("check", target).code == 1

    assert cli("info", tmp_path / "missing.appraisal").code == 1
    exists = cli("new", "v.appraisal", "--name", "again")
    assert exists.code == 1 and "already exists" in exists.err
    assert digest(target) == before


def test_check_reports_corruption(cli: CLI, tmp_path: Path) -> None:
    assert cli("new", "c.appraisal", "--plan", PLAN).code == 0
    path = tmp_path / "c.appraisal"
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 3, 4096 * 8):
        data[offset] = 0x5A
    path.write_bytes(bytes(data))
    result = cli("check", path)
    assert result.code == 1
    assert "damaged" in result.err or "problems" in result.err
