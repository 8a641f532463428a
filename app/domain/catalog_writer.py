"""Writing models and links in the canonical form of the catalog format: defaults left out, fixed field order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.domain.catalog import (
    CrossLink,
    Goal,
    Model,
    Practice,
    ProcessArea,
    Ref,
)
from app.domain.catalog_format import (
    LINKS_FORMAT,
    MODEL_FORMAT,
)


def model_to_data(model: Model) -> dict[str, Any]:
    """The model as plain data in the canonical form of the format (defaults left out, fixed field order)."""
    head: dict[str, Any] = {"key": model.key, "version": model.version, "name": model.name, "kind": model.kind.value}
    _put(head, "source", model.source)
    _put(head, "description", model.description)
    _put(head, "generic_goals_from", model.generic_goals_from)
    head["categories"] = list(model.categories)
    head["has_maturity_levels"] = model.has_maturity_levels
    head["max_capability_level"] = model.max_capability_level
    data: dict[str, Any] = {"format": MODEL_FORMAT, "model": head}
    if model.generic_goals:
        data["generic_goals"] = [_goal_data(g) for g in model.generic_goals]
    data["process_areas"] = [_area_data(pa) for pa in model.process_areas]
    return data


def _put(data: dict[str, Any], key: str, value: object) -> None:
    if value is not None and value is not False and value != ():
        data[key] = list(value) if isinstance(value, tuple) else value


def _area_data(pa: ProcessArea) -> dict[str, Any]:
    data: dict[str, Any] = {"acronym": pa.acronym, "name": pa.name, "category": pa.category}
    _put(data, "maturity_level", pa.maturity_level)
    _put(data, "addition", pa.addition)
    _put(data, "aliases", pa.aliases)
    _put(data, "unverified", pa.unverified)
    _put(data, "purpose", pa.purpose)
    _put(data, "note", pa.note)
    data["specific_goals"] = [_goal_data(g) for g in pa.goals]
    return data


def _goal_data(goal: Goal) -> dict[str, Any]:
    data: dict[str, Any] = {"id": goal.code, "title": goal.title}
    _put(data, "statement", goal.statement)
    _put(data, "unverified", goal.unverified)
    data["practices"] = [_practice_data(p) for p in goal.practices]
    return data


def _practice_data(practice: Practice) -> dict[str, Any]:
    data: dict[str, Any] = {"id": practice.code, "title": practice.title}
    _put(data, "statement", practice.statement)
    _put(data, "unverified", practice.unverified)
    _put(data, "note", practice.note)
    if practice.informative:
        data["informative"] = [{"kind": i.kind, "text": i.text} for i in practice.informative]
    return data


def links_to_data(links: Iterable[CrossLink]) -> dict[str, Any]:
    """The links as plain data in the canonical form of the links format."""
    return {
        "format": LINKS_FORMAT,
        "links": [
            {
                "from": _ref_data(link.source),
                "to": _ref_data(link.target),
                "relation": link.relation,
                "rationale": link.rationale,
                "provenance": link.provenance.value,
            }
            for link in links
        ],
    }


def _ref_data(ref: Ref) -> dict[str, str]:
    data = {"model": ref.model, "pa": ref.pa}
    if ref.item is not None:
        data["item"] = ref.item
    return data
