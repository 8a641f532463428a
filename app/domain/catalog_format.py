"""The project's own catalog format: model files (`appraisal-desk/model-v1`) and the links file (`links-v1`).

Parsing takes already-loaded data (mappings and lists), so it stays pure. Mappings that know where they came
from make every problem name its place: `line_of(key)` (YAML lines, see `app/storage/yaml_source.py`) or
`cell_of(key)` (spreadsheet cells). Every problem is collected before raising, and nothing is returned when
there is any, so a half-valid file never becomes half a model. `docs/model-format.md` documents the format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.domain.catalog import (
    Catalog,
    CrossLink,
    Goal,
    GoalKind,
    InformativeItem,
    Model,
    ModelKind,
    Practice,
    ProcessArea,
    Provenance,
    Ref,
)

MODEL_FORMAT = "appraisal-desk/model-v1"
LINKS_FORMAT = "appraisal-desk/links-v1"

INFORMATIVE_KINDS = ("subpractice", "note", "example", "elaboration", "example-work-product", "summary")
RELATIONS: dict[str, str] = {
    "extends": "the source goes further than the target",
    "extended-by": "the target goes further than the source",
    "derived-from": "the source's content was derived from the target",
    "detailed-by": "the target gives more detail and rigor for implementing the source",
    "overlaps": "both cover part of the same ground; evidence for one often serves the other",
    "uses": "the source relies on what the target produces",
    "supports": "what the source produces feeds the target",
    "equivalent": "the same intent in both models",
}

# Keys and versions name library files and appear in links, so they stay plain: no spaces, no '|' or '/'.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}\Z")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+-]{0,63}\Z")
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
_LINK_FIELDS = ("from", "to", "relation", "rationale", "provenance")
_REF_FIELDS = ("model", "pa", "item")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a catalog file, with where it is: file, item path, and line or cell when known."""

    source: str
    path: str
    message: str
    line: int | None = None
    cell: str | None = None

    def __str__(self) -> str:
        where = [self.source]
        if self.line:
            where.append(f"line {self.line}")
        if self.cell:
            where.append(self.cell)
        return f"{', '.join(where)}: {self.path + ': ' if self.path else ''}{self.message}"


class CatalogError(ValueError):
    """A catalog file or catalog is not valid; `problems` lists every problem found, each located."""

    def __init__(self, problems: Sequence[Problem], headline: str = "The model catalog has problems") -> None:
        self.problems = list(problems)
        self.headline = headline
        super().__init__(f"{headline}:\n" + "\n".join(f"  {p}" for p in self.problems))


