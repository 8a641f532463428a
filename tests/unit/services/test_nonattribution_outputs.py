"""Non-attribution against a hostile reader: names written the way people really write them, planted in every
kind of free text, never reach any of the four outputs (team and sponsor workbook, team and sponsor PDF) — or
the sponsor edition is refused naming each place."""

from __future__ import annotations

import html
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.catalog import Catalog
from app.domain.name_matcher import folded
from app.domain.report import Edition
from app.services import attribution, exports, findings, interviews, report_exports
from app.services.characterize import CellKey, get_cell, set_cell
from app.services.decisions import set_goal_override, set_ou_decision
from app.services.evidence import unit_options
from app.services.interview_view import SessionFields
from app.services.link_scope import LinkTarget
from app.services.release_gate import ReleaseRefused
from app.services.workspace import Workspace
from tests.unit.services.output_appraisal import make_output_appraisal
from tests.unit.services.test_exports import pdf_texts, workbook_texts

PEOPLE = (
    ("Rita Okafor", "Vice President of Service Delivery"),
    ("Elena Marchetti", "Analyst"),
    ("Tomás Ruiz", "Analyst"),
)
EXTRA = "Big Ezra"
# Case 1 of the issue, with the role and an extra identifier: each must vanish from every output.
VARIANTS = (
    "Okafor reported it",
    "Rita said so",
    "Ms Okafor agreed",
    "Okafor's team never analyses incident trends",
    "E. Marchetti showed the log",
    "Tomas showed the log",
    unicodedata.normalize("NFD", "Tomás showed the log"),
    "Oka\u200bfor showed the log",
    "the vice-president of service delivery decided",
    "Big Ezra decided",
)
FORBIDDEN = ("okafor", "rita", "marchetti", "tomas", "vice president of service delivery", "big ezra", "ezra")
CELL = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.1", "Claims")
OTHER = CellKey("CMMI-SVC", "IRP", "SG1", "SP1.2", "Policies")


def leaked(texts: list[str]) -> list[str]:
    """Every forbidden name found (folded: any case, accents, invisible characters) in the texts."""
    found = []
    for text in texts:
        flat = folded(text)
        for name in FORBIDDEN:
            if re.search(rf"(?<![a-z]){name}(?![a-z])", flat):
                found.append(f"{name}: …{flat[max(0, flat.find(name) - 40) : flat.find(name) + 40]}…")
    return found


@pytest.fixture
def ws(tmp_path: Path, catalog: Catalog) -> Iterator[Workspace]:
    workspace = make_output_appraisal(tmp_path / "o.appraisal", catalog)
    units = {u.name: u.id for u in unit_options(workspace)}
    session = interviews.create_session(workspace, SessionFields("INT-OKAFOR-01", participant_roles="Executives"))
    for name, role in PEOPLE:
        interviews.add_participant(workspace, session, name, role)
    target = LinkTarget(CELL.model, CELL.pa, CELL.practice, units[CELL.unit])
    interviews.add_affirmation(workspace, session, "Rita Okafor: trends are never analysed.", [target])
    attribution.add_identifier(workspace, EXTRA, "nickname")
    text = " ".join(VARIANTS)
    set_cell(workspace, CELL, get_cell(workspace, CELL).__class__("PI", text, text, text))
    # LI needs its weakness (method-rules §1), or the goal could not be rated at all.
    set_cell(workspace, OTHER, get_cell(workspace, OTHER).__class__("LI", text, text, text))
    set_ou_decision(workspace, "CMMI-SVC", "IRP", "SG1", "SP1.1", "PI", text)
    set_goal_override(workspace, "CMMI-SVC", "IRP", "SG1", "Unsatisfied", text)
    for variant in VARIANTS:
        findings.add_finding(
            workspace, findings.FindingFields("weakness", variant, findings.FindingTarget("CMMI-SVC", "IRP", "SG1"))
        )
    yield workspace
    workspace.close()


def test_the_team_edition_scrubs_every_variant_from_every_part_of_both_files(ws: Workspace, tmp_path: Path) -> None:
    exports.export_xlsx(ws, tmp_path / "team.xlsx", Edition.TEAM)
    exports.export_pdf(ws, tmp_path / "team.pdf", Edition.TEAM)
    texts = workbook_texts(tmp_path / "team.xlsx")
    assert leaked(texts) == []
    assert leaked(pdf_texts(tmp_path / "team.pdf")) == []
    # The texts are there, only the names are withheld.
    assert any("INT-[name withheld]-01" in t for t in texts)
    assert any("[role withheld] decided" in t for t in texts)


