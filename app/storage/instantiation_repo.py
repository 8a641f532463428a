"""The instantiations an appraisal has: every rated practice of every in-scope PA in every unit doing it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.catalog import Catalog
from app.domain.plan import UnitKind
from app.domain.scope import rated_practices
from app.storage.plain_columns import (
    CATALOG_GOAL,
    CATALOG_MODEL,
    CATALOG_PRACTICE,
    CATALOG_PROCESS_AREA,
    SCOPE_ITEM,
    UNIT_PROCESS_AREA,
)
from app.storage.schema import (
    Appraisal,
    CatalogGoal,
    CatalogModel,
    CatalogPractice,
    CatalogProcessArea,
    ScopeItem,
    Unit,
    UnitProcessArea,
)


@dataclass(frozen=True, slots=True)
class Instantiation:
    model: str
    pa: str
    pa_id: int
    goal: str
    generic: bool
    practice: str
    practice_id: int
    unit_id: int
    unit: str
    unit_kind: str


def practice_ids(session: Session) -> dict[tuple[str, str | None, str, str], int]:
    """Practice row ids by (model key, PA acronym or None for generic goals, goal code, practice code)."""
    rows: Iterable[Sequence[Any]] = session.execute(
        select(
            CATALOG_MODEL.key,
            CATALOG_PROCESS_AREA.acronym,
            CATALOG_GOAL.code,
            CATALOG_PRACTICE.code,
            CATALOG_PRACTICE.id,
        )
        .select_from(CatalogPractice.__table__)
        .join(CatalogGoal.__table__, CATALOG_GOAL.id == CATALOG_PRACTICE.goal_id)
        .join(CatalogModel.__table__, CATALOG_MODEL.id == CATALOG_GOAL.model_id)
        .outerjoin(CatalogProcessArea.__table__, CATALOG_PROCESS_AREA.id == CATALOG_GOAL.process_area_id)
    )
    return {(model, pa, goal, code): pid for model, pa, goal, code, pid in rows}


def scope_in_order(session: Session) -> list[tuple[ScopeItem, str, str]]:
    """The process areas rated (excluded ones left out) in plan order: (scope row, acronym, model key)."""
    rows = session.execute(
        select(ScopeItem, CatalogProcessArea.acronym, CatalogModel.key)
        .join(CatalogProcessArea, CatalogProcessArea.id == ScopeItem.process_area_id)
        .join(CatalogModel, CatalogModel.id == CatalogProcessArea.model_id)
        .where(ScopeItem.excluded.is_(False))
        .order_by(ScopeItem.position)
    ).all()
    return [(item, acronym, model_key) for item, acronym, model_key in rows]


def rated_scope_rows(session: Session) -> list[tuple[int, int | None, str, str]]:
    """`scope_in_order` as plain columns: (PA row id, target capability level, model key, PA acronym)."""
    rows: Sequence[Sequence[Any]] = session.execute(
        select(
            SCOPE_ITEM.process_area_id,
            SCOPE_ITEM.target_capability_level,
            CATALOG_MODEL.key,
            CATALOG_PROCESS_AREA.acronym,
        )
        .join(CatalogProcessArea.__table__, CATALOG_PROCESS_AREA.id == SCOPE_ITEM.process_area_id)
        .join(CatalogModel.__table__, CATALOG_MODEL.id == CATALOG_PROCESS_AREA.model_id)
        .where(SCOPE_ITEM.excluded.is_(False))
        .order_by(SCOPE_ITEM.position)
    ).all()
    return [(pa_id, target, model, acronym) for pa_id, target, model, acronym in rows]


def listed_areas(session: Session) -> dict[int, set[int]]:
    """The process areas each unit lists, by row ids (a unit that lists none is not in it: see `does_area`)."""
    listed: dict[int, set[int]] = {}
    rows: Sequence[Sequence[Any]] = session.execute(
        select(UNIT_PROCESS_AREA.unit_id, UNIT_PROCESS_AREA.process_area_id)
    ).all()
    for unit_id, pa_id in rows:
        listed.setdefault(unit_id, set()).add(pa_id)
    return listed


def does_area(kind: str, listed: set[int] | None, pa_id: int) -> bool:
    """The plan's rule: a unit does the process areas listed for it; a basic unit listing none does every one."""
    return pa_id in listed if listed is not None else kind == UnitKind.BASIC_UNIT


def unit_implements(session: Session, unit: Unit, pa_id: int) -> bool:
    """Whether `unit` has instantiations of the process area: it is sampled and implements it."""
    listed = set(session.scalars(select(UnitProcessArea.process_area_id).where(UnitProcessArea.unit_id == unit.id)))
    return unit.sampled and does_area(unit.kind, listed or None, pa_id)


def instantiations(session: Session, catalog: Catalog) -> list[Instantiation]:
    """In scope order: PA, then its practices (specific, then generic), then units in plan order."""
    appraisal = session.scalars(select(Appraisal)).first()
    target_ml = appraisal.target_maturity_level if appraisal else None
    ids = practice_ids(session)
    # Plain values: the loop below reads each unit once per practice (twenty thousand times at size L), and an
    # ORM attribute read costs several times a tuple's.
    units = [
        (u.id, u.name, u.kind)
        for u in session.scalars(select(Unit).where(Unit.sampled.is_(True)).order_by(Unit.kind, Unit.position))
    ]
    implements: dict[int, set[int]] = {}
    for link in session.scalars(select(UnitProcessArea)):
        implements.setdefault(link.unit_id, set()).add(link.process_area_id)
    scope = scope_in_order(session)
    result: list[Instantiation] = []
    for item, acronym, model_key in scope:
        model = catalog.model(model_key)
        area = model.process_area(acronym) if model else None
        if model is None or area is None:
            continue
        pa_id = item.process_area_id
        doers = [
            (unit_id, name, kind) for unit_id, name, kind in units if does_area(kind, implements.get(unit_id), pa_id)
        ]
        generic_owner = model.generic_goals_from if not model.generic_goals and model.generic_goals_from else model.key
        for rated in rated_practices(catalog, model_key, area, item.target_capability_level, target_ml):
            key = (
                (generic_owner, None, rated.goal.code, rated.practice.code)
                if rated.generic
                else (model_key, acronym, rated.goal.code, rated.practice.code)
            )
            practice_id = ids.get(key)
            if practice_id is None:
                continue
            goal, generic, practice = rated.goal.code, rated.generic, rated.practice.code
            for unit_id, name, kind in doers:
                result.append(
                    Instantiation(
                        model=model_key,
                        pa=acronym,
                        pa_id=pa_id,
                        goal=goal,
                        generic=generic,
                        practice=practice,
                        practice_id=practice_id,
                        unit_id=unit_id,
                        unit=name,
                        unit_kind=kind,
                    )
                )
    return result