def _show(value: object) -> str:
    """A short, always-safe rendering of a user's value for a message (huge ints cannot be str()-ed)."""
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class _Reader:
    """Collects every problem instead of stopping at the first, so a file gets fixed in one pass."""

    source: str
    problems: list[Problem] = field(default_factory=list)

    def where(self, data: object, key: object | None) -> tuple[int | None, str | None]:
        # Both hooks fall back to the mapping's own place for a key it lacks (a missing title is reported at its
        # practice's line, or at the empty cell of the spreadsheet row that should have held it).
        line: int | None = None
        cell: str | None = None
        line_of = getattr(data, "line_of", None)
        if callable(line_of):
            raw = line_of(key)
            line = raw if isinstance(raw, int) and raw > 0 else None
        cell_of = getattr(data, "cell_of", None)
        if callable(cell_of):
            raw_cell = cell_of(key)
            cell = raw_cell if isinstance(raw_cell, str) and raw_cell else None
        return line, cell

    def problem(self, data: object, key: object | None, path: str, message: str) -> None:
        line, cell = self.where(data, key)
        self.problems.append(Problem(self.source, path, message, line, cell))

    def fields(self, data: Mapping[Any, Any], allowed: Sequence[str], path: str) -> None:
        for key in data:
            if key not in allowed:
                self.problem(data, key, path, f"unknown field {_show(key)}; expected one of: {', '.join(allowed)}")

    def mapping(self, raw: object, parent: object, key: str, path: str, what: str) -> Mapping[Any, Any] | None:
        """`raw` as a mapping; otherwise a problem located at the list (`parent[key]`) that holds it."""
        if isinstance(raw, Mapping):
            return raw
        self.problem(parent, key, path, f"{what} must be a mapping of fields, found {_show(raw)}")
        return None

    def required_items(self, data: Mapping[Any, Any], key: str, path: str, need: str) -> list[object]:
        """A list that must hold at least one entry; reports a missing, empty or non-list value once."""
        value = data.get(key)
        if value is None:
            self.problem(data, None if key not in data else key, path, f"'{key}' is missing ({need})")
            return []
        if isinstance(value, list | tuple) and not value:
            self.problem(data, key, path, f"'{key}' is empty ({need})")
            return []
        return self.items(data, key, path)

    def items(self, data: Mapping[Any, Any], key: str, path: str) -> list[object]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            self.problem(data, key, path, f"'{key}' must be a list, found {_show(value)}")
            return []
        return list(value)

    def text(self, data: Mapping[Any, Any], key: str, path: str, *, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(data, key, path, f"'{key}' is empty" if _has(data, key) else f"'{key}' is missing")
            return None
        if not isinstance(value, str):
            self.problem(data, key, path, f"'{key}' must be text (put it in quotes), found {_show(value)}")
            return None
        if not value.strip():
            self.problem(data, key, path, f"'{key}' is empty")
            return None
        return value

    def ident(self, data: Mapping[Any, Any], key: str, path: str, pattern: re.Pattern[str]) -> str | None:
        value = self.text(data, key, path, required=True)
        if value is not None and not pattern.match(value):
            self.problem(
                data, key, path, f"'{key}' {_show(value)} may hold only letters, digits and . _ - + (and : in IDs)"
            )
            return None
        return value

    def flag(self, data: Mapping[Any, Any], key: str, path: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.problem(data, key, path, f"'{key}' must be true or false, found {_show(value)}")
            return False
        return value

    def level(self, data: Mapping[Any, Any], key: str, path: str, lo: int, hi: int) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            self.problem(data, key, path, f"'{key}' must be a whole number from {lo} to {hi}, found {_show(value)}")
            return None
        return int(value)


def _has(data: Mapping[Any, Any], key: object) -> bool:
    try:
        return key in data
    except TypeError:
        return False


class _Seen:
    """Codes already used in one scope, remembering where each first stood for the duplicate message."""

    def __init__(self, reader: _Reader, what: str) -> None:
        self.reader = reader
        self.what = what
        self.first: dict[str, str] = {}

    def add(self, code: str | None, data: Mapping[Any, Any], key: str, path: str) -> None:
        if code is None:
            return
        line, cell = self.reader.where(data, key)
        here = f"line {line}" if line else cell or ""
        if code in self.first:
            before = self.first[code]
            self.reader.problem(
                data, key, path, f"duplicate {self.what} {code!r}" + (f" (first at {before})" if before else "")
            )
        else:
            self.first[code] = here


# --- models ---------------------------------------------------------------------------------------------


def parse_model(data: object, *, source: str) -> Model:
    """Validate one loaded model file and build the Model. Raises CatalogError listing every problem."""
    reader = _Reader(source)
    model = _model(reader, data)
    if reader.problems or model is None:
        raise CatalogError(reader.problems, f"{source} is not a valid model file; nothing was loaded")
    return model


def _format_ok(reader: _Reader, data: object, expected: str, what: str) -> Mapping[Any, Any] | None:
    if not isinstance(data, Mapping):
        reader.problem(data, None, "", f"{what} must be a YAML mapping starting with 'format: {expected}'")
        return None
    found = data.get("format")
    if found is None:
        reader.problem(data, None, "", f"the header 'format: {expected}' is missing")
        return None
    if found != expected:
        # A different format would only produce noise below, so stop at this one problem.
        reader.problem(data, "format", "", f"unknown format {_show(found)}; this version reads '{expected}'")
        return None
    return data


def _model(reader: _Reader, data: object) -> Model | None:
    top = _format_ok(reader, data, MODEL_FORMAT, "a model file")
    if top is None:
        return None
    reader.fields(top, _TOP_FIELDS, "")
    head = top.get("model")
    if not isinstance(head, Mapping):
        found = "is missing" if head is None else f"must be a mapping of fields, found {_show(head)}"
        reader.problem(top, "model", "", f"the 'model' section {found}")
        return None
    reader.fields(head, _MODEL_FIELDS, "model")
    key = reader.ident(head, "key", "model", _NAME)
    version = reader.ident(head, "version", "model", _NAME)
    label = f"{key} {version}" if key and version else key or "model"
    name = reader.text(head, "name", label, required=True)
    kind = _kind(reader, head, label)
    source = reader.text(head, "source", label)
    description = reader.text(head, "description", label)
    base = reader.ident(head, "generic_goals_from", label, _NAME) if "generic_goals_from" in head else None
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


def _kind(reader: _Reader, head: Mapping[Any, Any], label: str) -> ModelKind | None:
    raw = reader.text(head, "kind", label, required=True)
    if raw is None:
        return None
    try:
        return ModelKind(raw)
    except ValueError:
        known = ", ".join(k.value for k in ModelKind)
        reader.problem(head, "kind", label, f"'kind' must be one of {known}, found {_show(raw)}")
        return None


def _categories(reader: _Reader, head: Mapping[Any, Any], label: str) -> tuple[str, ...]:
    result: list[str] = []
    for value in reader.required_items(head, "categories", label, "list the process area categories"):
        if not isinstance(value, str) or not value.strip():
            reader.problem(head, "categories", label, f"a category must be non-empty text, found {_show(value)}")
        elif value in result:
            reader.problem(head, "categories", label, f"duplicate category {value!r}")
        else:
            result.append(value)
    return tuple(result)


def _max_capability(reader: _Reader, head: Mapping[Any, Any], label: str, kind: ModelKind | None) -> int | None:
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
    reader: _Reader,
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
    reader: _Reader,
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


def _generic_goals(reader: _Reader, top: Mapping[Any, Any], label: str) -> tuple[Goal, ...]:
    if "generic_goals" not in top:
        return ()
    raw_list = reader.required_items(top, "generic_goals", label, "leave the section out if the model has none")
    codes = _Seen(reader, "generic goal or practice ID")
    goals = [
        _goal(reader, raw, top, f"{label} / generic_goals[{i + 1}]", label, GoalKind.GENERIC, codes, None)
        for i, raw in enumerate(raw_list)
    ]
    return tuple(g for g in goals if g is not None)


def _process_areas(
    reader: _Reader, top: Mapping[Any, Any], label: str, categories: tuple[str, ...], has_ml: bool
) -> tuple[ProcessArea, ...]:
    raw_list = reader.required_items(top, "process_areas", label, "a model needs at least one process area")
    names = _Seen(reader, "process area acronym or alias")
    areas = [
        _process_area(reader, raw, top, f"{label} / process_areas[{i + 1}]", label, categories, has_ml, names)
        for i, raw in enumerate(raw_list)
    ]
    return tuple(a for a in areas if a is not None)


def _process_area(
    reader: _Reader,
    raw: object,
    top: Mapping[Any, Any],
    fallback: str,
    label: str,
    categories: tuple[str, ...],
    has_ml: bool,
    names: _Seen,
) -> ProcessArea | None:
    data = reader.mapping(raw, top, "process_areas", fallback, "a process area")
    if data is None:
        return None
    acronym = reader.ident(data, "acronym", fallback, _CODE)
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
        if not isinstance(value, str) or not _CODE.match(value):
            reader.problem(data, "aliases", path, f"an alias must be an acronym like PP, found {_show(value)}")
        elif value == acronym:
            reader.problem(data, "aliases", path, f"alias {value!r} repeats the acronym")
        else:
            names.add(value, data, "aliases", path)
            aliases.append(value)
    addition = reader.flag(data, "addition", path)
    unverified = reader.flag(data, "unverified", path)
    purpose = reader.text(data, "purpose", path)
    note = reader.text(data, "note", path)
    codes = _Seen(reader, "goal or practice ID")
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
    reader: _Reader,
    raw: object,
    parent_data: Mapping[Any, Any],
    fallback: str,
    parent: str,
    kind: GoalKind,
    codes: _Seen,
    acronym: str | None,
) -> Goal | None:
    list_key = "generic_goals" if kind is GoalKind.GENERIC else "specific_goals"
    data = reader.mapping(raw, parent_data, list_key, fallback, "a goal")
    if data is None:
        return None
    code = reader.ident(data, "id", fallback, _CODE)
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
    reader: _Reader,
    raw: object,
    goal_data: Mapping[Any, Any],
    fallback: str,
    parent: str,
    codes: _Seen,
    goal: str | None,
    acronym: str | None,
) -> Practice | None:
    data = reader.mapping(raw, goal_data, "practices", fallback, "a practice")
    if data is None:
        return None
    code = reader.ident(data, "id", fallback, _CODE)
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


