"""Reading a plan file: every problem located by line and field, with the rules all user files share
(`located.py`), then the plan's own checks against the installed models."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.domain.catalog import Catalog, ModelKind
from app.domain.located import as_date, not_flag, not_list, not_mapping, not_text, not_whole_number, where
from app.domain.plan import (
    MAX_IDENTIFIER,
    METHODS,
    SCALES,
    TEAM_ROLES,
    MiniTeamPlan,
    PaKey,
    Plan,
    PlanError,
    PlanProblem,
    SamplingFactorPlan,
    ScopeEntry,
    SubgroupPlan,
    TeamMemberPlan,
    UnitKind,
    UnitPlan,
    validity_problems,
)


def _line(data: object, key: object | None = None) -> int | None:
    return where(data, key)[0]


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
        wrong = not_mapping(value)
        if wrong:
            self.problem(data, key, path, wrong)
            return None
        return value  # type: ignore[no-any-return]

    def items(self, data: object, key: str, path: str) -> list[Any]:
        value = data.get(key) if isinstance(data, Mapping) else None
        if value is None:
            return []
        wrong = not_list(value)
        if wrong:
            self.problem(data, key, path, wrong)
            return []
        return list(value)

    def text(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(data, key if key in data else None, f"{path}.{key}", "is required")
            return ""
        wrong = not_text(value)
        if wrong:
            self.problem(data, key, f"{path}.{key}", wrong)
            return ""
        return str(value).strip()

    def flag(self, data: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
        value = data.get(key, default)
        wrong = not_flag(value)
        if wrong:
            self.problem(data, key, f"{path}.{key}", wrong)
            return default
        return bool(value)

    def integer(self, data: Mapping[str, Any], key: str, path: str, lo: int, hi: int) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        wrong = not_whole_number(value, lo, hi)
        if wrong:
            self.problem(data, key, f"{path}.{key}", wrong)
            return None
        return int(value)

    def day(self, data: Mapping[str, Any], key: str, path: str) -> date | None:
        value = data.get(key)
        if value is None:
            return None
        found = as_date(value)
        if isinstance(found, str):
            self.problem(data, key, f"{path}.{key}", found)
            return None
        return found

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
    for section, kind in (("basic_units", UnitKind.BASIC_UNIT), ("support_functions", UnitKind.SUPPORT_FUNCTION)):
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
            if kind is UnitKind.SUPPORT_FUNCTION and not pas and name:
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
