"""Read model of the characterization grid: rows, cells with evidence counts and review flags, filter data.

Everything is read in one transaction per call with a fixed number of queries, whatever the appraisal's size,
and handed out as plain frozen values. Ratings (OU values, proposals, goal ratings) are not read here: the
window keeps them live (`Document.ratings()`) and the grid joins them by key. One cell's detail is in
`grid_cell`, the review mark in `grid_edits`, the linked practices of other models in `side_by_side`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Executable, case, func, select
from sqlalchemy.orm import Session

from app.domain.catalog import Catalog, Goal, ProcessArea, shown_title
from app.domain.plan import PaKey
from app.domain.rating.scales import Scale
from app.domain.scope import rated_practices
from app.services.characterize import CellKey
from app.services.workspace import Workspace
from app.storage.bulk_read import all_rows, plain_batches
from app.storage.errors import KnownError
from app.storage.instantiation_repo import does_area, listed_areas, practice_ids, rated_scope_rows
from app.storage.plain_columns import (
    APPRAISAL,
    CATALOG_MODEL,
    CATALOG_PROCESS_AREA,
    CHARACTERIZATION,
    EVIDENCE_LINK,
    MINI_TEAM,
    MINI_TEAM_PROCESS_AREA,
    UNIT,
)
from app.storage.schema import (
    CatalogGoal,
    CatalogModel,
    CatalogPractice,
    CatalogProcessArea,
    MiniTeam,
    MiniTeamProcessArea,
    Unit,
)

_Ids = tuple[int, int, int]
"""(process area id, practice id, unit id) of one instantiation."""


class RowKind(StrEnum):
    MODEL = "model"
    PROCESS_AREA = "process area"
    GOAL = "goal"
    PRACTICE = "practice"


@dataclass(frozen=True, slots=True)
class GridUnit:
    """A column: a sampled basic unit or support function, in plan order (basic units first)."""

    name: str
    kind: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class GridCell:
    """What the grid shows of one instantiation besides its ratings."""

    value: str | None = None
    artifacts: int = 0
    """Adequate artifacts linked."""
    other_artifacts: int = 0
    """Artifacts linked but judged inadequate or not assessed yet."""
    affirmations: int = 0
    review_flag: bool = False
    review_comment: str = ""
    has_text: bool = False
    """Strengths, weaknesses or notes are written."""

    @property
    def has_evidence(self) -> bool:
        return self.artifacts + self.other_artifacts + self.affirmations > 0


@dataclass(frozen=True, slots=True)
class GridRow:
    """A model, process area or goal heading, or a practice with one cell per grid unit.

    `cells` is aligned with `GridData.units`; None where the unit does not implement the process area.
    """

    kind: RowKind
    model: str
    pa: str = ""
    goal: str = ""
    practice: str = ""
    title: str = ""
    generic: bool = False
    statement: str = ""
    cells: tuple[GridCell | None, ...] = ()

    @property
    def pa_key(self) -> PaKey:
        return PaKey(self.model, self.pa)

    def key(self, unit: str) -> CellKey:
        return CellKey(self.model, self.pa, self.goal, self.practice, unit)

    @property
    def code(self) -> str:
        """What the grid labels the row with: the practice (or goal) code without its PA prefix."""
        if self.kind is RowKind.PRACTICE:
            return short_code(self.pa, self.practice)
        if self.kind is RowKind.GOAL:
            return short_code(self.pa, self.goal)
        return self.pa if self.kind is RowKind.PROCESS_AREA else self.model


@dataclass(frozen=True, slots=True)
class ProcessAreaOption:
    model: str
    pa: str
    name: str

    @property
    def key(self) -> PaKey:
        return PaKey(self.model, self.pa)


@dataclass(frozen=True, slots=True)
class MiniTeamOption:
    name: str
    process_areas: tuple[PaKey, ...]


@dataclass(frozen=True, slots=True)
class GridData:
    scale: Scale
    units: tuple[GridUnit, ...]
    rows: tuple[GridRow, ...]
    models: tuple[tuple[str, str], ...]
    """(key, name) of the models with process areas in scope, in grid order."""
    process_areas: tuple[ProcessAreaOption, ...]
    mini_teams: tuple[MiniTeamOption, ...]


def place_name(model: str, pa: str) -> str:
    """How the user names a process area: "CERT-RMM VAR", but just "SM" for the pseudo PA named like its model."""
    return model if pa == model else f"{model} {pa}"


def short_code(pa: str, code: str) -> str:
    """CERT-RMM codes repeat their PA ("RISK:SG1.SP2"); inside the PA's own rows the prefix is noise."""
    prefix = f"{pa}:"
    return code[len(prefix) :] if code.startswith(prefix) else code


