"""Reading a model file (`appraisal-desk/model-v1`) into a Model, with every problem located."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from app.domain.catalog import (
    Goal,
    GoalKind,
    InformativeItem,
    Model,
    ModelKind,
    Practice,
    ProcessArea,
)
from app.domain.catalog_format import (
    CODE,
    INFORMATIVE_KINDS,
    MODEL_FORMAT,
    NAME,
    CatalogError,
    format_header,
)
from app.domain.located import LocatedReader, Seen, show

# CMMI-style numbering, checked only where both codes follow it: SG1/ESG1/ADM:SG1/GG1, SP1.2/ESP1.2/GP1.2/ADM:SG1.SP2.
_GOAL_NO = re.compile(r"(?:(?P<pa>[A-Za-z0-9]+):)?(?:E?SG|GG)(?P<n>\d+)\Z")
_PRACTICE_NO = re.compile(r"(?:(?P<pa>[A-Za-z0-9]+):(?:SG(?P<g>\d+)\.SP\d+)|(?:E?SP|GP)(?P<n>\d+)\.\d+)\Z")

_TOP_FIELDS = ("format", "model", "generic_goals", "process_areas")
_MODEL_FIELDS = (
    "key",
    "version",
    "name",
    "kind",
    "source",
    "description",
    "generic_goals_from",
    "categories",
    "has_maturity_levels",
    "max_capability_level",
)
_PA_FIELDS = (
    "acronym",
    "name",
    "category",
    "maturity_level",
    "addition",
    "aliases",
    "unverified",
    "purpose",
    "note",
    "specific_goals",
)
_GOAL_FIELDS = ("id", "title", "statement", "unverified", "practices")
_PRACTICE_FIELDS = ("id", "title", "statement", "unverified", "note", "informative")


def parse_model(data: object, *, source: str) -> Model:
    """Validate one loaded model file and build the Model. Raises CatalogError listing every problem."""
    reader = LocatedReader(source)
    model = _model(reader, data)
    if reader.problems or model is None:
        raise CatalogError(reader.problems, f"{source} is not a valid model file; nothing was loaded")
    return model


def _model(reader: LocatedReader, data: object) -> Model | None:
    top = format_header(reader, data, MODEL_FORMAT, "a model file")
    if top is None:
        return None
    reader.fields(top, _TOP_FIELDS, "")
    head = top.get("model")
    if not isinstance(head, Mapping):
        found = "is missing" if head is None else f"must be a mapping of fields, found {show(head)}"
        reader.problem(top, "model", "", f"the 'model' section {found}")
        return None
    reader.fields(head, _MODEL_FIELDS, "model")
    key = reader.ident(head, "key", "model", NAME)
    version = reader.ident(head, "version", "model", NAME)
    label = f"{key} {version}" if key and version else key or "model"
    name = reader.text(head, "name", label, required=True)
    kind = _kind(reader, head, label)
    source = reader.text(head, "source", label)
    description = reader.text(head, "description", label)
    base = reader.ident(head, "generic_goals_from", label, NAME) if "generic_goals_from" in head else None
    categories = _categories(reader, head, label)
    has_ml = reader.flag(head, "has_maturity_levels", label)
    max_cl = _max_capability(reader, head, label, kind)
    _check_kind_rules(reader, top, head, label, kind, key)

    generic = _generic_goals(reader, top, label)
    _check_generic_levels(reader, top, label, generic, max_cl, kind)
    areas = _process_areas(reader, top, label, categories, has_ml)
    if key is None or version is None or name is None or kind is None or max_cl is None:
        return None
    return Model(
        key=key,
        version=version,
        name=name,
        kind=kind,
        process_areas=areas,
        generic_goals=generic,
        generic_goals_from=base,
        categories=categories,
        has_maturity_levels=has_ml,
        max_capability_level=max_cl,
        source=source,
        description=description,
    )


def _kind(reader: LocatedReader, head: Mapping[Any, Any], label: str) -> ModelKind | None:
    raw = reader.text(head, "kind", label, required=True)
    if raw is None:
        return None
    try:
        return ModelKind(raw)
    except ValueError:
        known = ", ".join(k.value for k in ModelKind)
        reader.problem(head, "kind", label, f"'kind' must be one of {known}, found {show(raw)}")
        return None


def _categories(reader: LocatedReader, head: Mapping[Any, Any], label: str) -> tuple[str, ...]:
    result: list[str] = []
    for value in reader.required_items(head, "categories", label, "list the process area categories"):
        if not isinstance(value, str) or not value.strip():
            reader.problem(head, "categories", label, f"a category must be non-empty text, found {show(value)}")
        elif value in result:
            reader.problem(head, "categories", label, f"duplicate category {value!r}")
        else:
            result.append(value)
    return tuple(result)


def _max_capability(reader: LocatedReader, head: Mapping[Any, Any], label: str, kind: ModelKind | None) -> int | None:
    if kind is ModelKind.REFERENCE:
        if head.get("max_capability_level", 0) != 0 or isinstance(head.get("max_capability_level"), bool):
            reader.problem(
                head, "max_capability_level", label, "a reference standard is not rated: 'max_capability_level' is 0"
            )
            return None
        return 0
    if "max_capability_level" not in head:
        return 3
    if head.get("max_capability_level") is None:
        reader.problem(
            head, "max_capability_level", label, "'max_capability_level' is empty; give a number from 1 to 5"
        )
        return None
    return reader.level(head, "max_capability_level", label, 1, 5)


def _check_kind_rules(
    reader: LocatedReader,
    top: Mapping[Any, Any],
    head: Mapping[Any, Any],
    label: str,
    kind: ModelKind | None,
    key: str | None,
) -> None:
    """What each kind may carry: generic goals rate a model, a pseudo PA borrows them, a reference is never rated."""
    own = "generic_goals" in top
    borrowed = "generic_goals_from" in head
    if borrowed and head.get("generic_goals_from") == key:
        reader.problem(head, "generic_goals_from", label, "a model cannot take generic goals from itself")
    if kind is ModelKind.REFERENCE:
        if own or borrowed:
            reader.problem(head, "kind", label, "a reference standard is not rated, so it takes no generic goals")
        if head.get("has_maturity_levels") is True:
            reader.problem(head, "has_maturity_levels", label, "a reference standard is not rated: no maturity levels")
        return
    if own and borrowed:
        reader.problem(head, "generic_goals_from", label, "give 'generic_goals' or 'generic_goals_from', not both")
    if kind is ModelKind.PSEUDO_PA and own:
        reader.problem(
            top, "generic_goals", label, "a pseudo process area is rated with its base model's generic goals"
        )
    if kind is ModelKind.PSEUDO_PA and not borrowed:
        reader.problem(
            head, "kind", label, "a pseudo process area needs 'generic_goals_from' (the model that rates it)"
        )
    if kind is ModelKind.MODEL and not own and not borrowed:
        reader.problem(head, "kind", label, "a rated model needs 'generic_goals' or 'generic_goals_from'")


def _check_generic_levels(
    reader: LocatedReader,
    top: Mapping[Any, Any],
    label: str,
    generic: tuple[Goal, ...],
    max_cl: int | None,
    kind: ModelKind | None,
) -> None:
    """Capability level n needs generic goal GGn; checked when the model numbers its generic goals GG1, GG2..."""
    if not generic or max_cl is None or kind is ModelKind.REFERENCE:
        return
    numbers = {int(g.code[2:]) for g in generic if re.fullmatch(r"GG\d{1,3}", g.code)}
    if len(numbers) != len(generic):
        return
    missing = [f"GG{n}" for n in range(1, max_cl + 1) if n not in numbers]
    if missing:
        reader.problem(
            top, "generic_goals", label, f"capability levels up to {max_cl} need generic goals {', '.join(missing)}"
        )


def _generic_goals(reader: LocatedReader, top: Mapping[Any, Any], label: str) -> tuple[Goal, ...]:
    if "generic_goals" not in top:
        return ()
    raw_list = reader.required_items(top, "generic_goals", label, "leave the section out if the model has none")
    codes = Seen(reader, "generic goal or practice ID")
    goals = [
        _goal(reader, raw, top, f"{label} / generic_goals[{i + 1}]", label, GoalKind.GENERIC, codes, None)
        for i, raw in enumerate(raw_list)
    ]
    return tuple(g for g in goals if g is not None)


def _process_areas(
    reader: LocatedReader, top: Mapping[Any, Any], label: str, categories: tuple[str, ...], has_ml: bool
) -> tuple[ProcessArea, ...]:
    raw_list = reader.required_items(top, "process_areas", label, "a model needs at least one process area")
    names = Seen(reader, "process area acronym or alias")
    areas = [
        _process_area(reader, raw, top, f"{label} / process_areas[{i + 1}]", label, categories, has_ml, names)
        for i, raw in enumerate(raw_list)
    ]
    return tuple(a for a in areas if a is not None)


def _process_area(
    reader: LocatedReader,
    raw: object,
    top: Mapping[Any, Any],
    fallback: str,
    label: str,
    categories: tuple[str, ...],
    has_ml: bool,
    names: Seen,
) -> ProcessArea | None:
    data = reader.mapping(raw, top, "process_areas", fallback, "a process area")
    if data is None:
        return None
    acronym = reader.ident(data, "acronym", fallback, CODE)
    path = f"{label} / {acronym}" if acronym else fallback
    reader.fields(data, _PA_FIELDS, path)
    names.add(acronym, data, "acronym", path)
    name = reader.text(data, "name", path, required=True)
    category = reader.text(data, "category", path, required=True)
    if category is not None and categories and category not in categories:
        known = ", ".join(categories)
        reader.problem(data, "category", path, f"category {category!r} is not one of the model's categories: {known}")
    level = reader.level(data, "maturity_level", path, 2, 5)
    if has_ml and data.get("maturity_level") is None:
        reader.problem(data, "maturity_level", path, "'maturity_level' is missing (the model has maturity levels)")
    if not has_ml and data.get("maturity_level") is not None:
        reader.problem(data, "maturity_level", path, "the model has no maturity levels (has_maturity_levels: false)")
    aliases: list[str] = []
    for value in reader.items(data, "aliases", path):
        if not isinstance(value, str) or not CODE.match(value):
            reader.problem(data, "aliases", path, f"an alias must be an acronym like PP, found {show(value)}")
        elif value == acronym:
            reader.problem(data, "aliases", path, f"alias {value!r} repeats the acronym")
        else:
            names.add(value, data, "aliases", path)
            aliases.append(value)
    addition = reader.flag(data, "addition", path)
    unverified = reader.flag(data, "unverified", path)
    purpose = reader.text(data, "purpose", path)
    note = reader.text(data, "note", path)
    codes = Seen(reader, "goal or practice ID")
    raw_goals = reader.required_items(data, "specific_goals", path, "a process area needs at least one goal")
    goals = [
        _goal(reader, g, data, f"{path} / specific_goals[{i + 1}]", path, GoalKind.SPECIFIC, codes, acronym)
        for i, g in enumerate(raw_goals)
    ]
    if acronym is None or name is None or category is None:
        return None
    return ProcessArea(
        acronym=acronym,
        name=name,
        category=category,
        goals=tuple(g for g in goals if g is not None),
        maturity_level=level if has_ml else None,
        addition=addition,
        aliases=tuple(aliases),
        purpose=purpose,
        unverified=unverified,
        note=note,
    )


def _goal(
    reader: LocatedReader,
    raw: object,
    parent_data: Mapping[Any, Any],
    fallback: str,
    parent: str,
    kind: GoalKind,
    codes: Seen,
    acronym: str | None,
) -> Goal | None:
    list_key = "generic_goals" if kind is GoalKind.GENERIC else "specific_goals"
    data = reader.mapping(raw, parent_data, list_key, fallback, "a goal")
    if data is None:
        return None
    code = reader.ident(data, "id", fallback, CODE)
    path = f"{parent} / {code}" if code else fallback
    reader.fields(data, _GOAL_FIELDS, path)
    codes.add(code, data, "id", path)
    if code is not None:
        _check_goal_number(reader, data, path, code, kind, acronym)
    title = reader.text(data, "title", path, required=True)
    statement = reader.text(data, "statement", path)
    unverified = reader.flag(data, "unverified", path)
    raw_practices = reader.required_items(data, "practices", path, "a goal needs at least one practice")
    practices = [
        _practice(reader, p, data, f"{path} / practices[{i + 1}]", path, codes, code, acronym)
        for i, p in enumerate(raw_practices)
    ]
    if code is None or title is None:
        return None
    return Goal(code, title, kind, tuple(p for p in practices if p is not None), statement, unverified)


def _practice(
    reader: LocatedReader,
    raw: object,
    goal_data: Mapping[Any, Any],
    fallback: str,
    parent: str,
    codes: Seen,
    goal: str | None,
    acronym: str | None,
) -> Practice | None:
    data = reader.mapping(raw, goal_data, "practices", fallback, "a practice")
    if data is None:
        return None
    code = reader.ident(data, "id", fallback, CODE)
    path = f"{parent} / {code}" if code else fallback
    reader.fields(data, _PRACTICE_FIELDS, path)
    codes.add(code, data, "id", path)
    if code is not None and goal is not None:
        _check_practice_number(reader, data, path, code, goal, acronym)
    title = reader.text(data, "title", path, required=True)
    statement = reader.text(data, "statement", path)
    unverified = reader.flag(data, "unverified", path)
    note = reader.text(data, "note", path)
    informative = [
        _informative(reader, item, data, f"{path} / informative[{i + 1}]")
        for i, item in enumerate(reader.items(data, "informative", path))
    ]
    if code is None or title is None:
        return None
    return Practice(code, title, statement, tuple(i for i in informative if i is not None), unverified, note)


def _informative(reader: LocatedReader, raw: object, practice: Mapping[Any, Any], path: str) -> InformativeItem | None:
    data = reader.mapping(raw, practice, "informative", path, "an informative item")
    if data is None:
        return None
    reader.fields(data, ("kind", "text"), path)
    kind = reader.text(data, "kind", path, required=True)
    if kind is not None and kind not in INFORMATIVE_KINDS:
        reader.problem(data, "kind", path, f"'kind' must be one of {', '.join(INFORMATIVE_KINDS)}, found {kind!r}")
        kind = None
    text = reader.text(data, "text", path, required=True)
    if kind is None or text is None:
        return None
    return InformativeItem(kind, text)


def _check_goal_number(
    reader: LocatedReader, data: Mapping[Any, Any], path: str, code: str, kind: GoalKind, acronym: str | None
) -> None:
    match = _GOAL_NO.match(code)
    if match is None:
        return
    numbered_generic = code.startswith("GG")
    if numbered_generic != (kind is GoalKind.GENERIC):
        belongs = "under 'generic_goals'" if numbered_generic else "in a process area's 'specific_goals'"
        reader.problem(
            data,
            "id",
            path,
            f"goal {code!r} is numbered as a {'generic' if numbered_generic else 'specific'} goal; "
            f"it belongs {belongs}",
        )
    prefix = match.group("pa")
    if prefix is not None and acronym is not None and prefix != acronym:
        reader.problem(data, "id", path, f"goal {code!r} is numbered for process area {prefix}, not {acronym}")


def _check_practice_number(
    reader: LocatedReader, data: Mapping[Any, Any], path: str, code: str, goal: str, acronym: str | None
) -> None:
    practice_no = _PRACTICE_NO.match(code)
    goal_no = _GOAL_NO.match(goal)
    if practice_no is None or goal_no is None:
        return
    number = practice_no.group("g") or practice_no.group("n")
    if number != goal_no.group("n"):
        reader.problem(data, "id", path, f"practice {code!r} is numbered for goal {number} but stands under {goal}")
    prefix = practice_no.group("pa")
    if prefix is not None and acronym is not None and prefix != acronym:
        reader.problem(data, "id", path, f"practice {code!r} is numbered for process area {prefix}, not {acronym}")
