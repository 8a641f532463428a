"""One instantiation: the value the tool proposes from the evidence, and checks on the value the team chose."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from app.domain.rating.rule_types import EvidenceSignal, Rule
from app.domain.rating.rules import PROPOSAL_TABLE, VALIDATION_TABLE
from app.domain.rating.scales import Grade, Scale, Value


@dataclass(frozen=True, slots=True)
class Proposal:
    """The value the evidence suggests for one cell, by which rule and why."""

    value: Value
    rule: Rule
    reason: str


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def propose(
    scale: Scale, *, adequate_artifacts: int, affirmations: int, not_yet: bool = False, weakness: str = ""
) -> Proposal:
    """The toolkit heuristic (method-rules §1): a suggestion the team confirms or changes, never a decision."""
    return _proposal(scale, adequate_artifacts, affirmations, not_yet, bool(weakness.strip()))


# Every cell of an appraisal asks for a proposal and a check of its value, but few distinct inputs occur: the
# answers are kept rather than worked out (and their sentences formatted) twenty thousand times at size L.
@lru_cache(maxsize=4096)
def _proposal(scale: Scale, adequate_artifacts: int, affirmations: int, not_yet: bool, weak: bool) -> Proposal:
    signal = EvidenceSignal(adequate_artifacts > 0, affirmations > 0, not_yet, weak)
    row = next(row for row in PROPOSAL_TABLE if row.applies(signal))
    value = scale.value_for(row.grade)
    if signal.not_yet:
        evidence = "the evidence is flagged Not Yet (the unit has not reached this practice)"
    else:
        evidence = f"{_count(adequate_artifacts, 'adequate artifact')} and {_count(affirmations, 'affirmation')}, " + (
            "a weakness is recorded" if signal.weakness else "no weakness recorded"
        )
    reason = f"{value} proposed ({row.rule.name}): {evidence}."
    if row.grade is Grade.NOT_MET and not signal.weakness:
        # The toolkit proposes DM even without a weakness; the team must still record one to confirm it.
        reason += f" Record the weakness before confirming {value}."
    return Proposal(value, row.rule, reason)


def validate_team_value(scale: Scale, value: str | None, weakness: str) -> list[str]:
    """Problems with a team's instantiation value, in plain words; empty when it is consistent."""
    if value is None:
        return []
    return list(_problems(scale, value, bool(weakness.strip())))


@lru_cache(maxsize=256)
def _problems(scale: Scale, value: str, weak: bool) -> tuple[str, ...]:
    info = scale.info(value)
    wanted = (Grade.LARGE, Grade.PARTIAL, Grade.NOT_MET) if info.grade is Grade.FULL else (Grade.FULL,)
    alternatives = _either([v for v in scale.values if scale.grade(v) in wanted])
    return tuple(
        row.problem.format(value=info.value.value, alternatives=alternatives)
        for row in VALIDATION_TABLE
        if row.violated(info.grade, weak)
    )


def _either(values: list[Value]) -> str:
    return values[0].value if len(values) == 1 else ", ".join(v.value for v in values[:-1]) + f" or {values[-1].value}"