_Shown = tuple[str | None, bool, str, bool, int, int, int]
"""What the grid shows of a cell: value, review flag, review comment, texts written, then adequate artifacts,
other artifacts and affirmations (in `GridCell`'s terms)."""
_NOTHING: _Shown = (None, False, "", False, 0, 0, 0)


def _cell_key(pa_id: int, practice_id: int, unit_id: int) -> int:
    """A cell's three row ids as one int (each id fits 64 bits): an int key is not tracked by the cycle collector,
    a tuple is, and twenty thousand of them at size L had it walk the heap again and again during the read."""
    return (pa_id << 128) | (practice_id << 64) | unit_id


def _recorded(
    session: Session, pa_ids: Collection[int] | None = None, practice_ids: Collection[int] | None = None
) -> dict[int, _Shown]:
    """What is recorded for each cell that has a characterization or evidence, by `_cell_key`; all cells, or
    those of the given process areas and practices."""
    links: list[ColumnElement[bool]] = []
    cells: list[ColumnElement[bool]] = []
    if pa_ids is not None:
        links.append(EVIDENCE_LINK.process_area_id.in_(pa_ids))
        cells.append(CHARACTERIZATION.process_area_id.in_(pa_ids))
    if practice_ids is not None:
        links.append(EVIDENCE_LINK.practice_id.in_(practice_ids))
        cells.append(CHARACTERIZATION.practice_id.in_(practice_ids))
    # COUNT of a column skips NULLs: cheaper than summing CASE expressions over sixty thousand links at size L.
    counts = (
        select(
            EVIDENCE_LINK.process_area_id,
            EVIDENCE_LINK.practice_id,
            EVIDENCE_LINK.unit_id,
            func.count(case((EVIDENCE_LINK.adequacy == "adequate", EVIDENCE_LINK.artifact_id))),
            func.count(EVIDENCE_LINK.artifact_id),
            func.count(EVIDENCE_LINK.affirmation_id),
        )
        .where(*links)
        .group_by(EVIDENCE_LINK.process_area_id, EVIDENCE_LINK.practice_id, EVIDENCE_LINK.unit_id)
    )
    # Plain driver tuples in batches, the key built inline: per row a call, a row object and a tuple less,
    # which at size L (sixty thousand links, twenty thousand cells) was half the read.
    found: dict[int, _Shown] = {}
    for batch in plain_batches(session.connection(), counts):
        found.update(
            ((pa << 128) | (pr << 64) | u, (None, False, "", False, adequate, linked - adequate, said))
            for pa, pr, u, adequate, linked, said in batch
        )
    written = (CHARACTERIZATION.strengths != "") | (CHARACTERIZATION.weaknesses != "") | (CHARACTERIZATION.notes != "")
    chars = select(
        CHARACTERIZATION.process_area_id,
        CHARACTERIZATION.practice_id,
        CHARACTERIZATION.unit_id,
        CHARACTERIZATION.value,
        CHARACTERIZATION.review_flag,
        CHARACTERIZATION.review_comment,
        written,
    ).where(*cells)
    get = found.get
    for batch in plain_batches(session.connection(), chars):
        for pa, pr, u, value, flag, comment, text in batch:
            key = (pa << 128) | (pr << 64) | u
            evidence = get(key, _NOTHING)
            found[key] = (value, bool(flag), comment or "", bool(text), evidence[4], evidence[5], evidence[6])
    return found


def _rows(session: Session, stmt: Executable) -> Sequence[Sequence[Any]]:
    return all_rows(session.connection(), stmt)


def _cell(shown: _Shown, alike: dict[_Shown, GridCell] | None = None) -> GridCell:
    """One cell; with `alike`, cells that show the same are one (frozen) value: most of a large grid repeats
    a few dozen combinations, and a dictionary look-up costs a tenth of making a cell."""
    cell = alike.get(shown) if alike is not None else None
    if cell is None:
        value, flag, comment, text, artifacts, other, affirmations = shown
        cell = GridCell(value, artifacts, other, affirmations, flag, comment, text)
        if alike is not None:
            alike[shown] = cell
    return cell


