"""Data coverage and sufficiency (method-rules §5): which evidence is still missing, named by rule.

"A unit provides artifacts (affirmations) for a process area" means at least one of its instantiations of
that process area has an adequate artifact (an affirmation); that every practice has its artifact is the
separate sufficiency rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.domain.catalog import item_name
from app.domain.plan import PaKey, UnitKind
from app.domain.rating.facts import NO_CELLS, AreaCells, UnitFact
from app.domain.rating.rule_types import Rule
from app.domain.rating.rules import (
    COVERAGE_B1,
    COVERAGE_B2,
    COVERAGE_B3,
    COVERAGE_F1,
    COVERAGE_F2,
    COVERAGE_F3,
    COVERAGE_P1,
    SUFFICIENCY_ARTIFACT,
)
from app.domain.rating.scales import Grade, Scale


@dataclass(frozen=True, slots=True)
class CoverageGap:
    """Evidence a coverage or sufficiency rule still misses, where, and by which rule."""

    model: str | None
    """None for rules that span process areas (B1-B3)."""
    pa: str | None
    practice: str | None
    """None for rules about a whole process area or unit."""
    unit: str | None
    missing: str
    """What is missing, in plain words, starting with the rule ("B1: ...")."""
    rule: Rule
    subgroup: str | None = None
    """The subgroup of a subgroup rule's gap (B1-B3, F2); None for other rules and for basic units without one."""
    subgroup_units: tuple[str, ...] = ()
    """A subgroup rule's gap: the subgroup's basic units (the PAs they implement are Not Rated)."""

    def reaches(self, units: Mapping[str, UnitFact], key: PaKey) -> bool:
        """A subgroup gap reaches a process area that one of the subgroup's basic units implements."""
        return any(name in units and units[name].implements(key) for name in self.subgroup_units)


@dataclass(frozen=True, slots=True)
class UnitPaEvidence:
    """Whether one unit provides artifacts and affirmations for one process area."""

    unit: UnitFact
    artifacts: bool
    affirmations: bool

    @property
    def both(self) -> bool:
        return self.artifacts and self.affirmations

    @property
    def either(self) -> bool:
        return self.artifacts or self.affirmations

    def lacking(self) -> str:
        if self.either:
            return "artifacts" if not self.artifacts else "affirmations"
        return "artifacts or affirmations"


@lru_cache(maxsize=256)
def _not_yet(scale: Scale, value: str) -> bool:
    """NY cells: the unit has not reached the practice, so no artifact is expected yet."""
    return scale.grade(value) is Grade.NOT_YET


def process_area_gaps(
    scale: Scale,
    key: PaKey,
    practices: Sequence[str],
    units: Sequence[UnitFact],
    facts: AreaCells,
    evidence: Sequence[UnitPaEvidence],
) -> tuple[CoverageGap, ...]:
    """Sufficiency, P1, F1 and F3 for one in-scope process area; `facts` by (practice code, unit name), for the
    expected cells of `practices` in `units` (a cell without facts has nothing recorded yet)."""
    if not evidence:
        text = f"P1: no sampled basic unit or support function implements {key.pa}, so none of its practices is covered"
        return (_gap(key, None, None, text, COVERAGE_P1),)
    gaps: list[CoverageGap] = []
    for code in practices:
        get = facts.get(code, NO_CELLS).get
        # One pass over the practice's cells: whether any unit covers it, whether every one is exempt (NY), and
        # which units lack an adequate artifact.
        covered, all_exempt, lacking = False, True, []
        for unit in units:
            fact = get(unit.name)
            if fact is None:
                all_exempt = False
                lacking.append(unit.name)
                continue
            if fact.adequate_artifacts + fact.affirmations > 0:
                covered = True
            if not (fact.not_yet_flagged or (fact.value is not None and _not_yet(scale, fact.value))):
                all_exempt = False
                if fact.adequate_artifacts == 0:
                    lacking.append(unit.name)
        if not covered and not all_exempt:
            gaps.append(
                _gap(
                    key,
                    code,
                    None,
                    f"P1: {item_name(key.pa, code)} has no artifact or affirmation from any sampled unit",
                    COVERAGE_P1,
                )
            )
        for name in lacking:
            gaps.append(
                _gap(
                    key,
                    code,
                    name,
                    f"Sufficiency: no adequate artifact for {item_name(key.pa, code)} in '{name}' "
                    "(every practice needs one in every sampled unit that implements it)",
                    SUFFICIENCY_ARTIFACT,
                )
            )
    functions = [e for e in evidence if e.unit.kind is UnitKind.SUPPORT_FUNCTION]
    for item in functions:
        if item.both:
            continue
        if len(functions) == 1:
            text = (
                f"F1: support function '{item.unit.name}' implements {key.pa} but provides no {item.lacking()} for it"
            )
            gaps.append(_gap(key, None, item.unit.name, text, COVERAGE_F1))
        else:
            names = ", ".join(f"'{f.unit.name}'" for f in functions)
            text = (
                f"F3: {key.pa} is implemented by several support functions ({names}); '{item.unit.name}' "
                f"provides no {item.lacking()} for it"
            )
            gaps.append(_gap(key, None, item.unit.name, text, COVERAGE_F3))
    return tuple(gaps)


