"""`appraisal-desk history`, end to end in a subprocess: the change log as text and JSON, with filters."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, ScopeEntry, UnitKind, UnitPlan
from app.services import appraisals
from app.services.characterize import CellKey, CellState, set_cell
from tests.e2e.conftest import Result

pytestmark = pytest.mark.e2e
CLI = Callable[..., Result]
PLAN = Plan(
    name="h", scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2),), units=(UnitPlan("Claims", UnitKind.BASIC_UNIT),)
)
CELL = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")


def test_history_prints_who_changed_what_with_the_values_before_and_after(
    cli: CLI, tmp_path: Path, catalog: Catalog
) -> None:
    path = tmp_path / "h.appraisal"
    appraisals.create_appraisal(path, PLAN, catalog, who="Lee").close()
    for who, value in (("Lee", "PI"), ("Kim", "FI")):
        ws = appraisals.open_appraisal(path, who=who)
        set_cell(ws, CELL, CellState(value))
        ws.close()

    text = cli("history", path)
    assert text.code == 0, text.err
    lines = text.out.splitlines()
    assert "Kim" in lines[0] and "Value: CMMI-SVC IRP SP1.1 / Claims" in lines[0] and lines[0].endswith("PI -> FI")
    assert "Lee" in lines[1] and lines[1].endswith("— -> PI")

    as_json = cli("history", path, "--json", "--who", "Lee")
    assert as_json.code == 0, as_json.err
    entries = json.loads(as_json.out)["entries"]
    assert [(e["who"], e["old"], e["new"], e["kind"]) for e in entries[:1]] == [("Lee", "—", "PI", "Characterization")]
    assert entries[0]["detail"] == "CMMI-SVC IRP SP1.1 / Claims: — -> PI"
    assert {e["who"] for e in entries} == {"Lee"}

    none = cli("history", path, "--kind", "Finding")
    assert none.code == 0 and "No changes recorded that match the filters." in none.out

    bad = cli("history", path, "--since", "yesterday")
    assert bad.code == 2 and "YYYY-MM-DD" in bad.err
    missing = cli("history", tmp_path / "nowhere.appraisal")
    assert missing.code == 1 and "Traceback" not in missing.err
