"""Reading a links file (`appraisal-desk/links-v1`), and the checks across the installed files: versions,
borrowed generic goals and links that resolve."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from app.domain.catalog import (
    Catalog,
    CrossLink,
    Model,
    Provenance,
    Ref,
)
from app.domain.catalog_format import (
    CODE,
    LINKS_FORMAT,
    NAME,
    RELATIONS,
    CatalogError,
    format_header,
)
from app.domain.located import LocatedReader, Problem, Seen

_LINK_FIELDS = ("from", "to", "relation", "rationale", "provenance")
_REF_FIELDS = ("model", "pa", "item")


def parse_links(data: object, *, source: str, models: Sequence[Model] | None = None) -> tuple[CrossLink, ...]:
    """Validate a loaded links file; with `models`, every link must also resolve. Raises CatalogError."""
    reader = LocatedReader(source)
    links = _links(reader, data, models)
    if reader.problems or links is None:
        raise CatalogError(reader.problems, f"{source} is not a valid links file; nothing was loaded")
    return links


def _links(reader: LocatedReader, data: object, models: Sequence[Model] | None) -> tuple[CrossLink, ...] | None:
    top = format_header(reader, data, LINKS_FORMAT, "a links file")
    if top is None:
        return None
    reader.fields(top, ("format", "links"), "")
    result: list[CrossLink] = []
    seen: Seen = Seen(reader, "link")
    for i, raw in enumerate(reader.items(top, "links", "links")):
        path = f"links[{i + 1}]"
        link = reader.mapping(raw, top, "links", path, "a link")
        if link is None:
            continue
        reader.fields(link, _LINK_FIELDS, path)
        source_ref = _ref(reader, link, "from", path, models)
        target_ref = _ref(reader, link, "to", path, models)
        relation = reader.text(link, "relation", path, required=True)
        if relation is not None and relation not in RELATIONS:
            known = ", ".join(RELATIONS)
            reader.problem(link, "relation", path, f"'relation' must be one of {known}, found {relation!r}")
            relation = None
        rationale = reader.text(link, "rationale", path, required=True)
        if rationale is not None and "\n" in rationale:
            reader.problem(link, "rationale", path, "'rationale' must be one line")
        provenance = _provenance(reader, link, path)
        if source_ref is None or target_ref is None or relation is None or rationale is None or provenance is None:
            continue
        seen.add(f"{source_ref} {relation} {target_ref}", link, "from", path)
        result.append(CrossLink(source_ref, target_ref, relation, rationale, provenance))
    return tuple(result)


def _provenance(reader: LocatedReader, data: Mapping[Any, Any], path: str) -> Provenance | None:
    raw = reader.text(data, "provenance", path, required=True)
    if raw is None:
        return None
    try:
        return Provenance(raw)
    except ValueError:
        known = ", ".join(p.value for p in Provenance)
        reader.problem(data, "provenance", path, f"'provenance' must be one of {known}, found {raw!r}")
        return None


def _ref(
    reader: LocatedReader, link: Mapping[Any, Any], key: str, path: str, models: Sequence[Model] | None
) -> Ref | None:
    raw = link.get(key)
    where = f"{path}.{key}"
    if not isinstance(raw, Mapping):
        found = "is missing" if raw is None else "must be a mapping like {model: CMMI-SVC, pa: IRP, item: SP1.1}"
        reader.problem(link, key, path, f"'{key}' {found}")
        return None
    reader.fields(raw, _REF_FIELDS, where)
    model = reader.ident(raw, "model", where, NAME)
    pa = reader.ident(raw, "pa", where, CODE)
    item = reader.ident(raw, "item", where, CODE) if "item" in raw else None
    if model is None or pa is None or ("item" in raw and item is None):
        return None
    ref = Ref(model, pa, item)
    if models is not None:
        unresolved = _resolve(ref, models)
        if unresolved is not None:
            reader.problem(raw, unresolved[0], where, unresolved[1])
            return None
    return ref


def resolve_problem(ref: Ref, models: Iterable[Model]) -> str | None:
    """Why `ref` points at nothing in `models` (any version of its model), or None when it resolves."""
    unresolved = _resolve(ref, list(models))
    return unresolved[1] if unresolved else None


def _resolve(ref: Ref, models: Sequence[Model]) -> tuple[str, str] | None:
    """(field at fault, message) for a reference that does not resolve."""
    candidates = [m for m in models if m.key == ref.model]
    if not candidates:
        return "model", f"dangling link: there is no model {ref.model!r}"
    areas = [pa for m in candidates for pa in m.process_areas if pa.acronym == ref.pa]
    if not areas:
        renamed = next((pa for m in candidates for pa in m.process_areas if ref.pa in pa.aliases), None)
        if renamed is not None:
            return "pa", f"{ref.pa} is an alias in {ref.model}; links use the acronym {renamed.acronym}"
        return "pa", f"dangling link: {ref.model} has no process area {ref.pa!r}"
    if ref.item is None:
        return None
    for pa in areas:
        if any(g.code == ref.item or any(p.code == ref.item for p in g.practices) for g in pa.goals):
            return None
    return "item", f"dangling link: {ref.model} {ref.pa} has no goal or practice {ref.item!r}"


def validate_catalog(catalog: Catalog, *, source: str = "installed models") -> None:
    """Checks across files: unique model versions, generic goals that resolve, links that resolve."""
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for model in catalog.models:
        ident = (model.key.casefold(), model.version.casefold())
        if ident in seen:
            problems.append(Problem(source, model.ident, "this model version is installed twice"))
        seen.add(ident)
        if model.generic_goals_from is not None:
            base = [m for m in catalog.models if m.key == model.generic_goals_from]
            if not base:
                problems.append(
                    Problem(
                        source, model.ident, f"generic_goals_from: no model {model.generic_goals_from!r} is installed"
                    )
                )
            elif not any(m.generic_goals for m in base):
                problems.append(
                    Problem(source, model.ident, f"generic_goals_from: {model.generic_goals_from} has no generic goals")
                )
    linked: set[tuple[Ref, Ref, str]] = set()
    for i, link in enumerate(catalog.links):
        path = f"link {i + 1} ({link.source} {link.relation} {link.target})"
        for ref in (link.source, link.target):
            problem = resolve_problem(ref, catalog.models)
            if problem is not None:
                problems.append(Problem(source, path, problem))
        if (link.source, link.target, link.relation) in linked:
            problems.append(Problem(source, path, "the same link is listed twice"))
        linked.add((link.source, link.target, link.relation))
    if problems:
        raise CatalogError(problems, "The installed models do not fit together")
