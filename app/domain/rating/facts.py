"""The input snapshot the rating engine rates: plain frozen values, easy to fill from the appraisal file.

Values are the scale's codes as strings ("FI", "LM", "NY"); the engine checks them against the scale.
Instantiation facts for units or practices the appraisal does not rate are ignored by a full computation and
refused by the engine's setters.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, overload

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


class Cell(NamedTuple):
    """One cell as the engine rates it, keyed elsewhere by its process area and (practice code, unit name).

    A plain tuple: twenty thousand of them at size L are built, indexed and looked up on every full rating,
    and a cell's rated result depends on exactly these fields, so two equal cells share one result.
    """

    unit: str
    value: str | None = None
    adequate_artifacts: int = 0
    affirmations: int = 0
    not_yet_flagged: bool = False
    weakness: str = ""
    strength: str = ""

    def fact(self, key: InstantiationKey) -> InstantiationFact:
        return InstantiationFact(
            key,
            self.value,
            self.weakness,
            self.strength,
            self.adequate_artifacts,
            self.affirmations,
            self.not_yet_flagged,
        )


def cell_of(fact: InstantiationFact) -> Cell:
    return Cell(
        fact.key.unit,
        fact.value,
        fact.adequate_artifacts,
        fact.affirmations,
        fact.not_yet_flagged,
        fact.weakness,
        fact.strength,
    )


AreaCells = Mapping[str, Mapping[str, Cell]]
"""One process area's cells by practice code, then by unit name."""

NO_CELLS: Mapping[str, Cell] = {}
"""A practice with nothing recorded in any unit (read-only)."""

CellsByArea = Mapping[PaKey, AreaCells]
"""Cells by process area, then by practice code, then by unit name."""


class CellTable(Sequence[InstantiationFact]):
    """The instantiation facts of a file as the loader reads them: cells grouped by process area.

    The engine rates from `by_area` as it is; the facts as `InstantiationFact` values are built only when someone
    lists them (a test, a comparison), in the order of `by_area`.
    """

    __slots__ = ("_listed", "by_area")

    def __init__(self, by_area: CellsByArea) -> None:
        self.by_area = by_area
        self._listed: tuple[InstantiationFact, ...] | None = None

    def _facts(self) -> tuple[InstantiationFact, ...]:
        if self._listed is None:
            self._listed = tuple(
                cell.fact(InstantiationKey(area.model, area.pa, practice, unit))
                for area, practices in self.by_area.items()
                for practice, cells in practices.items()
                for unit, cell in cells.items()
            )
        return self._listed

    def __len__(self) -> int:
        return sum(len(cells) for practices in self.by_area.values() for cells in practices.values())

    @overload
    def __getitem__(self, index: int) -> InstantiationFact: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[InstantiationFact]: ...

    def __getitem__(self, index: int | slice) -> InstantiationFact | Sequence[InstantiationFact]:
        return self._facts()[index]

    def __iter__(self) -> Iterator[InstantiationFact]:
        return iter(self._facts())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CellTable):
            return self.by_area == other.by_area
        if isinstance(other, Sequence):
            return self._facts() == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"CellTable({len(self)} cells in {len(self.by_area)} process areas)"


def cells_by_area(facts: Iterable[InstantiationFact]) -> dict[PaKey, dict[str, dict[str, Cell]]]:
    """Facts grouped as the engine rates them (a later fact for the same cell replaces an earlier one)."""
    grouped: dict[PaKey, dict[str, dict[str, Cell]]] = {}
    for fact in facts:
        key = fact.key
        grouped.setdefault(key.pa_key, {}).setdefault(key.practice, {})[key.unit] = cell_of(fact)
    return grouped


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
    instantiations: Sequence[InstantiationFact] = ()
    """A tuple, or the loader's `CellTable` (the same facts, grouped as the engine rates them)."""
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
