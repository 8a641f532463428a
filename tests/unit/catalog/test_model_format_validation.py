"""Each kind of malformed model file gets its own precise problem, located by YAML line and item path."""

from __future__ import annotations

import pytest

from app.domain.catalog import GoalKind, ModelKind
from app.domain.catalog_format import CatalogError
from app.domain.located import Problem
from app.domain.model_reader import parse_model
from app.storage.yaml_source import load_yaml

VALID = """\
format: appraisal-desk/model-v1
model:
  key: ACME-SEC
  version: '1.0'
  name: ACME security practices
  kind: model
  categories: [Operations, Support]
  has_maturity_levels: true
  max_capability_level: 2
generic_goals:
  - id: GG1
    title: Achieve Specific Goals
    practices:
      - {id: GP1.1, title: Perform Specific Practices}
  - id: GG2
    title: Institutionalize a Managed Process
    practices:
      - {id: GP2.1, title: Establish a Policy}
process_areas:
  - acronym: BKP
    name: Backup and Restore
    category: Operations
    maturity_level: 2
    aliases: [BAK]
    specific_goals:
      - id: SG1
        title: Back Up Essential Data
        practices:
          - {id: SP1.1, title: Identify Essential Data}
          - id: SP1.2
            title: Perform Backups
            statement: Back up essential data as planned.
            informative:
              - {kind: subpractice, text: Schedule the backups.}
      - id: SG2
        title: Restore Data
        practices:
          - {id: SP2.1, title: Test Restores, unverified: true}
  - acronym: MON
    name: Monitoring
    category: Support
    maturity_level: 3
    specific_goals:
      - id: SG1
        title: Watch
        practices:
          - {id: SP1.1, title: Collect Events}
"""


def problems(text: str) -> list[Problem]:
    with pytest.raises(CatalogError) as caught:
        parse_model(load_yaml(text, source="acme.yaml"), source="acme.yaml")
    return list(caught.value.problems)


def only(text: str) -> Problem:
    found = problems(text)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def edit(old: str, new: str, text: str = VALID) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(fragment: str, text: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_the_valid_example_parses_into_the_whole_model() -> None:
    model = parse_model(load_yaml(VALID, source="acme.yaml"), source="acme.yaml")
    assert (model.key, model.version, model.kind, model.max_capability_level) == ("ACME-SEC", "1.0", ModelKind.MODEL, 2)
    bkp = model.process_area("BAK")
    assert bkp is not None and bkp.acronym == "BKP" and bkp.maturity_level == 2
    practice = bkp.practice("SP1.2")
    assert practice is not None and practice.statement == "Back up essential data as planned."
    assert [(i.kind, i.text) for i in practice.informative] == [("subpractice", "Schedule the backups.")]
    assert bkp.practice("SP2.1") is not None and bkp.practice("SP2.1").unverified
    assert [g.kind for g in model.generic_goals] == [GoalKind.GENERIC, GoalKind.GENERIC]


def test_a_problem_prints_file_line_item_and_message() -> None:
    text = edit("          - {id: SP1.1, title: Collect Events}", "          - {id: SP1.1}")
    problem = only(text)
    assert str(problem) == (
        f"acme.yaml, line {line_of('{id: SP1.1}', text)}: ACME-SEC 1.0 / MON / SG1 / SP1.1: 'title' is missing"
    )


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "format: appraisal-desk/model-v2",
            "unknown format 'appraisal-desk/model-v2'; this version reads 'appraisal-desk/model-v1'",
        ),
        ("format: appraisal-desk/links-v1", "unknown format 'appraisal-desk/links-v1'"),
        ("fromat: appraisal-desk/model-v1", "the header 'format: appraisal-desk/model-v1' is missing"),
    ],
)
def test_an_unknown_or_missing_format_header_is_the_only_problem_reported(header: str, message: str) -> None:
    problem = only(edit("format: appraisal-desk/model-v1", header))
    assert message in problem.message and problem.line == 1


def test_a_file_that_is_not_a_mapping_is_refused() -> None:
    assert "must be a YAML mapping" in only("- just\n- a list\n").message


