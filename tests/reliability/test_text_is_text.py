"""Issue 13, cases 4, 5 and 8: every text entering the file is normalized and checked; strict readers; a damaged
model file in the library is skipped with a warning naming it."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from app.domain.text import NAME_LIMIT, TextError, clean_text
from app.services import appraisals
from app.storage.errors import KnownError
from app.storage.yaml_source import YamlSyntaxError, load_yaml
from tests.e2e.conftest import Result
from tests.reliability.support import PLAN

CLI = Callable[..., Result]


@pytest.mark.parametrize("pasted", ["line one\x0bline two", "line one\x0cline two", "line one\u2028line two"])
def test_pasted_line_breaks_become_line_breaks(pasted: str) -> None:
    assert clean_text(pasted, "The finding") == "line one\nline two"


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x08", "\x1b", "\x7f"])
def test_other_control_characters_are_refused_with_the_field_named(bad: str) -> None:
    with pytest.raises(TextError, match=rf"The marking contains the control character U\+{ord(bad):04X}"):
        clean_text(f"Team{bad}only", "The marking")


def test_text_is_stored_in_nfc_and_within_its_limit() -> None:
    decomposed = unicodedata.normalize("NFD", "Évaluation réalisée")
    assert clean_text(decomposed, "x") == "Évaluation réalisée"
    with pytest.raises(TextError, match="the limit is 500"):
        clean_text("x" * (NAME_LIMIT + 1), "The name", limit=NAME_LIMIT)


def test_no_path_stores_a_control_character_or_a_huge_name(tmp_path: Path, catalog: object) -> None:
    from dataclasses import replace

    for name, words in (("Bad\x00name", r"U\+0000"), ("x" * 5_000_000, "characters long")):
        with pytest.raises(KnownError, match=words):
            appraisals.create_appraisal(tmp_path / "a.appraisal", replace(PLAN, name=name), catalog)  # type: ignore[arg-type]
        assert not (tmp_path / "a.appraisal").exists()


def test_a_control_character_in_an_old_file_still_exports(cli: CLI, appraisal_path: Path, tmp_path: Path) -> None:
    import sqlite3
    from contextlib import closing

    # A file written before the checks existed may hold one: both editions must still be written.
    with closing(sqlite3.connect(appraisal_path)) as conn:
        conn.execute("UPDATE appraisal SET name = 'Old\x0bname\x01'")
        conn.commit()
    for edition in ("team", "sponsor"):
        out = tmp_path / f"{edition}.xlsx"
        shown = cli("export", "xlsx", appraisal_path, "-o", out, "--edition", edition)
        assert shown.code == 0, shown.err
        summary = openpyxl.load_workbook(out)["Summary"]
        assert any("Oldname" in str(row[0]) for row in summary.iter_rows(max_row=5, values_only=True))
    refused = cli("export", "pdf", appraisal_path, "-o", tmp_path / "m.pdf", "--marking", "Team\x01only")
    assert refused.code == 1 and "U+0001" in refused.err and not (tmp_path / "m.pdf").exists()


def test_a_duplicate_yaml_key_names_both_lines() -> None:
    text = "appraisal:\n  name: A\n  sponsor: COO\nscope: []\nappraisal:\n  name: B\n"
    with pytest.raises(YamlSyntaxError, match=r"'appraisal' appears twice, at line 1 and at line 5"):
        load_yaml(text, source="plan.yaml")
    nested = "a:\n  b: 1\n  b: 2\n"
    with pytest.raises(YamlSyntaxError, match="line 2 and at line 3"):
        load_yaml(nested, source="x.yaml")


def test_a_plan_with_two_appraisal_blocks_is_refused(cli: CLI, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("appraisal:\n  name: A\n  sponsor: COO\nappraisal:\n  name: B\n", encoding="utf-8")
    shown = cli("new", tmp_path / "p.appraisal", "--plan", plan)
    assert shown.code == 1 and "appears twice, at line 1 and at line 4" in shown.err
    assert not (tmp_path / "p.appraisal").exists()


def test_a_damaged_model_file_is_skipped_with_its_path_and_models_check_names_it(
    cli: CLI, _private_home: Path, tmp_path: Path
) -> None:
    bad = _private_home / "models" / "broken@1.yaml"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_text("key: [unclosed\n", encoding="utf-8")
    listed = cli("models")
    assert listed.code == 0 and "CMMI-SVC@1.3" in listed.out
    assert str(bad) in listed.err and "skipped" in listed.err
    assert cli("new", tmp_path / "n.appraisal", "--name", "N").code == 0
    checked = cli("models", "check")
    assert checked.code == 1 and str(bad) in checked.err
    bad.unlink()
    assert cli("models", "check").code == 0
