"""The places an appraisal rates (process areas in scope, their rated goals and practices), for go-to."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.places import Place, PlaceKind
from app.domain.scope import rated_practices
from app.services.workspace import Workspace
from app.storage.instantiation_repo import scope_in_order
from app.storage.schema import Appraisal


def rated_places(ws: Workspace) -> tuple[Place, ...]:
    """In grid order: each process area in scope, then its goals, each followed by its practices."""
    catalog = ws.catalog()
    with ws.uow() as uow:
        target_ml = uow.session.scalars(select(Appraisal.target_maturity_level)).one()
        scope = [(item.target_capability_level, model, pa) for item, pa, model in scope_in_order(uow.session)]
    places: list[Place] = []
    for target_cl, model_key, acronym in scope:
        model = catalog.model(model_key)
        area = model.process_area(acronym) if model else None
        if area is None:
            continue
        places.append(Place(PlaceKind.PROCESS_AREA, model_key, acronym, title=area.name))
        goal_seen: set[str] = set()
        for rated in rated_practices(catalog, model_key, area, target_cl, target_ml):
            goal = rated.goal
            if goal.code not in goal_seen:
                goal_seen.add(goal.code)
                places.append(Place(PlaceKind.GOAL, model_key, acronym, goal.code, title=goal.title))
            places.append(
                Place(PlaceKind.PRACTICE, model_key, acronym, goal.code, rated.practice.code, rated.practice.title)
            )
    return tuple(places)
