"""A plan as plan-file data, its validation by field path, the sample-size check, and plan edits.

`plan_to_data` writes exactly the structure of docs/plan-format.md, so the Plan page and the plan file are
checked by one set of rules: `validate_plan` turns a Plan back into file data and runs `parse_plan` on it.
The edit helpers keep a plan's cross references (subgroup, factor and team names, process areas in scope)
consistent when one thing is renamed or removed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, Plan, PlanError, PlanProblem, UnitKind, UnitPlan
from app.domain.plan_reader import parse_plan

BASIC_UNIT, SUPPORT_FUNCTION = UnitKind.BASIC_UNIT, UnitKind.SUPPORT_FUNCTION
UNIT_SECTIONS = {BASIC_UNIT: "basic_units", SUPPORT_FUNCTION: "support_functions"}
LIST_SECTIONS = ("scope", "sampling_factors", "subgroups", "basic_units", "support_functions", "team", "mini_teams")

MappingFactory = Callable[[str, dict[str, Any]], dict[str, Any]]


def _plain(_path: str, data: dict[str, Any]) -> dict[str, Any]:
    return data


def plan_to_data(plan: Plan) -> dict[str, Any]:
    """The plan as plan-file data (mappings, lists, text, numbers, dates), leaving out fields at their defaults."""
    return _to_data(plan, _plain)


def _to_data(plan: Plan, make: MappingFactory) -> dict[str, Any]:
    head: dict[str, Any] = {"name": plan.name}
    _put(head, "id", plan.identifier)
    _put(head, "sponsor", plan.sponsor)
    _put(head, "lead_appraiser", plan.lead_appraiser)
    head["method"] = plan.method
    head["scale"] = plan.scale
    _put(head, "start", plan.start_date)
    _put(head, "end", plan.end_date)
    _put(head, "valid_until", plan.valid_until)
    _put(head, "target_maturity_level", plan.target_maturity_level)
    head["unit_specific_findings"] = plan.unit_specific_findings
    data: dict[str, Any] = {"appraisal": make("appraisal", head)}

    ou: dict[str, Any] = {}
    _put(ou, "name", plan.org_unit_name)
    _put(ou, "description", plan.org_unit_description)
    if ou:
        data["organizational_unit"] = make("organizational_unit", ou)

    scope = []
    for i, entry in enumerate(plan.scope):
        item: dict[str, Any] = {"model": entry.pa.model, "pa": entry.pa.pa}
        _put(item, "target_capability_level", entry.target_capability_level)
        if entry.excluded:
            item["excluded"] = True
        _put(item, "exclusion_reason", entry.exclusion_reason)
        scope.append(make(f"scope[{i + 1}]", item))
    # An empty `scope:` list is a mistake in a file ("lists no process areas"); a plan without scope omits it.
    _put(data, "scope", scope)

    factors = []
    for i, factor in enumerate(plan.sampling_factors):
        item = {"name": factor.name, "relevant": factor.relevant}
        _put(item, "rationale", factor.rationale)
        _put(item, "values", list(factor.values))
        factors.append(make(f"sampling_factors[{i + 1}]", item))
    _put(data, "sampling_factors", factors)

    subgroups = []
    for i, sg in enumerate(plan.subgroups):
        path = f"subgroups[{i + 1}]"
        item = {"name": sg.name}
        _put(item, "description", sg.description)
        if sg.factors:
            item["factors"] = make(f"{path}.factors", dict(sg.factors))
        _put(item, "total_units", sg.total_units)
        _put(item, "people", sg.people)
        subgroups.append(make(path, item))
    _put(data, "subgroups", subgroups)

    for kind, section in UNIT_SECTIONS.items():
        units = [u for u in plan.units if u.kind == kind]
        _put(data, section, [make(f"{section}[{i + 1}]", _unit_data(u)) for i, u in enumerate(units)])

    team = []
    for i, member in enumerate(plan.team):
        item = {"name": member.name, "role": member.role}
        _put(item, "organization", member.organization)
        team.append(make(f"team[{i + 1}]", item))
    _put(data, "team", team)

    mini_teams = []
    for i, mt in enumerate(plan.mini_teams):
        item = {"name": mt.name, "members": list(mt.members), "process_areas": [str(pa) for pa in mt.process_areas]}
        mini_teams.append(make(f"mini_teams[{i + 1}]", item))
    _put(data, "mini_teams", mini_teams)
    return make("", data)


def _unit_data(unit: UnitPlan) -> dict[str, Any]:
    item: dict[str, Any] = {"name": unit.name}
    _put(item, "subgroup", unit.subgroup)
    _put(item, "description", unit.description)
    _put(item, "process_areas", [str(pa) for pa in unit.process_areas])
    if not unit.sampled:
        item["sampled"] = False
    return item


def _put(data: dict[str, Any], key: str, value: object) -> None:
    if value is not None and value != "" and value != []:
        data[key] = value


# --- validation ------------------------------------------------------------------------------------------


class _Located(dict[str, Any]):
    """File data whose "line numbers" are tickets naming the exact field, so every problem gets its path.

    parse_plan reports a duplicate name as "team.name" (a file's line number would say which one); the
    ticket turns that into "team[3].name" for the Plan page to mark the right row.
    """

    def __init__(self, data: dict[str, Any], tickets: list[str], path: str) -> None:
        super().__init__(data)
        self._tickets = tickets
        self._path = path
        self.line = self._ticket(path)

    def _ticket(self, path: str) -> int:
        self._tickets.append(path)
        return len(self._tickets)

    def line_of(self, key: object) -> int:
        return self._ticket(f"{self._path}.{key}" if self._path else str(key))


def checked_plan(plan: Plan, catalog: Catalog, *, source: str = "plan") -> Plan:
    """The plan as the file would hold it (aliases resolved, text trimmed). Raises PlanError naming fields."""
    problems = _unrepresentable(plan)
    if problems:
        raise PlanError(source, problems)
    tickets: list[str] = []
    data = _to_data(plan, lambda path, item: _Located(item, tickets, path))
    try:
        return parse_plan(data, catalog, source=source)
    except PlanError as exc:
        raise PlanError(source, [_locate(p, tickets) for p in exc.problems]) from None


def validate_plan(plan: Plan, catalog: Catalog) -> list[PlanProblem]:
    """Every problem of the plan, each naming its field path (e.g. "basic_units[2].subgroup"); empty when valid."""
    try:
        checked_plan(plan, catalog)
    except PlanError as exc:
        return exc.problems
    return []


def _locate(problem: PlanProblem, tickets: list[str]) -> PlanProblem:
    where = tickets[problem.line - 1] if problem.line and problem.line <= len(tickets) else None
    head = problem.field.split(".", 1)[0]
    # Problems about one entry of a list but reported without its index ("team.name") take the ticket's path.
    vague = "[" not in head and (head in LIST_SECTIONS or "/" in head)
    field = where if vague and where and "[" in where else problem.field
    return PlanProblem(None, field, problem.message)


def _unrepresentable(plan: Plan) -> list[PlanProblem]:
    """What a Plan value can hold but neither the plan file nor the appraisal file can keep."""
    problems = [
        PlanProblem(None, f"units[{i + 1}].kind", f"{unit.kind!r} is neither a basic unit nor a support function")
        for i, unit in enumerate(plan.units)
        if unit.kind not in UNIT_SECTIONS
    ]
    for i, factor in enumerate(plan.sampling_factors):
        path = f"sampling_factors[{i + 1}]"
        if "=" in factor.name or "\n" in factor.name:
            problems.append(PlanProblem(None, f"{path}.name", "may not contain '=' or a line break"))
        for j, value in enumerate(factor.values):
            if not value.strip() or "\n" in value:
                problems.append(PlanProblem(None, f"{path}.values[{j + 1}]", "must be one line of text"))
    for i, sg in enumerate(plan.subgroups):
        names = [name for name, _ in sg.factors]
        for name, count in Counter(names).items():
            if count > 1:
                problems.append(PlanProblem(None, f"subgroups[{i + 1}].factors.{name}", "has more than one value"))
        for name, value in sg.factors:
            if "\n" in value:
                problems.append(PlanProblem(None, f"subgroups[{i + 1}].factors.{name}", "must be one line of text"))
    return problems


def unit_path(plan: Plan, index: int) -> str:
    """The field path of plan.units[index] as the plan file numbers it ("support_functions[1]")."""
    unit = plan.units[index]
    number = sum(1 for u in plan.units[: index + 1] if u.kind == unit.kind)
    return f"{UNIT_SECTIONS.get(unit.kind, 'units')}[{number}]"


# --- sampling --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SampleCheck:
    """The SCAMPI v1.3 minimum sample of one subgroup against the basic units the plan samples in it."""

    subgroup: str
    needed: int
    sampled: int

    @property
    def ok(self) -> bool:
        return self.sampled >= self.needed

    def __str__(self) -> str:
        return f"needs {self.needed} sampled basic unit{'s' if self.needed != 1 else ''}, has {self.sampled}"


def sample_checks(plan: Plan) -> list[SampleCheck]:
    """Per subgroup: ceil(BUs in subgroup × number of subgroups / BUs in the OU), at least 1 (MDD 1.1.4).

    A subgroup's basic units are its `total_units` when given, else the basic units the plan lists in it.
    """
    listed = Counter(u.subgroup for u in plan.units if u.kind == BASIC_UNIT and u.subgroup)
    sampled = Counter(u.subgroup for u in plan.units if u.kind == BASIC_UNIT and u.subgroup and u.sampled)
    sizes = {sg.name: sg.total_units if sg.total_units is not None else listed[sg.name] for sg in plan.subgroups}
    total = sum(sizes.values())
    count = len(plan.subgroups)
    checks = []
    for sg in plan.subgroups:
        needed = -(-sizes[sg.name] * count // total) if total else 1
        checks.append(SampleCheck(sg.name, max(1, needed), sampled[sg.name]))
    return checks


# --- edits that keep references consistent ---------------------------------------------------------------


def rename_subgroup(plan: Plan, old: str, new: str) -> Plan:
    subgroups = tuple(replace(sg, name=new) if sg.name == old else sg for sg in plan.subgroups)
    units = tuple(replace(u, subgroup=new) if u.subgroup == old else u for u in plan.units)
    return replace(plan, subgroups=subgroups, units=units)


def remove_subgroup(plan: Plan, name: str) -> Plan:
    units = tuple(replace(u, subgroup=None) if u.subgroup == name else u for u in plan.units)
    return replace(plan, subgroups=tuple(sg for sg in plan.subgroups if sg.name != name), units=units)


def rename_factor(plan: Plan, old: str, new: str) -> Plan:
    factors = tuple(replace(f, name=new) if f.name == old else f for f in plan.sampling_factors)
    subgroups = tuple(
        replace(sg, factors=tuple((new if k == old else k, v) for k, v in sg.factors)) for sg in plan.subgroups
    )
    return replace(plan, sampling_factors=factors, subgroups=subgroups)


def remove_factor(plan: Plan, name: str) -> Plan:
    factors = tuple(f for f in plan.sampling_factors if f.name != name)
    subgroups = tuple(replace(sg, factors=tuple((k, v) for k, v in sg.factors if k != name)) for sg in plan.subgroups)
    return replace(plan, sampling_factors=factors, subgroups=subgroups)


def set_subgroup_factor(plan: Plan, index: int, factor: str, value: str) -> Plan:
    """Give subgroup `index` the value of one factor (an empty value removes it), keeping the factors' order."""
    sg = plan.subgroups[index]
    current = dict(sg.factors)
    if value:
        current[factor] = value
    else:
        current.pop(factor, None)
    order = [f.name for f in plan.sampling_factors]
    pairs = sorted(current.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    return replace_item(plan, "subgroups", index, replace(sg, factors=tuple(pairs)))


def rename_member(plan: Plan, old: str, new: str) -> Plan:
    team = tuple(replace(m, name=new) if m.name == old else m for m in plan.team)
    minis = tuple(replace(mt, members=tuple(new if n == old else n for n in mt.members)) for mt in plan.mini_teams)
    return replace(plan, team=team, mini_teams=minis)


def remove_member(plan: Plan, name: str) -> Plan:
    minis = tuple(replace(mt, members=tuple(n for n in mt.members if n != name)) for mt in plan.mini_teams)
    return replace(plan, team=tuple(m for m in plan.team if m.name != name), mini_teams=minis)


def remove_scope(plan: Plan, keys: Collection[PaKey]) -> Plan:
    """Take process areas out of scope, and out of the units and mini-teams that name them."""
    gone = set(keys)
    units = tuple(replace(u, process_areas=tuple(p for p in u.process_areas if p not in gone)) for u in plan.units)
    minis = tuple(
        replace(mt, process_areas=tuple(p for p in mt.process_areas if p not in gone)) for mt in plan.mini_teams
    )
    scope = tuple(e for e in plan.scope if e.pa not in gone)
    return replace(plan, scope=scope, units=units, mini_teams=minis)


def add_unit(plan: Plan, unit: UnitPlan) -> Plan:
    """Append a unit after the others of its kind (basic units come first, as the file lists them)."""
    units = list(plan.units)
    after = max((i for i, u in enumerate(units) if u.kind == unit.kind), default=None)
    if after is None:
        after = len(units) - 1 if unit.kind == SUPPORT_FUNCTION else -1
    units.insert(after + 1, unit)
    return replace(plan, units=tuple(units))


def set_unit(plan: Plan, index: int, unit: UnitPlan) -> Plan:
    """Replace plan.units[index]; a unit whose kind changed moves to the end of its new kind's list."""
    if plan.units[index].kind == unit.kind:
        return replace_item(plan, "units", index, unit)
    rest = replace(plan, units=plan.units[:index] + plan.units[index + 1 :])
    return add_unit(rest, unit)


def replace_item(plan: Plan, section: str, index: int, value: object) -> Plan:
    items: tuple[object, ...] = getattr(plan, section)
    changes: dict[str, Any] = {section: (*items[:index], value, *items[index + 1 :])}
    return replace(plan, **changes)


def remove_item(plan: Plan, section: str, index: int) -> Plan:
    items: tuple[object, ...] = getattr(plan, section)
    changes: dict[str, Any] = {section: items[:index] + items[index + 1 :]}
    return replace(plan, **changes)


def changed_fields(old: Plan, new: Plan) -> list[str]:
    """The names of the plan fields that differ, for the change log."""
    return [name for name in Plan.__dataclass_fields__ if getattr(old, name) != getattr(new, name)]


def merge_renames(*renames: Mapping[str, str]) -> dict[str, str]:
    """Chain unit renames made one after another (A→B then B→C is A→C)."""
    result: dict[str, str] = {}
    for step in renames:
        for old, new in step.items():
            origin = next((k for k, v in result.items() if v == old), old)
            result[origin] = new
    return {k: v for k, v in result.items() if k != v}
