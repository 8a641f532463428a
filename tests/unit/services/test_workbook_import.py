"""Importing a team workbook back: the preview, conflicts, one-transaction apply with undo, and every way a
workbook can be untrustworthy (refused with a clear message, nothing changed)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, ScopeEntry, UnitKind, UnitPlan
from app.services import appraisals, exports, workbook_import
from app.services.characterize import CellKey, CellState, get_cell, set_cell, set_value
from app.services.ratings import rate_appraisal
from app.services.workspace import Workspace
from app.storage import workbook_layout as lay
from app.storage.errors import KnownError
from app.storage.schema import ChangeLog
from tests.unit.services.output_appraisal import NAMED_WEAKNESS, cell_keys, make_output_appraisal

SP11_CLAIMS = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")
SP11_POLICIES = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Policies")
GP22_CLAIMS = CellKey("CMMI-SVC", "IRP", "GG2", "GP2.2", "Claims")


@pytest.fixture
def ws(tmp_path: Path, catalog: Catalog) -> Iterator[Workspace]:
    workspace = make_output_appraisal(tmp_path / "o.appraisal", catalog)
    yield workspace
    workspace.close()


@pytest.fixture
def exported(ws: Workspace, tmp_path: Path) -> Path:
    path = tmp_path / "team.xlsx"
    exports.export_xlsx(ws, path)
    return path


def states(ws: Workspace) -> dict[CellKey, CellState]:
    return {key: get_cell(ws, key) for key in cell_keys(ws)}


def edit(source: Path, target: Path, change: Callable[[Any], None]) -> Path:
    """Open the workbook as a team member's spreadsheet program would, change it, save it elsewhere."""
    wb = openpyxl.load_workbook(source)
    change(wb)
    wb.save(target)
    return target


def row_of(sheet: Any, practice: str, unit: str) -> int:
    for row in sheet.iter_rows(min_row=lay.FIRST_DATA_ROW):
        if row[1].value == practice and row[3].value == unit:
            return int(row[0].row)
    raise AssertionError(f"no row for {practice} / {unit}")


def set_cells(**cells: str | None) -> Callable[[Any], None]:
    """Edit IRP cells by "<practice>_<unit>_<column letter>" keywords (dots as underscores)."""

    def change(wb: Any) -> None:
        irp = wb["IRP"]
        for name, value in cells.items():
            a, b, unit, column = name.split("_")
            irp[f"{column}{row_of(irp, f'{a}.{b}', unit)}"] = value

    return change


def test_round_trip_changes_the_ratings_as_the_workbook_says(ws: Workspace, exported: Path, tmp_path: Path) -> None:
    before = rate_appraisal(ws).process_area("CMMI-SVC", "IRP")
    assert before is not None and before.goal("SG1").rating.value == "Satisfied"
    edited = edit(
        exported,
        tmp_path / "edited.xlsx",
        set_cells(
            SP1_1_Claims_K="PI",
            SP1_1_Claims_G="No incident categories",
            SP1_1_Policies_K="pi",
            SP1_1_Policies_G="Categories unused",
        ),
    )

    preview = workbook_import.preview(ws, edited)
    assert [c.label for c in preview.changes] == ["IRP SP1.1 / Claims", "IRP SP1.1 / Policies"]
    claims = preview.changes[0]
    assert [(f.field, f.before, f.after, f.ref) for f in claims.fields] == [
        ("value", "FI", "PI", f"K{claims.row}"),
        ("weaknesses", "", "No incident categories", f"G{claims.row}"),
    ]
    assert not preview.conflicts and preview.unchanged == 15
    assert get_cell(ws, SP11_CLAIMS).value == "FI"  # a preview changes nothing

    applied = workbook_import.apply(ws, preview)
    assert get_cell(ws, SP11_CLAIMS) == CellState("PI", weaknesses="No incident categories")
    assert get_cell(ws, SP11_POLICIES).value == "PI"
    irp = rate_appraisal(ws).process_area("CMMI-SVC", "IRP")
    assert irp is not None
    sp11 = irp.practice("SP1.1")
    assert sp11 is not None and sp11.judgment_needed  # two PI instantiations: the team must judge the OU value
    assert irp.goal("SG1").rating.value == "Not Rated"
    assert irp.capability.level is None

    # Undo and redo are whole-import steps.
    workbook_import.write_cells(ws, applied.before, action="undo import")
    assert get_cell(ws, SP11_CLAIMS).value == "FI" and get_cell(ws, SP11_POLICIES).value == "FI"
    workbook_import.write_cells(ws, applied.after, action="redo import")
    assert get_cell(ws, SP11_CLAIMS).value == "PI"
    assert {k.unit for k in (t for t in applied.touched)} == {"Claims", "Policies"}


