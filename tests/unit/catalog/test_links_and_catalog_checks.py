"""The links file and the checks across files: links that resolve, generic goals that resolve, unique versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.catalog import (
    Catalog,
    CrossLink,
    Goal,
    GoalKind,
    Model,
    ModelKind,
    Practice,
    ProcessArea,
    Provenance,
    Ref,
)
from app.domain.catalog_format import CatalogError
from app.domain.catalog_writer import links_to_data
from app.domain.links_reader import parse_links, validate_catalog
from app.domain.located import Problem
from app.domain.model_reader import parse_model
from app.storage.yaml_source import load_yaml

SVC = Model(
    key="CMMI-SVC",
    version="1.3",
    name="CMMI-SVC (test)",
    kind=ModelKind.MODEL,
    generic_goals=(Goal("GG1", "Achieve", GoalKind.GENERIC, (Practice("GP1.1", "Perform"),)),),
    categories=("Support",),
    process_areas=(
        ProcessArea(
            "WP",
            "Work Planning",
            "Support",
            (Goal("SG1", "Estimate", GoalKind.SPECIFIC, (Practice("SP1.1", "Scope"),)),),
            aliases=("PP",),
        ),
    ),
)
SM = Model(
    key="SM",
    version="1.0",
    name="SM (test)",
    kind=ModelKind.PSEUDO_PA,
    generic_goals_from="CMMI-SVC",
    categories=("Support",),
    process_areas=(
        ProcessArea(
            "SM", "Security", "Support", (Goal("ESG1", "Establish", GoalKind.SPECIFIC, (Practice("ESP1.1", "Obj"),)),)
        ),
    ),
)

VALID = """\
format: appraisal-desk/links-v1
links:
  - from: {model: SM, pa: SM, item: ESP1.1}
    to: {model: CMMI-SVC, pa: WP, item: SP1.1}
    relation: overlaps
    rationale: Both plan.
    provenance: curated
  - from: {model: CMMI-SVC, pa: WP}
    to: {model: SM, pa: SM, item: ESG1}
    relation: supports
    rationale: Plans feed security.
    provenance: seed
