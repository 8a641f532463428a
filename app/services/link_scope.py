"""What evidence may be linked to: the appraisal's linkable practices and units, and the link DTOs.

Only the rated practices of process areas in scope can be linked, and only in a unit that implements the
process area: a basic unit with no process areas listed implements every one in scope, a support function
only those listed. `LinkScope` reads that once per transaction and explains refusals in plain words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.catalog import Catalog
from app.domain.plan import UnitKind
from app.domain.scope import rated_practices
from app.storage.errors import KnownError
from app.storage.instantiation_repo import practice_ids, scope_in_order
from app.storage.schema import (
    Appraisal,
    Unit,
    UnitProcessArea,
)

ADEQUACY = ("adequate", "inadequate", "not_assessed")


@dataclass(frozen=True, slots=True)
class PracticeRef:
    """A practice as the user names it: model key, process area acronym, practice code ("GP2.1" too)."""

    model: str
    pa: str
    practice: str

    def __str__(self) -> str:
        return f"{self.model} {self.pa} {self.practice}"


@dataclass(frozen=True, slots=True)
class PracticeOption:
    """A practice that evidence can be linked to in this appraisal (a rated practice of a PA in scope)."""

    model: str
    pa: str
    goal: str
    practice: str
    title: str
    generic: bool

    @property
    def ref(self) -> PracticeRef:
        return PracticeRef(self.model, self.pa, self.practice)

    @property
    def label(self) -> str:
        return f"{self.pa} {self.practice} {self.title}"


@dataclass(frozen=True, slots=True)
class UnitOption:
    id: int
    name: str
    kind: str
    """"basic_unit" or "support_function"."""
    process_areas: tuple[tuple[str, str], ...] | None
    """(model, PA) pairs it implements; None for a basic unit that implements every PA in scope."""

    def implements(self, model: str, pa: str) -> bool:
        if self.process_areas is None:
            return self.kind == UnitKind.BASIC_UNIT
        return (model, pa) in self.process_areas


@dataclass(frozen=True, slots=True)
class LinkedPractice:
    """A practice in another model that the catalog links to the chosen one."""

    option: PracticeOption
    relation: str
    rationale: str


@dataclass(frozen=True, slots=True)
class LinkTarget:
    model: str
    pa: str
    practice: str
    unit_id: int

    @classmethod
    def of(cls, ref: PracticeRef, unit_id: int) -> LinkTarget:
        return cls(ref.model, ref.pa, ref.practice, unit_id)


@dataclass(frozen=True, slots=True)
class EvidenceSource:
    """What a link starts from: exactly one of an artifact or an affirmation."""

    artifact_id: int | None = None
    affirmation_id: int | None = None

    def __post_init__(self) -> None:
        if (self.artifact_id is None) == (self.affirmation_id is None):
            raise ValueError("evidence comes from exactly one artifact or one affirmation")

    @classmethod
    def of_artifact(cls, artifact_id: int) -> EvidenceSource:
        return cls(artifact_id=artifact_id)

    @classmethod
    def of_affirmation(cls, affirmation_id: int) -> EvidenceSource:
        return cls(affirmation_id=affirmation_id)


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """A link row exactly as stored (for undo); the UI reads `LinkInfo` instead."""

    id: int
    artifact_id: int | None
    affirmation_id: int | None
    process_area_id: int
    practice_id: int
    unit_id: int
    adequacy: str
    note: str


@dataclass(frozen=True, slots=True)
class LinkInfo:
    id: int
    artifact_id: int | None
    affirmation_id: int | None
    model: str
    pa: str
    practice: str
    practice_title: str
    unit_id: int
    unit: str
    adequacy: str
    note: str

    @property
    def ref(self) -> PracticeRef:
        return PracticeRef(self.model, self.pa, self.practice)


@dataclass(frozen=True, slots=True)
class LinkBatch:
    """What one `link_evidence` call did: links it created, and the earlier state of links it updated."""

    created: tuple[LinkRecord, ...]
    before: tuple[LinkRecord, ...]
    after: tuple[LinkRecord, ...]


class LinkScope:
    """The appraisal's linkable practices and its units, read once for a transaction."""

    def __init__(self, session: Session, catalog: Catalog) -> None:
        appraisal = session.scalars(select(Appraisal)).first()
        target_ml = appraisal.target_maturity_level if appraisal else None
        ids = practice_ids(session)
        rows = scope_in_order(session)
        self.pa_ids: dict[tuple[str, str], int] = {}
        self.options: list[PracticeOption] = []
        self.practice_ids: dict[PracticeRef, int] = {}
        for item, acronym, model_key in rows:
            model = catalog.model(model_key)
            area = model.process_area(acronym) if model else None
            if model is None or area is None:
                continue
            self.pa_ids[(model_key, acronym)] = item.process_area_id
            owner = model.generic_goals_from if not model.generic_goals and model.generic_goals_from else model_key
            for rated in rated_practices(catalog, model_key, area, item.target_capability_level, target_ml):
                # Generic practices are stored once per model (no PA), under the model that defines them.
                if rated.generic:
                    pid = ids.get((owner, None, rated.goal.code, rated.practice.code))
                else:
                    pid = ids.get((model_key, acronym, rated.goal.code, rated.practice.code))
                if pid is None:
                    continue
                option = PracticeOption(
                    model_key, acronym, rated.goal.code, rated.practice.code, rated.practice.title, rated.generic
                )
                self.options.append(option)
                self.practice_ids[option.ref] = pid
        self.by_ref = {o.ref: o for o in self.options}
        names = {pa_id: key for key, pa_id in self.pa_ids.items()}
        listed: dict[int, list[tuple[str, str]]] = {}
        for link in session.scalars(select(UnitProcessArea)):
            if link.process_area_id in names:
                listed.setdefault(link.unit_id, []).append(names[link.process_area_id])
        has_rows = set(session.scalars(select(UnitProcessArea.unit_id)))
        self.units: dict[int, UnitOption] = {}
        self.unsampled: dict[int, str] = {}
        for unit in session.scalars(select(Unit).order_by(Unit.kind, Unit.position)):
            if not unit.sampled:
                self.unsampled[unit.id] = unit.name
                continue
            pas = tuple(listed.get(unit.id, ())) if unit.id in has_rows or unit.kind != UnitKind.BASIC_UNIT else None
            self.units[unit.id] = UnitOption(unit.id, unit.name, unit.kind, pas)

    def problems(self, targets: Iterable[LinkTarget]) -> list[str]:
        """Why some targets cannot be linked, in plain words (empty when all can)."""
        found: list[str] = []
        for target in targets:
            problem = self._problem(target)
            if problem and problem not in found:
                found.append(problem)
        return found

    def _problem(self, target: LinkTarget) -> str | None:
        if (target.model, target.pa) not in self.pa_ids:
            return f"{target.model} {target.pa} is not in this appraisal's scope, so nothing can be linked to it."
        ref = PracticeRef(target.model, target.pa, target.practice)
        if ref not in self.by_ref:
            return f"{target.model} {target.pa} has no practice {target.practice} that this appraisal rates."
        if target.unit_id in self.unsampled:
            return f"{self.unsampled[target.unit_id]} is not a sampled unit of this appraisal."
        unit = self.units.get(target.unit_id)
        if unit is None:
            return "One of the chosen units is no longer in this appraisal."
        if unit.implements(target.model, target.pa):
            return None
        if unit.kind == UnitKind.SUPPORT_FUNCTION and not unit.process_areas:
            return (
                f"{unit.name} is a support function with no process areas listed in the plan, so evidence "
                "cannot be linked to it. List the process areas it implements in the plan first."
            )
        doing = ", ".join(f"{m} {p}" for m, p in unit.process_areas or ())
        what = "a support function" if unit.kind == UnitKind.SUPPORT_FUNCTION else "a basic unit"
        return (
            f"{unit.name} is {what} that does not implement {target.model} {target.pa} "
            f"(it implements {doing}). Choose a unit that does, or change the plan."
        )

    def validate(self, targets: Sequence[LinkTarget]) -> None:
        problems = self.problems(targets)
        if problems:
            raise KnownError(" ".join(problems))

    def ids(self, target: LinkTarget) -> tuple[int, int]:
        return self.pa_ids[(target.model, target.pa)], self.practice_ids[
            PracticeRef(target.model, target.pa, target.practice)
        ]