def _gap(key: PaKey, practice: str | None, unit: str | None, missing: str, rule: Rule) -> CoverageGap:
    return CoverageGap(key.model, key.pa, practice, unit, missing, rule)


def subgroup_gaps(
    units: Sequence[UnitFact], evidence: Mapping[PaKey, Sequence[UnitPaEvidence]]
) -> tuple[CoverageGap, ...]:
    """B1, B2, B3 and F2 for every subgroup of basic units (units without a subgroup form one group).

    `evidence` holds the rated (in-scope, not excluded) process areas.
    """
    per_unit: dict[str, list[UnitPaEvidence]] = {}
    for items in evidence.values():
        for item in items:
            per_unit.setdefault(item.unit.name, []).append(item)
    subgroups: dict[str | None, list[UnitFact]] = {}
    for unit in units:
        # Only basic units with a rated process area to cover take part (sampled or not).
        if unit.kind is UnitKind.BASIC_UNIT and any(unit.implements(key) for key in evidence):
            subgroups.setdefault(unit.subgroup, []).append(unit)
    gaps: list[CoverageGap] = []
    for name, members in subgroups.items():
        where = f"in subgroup '{name}'" if name is not None else "without a subgroup"
        gap = _SubgroupGaps(name, tuple(u.name for u in members))
        sampled = [u for u in members if u.sampled]
        if not sampled:
            gaps.append(gap(f"B1: no basic unit {where} is sampled", COVERAGE_B1))
            continue
        records = {u.name: per_unit.get(u.name, []) for u in sampled}
        if not any(items and all(e.both for e in items) for items in records.values()):
            text = (
                f"B1: no sampled basic unit {where} provides artifacts and affirmations for all the PAs it implements"
            )
            gaps.append(gap(text, COVERAGE_B1))
        providing = sum(1 for items in records.values() if any(e.both for e in items))
        if 2 * providing < len(sampled):
            text = (
                f"B2: only {providing} of {len(sampled)} sampled basic units {where} provide artifacts and "
                "affirmations for at least one PA (at least 50% needed)"
            )
            gaps.append(gap(text, COVERAGE_B2))
        for unit in sampled:
            if not any(e.either for e in records[unit.name]):
                text = f"B3: sampled basic unit '{unit.name}' {where} provides no artifacts or affirmations for any PA"
                gaps.append(gap(text, COVERAGE_B3, unit.name))
        gaps += [gap(text, COVERAGE_F2, key=key) for key, text in _shared_pa_gaps(where, members, evidence)]
    return tuple(gaps)


class _SubgroupGaps:
    """One subgroup's gaps, each naming the subgroup and its basic units (a plain class: nothing compares it)."""

    __slots__ = ("name", "units")

    def __init__(self, name: str | None, units: tuple[str, ...]) -> None:
        self.name = name
        self.units = units

    def __call__(self, text: str, rule: Rule, unit: str | None = None, key: PaKey | None = None) -> CoverageGap:
        model, pa = (key.model, key.pa) if key is not None else (None, None)
        return CoverageGap(model, pa, None, unit, text, rule, self.name, self.units)


def _shared_pa_gaps(
    where: str, members: Sequence[UnitFact], evidence: Mapping[PaKey, Sequence[UnitPaEvidence]]
) -> list[tuple[PaKey, str]]:
    """F2: a PA shared between support functions and this subgroup's basic units needs one of the subgroup's
    sampled basic units to provide artifacts and affirmations for it."""
    found = []
    names = {u.name for u in members}
    for key, items in evidence.items():
        functions = [e.unit.name for e in items if e.unit.kind is UnitKind.SUPPORT_FUNCTION]
        if not functions or not any(u.implements(key) for u in members):
            continue
        mine = [e for e in items if e.unit.name in names]
        if not any(e.both for e in mine):
            shared = ", ".join(f"'{f}'" for f in functions)
            found.append(
                (
                    key,
                    f"F2: {key.pa} is implemented by support function {shared} and by basic units {where}, but no "
                    f"sampled basic unit {where} provides artifacts and affirmations for it (F2 wording UNVERIFIED)",
                )
            )
    return found
