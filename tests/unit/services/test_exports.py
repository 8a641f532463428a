"""The Excel workbook and the PDF summary: what each edition shows, how it is marked, and that no participant's
name ever leaves the appraisal file."""

from __future__ import annotations

import html
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from app.domain.catalog import Catalog
from app.domain.report import DEFAULT_MARKINGS, Edition
from app.services import decisions, exports, findings
from app.services.characterize import get_cell, set_cell
from app.services.release_gate import ReleaseRefused
from app.services.report_data import build_report
from app.services.workspace import Workspace
from app.storage import workbook_layout as lay
from app.storage.errors import KnownError
from tests.unit.services.output_appraisal import NAMED_FINDING, PARTICIPANTS, TEAM, cell_keys, make_output_appraisal

MARKING = "Confidential & restricted: OVIG board"


@pytest.fixture
def ws(tmp_path: Path, catalog: Catalog) -> Iterator[Workspace]:
    workspace = make_output_appraisal(tmp_path / "o.appraisal", catalog)
    yield workspace
    workspace.close()


def workbook_texts(path: Path) -> list[str]:
    """Every text a reader of the file could find: cells of all sheets (hidden ones too), comments, defined
    names, headers and footers, validations, document properties, and the raw XML of every part."""
    texts: list[str] = []
    wb = openpyxl.load_workbook(path)
    for sheet in wb.worksheets:
        texts.append(sheet.title)
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    texts.append(str(cell.value))
                if cell.comment is not None:
                    texts.append(cell.comment.text)
        for part in (sheet.oddHeader, sheet.oddFooter, sheet.evenHeader, sheet.evenFooter):
            texts += [p.text or "" for p in (part.left, part.center, part.right)]
        texts += [f"{dv.prompt} {dv.error} {dv.formula1}" for dv in sheet.data_validations.dataValidation]
    texts += [f"{name} {value.attr_text}" for name, value in wb.defined_names.items()]
    texts += [str(v) for v in vars(wb.properties).values() if v]
    with zipfile.ZipFile(path) as archive:
        texts += [html.unescape(archive.read(n).decode("utf-8", "replace")) for n in archive.namelist()]
    return texts


def pdf_texts(path: Path) -> list[str]:
    reader = PdfReader(path)
    return [page.extract_text() for page in reader.pages] + [str(v) for v in (reader.metadata or {}).values()]


def assert_no_participant(texts: list[str]) -> None:
    blob = "\n".join(texts).casefold()
    for name in PARTICIPANTS:
        assert name.casefold() not in blob, name


@pytest.mark.parametrize("edition", list(Edition))
def test_no_participant_name_appears_anywhere_in_either_file(ws: Workspace, tmp_path: Path, edition: Edition) -> None:
    xlsx, pdf = tmp_path / f"{edition}.xlsx", tmp_path / f"{edition}.pdf"
    exports.export_xlsx(ws, xlsx, edition, MARKING)
    exports.export_pdf(ws, pdf, edition, MARKING)

    workbook = workbook_texts(xlsx)
    assert_no_participant(workbook)
    document = pdf_texts(pdf)
    assert_no_participant(document)
    # The names were there to find: the scrubbed texts survive, with the names withheld.
    if edition is Edition.TEAM:
        joined = "\n".join(workbook)
        assert "[name withheld] said incident trends are never reviewed" in joined
        assert "[name withheld] reports that recurring incidents" in joined


