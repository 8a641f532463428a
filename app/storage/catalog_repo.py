"""Copying model catalogs into an appraisal file and reading them back as domain values."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.catalog import (
    Catalog,
    CrossLink,
    Goal,
    GoalKind,
    InformativeItem,
    Model,
    ModelKind,
    Practice,
    ProcessArea,
    Provenance,
    Ref,
)
from app.storage.schema import (
    CatalogGoal,
    CatalogInformative,
    CatalogLink,
    CatalogModel,
    CatalogPractice,
    CatalogProcessArea,
)


def _add_goal(session: Session, model_id: int, pa_id: int | None, position: int, goal: Goal) -> None:
    row = CatalogGoal(
        model_id=model_id,
        process_area_id=pa_id,
        position=position,
        kind=goal.kind.value,
        code=goal.code,
        title=goal.title,
        statement=goal.statement,
        unverified=goal.unverified,
    )
    session.add(row)
    session.flush()
    for p_pos, practice in enumerate(goal.practices):
        p_row = CatalogPractice(
            goal_id=row.id,
            position=p_pos,
            code=practice.code,
            title=practice.title,
            statement=practice.statement,
            unverified=practice.unverified,
            note=practice.note,
        )
        session.add(p_row)
        session.flush()
        for i_pos, item in enumerate(practice.informative):
            session.add(CatalogInformative(practice_id=p_row.id, position=i_pos, kind=item.kind, text=item.text))


def store_model(session: Session, model: Model) -> int:
    """Copy one model into the appraisal; returns its row id. The caller commits."""
    row = CatalogModel(
        key=model.key,
        version=model.version,
        name=model.name,
        kind=model.kind.value,
        generic_goals_from=model.generic_goals_from,
        categories="\n".join(model.categories),
        has_maturity_levels=model.has_maturity_levels,
        max_capability_level=model.max_capability_level,
        source=model.source,
        description=model.description,
    )
    session.add(row)
    session.flush()
    for g_pos, goal in enumerate(model.generic_goals):
        _add_goal(session, row.id, None, g_pos, goal)
    for pa_pos, pa in enumerate(model.process_areas):
        pa_row = CatalogProcessArea(
            model_id=row.id,
            position=pa_pos,
            acronym=pa.acronym,
            name=pa.name,
            category=pa.category,
            maturity_level=pa.maturity_level,
            addition=pa.addition,
            aliases=" ".join(pa.aliases),
            purpose=pa.purpose,
            unverified=pa.unverified,
            note=pa.note,
        )
        session.add(pa_row)
        session.flush()
        for g_pos, goal in enumerate(pa.goals):
            _add_goal(session, row.id, pa_row.id, g_pos, goal)
    return row.id


def store_links(session: Session, links: tuple[CrossLink, ...] | list[CrossLink]) -> None:
    for link in links:
        session.add(
            CatalogLink(
                source_model=link.source.model,
                source_pa=link.source.pa,
                source_item=link.source.item,
                target_model=link.target.model,
                target_pa=link.target.pa,
                target_item=link.target.item,
                relation=link.relation,
                rationale=link.rationale,
                provenance=link.provenance.value,
            )
        )


def load_catalog(session: Session) -> Catalog:
    """The models this appraisal keeps, exactly as they were copied in.

    Read through the tables' columns, not the mapped classes: this is the first read when a file opens (the
    grid needs the catalog), and mapped classes would set up every mapper and make an object a row before
    the grid can show."""
    informative_t, practice_t, goal_t = (
        CatalogInformative.__table__.c,
        CatalogPractice.__table__.c,
        CatalogGoal.__table__.c,
    )
    area_t, model_t, link_t = CatalogProcessArea.__table__.c, CatalogModel.__table__.c, CatalogLink.__table__.c
    informative: dict[int, list[InformativeItem]] = defaultdict(list)
    for info in session.execute(select(*informative_t).order_by(informative_t.position)):
        informative[info.practice_id].append(InformativeItem(info.kind, info.text))
    practices: dict[int, list[Practice]] = defaultdict(list)
    for p in session.execute(select(*practice_t).order_by(practice_t.position)):
        practices[p.goal_id].append(
            Practice(p.code, p.title, p.statement, tuple(informative[p.id]), p.unverified, p.note)
        )
    specific: dict[int, list[Goal]] = defaultdict(list)
    generic: dict[int, list[Goal]] = defaultdict(list)
    for g in session.execute(select(*goal_t).order_by(goal_t.position)):
        goal = Goal(g.code, g.title, GoalKind(g.kind), tuple(practices[g.id]), g.statement, g.unverified)
        if g.process_area_id is None:
            generic[g.model_id].append(goal)
        else:
            specific[g.process_area_id].append(goal)
    areas: dict[int, list[ProcessArea]] = defaultdict(list)
    for pa in session.execute(select(*area_t).order_by(area_t.position)):
        areas[pa.model_id].append(
            ProcessArea(
                acronym=pa.acronym,
                name=pa.name,
                category=pa.category,
                goals=tuple(specific[pa.id]),
                maturity_level=pa.maturity_level,
                addition=pa.addition,
                aliases=tuple(pa.aliases.split()),
                purpose=pa.purpose,
                unverified=pa.unverified,
                note=pa.note,
            )
        )
    models = tuple(
        Model(
            key=m.key,
            version=m.version,
            name=m.name,
            kind=ModelKind(m.kind),
            process_areas=tuple(areas[m.id]),
            generic_goals=tuple(generic[m.id]),
            generic_goals_from=m.generic_goals_from,
            categories=tuple(c for c in m.categories.split("\n") if c),
            has_maturity_levels=m.has_maturity_levels,
            max_capability_level=m.max_capability_level,
            source=m.source,
            description=m.description,
        )
        for m in session.execute(select(*model_t).order_by(model_t.id))
    )
    links = tuple(
        CrossLink(
            Ref(link.source_model, link.source_pa, link.source_item),
            Ref(link.target_model, link.target_pa, link.target_item),
            link.relation,
            link.rationale,
            Provenance(link.provenance),
        )
        for link in session.execute(select(*link_t).order_by(link_t.id))
    )
    return Catalog(models, links)


def models_needed(catalog: Catalog, keys: list[str]) -> list[Model]:
    """The models an appraisal must keep for `keys`: those, the models lending them generic goals, and the
    reference standards their links point to."""
    wanted: list[str] = []

    def want(key: str) -> None:
        model = catalog.model(key)
        if model is None or key in wanted:
            return
        wanted.append(key)
        if model.generic_goals_from:
            want(model.generic_goals_from)

    for key in keys:
        want(key)
    for link in catalog.links:
        target = catalog.model(link.target.model)
        if link.source.model in wanted and target is not None and target.kind is ModelKind.REFERENCE:
            want(target.key)
    return [m for key in wanted if (m := catalog.model(key)) is not None]


def links_among(catalog: Catalog, keys: set[str]) -> list[CrossLink]:
    return [link for link in catalog.links if link.source.model in keys and link.target.model in keys]
