"""The output commands end to end in a subprocess: export a workbook and a PDF, edit the workbook as a team
member would, preview and import it back, with conflicts refused until accepted."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader

from app.services import appraisals, evidence, findings, interviews
from app.services.characterize import CellKey, CellState, set_cell, set_value
from app.services.interview_view import SessionFields
from app.services.link_scope import EvidenceSource, LinkTarget
from app.storage import workbook_layout as lay
from tests.e2e.conftest import REPO, Result

pytestmark = pytest.mark.e2e
PLAN = REPO / "docs" / "examples" / "ovig-plan.yaml"
CLI = Callable[..., Result]
UNITS = ("Quotes", "Policies", "Billing and premiums", "Claims", "Legal services", "Vehicle repair")
SG1 = ("SP1.1", "SP1.2")
PARTICIPANT = "Rosalind Okonkwo-Baptiste"


def fill_irp_sg1(path: Path) -> None:
    """IRP SG1 evidenced (an artifact and an affirmation per cell) and characterized FI in every basic unit."""
    ws = appraisals.open_appraisal(path, who="tester")
    try:
        units = {u.name: u.id for u in evidence.unit_options(ws)}
        targets = [LinkTarget("CMMI-SVC", "IRP", p, units[u]) for p in SG1 for u in UNITS]
        artifact = evidence.add_artifact_by_reference(
            ws, "https://intranet.example/irp", evidence.ArtifactMeta("Incident procedure")
        )
        evidence.link_evidence(ws, EvidenceSource.of_artifact(artifact), targets)
        session = interviews.create_session(ws, SessionFields("S01", participant_roles="Service desk"))
        interviews.add_participant(ws, session, PARTICIPANT, "Analyst")
        interviews.add_affirmation(ws, session, "Every incident is logged and followed to closure.", targets)
        for practice in SG1:
            for unit in UNITS:
                set_cell(ws, CellKey("CMMI-SVC", "IRP", "SG1", practice, unit), CellState("FI"))
    finally:
        ws.close()


def sg1(cli: CLI) -> dict[str, Any]:
    shown = cli("ratings", "o.appraisal", "--json")
    assert shown.code == 0, shown.err
    irp = next(pa for pa in json.loads(shown.out)["process_areas"] if pa["pa"] == "IRP")
    return next(g for g in irp["goals"] if g["id"] == "SG1")


def sp11_ou(cli: CLI) -> str | None:
    """IRP SP1.1's organizational-unit value (the goal stays Not Rated: only IRP is evidenced, so coverage is short)."""
    return next(p for p in sg1(cli)["practices"] if p["id"] == "SP1.1")["ou"]


def edit_workbook(source: Path, target: Path) -> None:
    wb = openpyxl.load_workbook(source)
    irp = wb["IRP"]
    for row in irp.iter_rows(min_row=lay.FIRST_DATA_ROW):
        if row[1].value == "SP1.1" and row[3].value in ("Claims", "Policies"):
            row[10].value = "PI"
            row[6].value = "Incident categories are not used"
    wb.save(target)


