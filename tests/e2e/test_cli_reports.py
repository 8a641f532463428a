"""The report commands end to end: `export docx` refused until ready (or made as a draft), `templates check`
listing the problems of a template with their places, `templates use` / `reset` keeping one in the file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from tests.e2e.conftest import REPO, Result

pytestmark = pytest.mark.e2e
CLI = Callable[..., Result]
SHIPPED = REPO / "resources" / "templates" / "report-sponsor.docx"


@pytest.fixture
def demo_file(cli: CLI, tmp_path: Path) -> Path:
    made = cli("demo", "d.appraisal")
    assert made.code == 0, made.err
    return tmp_path / "d.appraisal"


def test_export_docx_is_refused_until_ready_and_a_draft_says_so(cli: CLI, demo_file: Path, tmp_path: Path) -> None:
    refused = cli("export", "docx", demo_file, "-o", "r.docx", "--edition", "sponsor")
    assert refused.code == 1
    assert "not ready for its report" in refused.err
    assert "SAM SP2.1: the team's judgment" in refused.err and "is preliminary" in refused.err
    assert not (tmp_path / "r.docx").exists()
    made = cli(
        "export", "docx", demo_file, "-o", "r.docx", "--edition", "sponsor", "--draft", "--marking", "Board only"
    )
    assert made.code == 0, made.err
    assert "marked “DRAFT - Board only”" in made.out
    assert docx.Document(str(tmp_path / "r.docx")).sections[0].header.paragraphs[0].text == "DRAFT - Board only"


def test_templates_check_lists_problems_with_places(cli: CLI, tmp_path: Path) -> None:
    good = cli("templates", "check", SHIPPED)
    assert good.code == 0, good.err
    assert "no problems" in good.out
    document = docx.Document(str(SHIPPED))
    document.add_paragraph("{{ appraisal.sponser }}")
    document.add_paragraph("{% if maturity %}")
    document.save(str(tmp_path / "mine.docx"))
    bad = cli("templates", "check", "mine.docx")
    assert bad.code == 1
    lines = [line.strip() for line in bad.out.splitlines()[1:]]
    assert len(lines) == 2
    assert lines[0].endswith(
        "unknown field “appraisal.sponser”: appraisal has no field “sponser” (did you mean “sponsor”?)"
    )
    assert "is never closed by {% endif %}" in lines[1]
    assert "2 problem(s)" in bad.err


def test_templates_use_keeps_a_template_in_the_file_until_reset(cli: CLI, demo_file: Path, tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Only the name: {{ appraisal.name }}")
    document.save(str(tmp_path / "short.docx"))
    used = cli("templates", "use", demo_file, "short.docx", "--edition", "team")
    assert used.code == 0, used.err
    (tmp_path / "short.docx").unlink()  # kept in the appraisal, not referenced
    made = cli("export", "docx", demo_file, "-o", "r.docx", "--draft")
    assert made.code == 0, made.err
    assert docx.Document(str(tmp_path / "r.docx")).paragraphs[0].text.startswith("Only the name: Olive")
    assert cli("templates", "reset", demo_file, "--edition", "team").code == 0
    assert cli("export", "docx", demo_file, "-o", "r.docx", "--draft", "--force").code == 0
    assert docx.Document(str(tmp_path / "r.docx")).paragraphs[0].text == "Appraisal report"


def test_export_pptx_and_record_from_the_command_line(cli: CLI, demo_file: Path, tmp_path: Path) -> None:
    refused = cli("export", "record", demo_file, "-o", "rec")
    assert refused.code == 1 and "not ready for its appraisal record" in refused.err
    assert not (tmp_path / "rec").exists()
    made = cli("export", "record", demo_file, "-o", "rec", "--draft")
    assert made.code == 0, made.err
    assert "record.json" in made.out and "practices.csv" in made.out
    assert (tmp_path / "rec" / "disclosure-statement.pdf").stat().st_size > 0
    deck = cli("export", "pptx", demo_file, "-o", "b.pptx", "--draft", "--edition", "sponsor")
    assert deck.code == 0, deck.err
    assert "final findings briefing, Sponsor edition: 14 process areas" in deck.out
    file_in_the_way = tmp_path / "afile"
    file_in_the_way.write_text("x")
    blocked = cli("export", "record", demo_file, "-o", "afile", "--draft")
    assert blocked.code == 1 and "is a file" in blocked.err
