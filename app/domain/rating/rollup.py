"""Roll-up of a practice's instantiations to the organizational unit (method-rules §2 and §8.1).

Where the rules call for team judgment the tool offers the allowed values and never picks one: the OU value
stays empty until the team records a decision among them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from app.domain.rating.decisions import what_changed
from app.domain.rating.facts import OuDecision
from app.domain.rating.rule_types import GradeCounts, Rule
from app.domain.rating.rules import ROLLUP_TABLES
from app.domain.rating.scales import Grade, Scale, Value


@dataclass(frozen=True, slots=True)
class Rollup:
    """A practice's organizational-unit value, the rule that gave it and what the team may decide."""

    value: Value | None
    """The OU value; None when not characterized or while a team judgment is pending."""
    rule: Rule
    requires_judgment: bool
    """The rule leaves the value to the team (several allowed values)."""
    allowed: tuple[Value, ...]
    """Values an OU decision may take: several for a judgment, the computed one otherwise, none when open."""
    decision: OuDecision | None = None
    """The team's decision when it was used, or when it is stale (then `value` is None)."""
    conflict: str | None = None
    """Why a recorded team decision was not used."""
    stale: str | None = None
    """Why the team's decision no longer holds: the instantiation values it was made on changed."""

    @property
    def judgment_needed(self) -> bool:
        """The team still has to choose the OU value (again, when its decision is stale)."""
        return self.requires_judgment and self.value is None

    @property
    def proposed(self) -> Value | None:
        """What to offer while the team decides: the stale decision's value, to re-confirm with one key."""
        if self.stale is not None and self.decision is not None and self.judgment_needed:
            return next((v for v in self.allowed if v == self.decision.value.strip().upper()), None)
        return None


# Each scale's value codes and what they mean, looked up once per instantiation of every practice.
_GRADES: dict[Scale, dict[str, Grade]] = {
    scale: {info.value.value: info.grade for info in scale.infos} for scale in Scale
}


_ALL_GRADES = tuple(Grade)


def _grade_counts(scale: Scale, by_value: Iterable[tuple[str | None, int]], invalid: int) -> GradeCounts:
    tally = dict.fromkeys(_ALL_GRADES, 0)
    missing = 0
    grades = _GRADES[scale]
    for value, count in by_value:
        if value is None:
            missing = count
        else:
            tally[grades.get(value) or scale.grade(value)] += count
    return GradeCounts(
        full=tally[Grade.FULL],
        large=tally[Grade.LARGE],
        partial=tally[Grade.PARTIAL],
        not_met=tally[Grade.NOT_MET],
        not_yet=tally[Grade.NOT_YET],
        not_characterized=tally[Grade.NOT_CHARACTERIZED],
        missing=missing,
        invalid=invalid,
    )


def roll_up(
    scale: Scale,
    values: Iterable[str | None],
    decision: OuDecision | None = None,
    *,
    invalid: int = 0,
    inputs: str | None = None,
) -> Rollup:
    """The OU value of one practice from its valid instantiation values (None = not characterized yet).

    `invalid` counts team values left out because they break a §1 rule. `inputs` are today's
    `practice_inputs`: a judgment decision made on other inputs is stale (not checked when None).
    """
    undecided = _undecided(scale, frozenset(Counter(values).items()), invalid)
    if decision is None:
        return undecided
    row, allowed, computed = undecided.rule, undecided.allowed, undecided.value
    try:
        chosen: Value | None = scale.parse(decision.value)
    except ValueError:
        chosen = None
    judgment = undecided.requires_judgment
    if chosen is not None and chosen in allowed:
        if judgment and inputs is not None and decision.inputs != inputs:
            why = what_changed(decision.inputs, inputs)
            stale = f"The team's {decision.value} for {decision.key.practice} is stale: {why}."
            return Rollup(None, row, judgment, allowed, decision=decision, stale=stale)
        return Rollup(chosen, row, judgment, allowed, decision=decision)
    return Rollup(computed, row, judgment, allowed, conflict=_conflict(scale, decision, row, allowed))


# A thousand practices at size L fall into a few dozen patterns of counts: each pattern is graded and the table read
# once.
@lru_cache(maxsize=4096)
def _undecided(scale: Scale, by_value: frozenset[tuple[str | None, int]], invalid: int) -> Rollup:
    return _by_the_rules(scale, _grade_counts(scale, by_value, invalid))


def _by_the_rules(scale: Scale, counts: GradeCounts) -> Rollup:
    """The first table row that applies to `counts`, as the roll-up without a team decision."""
    row = next(row for row in ROLLUP_TABLES[scale] if row.applies(counts))
    allowed = tuple(scale.value_for(grade) for grade in row.outcome)
    return Rollup(allowed[0] if len(allowed) == 1 else None, row.rule, row.judgment, allowed)


def _conflict(scale: Scale, decision: OuDecision, rule: Rule, allowed: tuple[Value, ...]) -> str:
    recorded = f"The team recorded {decision.value} for {decision.key.practice}"
    if decision.value.strip().upper() not in scale.values:
        return f"{recorded}, which is not a value of the {scale.display_name} scale."
    if not allowed:
        return f"{recorded}, but it cannot be characterized at OU level yet ({rule.name}: {rule.text})."
    if len(allowed) == 1:
        return f"{recorded}, but the rules give {allowed[0]} ({rule.name}); the rules' value stands."
    return f"{recorded}, which {rule.name} does not allow: choose {', '.join(allowed)}."