def test_the_word_report_briefing_and_record_hold_no_variant_in_any_part(ws: Workspace, tmp_path: Path) -> None:
    # Drafts: the appraisal is not final (judgments pending), which is when a team most often shares them.
    report_exports.export_docx(ws, tmp_path / "team.docx", Edition.TEAM, draft=True)
    report_exports.export_pptx(ws, tmp_path / "team.pptx", Edition.TEAM, draft=True)
    record = report_exports.export_record(ws, tmp_path / "record", draft=True)
    texts = archive_texts(tmp_path / "team.docx") + archive_texts(tmp_path / "team.pptx")
    for path in record.files:
        if path.suffix == ".pdf":
            texts += pdf_texts(path)
        elif path.suffix == ".docx":
            texts += archive_texts(path)
        else:
            texts.append(path.read_text(encoding="utf-8-sig"))
    assert leaked(texts) == []
    assert any("[name withheld]" in t for t in texts)  # the texts are there, names withheld


def archive_texts(path: Path) -> list[str]:
    """The raw XML (and any other text part) of an Office file: body, headers, notes, comments, properties."""
    with zipfile.ZipFile(path) as archive:
        return [html.unescape(archive.read(n).decode("utf-8", "replace")) for n in archive.namelist()]


def test_the_sponsor_edition_is_refused_naming_each_flagged_finding_then_holds_no_name(
    ws: Workspace, tmp_path: Path
) -> None:
    # The organization validates a clean finding about the goal, and one that still names someone.
    clean = findings.add_finding(
        ws,
        findings.FindingFields(
            "weakness", "Incident trends are not analysed.", findings.FindingTarget("CMMI-SVC", "IRP", "SG1")
        ),
    )
    findings.set_status(ws, clean, "validated")
    named = [f for f in findings.list_findings(ws) if f.flagged]
    for info in named:
        fixed = findings.FindingFields(info.kind, "Trends are reviewed late.", info.target)
        findings.update_finding(ws, info.id, fixed)
        findings.set_status(ws, info.id, "validated")
        findings.update_finding(ws, info.id, info.fields)  # edited back after validation: flagged again

    for export, name in ((exports.export_xlsx, "s.xlsx"), (exports.export_pdf, "s.pdf")):
        with pytest.raises(ReleaseRefused) as refused:
            export(ws, tmp_path / name, Edition.SPONSOR)
        assert {b.finding_id for b in refused.value.blocks} == {f.id for f in named}
        assert all(b.span is not None and b.term for b in refused.value.blocks)
        assert not (tmp_path / name).exists()

    for info in named:
        findings.update_finding(
            ws, info.id, findings.FindingFields(info.kind, "Trends are reviewed late.", info.target)
        )
    exports.export_xlsx(ws, tmp_path / "s.xlsx", Edition.SPONSOR)
    exports.export_pdf(ws, tmp_path / "s.pdf", Edition.SPONSOR)
    xlsx, pdf = workbook_texts(tmp_path / "s.xlsx"), pdf_texts(tmp_path / "s.pdf")
    assert leaked(xlsx) == [] and leaked(pdf) == []
    # Team working text never reaches the sponsor: no notes, weaknesses, rationales or session codes.
    for detail in ("INT-", "[name withheld]", "[role withheld]", "showed the log"):
        assert not any(detail in t for t in xlsx + pdf), detail
    # Every validated finding is there, with its status; the Unsatisfied goal is explained by one of them.
    joined = "\n".join(pdf)
    assert joined.count("Weakness (validated)") == len(named) + 1
    assert "Incident trends are not analysed." in joined


def test_findings_using_unit_names_as_common_nouns_reach_the_sponsor_once_reviewed(
    tmp_path: Path, catalog: Catalog
) -> None:
    ws = make_output_appraisal(tmp_path / "u.appraisal", catalog)
    try:
        texts = ("New claims are logged within a day.", "Policies for incident closure are written down.")
        about = findings.FindingTarget("CMMI-SVC", "IRP")
        ids = [findings.add_finding(ws, findings.FindingFields("strength", t, about)) for t in texts]
        for finding_id in ids:
            for flag in findings.get_finding(ws, finding_id).flags:
                assert flag.kind == "unit"
                attribution.review_span(ws, finding_id, *flag.span)
            findings.set_status(ws, finding_id, "validated")
        exports.export_pdf(ws, tmp_path / "s.pdf", Edition.SPONSOR)
        joined = " ".join(" ".join(pdf_texts(tmp_path / "s.pdf")).split())
        for text in texts:
            assert text in joined  # none dropped, none masked
    finally:
        ws.close()
