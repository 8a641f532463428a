"""Read model of the characterization grid: rows, cells with evidence counts and review flags, filter data,
one cell's detail, and the practices the catalog links to a practice (side by side), with shared evidence.

Everything is read in one transaction per call with a fixed number of queries, whatever the appraisal's size,
and handed out as plain frozen values. Ratings (OU values, proposals, goal ratings) are not read here: the
window keeps them live (`Document.ratings()`) and the grid joins them by key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from app.domain.catalog import Catalog, Goal, ModelKind, ProcessArea, Ref, shown_title
from app.domain.plan import PaKey
from app.domain.rating.scales import Scale
from app.domain.scope import rated_practices
from app.services.characterize import CellKey, CellState, get_cell
from app.services.link_scope import LinkScope, PracticeRef
from app.services.workspace import Workspace
from app.storage.errors import KnownError
from app.storage.instantiation_repo import instantiations
from app.storage.schema import (
    Affirmation,
    Appraisal,
    Artifact,
    CatalogGoal,
    CatalogModel,
    CatalogPractice,
    CatalogProcessArea,
    Characterization,
    EvidenceLink,
    InterviewSession,
    MiniTeam,
    MiniTeamProcessArea,
    ScopeItem,
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


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """An artifact or affirmation linked to one cell."""

    link_id: int
    kind: str
    """"artifact" or "affirmation"."""
    source_id: int
    label: str
    adequacy: str
    note: str


@dataclass(frozen=True, slots=True)
class CellDetail:
    key: CellKey
    title: str
    statement: str
    state: CellState
    evidence: tuple[EvidenceItem, ...]


@dataclass(frozen=True, slots=True)
class SharedEvidence:
    kind: str
    source_id: int
    label: str


@dataclass(frozen=True, slots=True)
class LinkedItem:
    """A practice, goal or whole process area of another model that the catalog links to the chosen one."""

    model: str
    pa: str
    item: str | None
    kind: RowKind
    """PRACTICE, GOAL or PROCESS_AREA."""
    title: str
    goal: str
    """The goal of a linked practice (the goal itself for a goal); empty for a process area."""
    relation: str
    outgoing: bool
    """True when the chosen practice's side is the link's source ("chosen <relation> this")."""
    via: str
    """What on the chosen side the link names: "practice", "goal ESG1" or "process area"."""
    rationale: str
    in_scope: bool
    practices: tuple[str, ...]
    """The rated practices the item stands for in this appraisal (none when out of scope)."""
    shared: tuple[SharedEvidence, ...]

    @property
    def ref(self) -> Ref:
        return Ref(self.model, self.pa, self.item)


@dataclass(frozen=True, slots=True)
class SideBySide:
    model: str
    pa: str
    goal: str
    practice: str | None
    title: str
    items: tuple[LinkedItem, ...]


def place_name(model: str, pa: str) -> str:
    """How the user names a process area: "CERT-RMM VAR", but just "SM" for the pseudo PA named like its model."""
    return model if pa == model else f"{model} {pa}"


def short_code(pa: str, code: str) -> str:
    """CERT-RMM codes repeat their PA ("RISK:SG1.SP2"); inside the PA's own rows the prefix is noise."""
    prefix = f"{pa}:"
    return code[len(prefix) :] if code.startswith(prefix) else code


# --- the grid ---------------------------------------------------------------------------------------------


def _evidence_counts(session: Session, *where: ColumnElement[bool]) -> dict[_Ids, tuple[int, int, int]]:
    adequate = EvidenceLink.artifact_id.is_not(None) & (EvidenceLink.adequacy == "adequate")
    other = EvidenceLink.artifact_id.is_not(None) & (EvidenceLink.adequacy != "adequate")
    stmt = (
        select(
            EvidenceLink.process_area_id,
            EvidenceLink.practice_id,
            EvidenceLink.unit_id,
            func.sum(case((adequate, 1), else_=0)),
            func.sum(case((other, 1), else_=0)),
            func.sum(case((EvidenceLink.affirmation_id.is_not(None), 1), else_=0)),
        )
        .where(*where)
        .group_by(EvidenceLink.process_area_id, EvidenceLink.practice_id, EvidenceLink.unit_id)
    )
    rows: Sequence[Sequence[Any]] = session.execute(stmt).all()
    return {(r[0], r[1], r[2]): (int(r[3] or 0), int(r[4] or 0), int(r[5] or 0)) for r in rows}