def test_team_workbook_has_a_sheet_per_process_area_with_filters_validation_and_print_setup(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "team.xlsx"
    result = exports.export_xlsx(ws, path, "team", MARKING)
    assert result.cells == 17 and result.process_areas == 2

    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Summary", "Findings", "Coverage", "IRP", "SM", lay.MANIFEST]
    manifest = wb[lay.MANIFEST]
    assert manifest.sheet_state == "hidden" and manifest.protection.sheet
    irp = wb["IRP"]
    assert [c.value for c in irp[lay.HEADER_ROW]] == list(lay.TEAM_COLUMNS)
    assert irp.freeze_panes == "E4" and irp.auto_filter.ref.startswith("A3:M")
    assert irp.print_title_rows == "$1:$3"
    assert irp.page_setup.orientation == "landscape" and irp.page_setup.fitToWidth == 1
    assert irp.sheet_properties.pageSetUpPr.fitToPage
    rows = list(irp.iter_rows(min_row=lay.FIRST_DATA_ROW, values_only=True))
    # IRP at CL2: SP1.1, SP1.2, GP2.1, GP2.2, each in Claims and Policies, then its organizational-unit row.
    assert [(r[1], r[3]) for r in rows[:3]] == [("SP1.1", "Claims"), ("SP1.1", "Policies"), ("SP1.1", lay.OU_LABEL)]
    claims_gp22 = next(r for r in rows if r[1] == "GP2.2" and r[3] == "Claims")
    assert claims_gp22[4] == "Incident procedure (owner: [name withheld])"
    assert claims_gp22[5] == "S01"  # the session code, never who was in it
    assert claims_gp22[10] == "LI" and claims_gp22[11] == "LI" and claims_gp22[12] == "Satisfied"
    validation = irp.data_validations.dataValidation[0]
    assert validation.formula1 == '"FI,LI,PI,NI,NY"' and str(validation.sqref).startswith("K4:K")
    formatted = {str(rule.sqref): [r.formula[0] for r in rule.rules] for rule in irp.conditional_formatting}
    assert any('"FI"' in f and '"PI"' in f for f in formatted.values())
    assert any('"Satisfied"' in f for f in formatted.values())


def test_every_sheet_carries_the_marking_in_a_visible_row_and_in_its_header_and_footer(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "team.xlsx"
    exports.export_xlsx(ws, path, "team", MARKING)
    wb = openpyxl.load_workbook(path)
    for sheet in wb.worksheets:
        if sheet.title == lay.MANIFEST:
            continue
        assert MARKING in str(sheet["A1"].value), sheet.title
        assert MARKING.replace("&", "&&") in (sheet.oddHeader.center.text or ""), sheet.title
        assert MARKING.replace("&", "&&") == sheet.oddFooter.center.text, sheet.title
        assert sheet.oddFooter.right.text == "Page &P of &N"


def validate_clean_findings(ws: Workspace) -> None:
    """The organization validated the two findings that name nobody; the named one stays preliminary."""
    for info in findings.list_findings(ws):
        if not info.flagged:
            findings.set_status(ws, info.id, "validated")


def test_sponsor_workbook_shows_ratings_and_findings_only(ws: Workspace, tmp_path: Path) -> None:
    validate_clean_findings(ws)
    path = tmp_path / "sponsor.xlsx"
    result = exports.export_xlsx(ws, path, "sponsor")
    assert result.marking == DEFAULT_MARKINGS[Edition.SPONSOR] and result.cells == 0

    wb = openpyxl.load_workbook(path)
    irp = wb["IRP"]
    assert [c.value for c in irp[lay.HEADER_ROW]] == list(lay.SPONSOR_COLUMNS)
    rows = list(irp.iter_rows(min_row=lay.FIRST_DATA_ROW, values_only=True))
    assert [r[1] for r in rows] == ["SP1.1", "SP1.2", "GP2.1", "GP2.2"]
    texts = "\n".join(workbook_texts(path))
    for detail in ("never reviewed", "Incident procedure", "S01", "Ask ", "Exemplary ticket hygiene"):
        assert detail not in texts, detail
    rows = list(wb["Findings"].iter_rows(min_row=lay.FIRST_DATA_ROW, values_only=True))
    assert [r[4] for r in rows] == ["Validated", "Validated"]  # every validated finding, with its status
    assert "1 preliminary not in this edition" in str(wb["Findings"]["A2"].value)
    coverage = wb["Coverage"]
    headers = [c.value for c in coverage[lay.HEADER_ROW]]
    assert headers == ["Model", "Process area", "Practice", "Title", "Gaps"]  # no per-unit evidence counts


def test_text_that_looks_like_a_formula_stays_text(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "team.xlsx"
    exports.export_xlsx(ws, path)
    sheet = openpyxl.load_workbook(path)["Findings"]
    cells = [row[5] for row in sheet.iter_rows(min_row=lay.FIRST_DATA_ROW)]
    formula_like = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert formula_like.data_type == "s"


def test_pdf_summary_is_marked_and_numbered_on_every_page_in_a_font_that_prints_every_name(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "summary.pdf"
    exports.export_pdf(ws, path, "team", MARKING)
    reader = PdfReader(path)
    total = len(reader.pages)
    assert total >= 5
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert MARKING in text and f"Page {number} of {total}" in text
        fonts = {str(f["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}  # type: ignore[index]
        assert fonts and all("DejaVuSans" in f for f in fonts), fonts
    whole = "\n".join(p.extract_text() for p in reader.pages)
    for heading in (
        "Appraisal summary",
        "Scope and method",
        "Organizational unit and sampling",
        "Capability profile",
        "Goal ratings",
        "Findings",
        "Coverage statement",
        "Deficiencies",
        "Appendix A",
    ):
        assert heading in whole, heading
    assert TEAM[1] in whole  # "Łukasz Żółć": the team list prints in DejaVu Sans
    assert "Measurement is run by the group" in whole  # the exclusion and its reason


def test_sponsor_pdf_shows_validated_findings_with_status_and_no_team_notes(ws: Workspace, tmp_path: Path) -> None:
    validate_clean_findings(ws)
    team, sponsor = tmp_path / "team.pdf", tmp_path / "sponsor.pdf"
    exports.export_pdf(ws, team, "team")
    exports.export_pdf(ws, sponsor, "sponsor")
    team_text = "\n".join(pdf_texts(team))
    sponsor_text = "\n".join(pdf_texts(sponsor))
    assert DEFAULT_MARKINGS[Edition.SPONSOR] in sponsor_text
    assert "recurring incidents are fixed one by one" in team_text
    assert NAMED_FINDING.split(" ", 2)[2] not in sponsor_text
    assert "Strength (validated)" in sponsor_text
    assert "1 preliminary finding(s) are not in this edition" in sponsor_text
    assert "never reviewed" not in sponsor_text


def test_sponsor_edition_is_refused_while_a_validated_finding_names_someone(ws: Workspace, tmp_path: Path) -> None:
    validate_clean_findings(ws)
    strength = next(f for f in findings.list_findings(ws) if f.kind == "strength")
    text = "Incidents are closed consistently, as Mr Finch showed."
    findings.update_finding(ws, strength.id, findings.FindingFields("strength", text))
    for export, name in ((exports.export_pdf, "s.pdf"), (exports.export_xlsx, "s.xlsx")):
        with pytest.raises(ReleaseRefused) as refused:
            export(ws, tmp_path / name, "sponsor")
        assert [(b.finding_id, b.span, b.term) for b in refused.value.blocks] == [
            (strength.id, (text.index("Mr Finch"), text.index("Mr Finch") + len("Mr Finch")), "Harold Finch")
        ]
        assert not (tmp_path / name).exists()
    # The team edition is never refused: the name is scrubbed there.
    exports.export_pdf(ws, tmp_path / "t.pdf", "team")
    assert "Finch" not in "\n".join(pdf_texts(tmp_path / "t.pdf"))


def test_an_export_that_fails_leaves_the_previous_file_and_no_temporary_file(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    path = folder / "out.xlsx"
    exports.export_xlsx(ws, path)
    before = path.read_bytes()

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    # The disk fills while the package is being written (every part of an xlsx goes through the zip writer).
    monkeypatch.setattr(zipfile.ZipFile, "writestr", broken)
    with pytest.raises(KnownError, match="disk is full"):
        exports.export_xlsx(ws, path, overwrite=True)
    assert path.read_bytes() == before
    assert [p.name for p in folder.iterdir()] == ["out.xlsx"]


def test_export_into_a_missing_folder_or_with_a_bad_edition_is_a_plain_error(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(KnownError, match="does not exist"):
        exports.export_pdf(ws, tmp_path / "nowhere" / "x.pdf")
    with pytest.raises(KnownError, match="not an edition"):
        exports.export_xlsx(ws, tmp_path / "x.xlsx", "board")
    with pytest.raises(KnownError, match="keep it within"):
        exports.export_xlsx(ws, tmp_path / "x.xlsx", "team", "x" * 500)


def test_a_new_appraisal_with_nothing_recorded_exports_both_files(tmp_path: Path, catalog: Catalog) -> None:
    from app.domain.plan import Plan
    from app.services import appraisals

    empty = appraisals.create_appraisal(tmp_path / "e.appraisal", Plan(name="Just created"), catalog, who="x")
    try:
        for edition in Edition:
            exports.export_xlsx(empty, tmp_path / f"{edition}.xlsx", edition)
            exports.export_pdf(empty, tmp_path / f"{edition}.pdf", edition)
            assert openpyxl.load_workbook(tmp_path / f"{edition}.xlsx").sheetnames[:3] == [
                "Summary",
                "Findings",
                "Coverage",
            ]
            assert "No findings are recorded yet" in "\n".join(pdf_texts(tmp_path / f"{edition}.pdf"))
    finally:
        empty.close()


@pytest.mark.parametrize("kind", ["xlsx", "pdf"])
@pytest.mark.parametrize("stop_at", [1, 3, 1000])
def test_a_cancelled_export_stops_and_leaves_the_previous_file_and_nothing_else(
    ws: Workspace, tmp_path: Path, kind: str, stop_at: int
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    path = folder / f"out.{kind}"
    write = exports.export_xlsx if kind == "xlsx" else exports.export_pdf
    write(ws, path)
    before = path.read_bytes()
    steps: list[str] = []

    def report(_done: int, _total: int, label: str) -> None:
        steps.append(label)

    # Cancelled after `stop_at` progress reports: early, in the middle, or (1000) only when the file is written.
    progress = exports.cancellable(report, lambda: len(steps) >= stop_at)
    if stop_at < 1000:
        with pytest.raises(exports.ExportCancelled, match="nothing was written"):
            write(ws, path, progress=progress, overwrite=True)
        assert len(steps) == stop_at
        assert path.read_bytes() == before
    else:
        write(ws, path, progress=progress, overwrite=True)
    assert [p.name for p in folder.iterdir()] == [path.name]


FURNITURE = 15 * 72 / 25.4
"""The top and bottom 15 mm of a page, where the marking and page numbers are drawn."""
LONG_MARKING = ("Confidential: OVIG board, sponsor and appraisal team only; do not copy, forward or print; " * 3)[:160]


def marking_runs(path: Path) -> list[tuple[int, str, float, float, float]]:
    """(page, text, left x, right x, y) of every text run drawn in the page furniture (top and bottom 15 mm)."""
    from reportlab.pdfbase import pdfmetrics

    from app.storage.pdf_furniture import FONT, FONT_BOLD

    runs: list[tuple[int, str, float, float, float]] = []
    top = float(PdfReader(path).pages[0].mediabox.height)
    for number, page in enumerate(PdfReader(path).pages, start=1):

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float, number: int = number) -> None:
            # Where the text starts on the page: its text matrix through the current transformation matrix.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if not text.strip() or FURNITURE < y < top - FURNITURE:
                return
            bold = "Bold" in str(font)
            width = pdfmetrics.stringWidth(text, FONT_BOLD if bold else FONT, size * tm[0] * cm[0])
            runs.append((number, text, x, x + width, y))

        page.extract_text(visitor_text=visit)
    return runs


def test_a_160_character_marking_stays_inside_every_pdf_page_clear_of_the_page_number(
    ws: Workspace, tmp_path: Path
) -> None:
    from app.storage.pdf_furniture import PAGE_WIDTH

    assert len(LONG_MARKING) == 160
    path = tmp_path / "long.pdf"
    exports.export_pdf(ws, path, "team", LONG_MARKING)
    runs = marking_runs(path)
    pages = {run[0] for run in runs}
    assert len(pages) == len(PdfReader(path).pages) >= 5
    for number in pages:
        mine = [r for r in runs if r[0] == number]
        for _n, text, left, right, _y in mine:
            assert left > 0 and right < PAGE_WIDTH, (number, text, left, right)
        marking = [r for r in mine if r[1].strip() in LONG_MARKING]
        # The whole marking, top and bottom, in lines that all fit between the side texts.
        top = sorted((r for r in marking if r[4] > 400), key=lambda r: -r[4])
        bottom = sorted((r for r in marking if r[4] < 400), key=lambda r: -r[4])
        for lines in (top, bottom):
            assert " ".join(r[1].strip() for r in lines) == LONG_MARKING
        numbers = [r for r in mine if r[1].startswith("Page ")]
        assert len(numbers) == 1
        for _n, _text, _left, right, y in marking:
            for _m, _t, n_left, _n_right, n_y in numbers:
                assert right < n_left or abs(y - n_y) > 6, "the marking overprints the page number"


def test_a_160_character_marking_fits_the_excel_headers_whole(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "long.xlsx"
    exports.export_xlsx(ws, path, "team", LONG_MARKING)
    wb = openpyxl.load_workbook(path)
    for sheet in wb.worksheets:
        if sheet.sheet_state == "hidden":
            continue
        for part in (sheet.oddHeader, sheet.oddFooter):
            lines = (part.center.text or "").replace("&B", "").split("\n")
            assert " ".join(lines) == LONG_MARKING and max(map(len, lines)) <= 64
            assert part.center.size == 7
        with zipfile.ZipFile(path) as archive:
            xml = archive.read(f"xl/worksheets/sheet{wb.worksheets.index(sheet) + 1}.xml").decode()
        header = html.unescape(xml.split("<oddHeader>")[1].split("</oddHeader>")[0]).replace("_x000a_", "\n")
        assert len(header) <= 255  # Excel refuses longer headers


@pytest.mark.parametrize("per_cell", [True, False])
def test_a_deficiency_lists_each_weakness_once_with_its_units_and_a_largely_practice_none(
    ws: Workspace, per_cell: bool
) -> None:
    for key in cell_keys(ws):
        if (key.pa, key.practice) == ("IRP", "SP1.1"):
            weak = "Tickets  closed without review" if key.unit == "Claims" else " Tickets closed without\nreview"
            set_cell(ws, key, replace(get_cell(ws, key), value="PI", weaknesses=weak))
    decisions.set_ou_decision(ws, "CMMI-SVC", "IRP", "SG1", "SP1.1", "PI", "Neither unit reviews closures")
    data = build_report(ws, Edition.TEAM, MARKING, per_cell=per_cell)
    listed = {(d.pa, d.code): d.weaknesses for d in data.deficiencies if d.kind == "practice"}
    assert listed == {("IRP", "SP1.1"): ("Tickets closed without review (Claims, Policies)",)}
    # The sponsor is told the finding behind it, never the team's notes.
    sponsor = build_report(ws, Edition.SPONSOR, MARKING, names_only=True, per_cell=per_cell)
    assert all("Tickets" not in w for d in sponsor.deficiencies for w in d.weaknesses)
