"""Fuzzing the workbook importer: whatever a spreadsheet program or a damaged disk does to an exported workbook,
the preview is a clear KnownError or a valid preview, and the appraisal is never changed by it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import MergedCell

from app.services import exports, workbook_import
from app.services.characterize import CellState, get_cell
from app.services.workbook_import import ImportPreview
from app.services.workspace import Workspace
from app.storage import workbook_layout as lay
from app.storage.errors import KnownError
from tests.conftest import tiny_catalog
from tests.unit.services.output_appraisal import cell_keys, make_output_appraisal

SCALE = {"FI", "LI", "PI", "NI", "NY"}


class Exported:
    """The appraisal and its exported workbook (a plain class: failing examples print it, and it is big)."""

    def __init__(self, ws: Workspace, data: bytes, folder: Path, states: dict[Any, CellState]) -> None:
        self.ws, self.data, self.folder, self.states = ws, data, folder, states

    def __repr__(self) -> str:
        return "Exported(...)"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exported]:
    folder = tmp_path_factory.mktemp("fuzz")
    ws = make_output_appraisal(folder / "o.appraisal", tiny_catalog())
    path = folder / "team.xlsx"
    exports.export_xlsx(ws, path)
    yield Exported(ws, path.read_bytes(), folder, {k: get_cell(ws, k) for k in cell_keys(ws)})
    ws.close()


def check(exported: Exported, data: bytes) -> None:
    path = exported.folder / "fuzzed.xlsx"
    path.write_bytes(data)
    try:
        preview = workbook_import.preview(exported.ws, path)
    except KnownError as exc:
        message = str(exc)
        assert message and "Traceback" not in message
    else:
        assert isinstance(preview, ImportPreview)
        for change in preview.changes:
            for f in change.fields:
                assert f.field != "value" or f.after is None or f.after in SCALE
    assert {k: get_cell(exported.ws, k) for k in exported.states} == exported.states


cell_values = st.one_of(
    st.none(),
    st.sampled_from(["FI", "li", " pi ", "XX", "", "=1+1", lay.OU_LABEL, "SG1", "SP1.1", "Claims", "Goal"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)
edits = st.lists(
    st.tuples(
        st.sampled_from(["Summary", "IRP", "SM", lay.MANIFEST]), st.integers(1, 30), st.integers(1, 14), cell_values
    ),
    min_size=1,
    max_size=8,
)
structure = st.sampled_from(["none", "delete row", "insert column", "rename sheet", "delete sheet", "move sheet"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=edits, shape=structure)
def test_random_cell_edits_give_an_error_or_a_valid_preview(
    exported: Exported, edits: list[tuple[str, int, int, Any]], shape: str
) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(exported.data))
    for sheet, row, column, value in edits:
        cell = wb[sheet].cell(row, column)
        if not isinstance(cell, MergedCell):  # a spreadsheet program cannot write into a merged cell either
            cell.value = value
    irp = wb["IRP"]
    if shape == "delete row":
        irp.delete_rows(5)
    elif shape == "insert column":
        irp.insert_cols(3)
    elif shape == "rename sheet":
        wb["SM"].title = "Security"
    elif shape == "delete sheet":
        del wb["SM"]
    elif shape == "move sheet":
        wb.move_sheet("SM", offset=-2)
    out = io.BytesIO()
    wb.save(out)
    check(exported, out.getvalue())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cuts=st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=0, max_size=16)), min_size=1, max_size=4),
    truncate=st.one_of(st.none(), st.floats(0, 1)),
)
def test_damaged_bytes_give_an_error_or_a_valid_preview(
    exported: Exported, cuts: list[tuple[float, bytes]], truncate: float | None
) -> None:
    data = bytearray(exported.data)
    for where, garbage in cuts:
        at = int(where * (len(data) - 1))
        data[at : at + len(garbage)] = garbage
    if truncate is not None:
        del data[int(truncate * len(data)) :]
    check(exported, bytes(data))
