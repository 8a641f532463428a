"""Undoing a mini-team merge on real files: every row it wrote goes back (attachments included), the package can
be merged again, redo writes it again, and a later edit of the same rows refuses the step with nothing changed."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.domain.merge import Side
from app.services import appraisals, evidence, findings, package_merge, packages
from app.services.characterize import CellKey, get_cell, set_cell
from app.services.merge_undo import redo_merge, undo_merge
from app.services.workspace import Workspace
from app.storage.row_changes import StaleRows, snapshot
from app.storage.schema import Blob, ChangeLog
from tests.unit.services.package_appraisal import make_package_appraisal

IRP_CELL = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")
NEW_FILE = b"Minutes of the incident review, week 12\n"


@pytest.fixture(scope="module")
def lead_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import tiny_catalog

    path = tmp_path_factory.mktemp("lead") / "lead.appraisal"
    make_package_appraisal(path, tiny_catalog()).close()
    return path


@pytest.fixture
def merged(lead_template: Path, tmp_path: Path) -> Iterator[tuple[Workspace, package_merge.MergeResult, Path, Any]]:
    lead = tmp_path / "lead.appraisal"
    shutil.copy(lead_template, lead)
    ws = appraisals.open_appraisal(lead, who="Lee Lead")
    package = packages.split(ws, "Alpha", tmp_path / "alpha.appraisal").path
    member = appraisals.open_appraisal(package, who="Morgan Member")
    try:
        set_cell(member, IRP_CELL, replace(get_cell(member, IRP_CELL), value="PI", notes="from the package"))
        about = findings.FindingTarget("CMMI-SVC", "IRP")
        findings.add_finding(member, findings.FindingFields("weakness", "No trend analysis", about))
        minutes = tmp_path / "minutes.txt"
        minutes.write_bytes(NEW_FILE)
        evidence.add_artifact_from_file(member, minutes)
    finally:
        member.close()
    before = _state(ws)
    preview = package_merge.preview(ws, package)
    result = package_merge.apply(ws, preview, package_merge.settle_all(preview, Side.PACKAGE))
    yield ws, result, package, before
    ws.close()


def _state(ws: Workspace) -> Any:
    with ws.uow() as uow:
        return snapshot(uow.session, package_merge.MERGED_TABLES)


def test_undo_takes_every_row_back_and_the_package_can_be_merged_again(merged: Any) -> None:
    ws, result, package, before = merged
    after = _state(ws)
    assert result.undoable and after != before
    assert get_cell(ws, IRP_CELL).value == "PI"

    undo_merge(ws, result)
    assert _state(ws) == before
    assert get_cell(ws, IRP_CELL).value == "FI"
    assert "No trend analysis" not in [f.text for f in findings.list_findings(ws)]
    assert "minutes" not in [a.title for a in evidence.list_artifacts(ws)]
    again = package_merge.preview(ws, package)
    assert again.already_merged_at is None and not again.empty

    redo_merge(ws, result)
    assert _state(ws) == after
    assert get_cell(ws, IRP_CELL).notes == "from the package"
    assert [a.title for a in evidence.list_artifacts(ws)].count("minutes") == 1
    with ws.uow() as uow:
        assert NEW_FILE in uow.session.scalars(select(Blob.data)).all()
        actions = uow.session.scalars(select(ChangeLog.action).where(ChangeLog.entity == "package")).all()
    assert actions[-3:] == ["merge", "undo merge", "redo merge"]


def test_a_later_edit_of_the_same_rows_refuses_the_undo_and_changes_nothing(merged: Any) -> None:
    ws, result, _package, _before = merged
    set_cell(ws, IRP_CELL, replace(get_cell(ws, IRP_CELL), value="NI"))
    state = _state(ws)
    with pytest.raises(StaleRows, match=r"changed since the merge of alpha\.appraisal"):
        undo_merge(ws, result)
    assert _state(ws) == state