"""


def problems(text: str, models: tuple[Model, ...] | None = (SVC, SM)) -> list[Problem]:
    with pytest.raises(CatalogError) as caught:
        parse_links(load_yaml(text, source="links.yaml"), source="links.yaml", models=models)
    return list(caught.value.problems)


def test_a_valid_links_file_reads_in_order_and_round_trips() -> None:
    data = load_yaml(VALID, source="links.yaml")
    links = parse_links(data, source="links.yaml", models=(SVC, SM))
    assert links[0] == CrossLink(
        Ref("SM", "SM", "ESP1.1"), Ref("CMMI-SVC", "WP", "SP1.1"), "overlaps", "Both plan.", Provenance.CURATED
    )
    assert links[1].source == Ref("CMMI-SVC", "WP") and links[1].target.item == "ESG1"
    assert links_to_data(links) == data


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "to: {model: CMMI-SVC, pa: WP, item: SP1.1}",
            "to: {model: CERT-RMM, pa: WP, item: SP1.1}",
            "dangling link: there is no model 'CERT-RMM'",
        ),
        (
            "to: {model: CMMI-SVC, pa: WP, item: SP1.1}",
            "to: {model: CMMI-SVC, pa: IRP, item: SP1.1}",
            "dangling link: CMMI-SVC has no process area 'IRP'",
        ),
        (
            "to: {model: CMMI-SVC, pa: WP, item: SP1.1}",
            "to: {model: CMMI-SVC, pa: WP, item: SP9.9}",
            "dangling link: CMMI-SVC WP has no goal or practice 'SP9.9'",
        ),
        (
            "to: {model: CMMI-SVC, pa: WP, item: SP1.1}",
            "to: {model: CMMI-SVC, pa: PP, item: SP1.1}",
            "PP is an alias in CMMI-SVC; links use the acronym WP",
        ),
    ],
)
def test_dangling_links_are_named_with_their_line(old: str, new: str, message: str) -> None:
    (problem,) = problems(VALID.replace(old, new))
    assert (problem.message, problem.line, problem.path) == (message, 4, "links[1].to")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("relation: overlaps", "relation: resembles", "'relation' must be one of extends, extended-by, derived-from"),
        (
            "provenance: curated",
            "provenance: folklore",
            "'provenance' must be one of seed, curated, user, found 'folklore'",
        ),
        ("rationale: Both plan.", 'rationale: "Both\\nplan."', "'rationale' must be one line"),
        ("    rationale: Both plan.\n", "", "'rationale' is missing"),
        (
            "format: appraisal-desk/links-v1",
            "format: appraisal-desk/model-v1",
            "unknown format 'appraisal-desk/model-v1'",
        ),
    ],
)
def test_bad_link_fields(old: str, new: str, message: str) -> None:
    (problem,) = problems(VALID.replace(old, new))
    assert problem.message.startswith(message)


def test_a_link_listed_twice_is_refused() -> None:
    text = VALID + VALID.split("links:\n", 1)[1].split("  - from: {model: CMMI-SVC", 1)[0]
    (problem,) = problems(text)
    assert problem.message == "duplicate link 'SM SM ESP1.1 overlaps CMMI-SVC WP SP1.1' (first at line 3)"


def test_without_models_only_the_form_is_checked() -> None:
    text = VALID.replace("pa: WP, item: SP1.1", "pa: NOPE, item: SP1.1")
    assert parse_links(load_yaml(text, source="l.yaml"), source="l.yaml")[0].target.pa == "NOPE"


def test_validate_catalog_accepts_a_consistent_catalog() -> None:
    validate_catalog(Catalog((SVC, SM), parse_links(load_yaml(VALID, source="l"), source="l")))


def test_validate_catalog_lists_every_cross_file_problem() -> None:
    orphan = Model(
        key="X", version="1", name="X", kind=ModelKind.PSEUDO_PA, generic_goals_from="NOPE", categories=("Support",),
        process_areas=SM.process_areas,
    )  # fmt: skip
    plain = Model(key="Y", version="1", name="Y", kind=ModelKind.MODEL, categories=(), process_areas=SM.process_areas)
    borrows_nothing = Model(
        key="Z", version="1", name="Z", kind=ModelKind.PSEUDO_PA, generic_goals_from="Y", categories=(),
        process_areas=SM.process_areas,
    )  # fmt: skip
    twice = Model(key="cmmi-svc", version="1.3", name="dup", kind=ModelKind.MODEL, process_areas=SVC.process_areas)
    dangling = CrossLink(Ref("SM", "SM", "ESP9.9"), Ref("CMMI-SVC", "WP"), "uses", "x", Provenance.USER)
    with pytest.raises(CatalogError) as caught:
        validate_catalog(Catalog((SVC, SM, orphan, plain, borrows_nothing, twice), (dangling,)))
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("X 1", "generic_goals_from: no model 'NOPE' is installed"),
        ("Z 1", "generic_goals_from: Y has no generic goals"),
        ("cmmi-svc 1.3", "this model version is installed twice"),
        ("link 1 (SM SM ESP9.9 uses CMMI-SVC WP)", "dangling link: SM SM has no goal or practice 'ESP9.9'"),
    ]


def test_the_examples_in_the_format_documentation_are_valid() -> None:
    doc = (Path(__file__).resolve().parents[3] / "docs" / "model-format.md").read_text(encoding="utf-8")
    model_text, links_text = [block.split("```", 1)[0] for block in doc.split("```yaml\n")[1:3]]
    model = parse_model(load_yaml(model_text, source="doc"), source="doc")
    assert model.process_area("BAK") is not None
    rmm = Model(
        key="CERT-RMM", version="1.1", name="r", kind=ModelKind.MODEL, generic_goals_from="CMMI-SVC", categories=("E",),
        process_areas=(ProcessArea("VAR", "V", "E", (Goal("VAR:SG1", "g", GoalKind.SPECIFIC, (Practice("VAR:SG1.SP2", "p"),)),)),),
    )  # fmt: skip
    (link,) = parse_links(load_yaml(links_text, source="doc"), source="doc", models=(SM_DOC, rmm))
    assert link.relation == "detailed-by"


SM_DOC = Model(
    key="SM", version="1.0", name="SM", kind=ModelKind.PSEUDO_PA, generic_goals_from="CMMI-SVC", categories=("S",),
    process_areas=(ProcessArea("SM", "S", "S", (Goal("ESG1", "g", GoalKind.SPECIFIC, (Practice("ESP1.2", "p"),)),)),),
)  # fmt: skip