def _informative(reader: _Reader, raw: object, practice: Mapping[Any, Any], path: str) -> InformativeItem | None:
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
    reader: _Reader, data: Mapping[Any, Any], path: str, code: str, kind: GoalKind, acronym: str | None
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
    reader: _Reader, data: Mapping[Any, Any], path: str, code: str, goal: str, acronym: str | None
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


# --- links ----------------------------------------------------------------------------------------------


def parse_links(data: object, *, source: str, models: Sequence[Model] | None = None) -> tuple[CrossLink, ...]:
    """Validate a loaded links file; with `models`, every link must also resolve. Raises CatalogError."""
    reader = _Reader(source)
    links = _links(reader, data, models)
    if reader.problems or links is None:
        raise CatalogError(reader.problems, f"{source} is not a valid links file; nothing was loaded")
    return links


def _links(reader: _Reader, data: object, models: Sequence[Model] | None) -> tuple[CrossLink, ...] | None:
    top = _format_ok(reader, data, LINKS_FORMAT, "a links file")
    if top is None:
        return None
    reader.fields(top, ("format", "links"), "")
    result: list[CrossLink] = []
    seen: _Seen = _Seen(reader, "link")
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


def _provenance(reader: _Reader, data: Mapping[Any, Any], path: str) -> Provenance | None:
    raw = reader.text(data, "provenance", path, required=True)
    if raw is None:
        return None
    try:
        return Provenance(raw)
    except ValueError:
        known = ", ".join(p.value for p in Provenance)
        reader.problem(data, "provenance", path, f"'provenance' must be one of {known}, found {raw!r}")
        return None


def _ref(reader: _Reader, link: Mapping[Any, Any], key: str, path: str, models: Sequence[Model] | None) -> Ref | None:
    raw = link.get(key)
    where = f"{path}.{key}"
    if not isinstance(raw, Mapping):
        found = "is missing" if raw is None else "must be a mapping like {model: CMMI-SVC, pa: IRP, item: SP1.1}"
        reader.problem(link, key, path, f"'{key}' {found}")
        return None
    reader.fields(raw, _REF_FIELDS, where)
    model = reader.ident(raw, "model", where, _NAME)
    pa = reader.ident(raw, "pa", where, _CODE)
    item = reader.ident(raw, "item", where, _CODE) if "item" in raw else None
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


# --- cross-file checks ----------------------------------------------------------------------------------


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


# --- writing --------------------------------------------------------------------------------------------


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