def _characterizations(session: Session, *where: ColumnElement[bool]) -> dict[_Ids, tuple[str | None, bool, str, bool]]:
    written = (Characterization.strengths != "") | (Characterization.weaknesses != "") | (Characterization.notes != "")
    stmt = select(
        Characterization.process_area_id,
        Characterization.practice_id,
        Characterization.unit_id,
        Characterization.value,
        Characterization.review_flag,
        Characterization.review_comment,
        written,
    ).where(*where)
    return {
        (pa, pr, u): (value, bool(flag), comment or "", bool(text))
        for pa, pr, u, value, flag, comment, text in session.execute(stmt)
    }


def _cell(
    ids: _Ids,
    chars: dict[_Ids, tuple[str | None, bool, str, bool]],
    counts: dict[_Ids, tuple[int, int, int]],
) -> GridCell:
    value, flag, comment, text = chars.get(ids, (None, False, "", False))
    artifacts, other, affirmations = counts.get(ids, (0, 0, 0))
    return GridCell(value, artifacts, other, affirmations, flag, comment, text)


def mini_team_options(session: Session) -> tuple[MiniTeamOption, ...]:
    rows = session.execute(
        select(MiniTeam.name, CatalogModel.key, CatalogProcessArea.acronym)
        .select_from(MiniTeam)
        .outerjoin(MiniTeamProcessArea, MiniTeamProcessArea.mini_team_id == MiniTeam.id)
        .outerjoin(CatalogProcessArea, CatalogProcessArea.id == MiniTeamProcessArea.process_area_id)
        .outerjoin(CatalogModel, CatalogModel.id == CatalogProcessArea.model_id)
        .order_by(MiniTeam.position, CatalogProcessArea.position)
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
    """Every row and cell of the grid for the process areas in scope (excluded ones are not characterized)."""
    catalog = ws.catalog()
    with ws.uow() as uow:
        session = uow.session
        scale, target_ml = session.execute(select(Appraisal.scale, Appraisal.target_maturity_level)).one()
        sampled = select(Unit).where(Unit.sampled.is_(True)).order_by(Unit.kind, Unit.position)
        units = tuple(GridUnit(u.name, u.kind, u.description) for u in session.scalars(sampled))
        found = instantiations(session, catalog)
        cells = _Cells(
            {(i.model, i.pa, i.practice, i.unit): (i.pa_id, i.practice_id, i.unit_id) for i in found},
            _characterizations(session),
            _evidence_counts(session),
        )
        scope = session.execute(
            select(ScopeItem.target_capability_level, CatalogModel.key, CatalogProcessArea.acronym)
            .join(CatalogProcessArea, CatalogProcessArea.id == ScopeItem.process_area_id)
            .join(CatalogModel, CatalogModel.id == CatalogProcessArea.model_id)
            .where(ScopeItem.excluded.is_(False))
            .order_by(ScopeItem.position)
        ).all()
        mini_teams = mini_team_options(session)
    by_model: dict[str, list[tuple[ProcessArea, int | None]]] = {}
    for target_cl, model_key, acronym in scope:
        model = catalog.model(model_key)
        area = model.process_area(acronym) if model else None
        if area is not None:
            by_model.setdefault(model_key, []).append((area, target_cl))
    rows: list[GridRow] = []
    models: list[tuple[str, str]] = []
    options: list[ProcessAreaOption] = []
    for model_key, areas in by_model.items():
        model = catalog.model(model_key)
        name = model.name if model else model_key
        models.append((model_key, name))
        rows.append(GridRow(RowKind.MODEL, model_key, title=name))
        for area, target_cl in areas:
            options.append(ProcessAreaOption(model_key, area.acronym, area.name))
            goals = _goals(catalog, model_key, area, target_cl, target_ml)
            rows.extend(_area_rows(model_key, area, goals, units, cells))
    return GridData(Scale(scale), units, tuple(rows), tuple(models), tuple(options), mini_teams)


@dataclass(frozen=True, slots=True)
class _Cells:
    """The instantiations' row ids by name, and what is recorded for them, read in one go."""

    ids: dict[tuple[str, str, str, str], _Ids]
    chars: dict[_Ids, tuple[str | None, bool, str, bool]]
    counts: dict[_Ids, tuple[int, int, int]]

    def get(self, model: str, pa: str, practice: str, unit: str) -> GridCell | None:
        ids = self.ids.get((model, pa, practice, unit))
        return None if ids is None else _cell(ids, self.chars, self.counts)


def _area_rows(
    model: str, area: ProcessArea, goals: Sequence[Goal], units: Sequence[GridUnit], cells: _Cells
) -> list[GridRow]:
    rows = [GridRow(RowKind.PROCESS_AREA, model, area.acronym, title=shown_title(area))]
    specific = {g.code for g in area.goals}
    for goal in goals:
        generic = goal.code not in specific
        rows.append(GridRow(RowKind.GOAL, model, area.acronym, goal.code, title=shown_title(goal), generic=generic))
        for practice in goal.practices:
            row_cells = tuple(cells.get(model, area.acronym, practice.code, unit.name) for unit in units)
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
                    row_cells,
                )
            )
    return rows


