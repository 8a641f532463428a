"""The rules every reader of a user's file shares (app/domain/located.py): what a value of each kind may be,
how a wrong one is worded, and where a problem is placed."""

from __future__ import annotations

from datetime import date

from app.domain.located import Problem, as_date, not_flag, not_text, not_whole_number, where
from app.storage.yaml_source import load_yaml


def test_a_number_is_not_taken_for_text_because_yaml_has_already_changed_it() -> None:
    data = load_yaml("version: 1.10\nname: '1.10'\n", source="m.yaml")
    assert data["version"] == 1.1  # what would be stored if numbers were accepted as text
    assert not_text(data["version"]) == "must be text (put it in quotes), found 1.1"
    assert not_text(data["name"]) is None


def test_true_or_false_and_whole_numbers_refuse_look_alikes() -> None:
    assert not_flag("yes") == "must be true or false, found 'yes'"
    assert not_flag(False) is None
    assert not_whole_number(True, 1, 5) == "must be a whole number from 1 to 5, found True"
    assert not_whole_number(3.0, 1, 5) == "must be a whole number from 1 to 5, found 3.0"
    assert not_whole_number(6, 1, 5) is not None and not_whole_number(5, 1, 5) is None


def test_a_date_is_read_written_or_quoted_and_anything_else_says_how_to_write_it() -> None:
    assert as_date(date(2026, 11, 30)) == date(2026, 11, 30)
    assert as_date(" 2026-11-30 ") == date(2026, 11, 30)
    assert as_date("30/11/2026") == "must be a date written YYYY-MM-DD, found '30/11/2026'"


def test_a_problem_stands_at_its_key_or_at_its_mapping_when_the_key_is_absent() -> None:
    data = load_yaml("appraisal:\n  name: x\n  sponsor: y\n", source="p.yaml")
    assert where(data["appraisal"], "sponsor") == (3, None)
    assert where(data["appraisal"], "lead_appraiser") == (2, None)
    assert where({"plain": 1}, "plain") == (None, None)
    assert (
        str(Problem("p.yaml", "appraisal", "'sponsor' is missing", 3))
        == "p.yaml, line 3: appraisal: 'sponsor' is missing"
    )
