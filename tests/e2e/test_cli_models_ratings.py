"""The CLI for the model library and for ratings, end to end in a subprocess."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from app.services import appraisals, evidence
from app.services.characterize import CellKey, CellState, set_cell
from app.services.link_scope import EvidenceSource, LinkTarget
from tests.e2e.conftest import REPO, Result

pytestmark = pytest.mark.e2e
PLAN = REPO / "docs" / "examples" / "ovig-plan.yaml"
CLI = Callable[..., Result]


def test_models_lists_the_built_in_catalogs(cli: CLI) -> None:
    listed = cli("models")
    assert listed.code == 0, listed.err
    for ident in ("CMMI-SVC@1.3", "CERT-RMM@1.1-2", "SM@1.0", "ISO27001@2005"):
        assert ident in listed.out


def test_export_then_import_a_changed_version_adds_it_beside_the_old_one(cli: CLI, tmp_path: Path) -> None:
    exported = cli("models", "export", "SM", "-o", "sm.yaml")
    assert exported.code == 0, exported.err
    data = yaml.safe_load((tmp_path / "sm.yaml").read_text(encoding="utf-8"))
    data["model"]["version"] = "1.1"
    data["model"]["name"] = "Security Management, our edition"
    (tmp_path / "sm11.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    imported = cli("models", "import", "sm11.yaml")
    assert imported.code == 0, imported.err
    listed = cli("models").out
    assert "SM@1.0" in listed and "SM@1.1" in listed and "our edition" in listed


def test_a_broken_model_file_is_refused_with_located_problems_and_nothing_imported(cli: CLI, tmp_path: Path) -> None:
    cli("models", "export", "SM", "-o", "sm.yaml")
    text = (tmp_path / "sm.yaml").read_text(encoding="utf-8")
    assert "{id: ESP1.3," in text and "version: '1.0'" in text
    bad = text.replace("{id: ESP1.3,", "{id: ESP1.1,").replace("version: '1.0'", "version: '2.0'")
    (tmp_path / "bad.yaml").write_text(bad, encoding="utf-8")

    refused = cli("models", "import", "bad.yaml")
    assert refused.code == 1
    assert "duplicate" in refused.err and "ESP1.1" in refused.err and "line" in refused.err
    assert "Traceback" not in refused.err
    assert "SM@2.0" not in cli("models").out


def test_export_of_an_unknown_model_names_the_installed_ones(cli: CLI) -> None:
    refused = cli("models", "export", "NOPE")
    assert refused.code == 1
    assert "CMMI-SVC@1.3" in refused.err


def test_ratings_json_follows_the_characterizations_in_the_file(cli: CLI, tmp_path: Path) -> None:
    assert cli("new", "o.appraisal", "--plan", PLAN).code == 0
    before = json.loads(cli("ratings", "o.appraisal", "--json").out)
    irp = next(pa for pa in before["process_areas"] if pa["model"] == "CMMI-SVC" and pa["pa"] == "IRP")
    sg1 = next(g for g in irp["goals"] if g["id"] == "SG1")
    assert sg1["rating"] == "Not Rated" and sg1["kind"] == "specific"
    assert irp["capability_level"] is None and irp["target_capability_level"] == 2

    workspace = appraisals.open_appraisal(tmp_path / "o.appraisal", who="tester")
    try:
        units = {u.name: u.id for u in evidence.unit_options(workspace)}
        artifact = evidence.add_artifact_by_reference(
            workspace, "https://intranet.example/irp/incident-procedure", evidence.ArtifactMeta("Incident procedure")
        )
        targets = [
            LinkTarget("CMMI-SVC", "IRP", p["id"], units[unit])
            for p in sg1["practices"]
            for unit in p["instantiations"]
        ]
        evidence.link_evidence(workspace, EvidenceSource(artifact_id=artifact), targets)
        for practice in sg1["practices"]:
            for unit in practice["instantiations"]:
                set_cell(workspace, CellKey("CMMI-SVC", "IRP", "SG1", practice["id"], unit), CellState("FI"))
    finally:
        workspace.close()

    shown = cli("ratings", "o.appraisal", "--json")
    assert shown.code == 0, shown.err
    after = json.loads(shown.out)
    assert {"scale", "maturity_level", "process_areas", "coverage_gaps"} <= after.keys()
    irp = next(pa for pa in after["process_areas"] if pa["model"] == "CMMI-SVC" and pa["pa"] == "IRP")
    sg1 = next(g for g in irp["goals"] if g["id"] == "SG1")
    # Artifacts but no affirmations: subgroup rule B1 keeps the goals of the subgroup's PAs Not Rated (§5.2).
    assert sg1["rating"] == "Not Rated", sg1["reasons"]
    assert sg1["rule"] == "GOAL_R2_COVERAGE" and any(r.startswith("B1: ") for r in sg1["reasons"])
    assert all(p["ou"] == "FI" and not p["judgment_needed"] for p in sg1["practices"])
    assert all(set(p["instantiations"].values()) == {"FI"} for p in sg1["practices"])

    table = cli("ratings", "o.appraisal")
    assert table.code == 0 and "IRP" in table.out and "GOAL_R2_COVERAGE" in table.out


def test_ratings_of_a_missing_file_is_a_user_error(cli: CLI) -> None:
    refused = cli("ratings", "missing.appraisal")
    assert refused.code == 1 and "Traceback" not in refused.err


def test_models_and_models_export_mark_unverified_titles(cli: CLI) -> None:
    listed = cli("models").out
    rmm = next(line for line in listed.splitlines() if line.startswith("CERT-RMM@"))
    assert "titles (unverified)" in rmm
    assert "could not be confirmed in a source" in listed
    exported = cli("models", "export", "CERT-RMM").out
    assert exported.startswith("# CERT Resilience Management Model")
    assert "titles carry unverified: true" in exported.split("format:")[0]