def _resolve(scope: LinkScope, key: CellKey) -> _Ids:
    """Row ids of a cell the appraisal rates; refuses one that is not an instantiation."""
    pa_id = scope.pa_ids.get((key.model, key.pa))
    practice_id = scope.practice_ids.get(PracticeRef(key.model, key.pa, key.practice))
    unit = next((u for u in scope.units.values() if u.name == key.unit), None)
    if pa_id is None or practice_id is None or unit is None:
        raise KnownError(f"{key.model} {key.pa} {key.practice} in {key.unit} is not rated in this appraisal.")
    if not unit.implements(key.model, key.pa):
        raise KnownError(f"{key.unit} does not implement {key.model} {key.pa}, so {key.practice} is not rated there.")
    return pa_id, practice_id, unit.id


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
        pa_ids = {i[0] for i in ids.values()}
        practice_ids = {i[1] for i in ids.values()}
        chars = _characterizations(
            session,
            Characterization.process_area_id.in_(pa_ids),
            Characterization.practice_id.in_(practice_ids),
        )
        counts = _evidence_counts(
            session, EvidenceLink.process_area_id.in_(pa_ids), EvidenceLink.practice_id.in_(practice_ids)
        )
    return {key: _cell(ids[key], chars, counts) for key in wanted}


def set_review_flag(ws: Workspace, key: CellKey, flag: bool, comment: str = "") -> tuple[bool, str]:
    """Mark (or unmark) a cell for the team to review, with a comment; returns the previous (flag, comment)."""
    comment = comment.strip()
    with ws.uow() as uow:
        session = uow.session
        pa_id, practice_id, unit_id = _resolve(LinkScope(session, ws.catalog()), key)
        row = session.scalars(
            select(Characterization).where(
                Characterization.process_area_id == pa_id,
                Characterization.practice_id == practice_id,
                Characterization.unit_id == unit_id,
            )
        ).first()
        before = (row.review_flag, row.review_comment) if row is not None else (False, "")
        if row is None:
            row = Characterization(process_area_id=pa_id, practice_id=practice_id, unit_id=unit_id)
            session.add(row)
        row.review_flag = flag
        row.review_comment = comment if flag else ""
        row.updated_at = datetime.now()
        row.updated_by = ws.who
        session.flush()
        what = f"marked for review: {comment}" if flag else "review mark removed"
        uow.log("review", "characterization", row.id, f"{key.model} {key.pa} {key.practice} / {key.unit}: {what}")
        uow.commit()
        return before


# --- one cell ---------------------------------------------------------------------------------------------


def _labels(session: Session, links: Sequence[EvidenceLink]) -> dict[tuple[str, int], str]:
    artifact_ids = {link.artifact_id for link in links if link.artifact_id is not None}
    affirmation_ids = {link.affirmation_id for link in links if link.affirmation_id is not None}
    labels: dict[tuple[str, int], str] = {}
    if artifact_ids:
        for artifact_id, title in session.execute(
            select(Artifact.id, Artifact.title).where(Artifact.id.in_(artifact_ids))
        ):
            labels[("artifact", artifact_id)] = title
    if affirmation_ids:
        rows = session.execute(
            select(Affirmation.id, Affirmation.text, InterviewSession.code)
            .join(InterviewSession, InterviewSession.id == Affirmation.session_id)
            .where(Affirmation.id.in_(affirmation_ids))
        )
        for affirmation_id, text, code in rows:
            labels[("affirmation", affirmation_id)] = f"{code}: {text}"
    return labels


