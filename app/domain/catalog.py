"""Model catalogs as plain values: models, process areas, goals, practices, cross-model links.

A catalog is what an appraisal is rated against. The same shapes come from the built-in YAML files under
`resources/models/`, from a user's imported model, and from the copy each appraisal file keeps of the models
it uses, so a file opened years later shows exactly the model it was rated against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class GoalKind(StrEnum):
    SPECIFIC = "specific"
    GENERIC = "generic"


class ModelKind(StrEnum):
    MODEL = "model"
    """A rated model with its own process areas (CMMI-SVC, CERT-RMM, a custom model)."""
    PSEUDO_PA = "pseudo-process-area"
    """Extra process areas bolted onto another model; rated with that model's generic goals (SM)."""
    REFERENCE = "reference"
    """A standard that practices link to but that is never rated (ISO/IEC 27001:2005 clauses)."""


class Provenance(StrEnum):
    SEED = "seed"
    CURATED = "curated"
    USER = "user"


@dataclass(frozen=True, slots=True)
class InformativeItem:
    """Informative material attached to a practice: a subpractice, note, example or example work product."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Practice:
    code: str
    """Unique within its process area (specific) or model (generic): "SP1.1", "ADM:SG1.SP1", "GP2.1", "ESP1.2"."""
    title: str
    statement: str | None = None
    informative: tuple[InformativeItem, ...] = ()
    unverified: bool = False
    """The reference could not confirm this title; the app keeps it marked until someone verifies it."""
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Goal:
    code: str
    title: str
    kind: GoalKind
    practices: tuple[Practice, ...]
    statement: str | None = None
    unverified: bool = False


@dataclass(frozen=True, slots=True)
class ProcessArea:
    acronym: str
    name: str
    category: str
    goals: tuple[Goal, ...]
    """The specific goals; generic goals live on the model and apply to every process area."""
    maturity_level: int | None = None
    addition: bool = False
    """An optional addition (CMMI-SVC SSD): Not Applicable unless the appraisal puts it in scope."""
    aliases: tuple[str, ...] = ()
    purpose: str | None = None
    unverified: bool = False
    note: str | None = None

    def practice(self, code: str) -> Practice | None:
        for goal in self.goals:
            for practice in goal.practices:
                if practice.code == code:
                    return practice
        return None


UNVERIFIED_MARK = "(unverified)"
"""Shown after every title the catalog's source could not confirm, wherever the title appears."""
UNVERIFIED_NOTE = (
    "Titles marked (unverified) could not be confirmed in a source: check them against the licensed model "
    "before relying on them."
)


def item_name(pa: str, code: str) -> str:
    """A practice or goal as a person names it: "IRP SP1.1"; a CERT-RMM code already carries its process area
    ("VAR:SG2.SP1") and is not prefixed twice."""
    return code if code.startswith(f"{pa}:") else f"{pa} {code}"


def shown_title(item: Practice | Goal | ProcessArea) -> str:
    """The title (a process area's name) as every screen, output and command shows it: marked when unverified.

    The one place that decides the mark, so the grid, side by side, workbook, PDF and CLI agree.
    """
    title = item.name if isinstance(item, ProcessArea) else item.title
    return f"{title} {UNVERIFIED_MARK}" if item.unverified else title


def count_unverified(model: Model) -> int:
    """Goal and practice titles (and process-area names) the model marks unverified."""
    goals = [*model.generic_goals, *(g for pa in model.process_areas for g in pa.goals)]
    return (
        sum(pa.unverified for pa in model.process_areas)
        + sum(g.unverified for g in goals)
        + sum(p.unverified for g in goals for p in g.practices)
    )


@dataclass(frozen=True, slots=True)
class Model:
    key: str
    """Stable identifier across versions: "CMMI-SVC", "CERT-RMM", "SM"."""
    version: str
    name: str
    kind: ModelKind
    process_areas: tuple[ProcessArea, ...]
    generic_goals: tuple[Goal, ...] = ()
    generic_goals_from: str | None = None
    """For a pseudo process area: the key of the model whose generic goals rate it."""
    categories: tuple[str, ...] = ()
    has_maturity_levels: bool = False
    max_capability_level: int = 3
    source: str | None = None
    description: str | None = None

    @property
    def ident(self) -> str:
        return f"{self.key} {self.version}"

    def process_area(self, acronym: str) -> ProcessArea | None:
        for pa in self.process_areas:
            if pa.acronym == acronym or acronym in pa.aliases:
                return pa
        return None


@dataclass(frozen=True, slots=True)
class Ref:
    """A place in a model: a process area ("IRP"), or a practice or goal in it ("IRP", "SP1.1")."""

    model: str
    pa: str
    item: str | None = None

    def __str__(self) -> str:
        return f"{self.model} {self.pa}" + (f" {self.item}" if self.item else "")


@dataclass(frozen=True, slots=True)
class CrossLink:
    source: Ref
    target: Ref
    relation: str
    """"extends", "derived-from", "supports", "equivalent", ... read as "source <relation> target"."""
    rationale: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class Catalog:
    """Models plus the links between them, as installed or as kept in one appraisal."""

    models: tuple[Model, ...]
    links: tuple[CrossLink, ...] = field(default=())

    def model(self, key: str) -> Model | None:
        for model in self.models:
            if model.key == key:
                return model
        return None

    def generic_goals_for(self, model: Model) -> tuple[Goal, ...]:
        if model.generic_goals or model.generic_goals_from is None:
            return model.generic_goals
        base = self.model(model.generic_goals_from)
        return base.generic_goals if base else ()
