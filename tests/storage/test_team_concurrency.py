"""Two people on one cell: a write made on a stale view is refused and names who changed it; an undo of an edit a
colleague has since changed is refused. On a real PostgreSQL server with two clients in threads, and on a file.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from app.services import appraisals, characterize, findings
from app.services.characterize import CellKey, CellState
from app.services.errors import StaleEditError
from app.services.workspace import Workspace
from app.storage.schema import Finding
from tests.storage.conftest import BASE_URL, NO_SERVER, two_leads

CELL = CellKey("SM", "SM", "ESG1", "ESP1.1", "Quotes")


@pytest.mark.postgres
@pytest.mark.skipif(not BASE_URL, reason=NO_SERVER)
def test_two_clients_writing_the_same_cell_at_once_one_wins_and_the_other_is_told(
    server_db: str, demo_file: Path
) -> None:
    urls = two_leads(server_db, demo_file)
    spaces = [appraisals.open_appraisal(url) for url in urls]
    seen = characterize.get_cell(spaces[0], CELL)
    start = threading.Barrier(2)
    outcome: dict[int, object] = {}

    def edit(index: int, value: str) -> None:
        start.wait()
        try:
            characterize.set_cell(spaces[index], CELL, replace(seen, value=value), expected=seen)
            outcome[index] = "saved"
        except StaleEditError as exc:
            outcome[index] = exc

    threads = [threading.Thread(target=edit, args=(i, v)) for i, v in ((0, "NI"), (1, "PI"))]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert sorted(map(str, outcome.values())).count("saved") == 1
        winner = next(i for i, o in outcome.items() if o == "saved")
        refusal = str(outcome[1 - winner])
        assert spaces[winner].who in refusal and "reloaded" in refusal
        stored = characterize.get_cell(spaces[1 - winner], CELL)
        assert stored.value == ("NI", "PI")[winner]
    finally:
        for ws in spaces:
            ws.close()


@pytest.mark.postgres
@pytest.mark.skipif(not BASE_URL, reason=NO_SERVER)
def test_undo_of_an_edit_a_colleague_changed_since_is_refused(server_db: str, demo_file: Path) -> None:
    ann_url, ben_url = two_leads(server_db, demo_file)
    ann, ben = appraisals.open_appraisal(ann_url), appraisals.open_appraisal(ben_url)
    try:
        _undo_is_refused_after_a_later_edit(ann, ben)
    finally:
        ann.close()
        ben.close()


def test_on_a_file_a_stale_write_and_a_stale_undo_are_refused_too(tmp_path: Path, demo_file: Path) -> None:
    path = tmp_path / "mine.appraisal"
    path.write_bytes(demo_file.read_bytes())
    ws = appraisals.open_appraisal(path, who="Ann")
    try:
        _undo_is_refused_after_a_later_edit(ws, ws)
    finally:
        ws.close()


def _undo_is_refused_after_a_later_edit(first: Workspace, second: Workspace) -> None:
    original = characterize.get_cell(first, CELL)
    mine = replace(original, value="NI", notes="first person's note")
    characterize.set_cell(first, CELL, mine, expected=original)
    theirs = replace(mine, value="LI")
    characterize.set_cell(second, CELL, theirs, expected=mine)
    # the first person's view still shows `original`: a new edit on it is stale
    with pytest.raises(StaleEditError, match=f"changed by {second.who}"):
        characterize.set_cell(first, CELL, replace(original, value="PI"), expected=original)
    # and undoing their edit (back to `original`, expecting what they wrote) would wipe the colleague's
    with pytest.raises(StaleEditError, match="reloaded"):
        characterize.set_cell(first, CELL, original, expected=mine)
    assert characterize.get_cell(first, CELL) == theirs
    assert isinstance(theirs, CellState)


@pytest.mark.postgres
@pytest.mark.skipif(not BASE_URL, reason=NO_SERVER)
def test_any_row_written_over_a_newer_version_is_refused_in_plain_words(server_db: str, demo_file: Path) -> None:
    """Findings, evidence and the rest carry a version too: a write racing a colleague's is refused, not merged."""
    ann_url, ben_url = two_leads(server_db, demo_file)
    ann, ben = appraisals.open_appraisal(ann_url), appraisals.open_appraisal(ben_url)
    try:
        with ann.uow() as first:
            finding_id = first.session.scalars(select(Finding.id).order_by(Finding.id)).first()
            assert finding_id is not None
        with pytest.raises(StaleEditError, match="saved first"), ann.uow() as mine:
            finding = mine.session.get(Finding, finding_id)
            assert finding is not None
            with ben.uow() as theirs:  # a colleague saves the same finding in between
                other = theirs.session.get(Finding, finding_id)
                assert other is not None
                other.text = other.text + " (edited by Ben)"
                theirs.commit()
            finding.text = "Ann's wording"
            mine.commit()
        with ann.uow() as check:
            stored = check.session.get(Finding, finding_id)
            assert stored is not None and stored.text.endswith("(edited by Ben)")
    finally:
        ann.close()
        ben.close()


def test_a_finding_edited_on_a_stale_view_is_refused_and_names_who(tmp_path: Path, demo_file: Path) -> None:
    path = tmp_path / "mine.appraisal"
    path.write_bytes(demo_file.read_bytes())
    ann = appraisals.open_appraisal(path, who="Ann")
    try:
        shown = findings.list_findings(ann)[0]
        theirs = replace(shown.fields, text=shown.fields.text + " Confirmed in the second interview.")
        ann.uow_factory.who = "Ben"  # a colleague edits it (on a file: the same window under another name)
        findings.update_finding(ann, shown.id, theirs, expected=shown.fields)
        ann.uow_factory.who = "Ann"
        with pytest.raises(StaleEditError, match=r"changed by Ben at \d\d:\d\d — reloaded"):
            findings.update_finding(ann, shown.id, replace(shown.fields, text="Ann's wording"), expected=shown.fields)
        assert findings.get_finding(ann, shown.id).fields == theirs
    finally:
        ann.close()
