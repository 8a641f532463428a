"""Properties of the format: any model survives writing and reading; no input makes the parser crash."""

from __future__ import annotations

import contextlib
import copy
from typing import Any, Literal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.catalog import Goal, GoalKind, InformativeItem, Model, ModelKind, Practice, ProcessArea
from app.domain.catalog_format import INFORMATIVE_KINDS, CatalogError
from app.domain.catalog_writer import links_to_data, model_to_data
from app.domain.links_reader import parse_links
from app.domain.model_reader import parse_model
from app.storage.catalog_files import model_to_yaml
from app.storage.yaml_source import load_yaml

SURROGATES: tuple[Literal["Cs"]] = ("Cs",)  # not encodable as UTF-8
TEXT = st.text(st.characters(exclude_categories=SURROGATES), min_size=1, max_size=12).filter(str.strip)
OPTIONAL_TEXT = st.none() | TEXT


@st.composite
def practices(draw: st.DrawFn, goal: int, prefix: str) -> tuple[Practice, ...]:
    count = draw(st.integers(1, 3))
    return tuple(
        Practice(
            f"{prefix}{goal}.{n}",
            draw(TEXT),
            statement=draw(OPTIONAL_TEXT),
            informative=tuple(
                draw(st.lists(st.builds(InformativeItem, st.sampled_from(INFORMATIVE_KINDS), TEXT), max_size=2))
            ),
            unverified=draw(st.booleans()),
            note=draw(OPTIONAL_TEXT),
        )
        for n in range(1, count + 1)
    )


@st.composite
def models(draw: st.DrawFn) -> Model:
    """Valid models of every kind: own or borrowed generic goals, with or without maturity levels."""
    kind = draw(st.sampled_from(list(ModelKind)))
    key = draw(st.from_regex(r"[A-Z][A-Z0-9-]{0,8}", fullmatch=True).filter(lambda k: k != "BASE"))
    categories = tuple(draw(st.lists(TEXT, min_size=1, max_size=3, unique=True)))
    has_ml = kind is not ModelKind.REFERENCE and draw(st.booleans())
    max_cl = 0 if kind is ModelKind.REFERENCE else draw(st.integers(1, 3))
    own = kind is ModelKind.MODEL and draw(st.booleans())
    generic = tuple(
        Goal(f"GG{g}", draw(TEXT), GoalKind.GENERIC, draw(practices(g, "GP")), draw(OPTIONAL_TEXT), draw(st.booleans()))
        for g in range(1, max_cl + 1)
    ) if own else ()  # fmt: skip
    acronyms = draw(st.lists(st.from_regex(r"[A-Z][A-Z0-9]{1,4}", fullmatch=True), min_size=1, max_size=3, unique=True))
    areas = tuple(
        ProcessArea(
            acronym,
            draw(TEXT),
            draw(st.sampled_from(categories)),
            tuple(
                Goal(
                    f"SG{g}",
                    draw(TEXT),
                    GoalKind.SPECIFIC,
                    draw(practices(g, "SP")),
                    draw(OPTIONAL_TEXT),
                    draw(st.booleans()),
                )
                for g in range(1, draw(st.integers(1, 3)) + 1)
            ),
            maturity_level=draw(st.integers(2, 5)) if has_ml else None,
            addition=draw(st.booleans()),
            aliases=("old-" + acronym,) if draw(st.booleans()) else (),
            purpose=draw(OPTIONAL_TEXT),
            unverified=draw(st.booleans()),
            note=draw(OPTIONAL_TEXT),
        )
        for acronym in acronyms
    )
    return Model(
        key=key,
        version=draw(st.from_regex(r"[0-9]{1,2}(\.[0-9]{1,2})?", fullmatch=True)),
        name=draw(TEXT),
        kind=kind,
        process_areas=areas,
        generic_goals=generic,
        generic_goals_from=None if own or kind is ModelKind.REFERENCE else "BASE",
        categories=categories,
        has_maturity_levels=has_ml,
        max_capability_level=max_cl,
        source=draw(OPTIONAL_TEXT),
        description=draw(OPTIONAL_TEXT),
    )


@given(models())
def test_any_model_survives_conversion_to_data_and_back(model: Model) -> None:
    data = model_to_data(model)
    assert parse_model(data, source="m") == model
    assert model_to_data(parse_model(copy.deepcopy(data), source="m")) == data


@settings(max_examples=150)
@given(models())
def test_any_model_survives_the_yaml_text_the_library_writes(model: Model) -> None:
    """Odd titles ('yes', '1.0', '# x', leading spaces, unicode) must come back as the same text."""
    text = model_to_yaml(model, header="a header\nover two lines")
    assert parse_model(load_yaml(text, source="m.yaml"), source="m.yaml") == model


LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8) | st.binary(max_size=4)
ANYTHING = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner) | st.dictionaries(st.text(max_size=6) | st.integers(), inner, max_size=4),
    max_leaves=20,
)  # fmt: skip


def _parses_or_refuses(data: object) -> None:
    try:
        parse_model(data, source="fuzz")
    except CatalogError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
    try:
        parse_links(data, source="fuzz")
    except CatalogError as exc:
        assert exc.problems


@settings(max_examples=300)
@given(ANYTHING)
def test_arbitrary_data_never_raises_anything_but_catalog_error(data: object) -> None:
    _parses_or_refuses(data)
    _parses_or_refuses({"format": "appraisal-desk/model-v1", "model": data, "process_areas": data})


def _slots(data: Any) -> list[tuple[Any, Any]]:
    """Every (container, key-or-index) in nested data, so one can be replaced."""
    found: list[tuple[Any, Any]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            found.append((data, key))
            found += _slots(value)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.append((data, index))
            found += _slots(value)
    return found


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(models(), st.data())
def test_a_valid_file_with_any_one_value_replaced_never_crashes_the_parser(model: Model, data: st.DataObject) -> None:
    tree = model_to_data(model)
    container, key = data.draw(st.sampled_from(_slots(tree)))
    container[key] = data.draw(ANYTHING)
    _parses_or_refuses(tree)
    links = links_to_data(())
    links["links"] = [data.draw(ANYTHING)]
    with contextlib.suppress(CatalogError):
        parse_links(links, source="fuzz", models=[model])