def _source(link: EvidenceLink) -> tuple[str, int]:
    if link.artifact_id is not None:
        return "artifact", link.artifact_id
    assert link.affirmation_id is not None  # the schema holds exactly one source per link
    return "affirmation", link.affirmation_id


def cell_detail(ws: Workspace, key: CellKey) -> CellDetail:
    """One cell as its detail dialog shows it: the team's texts and the evidence linked to it."""
    catalog = ws.catalog()
    model = catalog.model(key.model)
    area = model.process_area(key.pa) if model else None
    practice = area.practice(key.practice) if area else None
    if practice is None and model is not None:
        generic = (p for g in catalog.generic_goals_for(model) for p in g.practices if p.code == key.practice)
        practice = next(generic, None)
    state = get_cell(ws, key)
    with ws.uow() as uow:
        session = uow.session
        pa_id, practice_id, unit_id = _resolve(LinkScope(session, catalog), key)
        links = list(
            session.scalars(
                select(EvidenceLink)
                .where(
                    EvidenceLink.process_area_id == pa_id,
                    EvidenceLink.practice_id == practice_id,
                    EvidenceLink.unit_id == unit_id,
                )
                .order_by(EvidenceLink.artifact_id.is_(None), EvidenceLink.id)
            )
        )
        labels = _labels(session, links)
        evidence = tuple(
            EvidenceItem(link.id, *_source(link), labels.get(_source(link), "?"), link.adequacy, link.note)
            for link in links
        )
    title = shown_title(practice) if practice else ""
    statement = (practice.statement or "") if practice else ""
    return CellDetail(key, title, statement, state, evidence)


# --- side by side -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Target:
    kind: RowKind
    title: str
    goal: str
    codes: tuple[str, ...]
    """Every practice code the target covers in the catalog."""


@dataclass(frozen=True, slots=True)
class _Found:
    rank: int
    """0: the link names the chosen practice, 1: its goal, 2: its process area (the most specific wins)."""
    other: Ref
    target: _Target
    via: str
    outgoing: bool
    relation: str
    rationale: str


def _target(catalog: Catalog, ref: Ref) -> _Target | None:
    model = catalog.model(ref.model)
    area = model.process_area(ref.pa) if model else None
    if area is None:
        return None
    if ref.item is None:
        codes = tuple(p.code for g in area.goals for p in g.practices)
        return _Target(RowKind.PROCESS_AREA, shown_title(area), "", codes)
    for goal in area.goals:
        if goal.code == ref.item:
            return _Target(RowKind.GOAL, shown_title(goal), goal.code, tuple(p.code for p in goal.practices))
        for practice in goal.practices:
            if practice.code == ref.item:
                return _Target(RowKind.PRACTICE, shown_title(practice), goal.code, (practice.code,))
    return None


def _our_side(ref: Ref, model: str, pa: str, goal: str, practice: str | None) -> tuple[int, str] | None:
    """How a link end names the chosen practice (or goal), with its rank; None when it does not."""
    if (ref.model, ref.pa) != (model, pa):
        return None
    if ref.item is None:
        return 2, "process area"
    if practice is not None and ref.item == practice:
        return 0, "practice"
    if ref.item == goal:
        return 1, f"goal {short_code(pa, goal)}"
    return None


def _linked(catalog: Catalog, model: str, pa: str, goal: str, practice: str | None) -> list[_Found]:
    found: dict[Ref, _Found] = {}
    for link in catalog.links:
        for mine, other, outgoing in ((link.source, link.target, True), (link.target, link.source, False)):
            side = _our_side(mine, model, pa, goal, practice)
            if side is None or other.model == model:
                continue
            other_model = catalog.model(other.model)
            if other_model is None or other_model.kind is ModelKind.REFERENCE:
                continue
            target = _target(catalog, other)
            if target is None:
                continue
            rank, via = side
            if other not in found or rank < found[other].rank:
                found[other] = _Found(rank, other, target, via, outgoing, link.relation, link.rationale)
    return sorted(found.values(), key=lambda f: f.rank)


