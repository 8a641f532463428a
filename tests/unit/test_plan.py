"""Plan files: a good plan reads back whole; every kind of mistake is named with its line and field."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, PlanError
from app.domain.plan_reader import parse_plan
from app.storage.yaml_source import YamlSyntaxError, load_yaml

GOOD = """\
appraisal:
  name: OVIG security appraisal
  sponsor: CIO
  lead_appraiser: Lee Appraiser
  method: SCAMPI A
  scale: v1.3
  start: 2026-11-30
  end: 2026-12-04
  target_maturity_level: 3
organizational_unit:
  name: Olive Vehicle Insurance
  description: Car and light truck insurance
scope:
  - {model: CMMI-SVC, pa: IRP, target_capability_level: 2}
  - {model: SM, pa: SM, target_capability_level: 3}
  - {model: CMMI-SVC, pa: PP}
sampling_factors:
  - {name: Location, relevant: false, rationale: One site}
  - {name: Type of work, relevant: true, rationale: Services differ, values: [Claims, Policies]}
subgroups:
  - {name: Claims group, factors: {Type of work: Claims}, total_units: 2, people: 40}
basic_units:
  - {name: Claims, subgroup: Claims group}
  - Policies
support_functions:
  - {name: Security office, process_areas: ["SM:SM"]}
team:
  - {name: Lee Appraiser, role: lead}
  - Sam Member
mini_teams:
  - {name: Security, members: [Lee Appraiser, Sam Member], process_areas: ["SM:SM", "CMMI-SVC:IRP"]}
"""


def parse(text: str, catalog: Catalog):
    return parse_plan(load_yaml(text, source="plan.yaml"), catalog, source="plan.yaml")


def test_good_plan_reads_back_whole(catalog: Catalog) -> None:
    plan = parse(GOOD, catalog)
    assert plan.name == "OVIG security appraisal"
    assert (plan.start_date, plan.end_date) == (date(2026, 11, 30), date(2026, 12, 4))
    assert plan.target_maturity_level == 3
    # The old name PP resolves to its CMMI-SVC v1.3 successor WP.
    assert [str(e.pa) for e in plan.scope] == ["CMMI-SVC:IRP", "SM:SM", "CMMI-SVC:WP"]
    assert [(u.name, u.kind) for u in plan.units] == [
        ("Claims", "basic_unit"),
        ("Policies", "basic_unit"),
        ("Security office", "support_function"),
    ]
    assert plan.units[2].process_areas == (PaKey("SM", "SM"),)
    assert plan.mini_teams[0].members == ("Lee Appraiser", "Sam Member")
    assert plan.subgroups[0].factors == (("Type of work", "Claims"),)


def problems(text: str, catalog: Catalog) -> list[str]:
    with pytest.raises(PlanError) as caught:
        parse(text, catalog)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("  method: SCAMPI A", "  method: SCAMPI Z"), "line 5, appraisal.method: 'SCAMPI Z' is not one of"),
        (("  scale: v1.3", "  scale: v9"), "line 6, appraisal.scale: 'v9': use v1.3"),
        (("  end: 2026-12-04", "  end: 2026-11-01"), "line 8, appraisal.end: ends before it starts"),
        (("  start: 2026-11-30", "  start: next monday"), "line 7, appraisal.start: must be a date"),
        (("target_maturity_level: 3", "target_maturity_level: 9"), "line 9, appraisal.target_maturity_level"),
        (("pa: IRP, target", "pa: XYZ, target"), "line 14, scope[1]: CMMI-SVC has no process area 'XYZ'"),
        (
            ("{model: SM, pa: SM, target_capability_level: 3}", "{model: QQ, pa: SM}"),
            "line 15, scope[2]: unknown model",
        ),
        (("target_capability_level: 3}", "target_capability_level: 7}"), "line 15, scope[2].target_capability_level"),
        (
            ("{name: Location, relevant: false, rationale: One site}", "{name: Location}"),
            "sampling_factors[1].rationale",
        ),
        (("subgroup: Claims group}", "subgroup: Nowhere}"), "line 23, basic_units[1].subgroup: 'Nowhere' is not"),
        (("members: [Lee Appraiser, Sam Member]", "members: [Lee Appraiser, Ghost]"), "'Ghost' is not in the team"),
        (('process_areas: ["SM:SM"]}', "process_areas: []}"), "support_functions[1].process_areas: a support function"),
        (("  - Policies", "  - Claims"), "line 22, basic_units/support_functions.name: 'Claims' is listed twice"),
        (("mini_teams:", "mini_team:"), "line 30, mini_team: unknown section"),
    ],
)
def test_each_mistake_names_line_and_field(catalog: Catalog, change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in GOOD
    found = problems(GOOD.replace(old, new, 1), catalog)
    assert any(expected in p for p in found), found


def test_all_mistakes_are_reported_at_once(catalog: Catalog) -> None:
    text = GOOD.replace("SCAMPI A", "SCAMPI Z").replace("scale: v1.3", "scale: v9")
    assert len(problems(text, catalog)) == 2


def test_missing_name_and_wrong_shapes(catalog: Catalog) -> None:
    found = problems("appraisal: {sponsor: x}\nscope: not-a-list\n", catalog)
    assert "line 1, appraisal.name: is required" in found
    assert "line 2, scope: must be a list, found 'not-a-list'" in found


def test_plan_must_be_a_mapping(catalog: Catalog) -> None:
    assert problems("- a\n- b\n", catalog) == ["plan: must be a mapping with an 'appraisal' section"]


def test_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(YamlSyntaxError, match=r"plan.yaml, line \d+: not valid YAML"):
        load_yaml("appraisal:\n  name: [x\n", source="plan.yaml")


def test_the_plan_and_model_readers_word_a_wrong_value_alike(catalog: Catalog) -> None:
    """One rule per kind of value (app/domain/located.py): the plan says what a model file would say."""
    from app.domain.catalog_format import CatalogError
    from app.domain.model_reader import parse_model

    plan = problems(
        "appraisal: {name: x, unit_specific_findings: maybe, target_maturity_level: 9}\nscope: []\n", catalog
    )
    model = {
        "format": "appraisal-desk/model-v1",
        "model": {
            "key": "X",
            "version": "1",
            "name": "X",
            "kind": "model",
            "categories": [],
            "has_maturity_levels": "maybe",
            "max_capability_level": 9,
        },
    }
    with pytest.raises(CatalogError) as caught:
        parse_model(model, source="x.yaml")
    said_by_model = [p.message for p in caught.value.problems]
    assert "line 1, appraisal.unit_specific_findings: must be true or false, found 'maybe'" in plan
    assert "line 1, appraisal.target_maturity_level: must be a whole number from 2 to 5, found 9" in plan
    assert "'has_maturity_levels' must be true or false, found 'maybe'" in said_by_model
    assert "'max_capability_level' must be a whole number from 1 to 5, found 9" in said_by_model