def test_export_edit_import_round_trip_with_a_conflict(cli: CLI, tmp_path: Path) -> None:
    assert cli("new", "o.appraisal", "--plan", PLAN).code == 0
    fill_irp_sg1(tmp_path / "o.appraisal")
    assert sp11_ou(cli) == "FI"

    exported = cli("export", "xlsx", "o.appraisal", "-o", "o.xlsx")
    assert exported.code == 0, exported.err
    assert "Wrote o.xlsx" in exported.out and "Confidential - appraisal team only" in exported.out
    edit_workbook(tmp_path / "o.xlsx", tmp_path / "edited.xlsx")

    dry = cli("import", "xlsx", "o.appraisal", "edited.xlsx", "--dry-run")
    assert dry.code == 0, dry.err
    assert "IRP SP1.1 / Claims" in dry.out and "IRP SP1.1 / Policies" in dry.out and "“FI” -> “PI”" in dry.out
    assert "Dry run: nothing was changed." in dry.out
    assert sp11_ou(cli) == "FI"

    # Meanwhile the appraisal changes one of the same cells: a conflict, refused until accepted.
    ws = appraisals.open_appraisal(tmp_path / "o.appraisal", who="tester")
    set_value(ws, CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims"), "LI")
    ws.close()
    refused = cli("import", "xlsx", "o.appraisal", "edited.xlsx")
    assert refused.code == 1
    assert "CONFLICT" in refused.out and "--accept-conflicts" in refused.err and "Nothing was imported" in refused.err
    assert "Traceback" not in refused.err
    sp11 = next(p for p in sg1(cli)["practices"] if p["id"] == "SP1.1")
    assert sp11["instantiations"]["Claims"] == "LI" and sp11["instantiations"]["Policies"] == "FI"

    accepted = cli("import", "xlsx", "o.appraisal", "edited.xlsx", "--accept-conflicts")
    assert accepted.code == 0, accepted.err
    assert "Imported 2 cell(s) in one transaction (1 conflict(s) settled" in accepted.out
    goal = sg1(cli)
    sp11 = next(p for p in goal["practices"] if p["id"] == "SP1.1")
    assert sp11["judgment_needed"] and sp11["instantiations"]["Claims"] == "PI"

    again = cli("import", "xlsx", "o.appraisal", "edited.xlsx")
    assert again.code == 0 and "Nothing to import" in again.out


def test_pdf_export_is_marked_on_every_page_and_names_no_participant(cli: CLI, tmp_path: Path) -> None:
    assert cli("new", "o.appraisal", "--plan", PLAN).code == 0
    fill_irp_sg1(tmp_path / "o.appraisal")
    made = cli("export", "pdf", "o.appraisal", "-o", "o.pdf", "--edition", "sponsor", "--marking", "Board use only")
    assert made.code == 0, made.err
    assert "Sponsor edition" in made.out
    reader = PdfReader(tmp_path / "o.pdf")
    pages = [page.extract_text() for page in reader.pages]
    assert all("Board use only" in text and f"of {len(pages)}" in text for text in pages)
    assert PARTICIPANT not in "\n".join(pages)


def test_refusals_are_plain_errors_with_exit_codes(cli: CLI, tmp_path: Path) -> None:
    assert cli("new", "o.appraisal", "--plan", PLAN).code == 0
    (tmp_path / "notes.xlsx").write_text("not a workbook", encoding="utf-8")
    bad = cli("import", "xlsx", "o.appraisal", "notes.xlsx")
    assert bad.code == 1 and "not an Excel workbook" in bad.err and "Traceback" not in bad.err
    assert cli("export", "o.appraisal").code == 2  # the kind (xlsx or pdf) is required
    wrong = cli("export", "xlsx", "o.appraisal", "-o", "x.xlsx", "--edition", "board")
    assert wrong.code == 2 and "invalid choice" in wrong.err
    nowhere = cli("export", "pdf", "o.appraisal", "-o", str(tmp_path / "missing" / "o.pdf"))
    assert nowhere.code == 1 and "does not exist" in nowhere.err


def test_a_sponsor_export_that_would_name_someone_is_refused_with_one_line_per_block(cli: CLI, tmp_path: Path) -> None:
    assert cli("new", "o.appraisal", "--plan", PLAN).code == 0
    fill_irp_sg1(tmp_path / "o.appraisal")
    ws = appraisals.open_appraisal(tmp_path / "o.appraisal", who="tester")
    try:
        about = findings.FindingTarget("CMMI-SVC", "IRP")
        first = findings.add_finding(ws, findings.FindingFields("strength", "Incidents are logged.", about))
        second = findings.add_finding(ws, findings.FindingFields("strength", "Closure is tracked.", about))
        for finding in (first, second):
            findings.set_status(ws, finding, "validated")
        surname = PARTICIPANT.split()[-1]
        findings.update_finding(ws, first, findings.FindingFields("strength", f"Ms {surname} logs incidents.", about))
        findings.update_finding(ws, second, findings.FindingFields("strength", "Rosalind tracks closure.", about))
    finally:
        ws.close()

    assert cli("identifiers", "o.appraisal", "--add", "roz.ob", "--note", "e-mail handle").out == (
        "roz.ob\te-mail handle\n"
    )
    refused = cli("export", "pdf", "o.appraisal", "-o", "s.pdf", "--edition", "sponsor")
    assert refused.code == 1 and not (tmp_path / "s.pdf").exists()
    lines = refused.err.strip().splitlines()
    assert lines[0] == "error: the sponsor edition was not written; 2 block(s):"
    assert lines[1].startswith(f"validated strength finding #{first} (IRP) at 0-") and PARTICIPANT in lines[1]
    assert lines[2].startswith(f"validated strength finding #{second} (IRP) at 0-8: names a participant")
    assert "Traceback" not in refused.err
    check = cli("release-check", "o.appraisal")
    assert check.code == 1 and check.err.strip().splitlines()[1:] == lines[1:]

    team = cli("export", "pdf", "o.appraisal", "-o", "t.pdf")
    assert team.code == 0, team.err
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "t.pdf").pages)
    assert "Rosalind" not in text and surname not in text and "[name withheld] tracks closure." in text