def test_duplicate_process_area_acronym_names_both_lines() -> None:
    text = edit("  - acronym: MON", "  - acronym: BKP")
    problem = only(text)
    assert (
        problem.message
        == f"duplicate process area acronym or alias 'BKP' (first at line {line_of('acronym: BKP', VALID)})"
    )
    assert problem.line == line_of("acronym: MON", VALID)


def test_an_alias_may_not_reuse_another_process_area_s_acronym() -> None:
    problem = only(edit("aliases: [BAK]", "aliases: [MON]"))
    assert "duplicate process area acronym or alias 'MON'" in problem.message


def test_duplicate_practice_id_within_a_process_area() -> None:
    text = edit("{id: SP2.1, title: Test Restores, unverified: true}", "{id: SP1.1, title: Test Restores}")
    found = problems(text)
    duplicate = next(p for p in found if "duplicate" in p.message)
    assert (
        duplicate.message
        == f"duplicate goal or practice ID 'SP1.1' (first at line {line_of('{id: SP1.1, title: Identify', text)})"
    )
    assert duplicate.path == "ACME-SEC 1.0 / BKP / SG2 / SP1.1"
    assert duplicate.line == line_of("{id: SP1.1, title: Test Restores}", text)


def test_the_same_practice_id_in_two_process_areas_is_fine() -> None:
    model = parse_model(load_yaml(VALID, source="acme.yaml"), source="acme.yaml")
    assert [pa.practice("SP1.1") is not None for pa in model.process_areas] == [True, True]


def test_duplicate_goal_id_and_generic_practice_id() -> None:
    text = edit("      - id: SG2\n        title: Restore Data", "      - id: SG1\n        title: Restore Data")
    assert any(p.message.startswith("duplicate goal or practice ID 'SG1'") for p in problems(text))
    text = edit("{id: GP2.1, title: Establish a Policy}", "{id: GP1.1, title: Establish a Policy}")
    found = problems(text)
    assert any(p.message.startswith("duplicate generic goal or practice ID 'GP1.1'") for p in found)


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        ("    name: Monitoring\n", "", "ACME-SEC 1.0 / MON", "'name' is missing"),
        ("title: Back Up Essential Data", "title: ''", "ACME-SEC 1.0 / BKP / SG1", "'title' is empty"),
        ("  name: ACME security practices\n", "", "ACME-SEC 1.0", "'name' is missing"),
        (
            "{kind: subpractice, text: Schedule the backups.}",
            "{kind: subpractice}",
            "ACME-SEC 1.0 / BKP / SG1 / SP1.2 / informative[1]",
            "'text' is missing",
        ),
    ],
)
def test_missing_titles_and_names(old: str, new: str, path: str, message: str) -> None:
    problem = only(edit(old, new))
    assert (problem.path, problem.message) == (path, message)
    assert problem.line is not None


def test_a_category_the_model_does_not_declare_is_an_unknown_parent() -> None:
    text = edit("    category: Support", "    category: Suport")
    problem = only(text)
    assert problem.message == "category 'Suport' is not one of the model's categories: Operations, Support"
    assert problem.line == line_of("category: Suport", text)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "{id: SP2.1, title: Test Restores, unverified: true}",
            "{id: SP3.1, title: Test Restores}",
            "practice 'SP3.1' is numbered for goal 3 but stands under SG2",
        ),
        (
            "{id: GP2.1, title: Establish a Policy}",
            "{id: GP3.1, title: Establish a Policy}",
            "practice 'GP3.1' is numbered for goal 3 but stands under GG2",
        ),
        (
            "      - id: SG2\n",
            "      - id: GG2\n",
            "goal 'GG2' is numbered as a generic goal; it belongs under 'generic_goals'",
        ),
    ],
)
def test_items_numbered_for_another_parent(old: str, new: str, message: str) -> None:
    assert any(p.message == message for p in problems(edit(old, new)))


