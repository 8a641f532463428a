"""The coverage matrix: which artifacts and affirmations each sampled unit has shown for each rated practice.

One row per process area in scope (its totals per unit), followed by a row per rated practice; one column per
sampled unit. A cell is None where the unit does not implement the process area. The coverage rules' gaps
come from the ratings (`RatingResult.coverage_gaps`); this read model only counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Cast, ColumnElement, Integer, case, cast, func, select
from sqlalchemy.orm import Session

from app.domain.plan import UnitKind
from app.domain.scope import rated_practices
from app.services.workspace import Workspace
from app.storage.bulk_read import streamed_rows
from app.storage.instantiation_repo import listed_areas, practice_ids, rated_scope_rows
from app.storage.schema import (
    Appraisal,
    EvidenceLink,
    Unit,
)


@dataclass(frozen=True, slots=True)
class CoverageCell:
    artifacts: int = 0
    """Artifacts linked as adequate."""
    other_artifacts: int = 0
    """Artifacts linked as inadequate or not yet assessed: they do not count for coverage."""
    affirmations: int = 0

    @property
    def empty(self) -> bool:
        return not (self.artifacts or self.other_artifacts or self.affirmations)

    @property
    def text(self) -> str:
        """ "2A 1F": adequate artifacts and affirmations; "1A?" for artifacts not (yet) judged adequate."""
        parts = []
        if self.artifacts:
            parts.append(f"{self.artifacts}A")
        if self.other_artifacts:
            parts.append(f"{self.other_artifacts}A?")
        if self.affirmations:
            parts.append(f"{self.affirmations}F")
        return " ".join(parts)

    @property
    def description(self) -> str:
        def count(n: int, what: str) -> str:
            return f"{n} {what}{'' if n == 1 else 's'}"

        parts = [count(self.artifacts, "adequate artifact")]
        if self.other_artifacts:
            parts.append(count(self.other_artifacts, "artifact") + " not (yet) judged adequate")
        parts.append(count(self.affirmations, "affirmation"))
        return ", ".join(parts)

    def __add__(self, other: CoverageCell) -> CoverageCell:
        return CoverageCell(
            self.artifacts + other.artifacts,
            self.other_artifacts + other.other_artifacts,
            self.affirmations + other.affirmations,
        )


EMPTY = CoverageCell()


@dataclass(frozen=True, slots=True)
class CoverageUnit:
    id: int
    name: str
    kind: str
    """"basic_unit" or "support_function"."""


@dataclass(frozen=True, slots=True)
class CoverageRow:
    model: str
    pa: str
    pa_name: str
    goal: str | None
    practice: str | None
    """None for the process area's own row, whose cells total its practices."""
    title: str
    generic: bool
    cells: tuple[CoverageCell | None, ...]
    """One per unit of the matrix, in its order; None where the unit does not implement the process area."""

    @property
    def is_pa(self) -> bool:
        return self.practice is None


@dataclass(frozen=True, slots=True)
class CoverageMatrix:
    units: tuple[CoverageUnit, ...]
    rows: tuple[CoverageRow, ...]

    def unit_index(self, name: str) -> int | None:
        return next((n for n, unit in enumerate(self.units) if unit.name == name), None)

    def row_index(self, model: str, pa: str, practice: str | None) -> int | None:
        return next(
            (n for n, row in enumerate(self.rows) if (row.model, row.pa, row.practice) == (model, pa, practice)),
            None,
        )


def _totals(rows: Iterable[CoverageRow], width: int) -> tuple[CoverageCell | None, ...]:
    sums: list[list[int] | None] = [None] * width
    for row in rows:
        for n, cell in enumerate(row.cells):
            if cell is not None:
                total = sums[n]
                if total is None:
                    sums[n] = [cell.artifacts, cell.other_artifacts, cell.affirmations]
                else:
                    total[0] += cell.artifacts
                    total[1] += cell.other_artifacts
                    total[2] += cell.affirmations
    return tuple(CoverageCell(*total) if total is not None else None for total in sums)


def _count(condition: ColumnElement[bool]) -> Cast[int]:
    return cast(func.sum(case((condition, 1), else_=0)), Integer)


def _counts(session: Session) -> dict[tuple[int, int, int], CoverageCell]:
    """Evidence counts by (process area id, practice id, unit id), for every pair that has any."""
    adequate = EvidenceLink.artifact_id.is_not(None) & (EvidenceLink.adequacy == "adequate")
    query = select(
        EvidenceLink.process_area_id,
        EvidenceLink.practice_id,
        EvidenceLink.unit_id,
        _count(adequate),
        _count(EvidenceLink.artifact_id.is_not(None) & ~adequate),
        _count(EvidenceLink.affirmation_id.is_not(None)),
    ).group_by(EvidenceLink.process_area_id, EvidenceLink.practice_id, EvidenceLink.unit_id)
    # Core rows, not ORM ones, fetched in batches (iterating a result fetches them one by one): a big appraisal
    # has twenty thousand of these.
    return {
        (pa, practice, unit): CoverageCell(a, o, f)
        for pa, practice, unit, a, o, f in streamed_rows(session.connection(), query)
    }


def coverage_matrix(ws: Workspace) -> CoverageMatrix:
    """Every rated practice of the scope against every sampled unit, with its evidence counts.

    The cells are the instantiations `app.storage.instantiation_repo.instantiations` lists, built here a
    practice at a time (not a cell at a time) so that a 50-PA, 20-unit appraisal stays quick to show.
    """
    catalog = ws.catalog()
    with ws.uow() as uow:
        session = uow.session
        counts = _counts(session)
        target_ml = session.scalars(select(Appraisal.target_maturity_level)).one()
        ids = practice_ids(session)
        units = tuple(
            CoverageUnit(u.id, u.name, u.kind)
            for u in session.scalars(select(Unit).where(Unit.sampled.is_(True)).order_by(Unit.kind, Unit.position))
        )
        implements = listed_areas(session)
        scope = rated_scope_rows(session)
    rows: list[CoverageRow] = []
    for pa_id, target, model_key, acronym in scope:
        model = catalog.model(model_key)
        area = model.process_area(acronym) if model else None
        if model is None or area is None:
            continue
        # A basic unit with no process areas listed does them all; a support function only those listed.
        doers = [
            (n, unit.id)
            for n, unit in enumerate(units)
            if (pa_id in implements[unit.id] if unit.id in implements else unit.kind == UnitKind.BASIC_UNIT)
        ]
        owner = model.generic_goals_from if not model.generic_goals and model.generic_goals_from else model_key
        mine: list[CoverageRow] = []
        for rated in rated_practices(catalog, model_key, area, target, target_ml):
            where = (owner, None) if rated.generic else (model_key, acronym)
            practice_id = ids.get((*where, rated.goal.code, rated.practice.code))
            if practice_id is None:
                continue
            cells: list[CoverageCell | None] = [None] * len(units)
            for n, unit_id in doers:
                cells[n] = counts.get((pa_id, practice_id, unit_id), EMPTY)
            mine.append(
                CoverageRow(
                    model_key,
                    acronym,
                    area.name,
                    rated.goal.code,
                    rated.practice.code,
                    rated.practice.title,
                    rated.generic,
                    tuple(cells),
                )
            )
        rows.append(CoverageRow(model_key, acronym, area.name, None, None, area.name, False, _totals(mine, len(units))))
        rows.extend(mine)
    return CoverageMatrix(units, tuple(rows))
