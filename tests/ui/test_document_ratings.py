"""The window's ratings follow every edit: incrementally for cells, fully for anything else, and on undo."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.rating.facts import InstantiationKey
from app.services import appraisals, characterize
from app.services.catalogs import installed_catalog
from app.services.characterize import CellKey, CellState
from app.services.errors import KnownError
from app.services.ratings import rate_appraisal
from app.ui.shell.commands import ServiceCommand
from app.ui.shell.document import Change, Document, Touched
from app.ui.shell.tasks import Task, TaskRunner

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


class _Gate:
    """Holds the worker thread busy, so a test decides when the background rating may run."""

    def __init__(self, runner: TaskRunner) -> None:
        self.open = threading.Event()
        runner.start(Task(lambda _p: self.open.wait(30), label="gate"))


def test_the_first_full_rating_runs_on_the_worker_and_announces_itself(document: Document, qtbot) -> None:
    gate = _Gate(document.runner)
    assert document.ratings_if_ready() is None
    assert document.rating_in_progress
    with qtbot.waitSignal(document.ratings_ready, timeout=30000):
        gate.open.set()
    assert not document.rating_in_progress
    assert document.ratings_if_ready() == rate_appraisal(document.workspace)


def test_edits_made_while_the_rating_runs_are_in_the_ratings_it_delivers(document: Document, qtbot) -> None:
    gate = _Gate(document.runner)
    assert document.ratings_if_ready() is None
    gate.open.set()
    document.runner.wait()  # the rating has read the file; its result waits for the event loop
    key = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")
    document.execute(_set(document, key, "PI", "No incident records kept."))
    qtbot.waitSignal(document.ratings_ready, timeout=30000).wait()
    result = document.ratings_if_ready()
    assert result == rate_appraisal(document.workspace)
    sp11 = result.process_area("CMMI-SVC", "IRP").practice("SP1.1")
    assert {i.unit: i.value for i in sp11.instantiations}["Claims"] == "PI"


def test_a_plan_change_while_the_rating_runs_rates_again_before_delivering(document: Document, qtbot) -> None:
    gate = _Gate(document.runner)
    assert document.ratings_if_ready() is None
    gate.open.set()
    document.runner.wait()
    ws = document.workspace
    characterize.set_cell(ws, CellKey("SM", "SM", "ESG1", "ESP1.1", "Quotes"), CellState("LI"))
    document.notify(Change.PLAN)  # not incremental: the rating that just ran read the file before it
    qtbot.waitUntil(lambda: document.ratings_if_ready() is not None, timeout=30000)
    result = document.ratings_if_ready()
    assert result is not None
    assert result.process_area("SM", "SM").practice("ESP1.1").instantiations[0].value == "LI"


def test_a_rating_whose_read_fails_is_a_refusal_in_words_and_the_next_change_rates_again(
    document: Document, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A team server's connection lost while the first full rating reads: the pages must get a refusal they show
    # ("cannot be computed: …"), not an error escaping their slot; the reconnection's change rates again.
    import app.ui.shell.document as document_module

    class LostConnection(Exception):
        pass

    def lost(_workspace: object) -> None:
        raise LostConnection("terminating connection due to administrator command\nSELECT …")

    monkeypatch.setattr(document_module, "_rate", lost)
    with qtbot.waitSignal(document.ratings_ready, timeout=30000):
        assert document.ratings_if_ready() is None
    with pytest.raises(KnownError, match=r"could not be read to rate it \(terminating connection"):
        document.ratings_if_ready()

    monkeypatch.undo()
    document.follow_remote({Change.DATA})
    qtbot.waitUntil(lambda: _rated(document), timeout=30000)
    assert document.ratings_if_ready() == rate_appraisal(document.workspace)


def _rated(document: Document) -> bool:
    try:
        return document.ratings_if_ready() is not None
    except KnownError:
        return False