def side_by_side(ws: Workspace, model: str, pa: str, goal: str, practice: str | None = None) -> SideBySide:
    """What the catalog links to a practice (or, with `practice` None, to a goal), either way, in other models.

    Links name a whole process area, a goal or a practice on either side, so a practice also shows what is
    linked to its goal and its process area. Reference standards (never rated) are left out. `shared` lists the
    artifacts and affirmations linked both to the chosen practice (any unit) and to the linked item.
    """
    catalog = ws.catalog()
    found = _linked(catalog, model, pa, goal, practice)
    with ws.uow() as uow:
        session = uow.session
        scope = LinkScope(session, catalog)
        shared = _shared_evidence(session, scope, model, pa, goal, practice, found)
    rated: dict[tuple[str, str], set[str]] = {}
    for option in scope.options:
        rated.setdefault((option.model, option.pa), set()).add(option.practice)
    items = tuple(
        LinkedItem(
            f.other.model,
            f.other.pa,
            f.other.item,
            f.target.kind,
            f.target.title,
            f.target.goal,
            f.relation,
            f.outgoing,
            f.via,
            f.rationale,
            (f.other.model, f.other.pa) in scope.pa_ids,
            tuple(c for c in f.target.codes if c in rated.get((f.other.model, f.other.pa), set()))
            if f.target.kind is not RowKind.PROCESS_AREA
            else (),
            shared.get(f.other, ()),
        )
        for f in found
    )
    return SideBySide(model, pa, goal, practice, _title(catalog, model, pa, goal, practice), items)


def _title(catalog: Catalog, model: str, pa: str, goal: str, practice: str | None) -> str:
    found = catalog.model(model)
    area = found.process_area(pa) if found else None
    if found is None or area is None:
        return ""
    for g in (*area.goals, *catalog.generic_goals_for(found)):
        if g.code == goal:
            if practice is None:
                return shown_title(g)
            return next((shown_title(p) for p in g.practices if p.code == practice), "")
    return ""


def _shared_evidence(
    session: Session,
    scope: LinkScope,
    model: str,
    pa: str,
    goal: str,
    practice: str | None,
    found: Sequence[_Found],
) -> dict[Ref, tuple[SharedEvidence, ...]]:
    """Evidence linked both to the chosen practice (or the goal's practices) and to each linked item."""
    mine_pa = scope.pa_ids.get((model, pa))
    mine_ids = {
        scope.practice_ids[option.ref]
        for option in scope.options
        if (option.model, option.pa) == (model, pa)
        and (option.practice == practice if practice is not None else option.goal == goal)
    }
    wanted: dict[Ref, tuple[int, set[int] | None]] = {}
    for f in found:
        other_pa = scope.pa_ids.get((f.other.model, f.other.pa))
        if other_pa is None:
            continue
        if f.target.kind is RowKind.PROCESS_AREA:
            wanted[f.other] = (other_pa, None)
        else:
            refs = (PracticeRef(f.other.model, f.other.pa, code) for code in f.target.codes)
            wanted[f.other] = (other_pa, {scope.practice_ids[r] for r in refs if r in scope.practice_ids})
    if mine_pa is None or not mine_ids or not wanted:
        return {}
    pa_ids = {mine_pa} | {pa_id for pa_id, _ in wanted.values()}
    links = list(session.scalars(select(EvidenceLink).where(EvidenceLink.process_area_id.in_(pa_ids))))
    mine = {_source(link) for link in links if link.process_area_id == mine_pa and link.practice_id in mine_ids}
    if not mine:
        return {}
    labels = _labels(session, [link for link in links if _source(link) in mine])
    result: dict[Ref, tuple[SharedEvidence, ...]] = {}
    for ref, (pa_id, practice_ids) in wanted.items():
        sources = dict.fromkeys(
            _source(link)
            for link in links
            if link.process_area_id == pa_id
            and (practice_ids is None or link.practice_id in practice_ids)
            and _source(link) in mine
        )
        if sources:
            result[ref] = tuple(SharedEvidence(kind, sid, labels.get((kind, sid), "?")) for kind, sid in sources)
    return result
