"""The appraisal plan: what a plan file holds, and its validation with precise, located errors.

Parsing takes already-loaded data (mappings and lists), so it stays pure; mappings that know their source
lines (any object with `line_of(key)`) make every problem name its line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.domain.catalog import Catalog, ModelKind

METHODS = ("SCAMPI A", "SCAMPI B", "SCAMPI C")
SCALES = {"v1.3": "v1.3", "1.3": "v1.3", "v2": "v2", "v3": "v2", "v2/v3": "v2"}
TEAM_ROLES = ("lead", "member", "observer")


@dataclass(frozen=True, slots=True)
class PaKey:
    model: str
    pa: str

    def __str__(self) -> str:
        return f"{self.model}:{self.pa}"


@dataclass(frozen=True, slots=True)
class ScopeEntry:
    pa: PaKey
    target_capability_level: int | None = None
    excluded: bool = False
    exclusion_reason: str = ""


@dataclass(frozen=True, slots=True)
class SamplingFactorPlan:
    name: str
    relevant: bool = True
    rationale: str = ""
    values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SubgroupPlan:
    name: str
    description: str = ""
    factors: tuple[tuple[str, str], ...] = ()
    total_units: int | None = None
    people: int | None = None


@dataclass(frozen=True, slots=True)
class UnitPlan:
    name: str
    kind: str  # "basic_unit" | "support_function"
    description: str = ""
    subgroup: str | None = None
    process_areas: tuple[PaKey, ...] = ()
    """Empty for a basic unit means every process area in scope."""
    sampled: bool = True


@dataclass(frozen=True, slots=True)
class TeamMemberPlan:
    name: str
    role: str = "member"
    organization: str = ""


@dataclass(frozen=True, slots=True)
class MiniTeamPlan:
    name: str
    members: tuple[str, ...] = ()
    process_areas: tuple[PaKey, ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    name: str
    identifier: str = ""
    """The appraisal ID the CMMI Institute or the sponsor assigned; printed on the disclosure statement."""
    sponsor: str = ""
    lead_appraiser: str = ""
    method: str = "SCAMPI A"
    scale: str = "v1.3"
    start_date: date | None = None
    end_date: date | None = None
    valid_until: date | None = None
    """When the ratings expire; None means the longest allowed, three years after the end date (§4.2)."""
    target_maturity_level: int | None = None
    unit_specific_findings: bool = False
    org_unit_name: str = ""
    org_unit_description: str = ""
    scope: tuple[ScopeEntry, ...] = ()
    sampling_factors: tuple[SamplingFactorPlan, ...] = ()
    subgroups: tuple[SubgroupPlan, ...] = ()
    units: tuple[UnitPlan, ...] = ()
    team: tuple[TeamMemberPlan, ...] = ()
    mini_teams: tuple[MiniTeamPlan, ...] = ()

    def models_in_scope(self) -> list[str]:
        seen: list[str] = []
        for entry in self.scope:
            if entry.pa.model not in seen:
                seen.append(entry.pa.model)
        return seen


MAX_IDENTIFIER = 60
VALIDITY_YEARS = 3
"""Ratings are valid for at most three years from the appraisal's end (method-rules §4.2)."""


def longest_validity(end: date) -> date:
    """The last day ratings from an appraisal ending on `end` may be valid."""
    try:
        return end.replace(year=end.year + VALIDITY_YEARS)
    except ValueError:  # 29 February
        return end.replace(year=end.year + VALIDITY_YEARS, day=28)


def validity_problems(valid_until: date, start: date | None, end: date | None) -> list[str]:
    """What is wrong with an expiry date, in plain words; empty when it is acceptable."""
    if end is not None and valid_until < end:
        return ["ends before the appraisal does"]
    if start is not None and valid_until < start:
        return ["ends before the appraisal starts"]
    if end is not None and valid_until > longest_validity(end):
        limit = longest_validity(end).isoformat()
        return [f"is more than {VALIDITY_YEARS} years after the appraisal's end; the latest allowed is {limit}"]
    return []


