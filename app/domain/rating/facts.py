"""The input snapshot the rating engine rates: plain frozen values, easy to fill from the appraisal file.

Values are the scale's codes as strings ("FI", "LM", "NY"); the engine checks them against the scale.
Instantiation facts for units or practices the appraisal does not rate are ignored by a full computation and
refused by the engine's setters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.domain.catalog import Catalog
from app.domain.plan import PaKey, UnitKind
from app.domain.rating.scales import GoalRating, Scale


@dataclass(frozen=True, slots=True)
class ScopeItem:
    """A process area in the appraisal's scope; `excluded` ones are rated Not Applicable."""

    model: str
    pa: str
    target_capability_level: int | None = None
    excluded: bool = False
    exclusion_reason: str = ""

    @property
    def key(self) -> PaKey:
        return PaKey(self.model, self.pa)


@dataclass(frozen=True, slots=True)
class UnitFact:
    """A basic unit or support function of the organizational unit.

    `process_areas` empty means: a basic unit implements every process area in scope, a support function
    none (the plan's convention).
    """

    name: str
    kind: UnitKind
    subgroup: str | None = None
    process_areas: tuple[PaKey, ...] = ()
    sampled: bool = True

    def implements(self, key: PaKey) -> bool:
        if self.process_areas:
            return key in self.process_areas
        return self.kind is UnitKind.BASIC_UNIT


@dataclass(frozen=True, slots=True)
class InstantiationKey:
    """One practice (specific, or generic by its GP code) of one process area in one unit."""

    model: str
    pa: str
    practice: str
    unit: str

    @property
    def pa_key(self) -> PaKey:
        return PaKey(self.model, self.pa)

    def __str__(self) -> str:
        return f"{self.model} {self.pa} {self.practice} / {self.unit}"


@dataclass(frozen=True, slots=True)
class InstantiationFact:
    """What the team recorded for one cell: its value, texts and evidence counts."""

    key: InstantiationKey
    value: str | None = None
    """The team's characterization; None while the cell is empty."""
    weakness: str = ""
    strength: str = ""
    adequate_artifacts: int = 0
    affirmations: int = 0
    not_yet_flagged: bool = False
    """Evidence marked "not yet" (the unit has not reached the practice): the proposal is NY."""

    def __post_init__(self) -> None:
        if self.adequate_artifacts < 0 or self.affirmations < 0:
            raise ValueError(f"Evidence counts of {self.key} cannot be negative.")


# A frozen dataclass sets each field through object.__setattr__, which looks the slot up by name: twice the cost of
# the slot's own setter. The loader builds twenty thousand cells at size L, so `cell_fact` uses the setters.
_new = object.__new__
_SET_MODEL, _SET_PA, _SET_PRACTICE, _SET_UNIT = (
    InstantiationKey.__dict__[name].__set__ for name in ("model", "pa", "practice", "unit")
)
_SET_KEY, _SET_VALUE, _SET_WEAKNESS, _SET_STRENGTH, _SET_ARTIFACTS, _SET_AFFIRMATIONS, _SET_NOT_YET = (
    InstantiationFact.__dict__[name].__set__
    for name in ("key", "value", "weakness", "strength", "adequate_artifacts", "affirmations", "not_yet_flagged")
)


def cell_fact(
    model: str,
    pa: str,
    practice: str,
    unit: str,
    value: str | None,
    weakness: str,
    strength: str,
    adequate_artifacts: int,
    affirmations: int,
) -> InstantiationFact:
    """`InstantiationFact(InstantiationKey(model, pa, practice, unit), value, weakness, strength, adequate_artifacts,
    affirmations)`, equal to it in every way, built at half the cost (a file's cells are never flagged not yet)."""
    if adequate_artifacts < 0 or affirmations < 0:
        return InstantiationFact(
            InstantiationKey(model, pa, practice, unit), value, weakness, strength, adequate_artifacts, affirmations
        )  # raises, saying why
    key = _new(InstantiationKey)
    _SET_MODEL(key, model)
    _SET_PA(key, pa)
    _SET_PRACTICE(key, practice)
    _SET_UNIT(key, unit)
    fact = _new(InstantiationFact)
    _SET_KEY(fact, key)
    _SET_VALUE(fact, value)
    _SET_WEAKNESS(fact, weakness)
    _SET_STRENGTH(fact, strength)
    _SET_ARTIFACTS(fact, adequate_artifacts)
    _SET_AFFIRMATIONS(fact, affirmations)
    _SET_NOT_YET(fact, False)
    return fact


