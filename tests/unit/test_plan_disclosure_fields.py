"""The plan's disclosure-statement fields: the appraisal ID and when the ratings expire (method-rules §4.2, §6)."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.catalog import Catalog
from app.domain.plan import PlanError, longest_validity, validity_problems
from app.domain.plan_data import plan_to_data
from app.domain.plan_reader import parse_plan
from app.storage.yaml_source import load_yaml

HEAD = """\
appraisal:
  name: OVIG
  id: {id}
  start: 2026-11-30
  end: 2026-12-04
  valid_until: {valid}
"""


def parse(text: str, catalog: Catalog):
    return parse_plan(load_yaml(text, source="plan.yaml"), catalog, source="plan.yaml")


def test_id_and_validity_read_back_and_round_trip(catalog: Catalog) -> None:
    plan = parse(HEAD.format(id="SCAMPI-40123", valid="2028-06-30"), catalog)
    assert plan.identifier == "SCAMPI-40123"
    assert plan.valid_until == date(2028, 6, 30)
    head = plan_to_data(plan)["appraisal"]
    assert head["id"] == "SCAMPI-40123"
    assert head["valid_until"] == date(2028, 6, 30)


@pytest.mark.parametrize(
    ("valid", "message"),
    [
        ("2026-12-01", "ends before the appraisal does"),
        ("2029-12-05", "latest allowed is 2029-12-04"),
        ("soon", "must be a date written YYYY-MM-DD"),
    ],
)
def test_a_bad_validity_date_is_named_with_its_line(catalog: Catalog, valid: str, message: str) -> None:
    with pytest.raises(PlanError) as caught:
        parse(HEAD.format(id="X", valid=valid), catalog)
    (problem,) = caught.value.problems
    assert problem.field == "appraisal.valid_until"
    assert problem.line == 6
    assert message in problem.message


def test_an_overlong_id_is_refused(catalog: Catalog) -> None:
    with pytest.raises(PlanError) as caught:
        parse(HEAD.format(id="x" * 61, valid="2027-01-01"), catalog)
    assert [p.field for p in caught.value.problems] == ["appraisal.id"]


@pytest.mark.parametrize(
    ("end", "longest"),
    [(date(2026, 12, 4), date(2029, 12, 4)), (date(2028, 2, 29), date(2031, 2, 28))],
)
def test_longest_validity_is_three_years_after_the_end(end: date, longest: date) -> None:
    assert longest_validity(end) == longest
    assert validity_problems(longest, None, end) == []
    assert validity_problems(date(longest.year, longest.month, longest.day - 1), None, end) == []
    assert validity_problems(end, None, end) == []


def test_validity_without_an_end_date_only_checks_the_start() -> None:
    assert validity_problems(date(2026, 1, 1), date(2026, 2, 1), None) == ["ends before the appraisal starts"]
    assert validity_problems(date(2040, 1, 1), date(2026, 2, 1), None) == []