@dataclass(frozen=True, slots=True)
class PlanProblem:
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        return f"{where}{self.field}: {self.message}"


class PlanError(ValueError):
    def __init__(self, source: str, problems: Sequence[PlanProblem]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__("\n".join(f"{source}: {problem}" for problem in self.problems))


def _line(data: object, key: object | None = None) -> int | None:
    line_of = getattr(data, "line_of", None)
    if callable(line_of):
        line = line_of(key) if key is not None else getattr(data, "line", 0)
        return int(line) or None
    return None


class _Named(dict[str, Any]):
    """A list entry written as a bare name, located at its list's line."""

    def __init__(self, name: str, line: int | None) -> None:
        super().__init__(name=name)
        self.line = line or 0

    def line_of(self, _key: object) -> int:
        return self.line


@dataclass
class _Reader:
    """Collects every problem instead of stopping at the first, so the user fixes the plan in one pass."""

    catalog: Catalog
    problems: list[PlanProblem] = field(default_factory=list)

    def problem(self, data: object, key: object | None, path: str, message: str) -> None:
        self.problems.append(PlanProblem(_line(data, key), path, message))

    def mapping(self, data: object, key: str, path: str, *, required: bool = False) -> Mapping[str, Any] | None:
        value = data.get(key) if isinstance(data, Mapping) else None
        if value is None:
            if required:
                self.problem(data, None, path, "is missing")
            return None
        if not isinstance(value, Mapping):
            self.problem(data, key, path, "must be a mapping of fields")
            return None
        return value

    def items(self, data: object, key: str, path: str) -> list[Any]:
        value = data.get(key) if isinstance(data, Mapping) else None
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(data, key, path, "must be a list")
            return []
        return value

    def text(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(data, key if key in data else None, f"{path}.{key}", "is required")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(data, key, f"{path}.{key}", "must be text")
            return ""
        return str(value).strip()

    def flag(self, data: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.problem(data, key, f"{path}.{key}", "must be true or false")
            return default
        return value

    def integer(self, data: Mapping[str, Any], key: str, path: str, lo: int, hi: int) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            self.problem(data, key, f"{path}.{key}", f"must be a whole number from {lo} to {hi}")
            return None
        return int(value)

    def day(self, data: Mapping[str, Any], key: str, path: str) -> date | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problem(data, key, f"{path}.{key}", "must be a date written YYYY-MM-DD")
        return None

    def pa_key(self, container: object, key: object, value: object, path: str) -> PaKey | None:
        """A process area written "MODEL:PA" (or {model, pa}), checked against the installed models."""
        if isinstance(value, Mapping):
            model, pa = value.get("model"), value.get("pa")
        elif isinstance(value, str) and ":" in value:
            model, _, pa = value.partition(":")
        else:
            self.problem(container, key, path, f"{value!r} must be written MODEL:PA, e.g. CMMI-SVC:IRP")
            return None
        model, pa = str(model or "").strip(), str(pa or "").strip()
        found = self.catalog.model(model)
        if found is None:
            known = ", ".join(m.key for m in self.catalog.models if m.kind is not ModelKind.REFERENCE)
            self.problem(container, key, path, f"unknown model {model!r} (installed: {known})")
            return None
        if found.kind is ModelKind.REFERENCE:
            self.problem(container, key, path, f"{model} is a reference standard, not a model that can be rated")
            return None
        area = found.process_area(pa)
        if area is None:
            self.problem(container, key, path, f"{model} has no process area {pa!r}")
            return None
        return PaKey(model, area.acronym)

    def pa_list(self, data: Mapping[str, Any], key: str, path: str) -> tuple[PaKey, ...]:
        result: list[PaKey] = []
        for i, value in enumerate(self.items(data, key, f"{path}.{key}")):
            found = self.pa_key(data, key, value, f"{path}.{key}[{i + 1}]")
            if found in result:
                self.problem(data, key, f"{path}.{key}[{i + 1}]", f"{found.model}:{found.pa} is listed twice")
            elif found is not None:
                result.append(found)
        return tuple(result)


def _unique(reader: _Reader, entries: Sequence[tuple[Mapping[str, Any], str]], path: str) -> None:
    seen: set[str] = set()
    for data, name in entries:
        if name and name.casefold() in seen:
            reader.problem(data, "name", f"{path}.name", f"{name!r} is listed twice")
        seen.add(name.casefold())


def parse_plan(data: object, catalog: Catalog, *, source: str = "plan") -> Plan:
    """Validate a loaded plan file against the installed models. Raises PlanError listing every problem."""
    reader = _Reader(catalog)
    if not isinstance(data, Mapping):
        raise PlanError(source, [PlanProblem(None, "plan", "must be a mapping with an 'appraisal' section")])
    known = {
        "appraisal",
        "organizational_unit",
        "scope",
        "sampling_factors",
        "subgroups",
        "basic_units",
        "support_functions",
        "team",
        "mini_teams",
    }
    for key in data:
        if key not in known:
            reader.problem(
                data, key, str(key) or repr(key), f"unknown section (expected one of: {', '.join(sorted(known))})"
            )

    head = reader.mapping(data, "appraisal", "appraisal", required=True) or {}
    name = reader.text(head, "name", "appraisal", required=True) if head else ""
    method = reader.text(head, "method", "appraisal") or "SCAMPI A"
    if method.upper() not in METHODS:
        reader.problem(head, "method", "appraisal.method", f"{method!r} is not one of {', '.join(METHODS)}")
    scale_text = reader.text(head, "scale", "appraisal") or "v1.3"
    scale = SCALES.get(scale_text.lower())
    if scale is None:
        reader.problem(
            head, "scale", "appraisal.scale", f"{scale_text!r}: use v1.3 (FI/LI/PI/NI/NY) or v2 (FM/LM/PM/DM/NY)"
        )
    start, end = reader.day(head, "start", "appraisal"), reader.day(head, "end", "appraisal")
    if start and end and end < start:
        reader.problem(head, "end", "appraisal.end", "ends before it starts")
    valid_until = reader.day(head, "valid_until", "appraisal")
    if valid_until is not None:
        for problem in validity_problems(valid_until, start, end):
            reader.problem(head, "valid_until", "appraisal.valid_until", problem)
    identifier = reader.text(head, "id", "appraisal")
    if len(identifier) > MAX_IDENTIFIER:
        reader.problem(head, "id", "appraisal.id", f"is {len(identifier)} characters; keep it within {MAX_IDENTIFIER}")

    ou = reader.mapping(data, "organizational_unit", "organizational_unit") or {}
    scope = _parse_scope(reader, data)
    factors = _parse_factors(reader, data)
    subgroups = _parse_subgroups(reader, data, {f.name for f in factors})
    units = _parse_units(reader, data, {s.name for s in subgroups}, {e.pa for e in scope})
    team = _parse_team(reader, data)
    mini_teams = _parse_mini_teams(reader, data, {m.name for m in team}, {e.pa for e in scope})

    plan = Plan(
        name=name,
        identifier=identifier,
        sponsor=reader.text(head, "sponsor", "appraisal"),
        lead_appraiser=reader.text(head, "lead_appraiser", "appraisal"),
        method=method.upper(),
        scale=scale or "v1.3",
        start_date=start,
        end_date=end,
        valid_until=valid_until,
        target_maturity_level=reader.integer(head, "target_maturity_level", "appraisal", 2, 5),
        unit_specific_findings=reader.flag(head, "unit_specific_findings", "appraisal", False),
        org_unit_name=reader.text(ou, "name", "organizational_unit"),
        org_unit_description=reader.text(ou, "description", "organizational_unit"),
        scope=scope,
        sampling_factors=factors,
        subgroups=subgroups,
        units=units,
        team=team,
        mini_teams=mini_teams,
    )
    if reader.problems:
        raise PlanError(source, reader.problems)
    return plan


def _parse_scope(reader: _Reader, data: Mapping[str, Any]) -> tuple[ScopeEntry, ...]:
    entries: list[ScopeEntry] = []
    seen: set[PaKey] = set()
    raw = reader.items(data, "scope", "scope")
    if not raw and "scope" in data:
        reader.problem(data, "scope", "scope", "lists no process areas")
    for i, item in enumerate(raw):
        path = f"scope[{i + 1}]"
        if not isinstance(item, Mapping):
            reader.problem(data, "scope", path, "must be a mapping like {model: CMMI-SVC, pa: IRP}")
            continue
        key = reader.pa_key(item, "pa" if "pa" in item else None, item, path)
        cl = reader.integer(item, "target_capability_level", path, 0, 5)
        if key is not None:
            model = reader.catalog.model(key.model)
            if model is not None and cl is not None and cl > model.max_capability_level:
                reader.problem(
                    item,
                    "target_capability_level",
                    f"{path}.target_capability_level",
                    f"{key.model} rates capability levels 0 to {model.max_capability_level}",
                )
            if key in seen:
                reader.problem(item, "pa", f"{path}.pa", f"{key} is in scope twice")
            seen.add(key)
            reason = reader.text(item, "exclusion_reason", path)
            excluded = reader.flag(item, "excluded", path, False)
            if excluded and not reason:
                reader.problem(item, "excluded", f"{path}.exclusion_reason", "an excluded process area needs a reason")
            entries.append(ScopeEntry(key, cl, excluded, reason))
    return tuple(entries)


def _parse_factors(reader: _Reader, data: Mapping[str, Any]) -> tuple[SamplingFactorPlan, ...]:
    result: list[SamplingFactorPlan] = []
    raw: list[tuple[Mapping[str, Any], str]] = []
    for i, item in enumerate(reader.items(data, "sampling_factors", "sampling_factors")):
        path = f"sampling_factors[{i + 1}]"
        if not isinstance(item, Mapping):
            reader.problem(data, "sampling_factors", path, "must be a mapping with a name")
            continue
        name = reader.text(item, "name", path, required=True)
        relevant = reader.flag(item, "relevant", path, True)
        rationale = reader.text(item, "rationale", path)
        if not rationale:
            reader.problem(
                item, "name", f"{path}.rationale", "every sampling factor needs a rationale (relevant or not)"
            )
        values = tuple(str(v) for v in reader.items(item, "values", f"{path}.values"))
        raw.append((item, name))
        result.append(SamplingFactorPlan(name, relevant, rationale, values))
    _unique(reader, raw, "sampling_factors")
    return tuple(result)


def _parse_subgroups(reader: _Reader, data: Mapping[str, Any], factors: set[str]) -> tuple[SubgroupPlan, ...]:
    result: list[SubgroupPlan] = []
    raw: list[tuple[Mapping[str, Any], str]] = []
    for i, item in enumerate(reader.items(data, "subgroups", "subgroups")):
        path = f"subgroups[{i + 1}]"
        if not isinstance(item, Mapping):
            reader.problem(data, "subgroups", path, "must be a mapping with a name")
            continue
        name = reader.text(item, "name", path, required=True)
        pairs: list[tuple[str, str]] = []
        values = reader.mapping(item, "factors", f"{path}.factors") or {}
        for factor, value in values.items():
            if str(factor) not in factors:
                reader.problem(values, factor, f"{path}.factors.{factor}", "is not a declared sampling factor")
            pairs.append((str(factor), str(value)))
        raw.append((item, name))
        result.append(
            SubgroupPlan(
                name,
                reader.text(item, "description", path),
                tuple(pairs),
                reader.integer(item, "total_units", path, 1, 100000),
                reader.integer(item, "people", path, 0, 1000000),
            )
        )
    _unique(reader, raw, "subgroups")
    return tuple(result)


def _parse_units(
    reader: _Reader, data: Mapping[str, Any], subgroups: set[str], scope: set[PaKey]
) -> tuple[UnitPlan, ...]:
    result: list[UnitPlan] = []
    raw: list[tuple[Mapping[str, Any], str]] = []
    for section, kind in (("basic_units", "basic_unit"), ("support_functions", "support_function")):
        for i, item in enumerate(reader.items(data, section, section)):
            path = f"{section}[{i + 1}]"
            if isinstance(item, str):
                item = _Named(item, _line(data, section))
            if not isinstance(item, Mapping):
                reader.problem(data, section, path, "must be a name or a mapping with a name")
                continue
            name = reader.text(item, "name", path, required=True)
            subgroup = reader.text(item, "subgroup", path) or None
            if subgroup is not None and subgroup not in subgroups:
                reader.problem(item, "subgroup", f"{path}.subgroup", f"{subgroup!r} is not a declared subgroup")
            pas = reader.pa_list(item, "process_areas", path)
            for pa in pas:
                if pa not in scope:
                    reader.problem(item, "process_areas", f"{path}.process_areas", f"{pa} is not in the scope")
            if kind == "support_function" and not pas and name:
                reader.problem(
                    item, "name", f"{path}.process_areas", "a support function must list the PAs it implements"
                )
            raw.append((item, name))
            result.append(
                UnitPlan(
                    name=name,
                    kind=kind,
                    description=reader.text(item, "description", path),
                    subgroup=subgroup,
                    process_areas=pas,
                    sampled=reader.flag(item, "sampled", path, True),
                )
            )
    _unique(reader, raw, "basic_units/support_functions")
    return tuple(result)


def _parse_team(reader: _Reader, data: Mapping[str, Any]) -> tuple[TeamMemberPlan, ...]:
    result: list[TeamMemberPlan] = []
    raw: list[tuple[Mapping[str, Any], str]] = []
    for i, item in enumerate(reader.items(data, "team", "team")):
        path = f"team[{i + 1}]"
        if isinstance(item, str):
            item = _Named(item, _line(data, "team"))
        if not isinstance(item, Mapping):
            reader.problem(data, "team", path, "must be a name or a mapping with a name")
            continue
        name = reader.text(item, "name", path, required=True)
        role = (reader.text(item, "role", path) or "member").lower()
        if role not in TEAM_ROLES:
            reader.problem(item, "role", f"{path}.role", f"{role!r} is not one of {', '.join(TEAM_ROLES)}")
        raw.append((item, name))
        result.append(TeamMemberPlan(name, role, reader.text(item, "organization", path)))
    _unique(reader, raw, "team")
    return tuple(result)


def _parse_mini_teams(
    reader: _Reader, data: Mapping[str, Any], members: set[str], scope: set[PaKey]
) -> tuple[MiniTeamPlan, ...]:
    result: list[MiniTeamPlan] = []
    raw: list[tuple[Mapping[str, Any], str]] = []
    for i, item in enumerate(reader.items(data, "mini_teams", "mini_teams")):
        path = f"mini_teams[{i + 1}]"
        if not isinstance(item, Mapping):
            reader.problem(data, "mini_teams", path, "must be a mapping with a name")
            continue
        name = reader.text(item, "name", path, required=True)
        names = tuple(str(m) for m in reader.items(item, "members", f"{path}.members"))
        for n, member in enumerate(names):
            if member not in members:
                reader.problem(item, "members", f"{path}.members", f"{member!r} is not in the team")
            elif member in names[:n]:
                reader.problem(item, "members", f"{path}.members", f"{member!r} is listed twice")
        pas = reader.pa_list(item, "process_areas", path)
        for pa in pas:
            if pa not in scope:
                reader.problem(item, "process_areas", f"{path}.process_areas", f"{pa} is not in the scope")
        raw.append((item, name))
        result.append(MiniTeamPlan(name, names, pas))
    _unique(reader, raw, "mini_teams")
    return tuple(result)