def test_the_import_is_one_transaction_logged_per_cell(ws: Workspace, exported: Path, tmp_path: Path) -> None:
    edited = edit(exported, tmp_path / "e.xlsx", set_cells(SP1_1_Claims_K="LI", SP1_1_Claims_G="Gap"))
    with ws.uow() as uow:
        logged_before = uow.session.scalar(select(func.count()).select_from(ChangeLog))
    workbook_import.apply(ws, workbook_import.preview(ws, edited))
    with ws.uow() as uow:
        actions = uow.session.scalars(select(ChangeLog.action).order_by(ChangeLog.id)).all()[logged_before:]
    assert actions == ["import"]


def test_a_conflict_is_shown_and_nothing_is_applied_until_it_is_accepted(
    ws: Workspace, exported: Path, tmp_path: Path
) -> None:
    set_value(ws, SP11_POLICIES, "LI")  # the appraisal moves on after the export...
    set_cell(ws, SP11_POLICIES, CellState("LI", weaknesses="Found on site"))
    edited = edit(  # ...and so does the workbook, on the same cell and on another one
        exported, tmp_path / "e.xlsx", set_cells(SP1_1_Policies_K="NI", SP1_1_Claims_K="LI", SP1_1_Claims_G="W")
    )

    preview = workbook_import.preview(ws, edited)
    assert [c.label for c in preview.conflicts] == ["IRP SP1.1 / Policies"]
    conflict = preview.conflicts[0].fields[0]
    assert (conflict.field, conflict.before, conflict.after, conflict.conflict) == ("value", "LI", "NI", True)
    with pytest.raises(KnownError, match="also changed in the appraisal"):
        workbook_import.apply(ws, preview)
    assert get_cell(ws, SP11_POLICIES).value == "LI" and get_cell(ws, SP11_CLAIMS).value == "FI"

    workbook_import.apply(ws, preview, accept_conflicts=True)
    assert get_cell(ws, SP11_POLICIES) == CellState("NI", weaknesses="Found on site")  # other fields kept
    assert get_cell(ws, SP11_CLAIMS).value == "LI"


def test_a_preview_the_appraisal_has_overtaken_is_refused(ws: Workspace, exported: Path, tmp_path: Path) -> None:
    edited = edit(exported, tmp_path / "e.xlsx", set_cells(SP1_1_Claims_K="LI", SP1_1_Claims_G="W"))
    preview = workbook_import.preview(ws, edited)
    set_value(ws, SP11_CLAIMS, "NI")
    with pytest.raises(KnownError, match="preview the import again"):
        workbook_import.apply(ws, preview)
    assert get_cell(ws, SP11_CLAIMS).value == "NI"


def test_unchanged_cells_whose_texts_hid_a_name_are_not_changes(ws: Workspace, exported: Path) -> None:
    # The exported weakness reads "[name withheld] said ..."; importing the untouched workbook changes nothing.
    assert get_cell(ws, GP22_CLAIMS).weaknesses == NAMED_WEAKNESS
    preview = workbook_import.preview(ws, exported)
    assert preview.empty and preview.unchanged == 17


def test_a_masked_note_a_team_member_extended_keeps_the_names_and_adds_the_extension(
    ws: Workspace, exported: Path, tmp_path: Path
) -> None:
    def extend(wb: Any) -> None:
        irp = wb["IRP"]
        row = row_of(irp, "GP2.2", "Claims")
        assert irp[f"G{row}"].value == "[name withheld] said incident trends are never reviewed"
        irp[f"G{row}"] = irp[f"G{row}"].value + ". Trend reviews start in May."
        irp[f"I{row}"] = "Ask [name withheld] again"

    preview = workbook_import.preview(ws, edit(exported, tmp_path / "e.xlsx", extend))
    [change] = preview.changes
    assert [(f.field, f.before, f.after, f.conflict) for f in change.fields] == [
        ("weaknesses", NAMED_WEAKNESS, NAMED_WEAKNESS + ". Trend reviews start in May.", False),
        ("notes", "Ask Harold Finch", "Ask Harold Finch again", False),
    ]
    workbook_import.apply(ws, preview)
    cell = get_cell(ws, GP22_CLAIMS)
    assert cell.weaknesses == NAMED_WEAKNESS + ". Trend reviews start in May."
    assert cell.notes == "Ask Harold Finch again"
    assert workbook_import.preview(ws, tmp_path / "e.xlsx").empty  # importing it again changes nothing


