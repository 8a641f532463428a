"""Plan field paths ("basic_units[2].subgroup") in the words the Plan page uses ("Basic unit “Claims”, subgroup")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.domain.plan import PaKey, Plan, PlanProblem
from app.domain.plan_data import BASIC_UNIT, SUPPORT_FUNCTION

APPRAISAL_FIELDS = {
    "name": "Name",
    "sponsor": "Sponsor",
    "lead_appraiser": "Lead appraiser",
    "method": "Method",
    "scale": "Scale",
    "start": "Start date",
    "end": "End date",
    "target_maturity_level": "Target maturity level",
    "unit_specific_findings": "Unit-specific findings",
    "phase": "Phase",
}
_PATH = re.compile(r"(?P<section>[a-z_/]+)(?:\[(?P<number>\d+)\])?(?:\.(?P<rest>.*))?$")
_ROW_WORDS = {
    "sampling_factors": "Sampling factor",
    "subgroups": "Subgroup",
    "basic_units": "Basic unit",
    "support_functions": "Support function",
    "units": "Unit",
    "team": "Team member",
    "mini_teams": "Mini-team",
}


def describe(plan: Plan, problem: PlanProblem) -> str:
    """A problem as one sentence for a list under a table or form."""
    return f"{where(plan, problem.field)}: {problem.message}"


def where(plan: Plan, path: str) -> str:
    found = _PATH.match(path)
    if found is None:
        return path
    section, number, rest = found["section"], found["number"], found["rest"] or ""
    if section == "appraisal":
        return APPRAISAL_FIELDS.get(rest, rest)
    if section == "organizational_unit":
        return f"Organizational unit {rest}"
    if number is None:
        return _words(path)
    row = _row(plan, section, int(number) - 1)
    return f"{row}, {_words(rest)}" if rest else row


def _row(plan: Plan, section: str, index: int) -> str:
    if section == "scope":
        return str(plan.scope[index].pa) if index < len(plan.scope) else f"Scope row {index + 1}"
    names = _names(plan, section)
    name = names[index] if index < len(names) else ""
    word = _ROW_WORDS.get(section, section)
    return f"{word} “{name}”" if name.strip() else f"{word} in row {index + 1}"


def _names(plan: Plan, section: str) -> list[str]:
    if section == "basic_units":
        return [u.name for u in plan.units if u.kind == BASIC_UNIT]
    if section == "support_functions":
        return [u.name for u in plan.units if u.kind == SUPPORT_FUNCTION]
    items = getattr(plan, section, ())
    return [getattr(item, "name", "") for item in items]


def _words(rest: str) -> str:
    rest = re.sub(r"\[(\d+)\]", r" \1", rest)
    return rest.replace("factors.", "").replace("_", " ").replace(".", " ")


def pa_summary(keys: Sequence[PaKey], order: Sequence[PaKey] = ()) -> str:
    """Process areas grouped by model, short enough for a table cell: "SM: SM · CERT-RMM: VAR, MON".

    `order` (the scope) sets the order, so every list reads like the scope table.
    """
    rank = {key: i for i, key in enumerate(order)}
    models: dict[str, list[str]] = {}
    for key in sorted(keys, key=lambda k: rank.get(k, len(rank))):
        models.setdefault(key.model, []).append(key.pa)
    return " · ".join(f"{model}: {', '.join(pas)}" for model, pas in models.items())
