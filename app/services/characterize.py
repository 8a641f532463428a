"""Use cases for characterizing: instantiation cells, organizational-unit judgments, goal overrides.

Every setter returns the previous state so the UI can offer undo by setting it back, and every change is
logged (who, what, when) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.domain.characterization import CellState as CellState
from app.domain.plan import PaKey
from app.domain.rating.scales import Scale
from app.services.workspace import Workspace
from app.storage.characterization_repo import CatalogIds, current_ids, find_cell, new_cell, state_of, write_state
from app.storage.errors import KnownError, StaleEditError
from app.storage.instantiation_repo import unit_implements
from app.storage.schema import (
    Appraisal,
    CatalogGoal,
    CatalogModel,
    Characterization,
    Unit,
)

SCALE_VALUES: dict[str, tuple[str, ...]] = {scale.value: tuple(scale.values) for scale in Scale}


@dataclass(frozen=True, slots=True)
class CellKey:
    """One instantiation: a practice of a process area in one unit (generic practices name their goal)."""

    model: str
    pa: str
    goal: str
    practice: str
    unit: str


def scale_values(ws: Workspace) -> tuple[str, ...]:
    with ws.uow() as uow:
        return SCALE_VALUES[uow.session.scalars(select(Appraisal.scale)).one()]


class Resolver:
    def __init__(self, session: Session, ws: Workspace) -> None:
        self.session = session
        self.ws = ws

    def _ids(self) -> CatalogIds:
        # Kept with the open appraisal: closing it drops them, and two appraisals never share them.
        self.ws.catalog_ids = current_ids(self.session, self.ws.catalog_ids)
        return self.ws.catalog_ids

    def pa_id(self, model: str, pa: str) -> int:
        found = self._ids().pa.get(PaKey(model, pa))
        if found is None:
            raise KnownError(f"{model} {pa} is not in this appraisal.")
        return found

    def practice_id(self, model: str, pa: str, goal: str, practice: str) -> int:
        ids = self._ids().practice
        found = ids.get((model, pa, goal, practice))
        if found is None:
            catalog_model = self.ws.catalog().model(model)
            owner = catalog_model.generic_goals_from if catalog_model and catalog_model.generic_goals_from else model
            found = ids.get((owner, None, goal, practice)) or ids.get((model, None, goal, practice))
        if found is None:
            raise KnownError(f"{model} {pa} has no practice {goal} {practice}.")
        return found

    def _unit(self, name: str) -> Unit:
        found = self.session.scalars(select(Unit).where(Unit.name == name)).first()
        if found is None:
            raise KnownError(f"There is no unit called {name!r} in this appraisal.")
        return found

    def unit_id(self, name: str) -> int:
        return self._unit(name).id

    def goal_id(self, model: str, pa: str, goal: str) -> int:
        pa_id = self.pa_id(model, pa)
        found = self.session.scalars(
            select(CatalogGoal.id).where(CatalogGoal.process_area_id == pa_id, CatalogGoal.code == goal)
        ).first()
        if found is None:
            catalog_model = self.ws.catalog().model(model)
            owner = catalog_model.generic_goals_from if catalog_model and catalog_model.generic_goals_from else model
            found = self.session.scalars(
                select(CatalogGoal.id)
                .join(CatalogModel, CatalogModel.id == CatalogGoal.model_id)
                .where(CatalogModel.key == owner, CatalogGoal.process_area_id.is_(None), CatalogGoal.code == goal)
            ).first()
        if found is None:
            raise KnownError(f"{model} {pa} has no goal {goal}.")
        return found

    def ids(self, key: CellKey) -> tuple[int, int, int]:
        """The process-area, practice and unit row ids a cell is stored under."""
        return (
            self.pa_id(key.model, key.pa),
            self.practice_id(key.model, key.pa, key.goal, key.practice),
            self.unit_id(key.unit),
        )

    def instantiation_ids(self, key: CellKey) -> tuple[int, int, int]:
        """The ids of a cell the appraisal rates; refuses one that is not an instantiation (a unit that does not
        implement the process area, or is not sampled), so no cell is ever written outside the grid."""
        pa_id = self.pa_id(key.model, key.pa)
        practice_id = self.practice_id(key.model, key.pa, key.goal, key.practice)
        unit = self._unit(key.unit)
        if not unit_implements(self.session, unit, pa_id):
            raise KnownError(
                f"{key.unit} does not implement {key.model} {key.pa}, so {key.practice} is not rated there."
                if unit.sampled
                else f"{key.unit} is not sampled, so {key.model} {key.pa} {key.practice} is not rated there."
            )
        return pa_id, practice_id, unit.id

    def cell(self, key: CellKey) -> Characterization | None:
        return find_cell(self.session, *self.ids(key))


def prepare_edits(ws: Workspace) -> None:
    """Read the ids an edit finds its cell by (kept with the open appraisal), so that the first value typed
    does not wait for them; run on the worker once the file is open."""
    with ws.uow() as uow:
        ids = ws.catalog_ids = current_ids(uow.session, ws.catalog_ids)
        unit = uow.session.scalars(select(Unit.name).limit(1)).first()
        if unit is None or not ids.pa or not ids.practice:
            return
        # The same lookups an edit makes, so their SQL is compiled by then too (nothing is written).
        resolver = Resolver(uow.session, ws)
        find_cell(uow.session, next(iter(ids.pa.values())), next(iter(ids.practice.values())), resolver.unit_id(unit))


def get_cell(ws: Workspace, key: CellKey) -> CellState:
    with ws.uow() as uow:
        return state_of(Resolver(uow.session, ws).cell(key))


def get_cells(ws: Workspace, keys: Iterable[CellKey]) -> dict[CellKey, CellState]:
    with ws.uow() as uow:
        resolver = Resolver(uow.session, ws)
        return {key: state_of(resolver.cell(key)) for key in keys}


def set_cell(ws: Workspace, key: CellKey, state: CellState, *, expected: CellState | None = None) -> CellState:
    """Store the whole state of one cell; returns what it was (for undo). See set_cells for `expected`."""
    return set_cells(ws, {key: state}, expected=None if expected is None else {key: expected})[key]


def _stale(key: CellKey, row: Characterization | None) -> StaleEditError:
    who = (row.updated_by if row is not None else "") or "someone else"
    when = f" at {row.updated_at:%H:%M}" if row is not None and row.updated_at is not None else ""
    return StaleEditError(
        f"{key.pa} {key.practice} in {key.unit} was changed by {who}{when} — reloaded. "
        "Your change was not saved; make it again if it still holds."
    )


def set_cells(
    ws: Workspace, states: Mapping[CellKey, CellState], *, expected: Mapping[CellKey, CellState] | None = None
) -> dict[CellKey, CellState]:
    """Store the whole state of several cells in one transaction (all or none); returns what they were.

    `expected`: the state each cell had when the person saw it (or, for an undo, the state the edit wrote). If
    someone else changed a cell since, nothing is written (StaleEditError names who and when): on a team
    server two people never overwrite each other unknowingly, and an undo never wipes a colleague's edit. The
    row's version guards the moment between this read and the write (StaleDataError from the ORM).
    """
    befores: dict[CellKey, CellState] = {}
    with ws.uow() as uow:
        scale = uow.session.scalars(select(Appraisal.scale)).one()
        for state in states.values():
            if state.value is not None and state.value not in SCALE_VALUES[scale]:
                raise KnownError(
                    f"{state.value} is not a value of the {scale} scale ({', '.join(SCALE_VALUES[scale])})."
                )
        resolver = Resolver(uow.session, ws)
        for key, state in states.items():
            row = resolver.cell(key)
            before = state_of(row)
            if expected is not None and key in expected and before != expected[key]:
                raise _stale(key, row)
            befores[key] = before
            row = row or new_cell(uow.session, *resolver.instantiation_ids(key))
            write_state(row, state, ws.who)
            try:
                uow.session.flush()
            except StaleDataError:
                # Someone committed between this read and the write: read who it was, in a fresh transaction.
                uow.session.rollback()
                raise _stale(key, resolver.cell(key)) from None
            uow.log("characterize", "characterization", row.id, cell_log_detail(key, before.value, state.value))
        uow.commit()
    return befores


def cell_log_detail(key: CellKey, before: str | None, after: str | None) -> str:
    """The change log's line for a cell: where, then the value before and after ("—" for none)."""
    return f"{key.model} {key.pa} {key.practice} / {key.unit}: {before or '—'} -> {after or '—'}"


def set_value(ws: Workspace, key: CellKey, value: str | None) -> CellState:
    return set_cell(ws, key, replace(get_cell(ws, key), value=value))
