"""`appraisal-desk demo FILE` end to end: the file it makes, as `info` and `ratings` read it back."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import Result

pytestmark = pytest.mark.e2e
CLI = Callable[..., Result]


def test_demo_creates_a_filled_appraisal_that_info_and_ratings_read(cli: CLI, tmp_path: Path) -> None:
    made = cli("demo", "ovig.appraisal")
    assert made.code == 0, made.err
    assert "Created ovig.appraisal" in made.out and "Olive Vehicle Insurance" in made.out

    info = cli("info", "ovig.appraisal", "--json")
    assert info.code == 0, info.err
    data = json.loads(info.out)
    assert data["phase"] == "conduct" and len(data["scope"]) == 14
    counts = data["counts"]
    assert counts["basic_units"] == 6 and counts["support_functions"] == 1
    for key in ("artifacts", "interview_sessions", "affirmations", "evidence_links", "characterizations", "findings"):
        assert counts[key] > 0, key
        assert f"{counts[key]} {key.replace('_', ' ')}" in made.out

    rated = cli("ratings", "ovig.appraisal", "--json")
    assert rated.code == 0, rated.err
    report = json.loads(rated.out)
    goals = Counter(g["rating"] for pa in report["process_areas"] for g in pa["goals"])
    assert goals["Satisfied"] > goals["Unsatisfied"] > 0 and goals["Not Rated"] > 0
    levels = {pa["pa"]: pa["capability_level"] for pa in report["process_areas"]}
    assert {0, 1, 2, None} <= set(levels.values())
    waiting = [p for pa in report["process_areas"] for g in pa["goals"] for p in g["practices"] if p["judgment_needed"]]
    assert len(waiting) >= 2
    assert [flag["kind"] for flag in report["attribution_flags"]] == ["participant"]


def test_demo_never_overwrites_a_file(cli: CLI, tmp_path: Path) -> None:
    target = tmp_path / "taken.appraisal"
    target.write_bytes(b"someone's appraisal")
    refused = cli("demo", "taken.appraisal")
    assert refused.code == 1
    assert "already exists" in refused.err and "Traceback" not in refused.err
    assert target.read_bytes() == b"someone's appraisal"