def test_a_conflict_on_a_masked_text_shows_the_real_stored_text(ws: Workspace, exported: Path, tmp_path: Path) -> None:
    def extend(wb: Any) -> None:
        irp = wb["IRP"]
        row = row_of(irp, "GP2.2", "Claims")
        irp[f"G{row}"] = irp[f"G{row}"].value + " (seen twice)"

    edited = edit(exported, tmp_path / "e.xlsx", extend)
    set_cell(ws, GP22_CLAIMS, replace(get_cell(ws, GP22_CLAIMS), weaknesses=NAMED_WEAKNESS + " in 2025"))
    [change] = workbook_import.preview(ws, edited).changes
    [field] = change.fields
    assert field.conflict and field.before == NAMED_WEAKNESS + " in 2025"
    assert "[name withheld]" not in (field.after or "")


STORED_TEXTS = st.lists(
    st.sampled_from(["Harold Finch", "Mr Finch", "Zoë", "Ørsted's", "H. Finch", "Ann-Marie", "claims", "LI"])
    | st.text(alphabet=st.sampled_from(list("ab Xy.,;'\n\t-")), max_size=12),
    max_size=6,
).map(" ".join)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(weak=STORED_TEXTS, strong=STORED_TEXTS, notes=STORED_TEXTS)
def test_export_then_import_of_an_unchanged_workbook_changes_no_byte_of_any_stored_text(
    ws: Workspace, tmp_path: Path, weak: str, strong: str, notes: str
) -> None:
    set_cell(ws, GP22_CLAIMS, replace(get_cell(ws, GP22_CLAIMS), weaknesses=weak, strengths=strong, notes=notes))
    before = {key: (s.weaknesses, s.strengths, s.notes) for key, s in states(ws).items()}
    # Hypothesis reuses the function's tmp_path for every example; each example writes its own workbook.
    path = tmp_path / f"p-{len(list(tmp_path.glob('p-*.xlsx')))}.xlsx"
    exports.export_xlsx(ws, path)
    preview = workbook_import.preview(ws, path)
    assert preview.empty, [(f.field, f.before, f.after) for c in preview.changes for f in c.fields]
    assert {key: (s.weaknesses, s.strengths, s.notes) for key, s in states(ws).items()} == before


def test_sorting_rows_and_reordering_sheets_is_fine(ws: Workspace, exported: Path, tmp_path: Path) -> None:
    def shuffle(wb: Any) -> None:
        irp = wb["IRP"]
        rows = [[c.value for c in row] for row in irp.iter_rows(min_row=lay.FIRST_DATA_ROW)]
        rows.reverse()
        for r, values in enumerate(rows, start=lay.FIRST_DATA_ROW):
            for c, value in enumerate(values, start=1):
                irp.cell(r, c).value = value
        irp[f"K{row_of(irp, 'SP1.2', 'Claims')}"] = "LI"
        irp[f"G{row_of(irp, 'SP1.2', 'Claims')}"] = "Weak"
        wb.move_sheet("IRP", offset=-3)

    preview = workbook_import.preview(ws, edit(exported, tmp_path / "e.xlsx", shuffle))
    assert [c.label for c in preview.changes] == ["IRP SP1.2 / Claims"]


def refused(ws: Workspace, path: Path, match: str) -> None:
    before = states(ws)
    with pytest.raises(KnownError, match=match):
        workbook_import.preview(ws, path)
    assert states(ws) == before


def test_a_workbook_from_another_appraisal_is_refused(exported: Path, tmp_path: Path, catalog: Catalog) -> None:
    other = appraisals.create_appraisal(
        tmp_path / "other.appraisal",
        Plan(
            name="Other",
            scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 2),),
            units=(UnitPlan("Claims", UnitKind.BASIC_UNIT),),
        ),
        catalog,
        who="x",
    )
    try:
        refused(other, exported, "exported from another appraisal")
    finally:
        other.close()


def test_a_file_that_is_not_a_workbook_is_refused(ws: Workspace, tmp_path: Path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"this is not a zip file at all")
    refused(ws, junk, "not an Excel workbook")
    refused(ws, tmp_path / "missing.xlsx", "does not exist")