@dataclass(frozen=True, slots=True)
class PracticeKey:
    """A practice of a process area at organizational-unit level."""

    model: str
    pa: str
    practice: str

    @property
    def pa_key(self) -> PaKey:
        return PaKey(self.model, self.pa)

    def __str__(self) -> str:
        return f"{self.model} {self.pa} {self.practice}"


@dataclass(frozen=True, slots=True)
class OuDecision:
    """The team's organizational-unit value for a practice, with why and who."""

    key: PracticeKey
    value: str
    rationale: str
    decided_by: str = ""
    decided_at: datetime | None = None
    inputs: str | None = None
    """The instantiation values it was made on (`decisions.practice_inputs`); None: not recorded (an older file),
    so the decision counts as stale."""

    def __post_init__(self) -> None:
        if not self.rationale.strip():
            raise ValueError(
                f"The team's value {self.value} for {self.key} needs a rationale: say why the team chose it."
            )


@dataclass(frozen=True, slots=True)
class GoalKey:
    """A goal of a process area."""

    model: str
    pa: str
    goal: str

    @property
    def pa_key(self) -> PaKey:
        return PaKey(self.model, self.pa)

    def __str__(self) -> str:
        return f"{self.model} {self.pa} {self.goal}"


@dataclass(frozen=True, slots=True)
class GoalOverride:
    """The team's decision on a goal, within what the rules leave open (method-rules §3).

    Significance (rule 3): Satisfied (no weakness significant) or Unsatisfied (a weakness judged significant,
    named in the rationale). Lowering: Unsatisfied where the rules give Satisfied. A decision outside what the
    rules allow is kept but not used (a conflict).
    """

    key: GoalKey
    rating: GoalRating
    rationale: str
    decided_by: str = ""
    decided_at: datetime | None = None
    inputs: str | None = None
    """The practices' OU values and weaknesses it was made on (`decisions.goal_inputs`); None: not recorded."""

    def __post_init__(self) -> None:
        if not self.rationale.strip():
            raise ValueError(
                f"Overriding {self.key} to {self.rating.value} needs a rationale: "
                "say why the team departs from the rules."
            )


@dataclass(frozen=True, slots=True)
class FindingText:
    """Free text checked for non-attribution; `location` tells the user where it is ("finding #3")."""

    location: str
    text: str


@dataclass(frozen=True, slots=True)
class AppraisalFacts:
    """Everything the engine rates: the plan's scope and units, the cells, the team's decisions and the texts."""

    scale: Scale
    catalog: Catalog
    scope: tuple[ScopeItem, ...]
    units: tuple[UnitFact, ...]
    target_maturity_level: int | None = None
    instantiations: tuple[InstantiationFact, ...] = ()
    ou_decisions: tuple[OuDecision, ...] = ()
    goal_overrides: tuple[GoalOverride, ...] = ()
    participant_names: tuple[str, ...] = ()
    participant_roles: tuple[tuple[str, str], ...] = ()
    """(name, role) of every participant: a role held by one person may identify them."""
    extra_identifiers: tuple[str, ...] = ()
    """Nicknames, e-mail handles, team names the lead listed as identifying someone."""
    findings: tuple[FindingText, ...] = ()
    unit_specific_findings: bool = False
    """The plan announced basic-unit-specific findings, so unit names in texts are not flagged."""