def mini_team_options(session: Session) -> tuple[MiniTeamOption, ...]:
    rows: Sequence[Sequence[Any]] = session.execute(
        select(MINI_TEAM.name, CATALOG_MODEL.key, CATALOG_PROCESS_AREA.acronym)
        .select_from(MiniTeam.__table__)
        .outerjoin(MiniTeamProcessArea.__table__, MINI_TEAM_PROCESS_AREA.mini_team_id == MINI_TEAM.id)
        .outerjoin(CatalogProcessArea.__table__, CATALOG_PROCESS_AREA.id == MINI_TEAM_PROCESS_AREA.process_area_id)
        .outerjoin(CatalogModel.__table__, CATALOG_MODEL.id == CATALOG_PROCESS_AREA.model_id)
        .order_by(MINI_TEAM.position, CATALOG_PROCESS_AREA.position)
    ).all()
    teams: dict[str, list[PaKey]] = {}
    for name, model, pa in rows:
        teams.setdefault(name, [])
        if model is not None and pa is not None:
            teams[name].append(PaKey(model, pa))
    return tuple(MiniTeamOption(name, tuple(pas)) for name, pas in teams.items())


def _goals(catalog: Catalog, model: str, area: ProcessArea, target_cl: int | None, target_ml: int | None) -> list[Goal]:
    """The goals rated in `area`: its specific goals, then the generic goals its target calls for."""
    return list({r.goal.code: r.goal for r in rated_practices(catalog, model, area, target_cl, target_ml)}.values())


def grid_data(ws: Workspace) -> GridData:
    """Every row and cell of the grid for the process areas in scope (excluded ones are not characterized).

    Plain columns, each table read once and indexed by row ids; a cell is then two dictionary look-ups."""
    catalog = ws.catalog()
    with ws.uow() as uow:
        session = uow.session
        scale, target_ml = _rows(session, select(APPRAISAL.scale, APPRAISAL.target_maturity_level))[0]
        sampled = _rows(
            session,
            select(UNIT.id, UNIT.name, UNIT.kind, UNIT.description)
            .where(UNIT.sampled.is_(True))
            .order_by(UNIT.kind, UNIT.position),
        )
        implements = listed_areas(session)
        scope = rated_scope_rows(session)
        cells = _Cells(practice_ids(session), _recorded(session))
        mini_teams = mini_team_options(session)
    units = tuple(GridUnit(name, kind, description) for _id, name, kind, description in sampled)
    by_model: dict[str, list[tuple[ProcessArea, int | None, int, tuple[int | None, ...]]]] = {}
    for pa_id, target_cl, model_key, acronym in scope:
        model = catalog.model(model_key)
        area = model.process_area(acronym) if model else None
        if area is not None:
            # The grid's columns: each sampled unit's row id where it does the process area, else None.
            doers = tuple(uid if does_area(kind, implements.get(uid), pa_id) else None for uid, _n, kind, _d in sampled)
            by_model.setdefault(model_key, []).append((area, target_cl, pa_id, doers))
    rows: list[GridRow] = []
    models: list[tuple[str, str]] = []
    options: list[ProcessAreaOption] = []
    for model_key, areas in by_model.items():
        model = catalog.model(model_key)
        name = model.name if model else model_key
        models.append((model_key, name))
        rows.append(GridRow(RowKind.MODEL, model_key, title=name))
        # Generic practices are stored once, under the model that defines them (SM borrows CMMI-SVC's).
        owner = (
            model.generic_goals_from if model and not model.generic_goals and model.generic_goals_from else model_key
        )
        for area, target_cl, pa_id, doers in areas:
            options.append(ProcessAreaOption(model_key, area.acronym, area.name))
            goals = _goals(catalog, model_key, area, target_cl, target_ml)
            rows.extend(_area_rows(model_key, owner, area, goals, cells, pa_id, doers))
    return GridData(Scale(scale), units, tuple(rows), tuple(models), tuple(options), mini_teams)