def test_a_bad_characterization_is_reported_by_sheet_and_cell(ws: Workspace, exported: Path, tmp_path: Path) -> None:
    edited = edit(exported, tmp_path / "e.xlsx", set_cells(SP1_2_Policies_K="XX", SP1_1_Claims_K="FI"))
    row = row_of(openpyxl.load_workbook(edited)["IRP"], "SP1.2", "Policies")
    refused(ws, edited, rf"Sheet 'IRP' cell K{row}: 'XX' is not a characterization \(FI, LI, PI, NI, NY")


def test_moved_or_renamed_columns_are_refused(ws: Workspace, exported: Path, tmp_path: Path) -> None:
    def insert_column(wb: Any) -> None:
        wb["IRP"].insert_cols(5)

    refused(ws, edit(exported, tmp_path / "a.xlsx", insert_column), "columns of sheet 'IRP' were moved")

    def swap_headers(wb: Any) -> None:
        sheet = wb["SM"]
        sheet["G3"], sheet["H3"] = "Strengths", "Weaknesses"

    refused(ws, edit(exported, tmp_path / "b.xlsx", swap_headers), "columns of sheet 'SM'")


def test_missing_or_renamed_sheets_are_refused(ws: Workspace, exported: Path, tmp_path: Path) -> None:
    def rename(wb: Any) -> None:
        wb["IRP"].title = "Incidents"

    refused(ws, edit(exported, tmp_path / "a.xlsx", rename), "lacks the sheet 'IRP'")

    def drop_manifest(wb: Any) -> None:
        del wb[lay.MANIFEST]

    refused(ws, edit(exported, tmp_path / "b.xlsx", drop_manifest), "was not exported by Appraisal Desk")


def test_rows_rekeyed_or_deleted_are_refused(ws: Workspace, exported: Path, tmp_path: Path) -> None:
    def rekey(wb: Any) -> None:
        irp = wb["IRP"]
        irp[f"D{row_of(irp, 'SP1.1', 'Claims')}"] = "Somewhere"

    refused(ws, edit(exported, tmp_path / "a.xlsx", rekey), "was not exported in this workbook")

    def delete(wb: Any) -> None:
        irp = wb["IRP"]
        irp.delete_rows(row_of(irp, "SP1.2", "Claims"))

    refused(ws, edit(exported, tmp_path / "b.xlsx", delete), "SP1.2 for unit 'Claims' is missing")


def test_a_sponsor_edition_has_nothing_to_import(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "sponsor.xlsx"
    exports.export_xlsx(ws, path, "sponsor")
    refused(ws, path, "sponsor edition")


def test_a_v2_scale_workbook_offers_and_reads_the_v2_values(tmp_path: Path, catalog: Catalog) -> None:
    plan = Plan(
        name="V2",
        scale="v2",
        scope=(ScopeEntry(PaKey("CMMI-SVC", "IRP"), 1),),
        units=(UnitPlan("Claims", UnitKind.BASIC_UNIT),),
    )
    ws = appraisals.create_appraisal(tmp_path / "v2.appraisal", plan, catalog, who="x")
    try:
        path = tmp_path / "v2.xlsx"
        exports.export_xlsx(ws, path)
        validation = openpyxl.load_workbook(path)["IRP"].data_validations.dataValidation[0]
        assert validation.formula1 == '"FM,LM,PM,DM,NY,NC"'
        edited = edit(path, tmp_path / "e.xlsx", set_cells(SP1_1_Claims_K="lm", SP1_1_Claims_G="Gap"))
        workbook_import.apply(ws, workbook_import.preview(ws, edited))
        assert get_cell(ws, CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")).value == "LM"
        refused(ws, edit(path, tmp_path / "f.xlsx", set_cells(SP1_2_Claims_K="LI")), "'LI' is not a characterization")
    finally:
        ws.close()


def test_a_formula_in_an_edited_cell_is_refused_with_its_cell_named(
    ws: Workspace, exported: Path, tmp_path: Path
) -> None:
    # openpyxl saves formulas without a cached result, as a script or a web editor may: its value is unknown.
    edited = edit(exported, tmp_path / "f.xlsx", set_cells(SP1_2_Policies_K='=IF(TRUE,"FI","NI")'))
    row = row_of(openpyxl.load_workbook(edited)["IRP"], "SP1.2", "Policies")
    refused(ws, edited, rf"Sheet 'IRP' cell K{row} holds a formula")