def test_an_rmm_style_id_must_belong_to_its_process_area() -> None:
    text = edit("      - id: SG1\n        title: Watch\n        practices:\n          - {id: SP1.1, title: Collect Events}",
                "      - id: 'BKP:SG1'\n        title: Watch\n        practices:\n          - {id: 'MON:SG1.SP1', title: Collect Events}")  # fmt: skip
    assert [p.message for p in problems(text)] == ["goal 'BKP:SG1' is numbered for process area BKP, not MON"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "  kind: model",
            "  kind: modle",
            "'kind' must be one of model, pseudo-process-area, reference, found 'modle'",
        ),
        (
            "{kind: subpractice, text: Schedule the backups.}",
            "{kind: hint, text: Schedule the backups.}",
            "'kind' must be one of subpractice, note, example, elaboration, example-work-product, summary, found 'hint'",
        ),
    ],
)
def test_bad_kinds(old: str, new: str, message: str) -> None:
    problem = only(edit(old, new))
    assert problem.message == message and problem.line == line_of(new.strip(), edit(old, new))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    maturity_level: 3",
            "    maturity_level: 7",
            "'maturity_level' must be a whole number from 2 to 5, found 7",
        ),
        (
            "    maturity_level: 3",
            "    maturity_level: true",
            "'maturity_level' must be a whole number from 2 to 5, found True",
        ),
        ("    maturity_level: 3\n", "", "'maturity_level' is missing (the model has maturity levels)"),
        (
            "  max_capability_level: 2",
            "  max_capability_level: 9",
            "'max_capability_level' must be a whole number from 1 to 5, found 9",
        ),
        ("  max_capability_level: 2", "  max_capability_level: 3", "capability levels up to 3 need generic goals GG3"),
    ],
)
def test_bad_levels(old: str, new: str, message: str) -> None:
    assert only(edit(old, new)).message == message


def test_maturity_levels_in_a_model_without_them() -> None:
    found = problems(edit("  has_maturity_levels: true", "  has_maturity_levels: false"))
    assert [p.path for p in found] == ["ACME-SEC 1.0 / BKP", "ACME-SEC 1.0 / MON"]
    assert {p.message for p in found} == {"the model has no maturity levels (has_maturity_levels: false)"}


def test_kind_rules_for_pseudo_process_areas_and_references() -> None:
    pseudo = edit("  kind: model", "  kind: pseudo-process-area")
    assert {p.message for p in problems(pseudo)} == {
        "a pseudo process area is rated with its base model's generic goals",
        "a pseudo process area needs 'generic_goals_from' (the model that rates it)",
    }
    borrowed = edit("  kind: model", "  kind: model\n  generic_goals_from: CMMI-SVC")
    assert only(borrowed).message == "give 'generic_goals' or 'generic_goals_from', not both"
    reference = edit("  kind: model", "  kind: reference")
    messages = {p.message for p in problems(reference)}
    assert "a reference standard is not rated, so it takes no generic goals" in messages
    assert "a reference standard is not rated: 'max_capability_level' is 0" in messages


def test_unknown_fields_are_refused_so_typos_do_not_drop_marks() -> None:
    text = edit(
        "{id: SP2.1, title: Test Restores, unverified: true}", "{id: SP2.1, title: Test Restores, unverfied: true}"
    )
    problem = only(text)
    assert problem.message.startswith("unknown field 'unverfied'; expected one of: id, title, statement")
    assert problem.path == "ACME-SEC 1.0 / BKP / SG2 / SP2.1"


def test_a_number_where_text_belongs_asks_for_quotes() -> None:
    problem = only(edit("  version: '1.0'", "  version: 1.0"))
    assert problem.message == "'version' must be text (put it in quotes), found 1.0"


def test_every_problem_is_reported_at_once_and_no_model_is_returned() -> None:
    text = edit("  kind: model", "  kind: modle")
    text = edit("    category: Support", "    category: Nowhere", text)
    text = edit("{id: SP1.1, title: Collect Events}", "{id: SP1.1}", text)
    found = problems(text)
    assert len(found) == 3
    assert [p.line for p in found] == sorted(p.line for p in found if p.line)
    with pytest.raises(CatalogError) as caught:
        parse_model(load_yaml(text, source="acme.yaml"), source="acme.yaml")
    assert str(caught.value).startswith("acme.yaml is not a valid model file; nothing was loaded:\n  acme.yaml, line")
