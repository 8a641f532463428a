"""The practices, goals and process areas of other models that the catalog links to a chosen practice, with
the evidence they share with it in this appraisal (the grid's side-by-side panel)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.catalog import Catalog, ModelKind, Ref, shown_title
from app.services.grid import RowKind, short_code
from app.services.grid_cell import evidence_labels, evidence_source
from app.services.link_scope import LinkScope, PracticeRef
from app.services.workspace import Workspace
from app.storage.schema import EvidenceLink


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
    mine = {evidence_source(link) for link in links if link.process_area_id == mine_pa and link.practice_id in mine_ids}
    if not mine:
        return {}
    labels = evidence_labels(session, [link for link in links if evidence_source(link) in mine])
    result: dict[Ref, tuple[SharedEvidence, ...]] = {}
    for ref, (pa_id, practice_ids) in wanted.items():
        sources = dict.fromkeys(
            evidence_source(link)
            for link in links
            if link.process_area_id == pa_id
            and (practice_ids is None or link.practice_id in practice_ids)
            and evidence_source(link) in mine
        )
        if sources:
            result[ref] = tuple(SharedEvidence(kind, sid, labels.get((kind, sid), "?")) for kind, sid in sources)
    return result
