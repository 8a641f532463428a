"""The window's ratings follow every edit: incrementally for cells, fully for anything else, and on undo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.rating.facts import InstantiationKey
from app.services import appraisals, characterize
from app.services.catalogs import installed_catalog
from app.services.characterize import CellKey, CellState
from app.services.ratings import rate_appraisal
from app.ui.commands import ServiceCommand
from app.ui.document import Change, Document, Touched
from app.ui.tasks import TaskRunner

PLAN = Path(__file__).resolve().parents[2] / "docs" / "examples" / "ovig-plan.yaml"


@pytest.fixture
def document(tmp_path: Path, qapp: object) -> Iterator[Document]:
    installed = installed_catalog()
    path = tmp_path / "o.appraisal"
    appraisals.create_appraisal(path, appraisals.read_plan_file(PLAN, installed), installed).close()
    doc = Document(appraisals.open_appraisal(path, who="tester"), TaskRunner())
    yield doc
    doc.close()


def _set(document: Document, key: CellKey, value: str | None, weakness: str = "") -> ServiceCommand:
    ws = document.workspace
    before = characterize.get_cell(ws, key)
    after = CellState(value, weaknesses=weakness)
    touched = Touched.of(cells=[InstantiationKey(key.model, key.pa, key.practice, key.unit)])
    return ServiceCommand(
        document,
        f"Set {key.practice}",
        lambda: characterize.set_cell(ws, key, after),
        lambda: characterize.set_cell(ws, key, before),
        Change.CHARACTERIZATION,
        touched=touched,
    )


def test_cell_edits_and_their_undo_keep_the_live_ratings_equal_to_a_fresh_rating(document: Document) -> None:
    first = document.ratings()
    irp = first.process_area("CMMI-SVC", "IRP")
    assert irp is not None
    units = [i.unit for i in irp.practice("SP1.1").instantiations]
    for unit in units:
        document.execute(_set(document, CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", unit), "FI"))
    document.execute(
        _set(document, CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", units[0]), "PI", "No incident records kept.")
    )

    live = document.ratings()
    assert live == rate_appraisal(document.workspace)
    sp11 = live.process_area("CMMI-SVC", "IRP").practice("SP1.1")
    assert sp11.judgment_needed or sp11.ou is not None
    assert sp11.instantiations[0].value == "PI"

    document.undo_stack.undo()
    after_undo = document.ratings()
    assert after_undo == rate_appraisal(document.workspace)
    assert after_undo.process_area("CMMI-SVC", "IRP").practice("SP1.1").instantiations[0].value == "FI"


def test_a_change_without_named_cells_re_rates_everything(document: Document) -> None:
    document.ratings()
    ws = document.workspace
    characterize.set_cell(ws, CellKey("SM", "SM", "ESG1", "ESP1.1", "Quotes"), CellState("LI"))
    document.notify(Change.CHARACTERIZATION)  # no `touched`: the next read recomputes
    result = document.ratings()
    assert result.process_area("SM", "SM").practice("ESP1.1").instantiations[0].value == "LI"