@dataclass(frozen=True, slots=True)
class _Cells:
    """The practices' row ids, and what is recorded for each cell, read in one go."""

    practices: dict[tuple[str, str | None, str, str], int]
    """By (model, PA acronym or None for generic goals, goal code, practice code): `practice_ids`."""
    recorded: dict[int, _Shown]
    alike: dict[_Shown, GridCell] = field(default_factory=dict)

    def row(self, pa_id: int, practice_id: int | None, doers: Sequence[int | None]) -> tuple[GridCell | None, ...]:
        """One practice's cells: None where the unit does not do the process area (or the practice is unknown)."""
        if practice_id is None:
            return (None,) * len(doers)
        recorded, alike = self.recorded, self.alike
        practice = (pa_id << 128) | (practice_id << 64)  # `_cell_key` but the unit, once per row
        # The common case (a cell like one already made) without a call: twenty thousand cells at size L.
        return tuple(
            None
            if unit_id is None
            else alike.get(shown := recorded.get(practice | unit_id, _NOTHING)) or _cell(shown, alike)
            for unit_id in doers
        )


def _area_rows(
    model: str,
    generic_owner: str,
    area: ProcessArea,
    goals: Sequence[Goal],
    cells: _Cells,
    pa_id: int,
    doers: Sequence[int | None],
) -> list[GridRow]:
    rows = [GridRow(RowKind.PROCESS_AREA, model, area.acronym, title=shown_title(area))]
    specific = {g.code for g in area.goals}
    for goal in goals:
        generic = goal.code not in specific
        rows.append(GridRow(RowKind.GOAL, model, area.acronym, goal.code, title=shown_title(goal), generic=generic))
        where = (generic_owner, None) if generic else (model, area.acronym)
        for practice in goal.practices:
            practice_id = cells.practices.get((*where, goal.code, practice.code))
            rows.append(
                GridRow(
                    RowKind.PRACTICE,
                    model,
                    area.acronym,
                    goal.code,
                    practice.code,
                    shown_title(practice),
                    generic,
                    practice.statement or "",
                    cells.row(pa_id, practice_id, doers),
                )
            )
    return rows


def _cell_ids(session: Session, catalog: Catalog, keys: Sequence[CellKey]) -> dict[CellKey, _Ids]:
    """Row ids of a few cells by name, with three small indexed queries (no scan of the whole catalog)."""
    pas = {
        (model, acronym): pa_id
        for pa_id, model, acronym in session.execute(
            select(CatalogProcessArea.id, CatalogModel.key, CatalogProcessArea.acronym)
            .join(CatalogModel, CatalogModel.id == CatalogProcessArea.model_id)
            .where(CatalogProcessArea.acronym.in_({k.pa for k in keys}))
        )
    }
    practices = session.execute(
        select(CatalogPractice.id, CatalogPractice.code, CatalogGoal.process_area_id, CatalogModel.key)
        .join(CatalogGoal, CatalogGoal.id == CatalogPractice.goal_id)
        .join(CatalogModel, CatalogModel.id == CatalogGoal.model_id)
        .where(CatalogPractice.code.in_({k.practice for k in keys}))
    ).all()
    names = {k.unit for k in keys}
    units = {name: uid for name, uid in session.execute(select(Unit.name, Unit.id).where(Unit.name.in_(names)))}
    found: dict[CellKey, _Ids] = {}
    for key in keys:
        pa_id, unit_id = pas.get((key.model, key.pa)), units.get(key.unit)
        model = catalog.model(key.model)
        # Generic practices are stored once, under the model that defines them (SM borrows CMMI-SVC's).
        borrowed = model.generic_goals_from if model and not model.generic_goals else None
        owner = borrowed or key.model
        practice_id = next(
            (
                pid
                for pid, code, goal_pa, model_key in practices
                if code == key.practice and (goal_pa == pa_id if goal_pa is not None else model_key == owner)
            ),
            None,
        )
        if pa_id is None or practice_id is None or unit_id is None:
            raise KnownError(f"{key.model} {key.pa} {key.practice} in {key.unit} is not in this appraisal.")
        found[key] = (pa_id, practice_id, unit_id)
    return found


def grid_cells(ws: Workspace, keys: Iterable[CellKey]) -> dict[CellKey, GridCell]:
    """The current state of a few cells, to update the grid after an edit without reading it all again."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return {}
    with ws.uow() as uow:
        session = uow.session
        ids = _cell_ids(session, ws.catalog(), wanted)
        recorded = _recorded(session, {i[0] for i in ids.values()}, {i[1] for i in ids.values()})
    return {key: _cell(recorded.get(_cell_key(*ids[key]), _NOTHING)) for key in wanted}
