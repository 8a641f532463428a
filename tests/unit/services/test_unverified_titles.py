"""Issue 11 case 6: a title the catalog marks unverified carries the mark wherever it appears.

One helper (`app.domain.catalog.shown_title`) decides the mark; the grid, the side by side, the workbook, the
PDF and the CLI all show it. CERT-RMM OTA mixes verified and unverified titles.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.domain.catalog import UNVERIFIED_MARK, Practice, shown_title
from app.domain.plan import PaKey, Plan, ScopeEntry, UnitKind, UnitPlan
from app.services import appraisals, exports, grid, side_by_side
from app.services.grid import RowKind
from app.services.workspace import Workspace
from app.storage.catalog_files import builtin_catalog

PLAN = Plan(
    name="u",
    scope=(ScopeEntry(PaKey("CERT-RMM", "OTA"), 1),),
    units=(UnitPlan("Training office", UnitKind.BASIC_UNIT),),
)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = appraisals.create_appraisal(tmp_path / "u.appraisal", PLAN, builtin_catalog(), who="Lee")
    yield workspace
    workspace.close()


def test_the_one_helper_marks_unverified_titles_only() -> None:
    assert shown_title(Practice("X", "Do it", unverified=True)) == "Do it (unverified)"
    assert shown_title(Practice("X", "Do it")) == "Do it"


def test_shipped_cert_rmm_has_the_verified_training_needs_title() -> None:
    rmm = builtin_catalog().model("CERT-RMM")
    assert rmm is not None and rmm.version == "1.1-2"
    ota = rmm.process_area("OTA")
    practice = ota.practice("OTA:SG3.SP1") if ota else None
    assert practice is not None and (practice.title, practice.unverified) == ("Establish Training Needs", False)


def test_grid_rows_and_side_by_side_mark_unverified_titles(ws: Workspace) -> None:
    rows = {r.practice: r.title for r in grid.grid_data(ws).rows if r.kind is RowKind.PRACTICE}
    assert rows["OTA:SG3.SP1"] == "Establish Training Needs"
    assert rows["OTA:SG3.SP2"] == f"Establish Training Plan {UNVERIFIED_MARK}"
    side = side_by_side.side_by_side(ws, "CERT-RMM", "OTA", "OTA:SG3", "OTA:SG3.SP2")
    assert side.title.endswith(UNVERIFIED_MARK)


def test_workbook_and_pdf_mark_unverified_titles_with_a_note(ws: Workspace, tmp_path: Path) -> None:
    exports.export_xlsx(ws, tmp_path / "u.xlsx")
    book = load_workbook(tmp_path / "u.xlsx")
    sheet = next(s for s in book.worksheets if "OTA" in s.title)
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any("could not be confirmed in a source" in t for t in texts[:5])
    assert "Establish Training Plan (unverified)" in texts
    assert "Establish Training Needs" in texts
    exports.export_pdf(ws, tmp_path / "u.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "u.pdf").pages)
    assert "(unverified)" in text
