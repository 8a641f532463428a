"""Ratings of the open appraisal: the file's rows turned into `AppraisalFacts`, rated by the domain engine.

`LiveRatings` keeps one engine for the window: after an edit the caller says which cells, judgments or
goals changed and only those are re-read and re-rated (one process area), so the dashboard follows the
grid without recomputing the whole appraisal.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from app.domain.plan import PaKey, UnitKind
from app.domain.rating.engine import RatingEngine
from app.domain.rating.facts import (
    AppraisalFacts,
    FindingText,
    GoalKey,
    GoalOverride,
    InstantiationFact,
    InstantiationKey,
    OuDecision,
    PracticeKey,
    ScopeItem,
    UnitFact,
)
from app.domain.rating.results import RatingResult
from app.domain.rating.scales import GoalRating, Scale
from app.services.attribution import extra_identifiers, finding_location, participants, read_names
from app.services.workspace import Workspace
from app.storage import schema as db


@dataclass(frozen=True, slots=True)
class _Ids:
    """Row ids of the things a cell key names, read once per engine."""

    pa: dict[PaKey, int]
    unit: dict[str, int]


# What the engine counts per cell: artifacts judged adequate, and affirmations (one query shape for all cells
# and for one cell, so the live and the full rating count alike).
_ADEQUATE_ARTIFACTS = func.sum(
    case((db.EvidenceLink.artifact_id.is_not(None) & (db.EvidenceLink.adequacy == "adequate"), 1), else_=0)
)
_AFFIRMATIONS = func.sum(case((db.EvidenceLink.affirmation_id.is_not(None), 1), else_=0))


# One cell after an edit, built once: the window asks after every keystroke.
_ONE_CELL = (
    select(db.Characterization.value, db.Characterization.weaknesses, db.Characterization.strengths)
    .join(db.CatalogPractice, db.CatalogPractice.id == db.Characterization.practice_id)
    .where(
        db.Characterization.process_area_id == bindparam("pa"),
        db.Characterization.unit_id == bindparam("unit"),
        db.CatalogPractice.code == bindparam("code"),
    )
)
_ONE_CELL_COUNTS = (
    select(_ADEQUATE_ARTIFACTS, _AFFIRMATIONS)
    .join(db.CatalogPractice, db.CatalogPractice.id == db.EvidenceLink.practice_id)
    .where(
        db.EvidenceLink.process_area_id == bindparam("pa"),
        db.EvidenceLink.unit_id == bindparam("unit"),
        db.CatalogPractice.code == bindparam("code"),
    )
)


def _pa_rows(session: Session) -> list[tuple[int, str, str]]:
    rows = session.execute(
        select(db.CatalogProcessArea.id, db.CatalogModel.key, db.CatalogProcessArea.acronym).join(
            db.CatalogModel, db.CatalogModel.id == db.CatalogProcessArea.model_id
        )
    ).all()
    return [(pid, model, pa) for pid, model, pa in rows]


_Texts = tuple[str | None, str, str]
"""A characterization's value, weaknesses and strengths."""


def _cell_facts(session: Session) -> list[InstantiationFact]:
    """Every characterized or evidenced cell, read as plain columns on the connection (no ORM objects or ORM
    row handling: 20k cells and 60k links at size L)."""
    connection = session.connection()
    counts = select(
        db.EvidenceLink.process_area_id,
        db.EvidenceLink.practice_id,
        db.EvidenceLink.unit_id,
        _ADEQUATE_ARTIFACTS,
        _AFFIRMATIONS,
    ).group_by(db.EvidenceLink.process_area_id, db.EvidenceLink.practice_id, db.EvidenceLink.unit_id)
    evidence: dict[tuple[int, int, int], tuple[int, int]] = {
        (row[0], row[1], row[2]): (int(row[3] or 0), int(row[4] or 0)) for row in connection.execute(counts).all()
    }
    pas = {pid: (model, pa) for pid, model, pa in _pa_rows(session)}
    practices = {a: b for a, b in connection.execute(select(db.CatalogPractice.id, db.CatalogPractice.code))}
    units = {a: b for a, b in connection.execute(select(db.Unit.id, db.Unit.name))}
    result = []
    chars = connection.execute(
        select(
            db.Characterization.process_area_id,
            db.Characterization.practice_id,
            db.Characterization.unit_id,
            db.Characterization.value,
            db.Characterization.weaknesses,
            db.Characterization.strengths,
        )
    ).all()
    for pa_id, practice_id, unit_id, value, weakness, strength in chars:
        key = (pa_id, practice_id, unit_id)
        artifacts, affirmations = evidence.pop(key, (0, 0))
        if pa_id in pas and practice_id in practices and unit_id in units:
            model, pa = pas[pa_id]
            result.append(
                InstantiationFact(
                    InstantiationKey(model, pa, practices[practice_id], units[unit_id]),
                    value=value,
                    weakness=weakness,
                    strength=strength,
                    adequate_artifacts=artifacts,
                    affirmations=affirmations,
                )
            )
    # Cells with evidence but no characterization yet.
    for (pa_id, practice_id, unit_id), (artifacts, affirmations) in evidence.items():
        if pa_id in pas and practice_id in practices and unit_id in units:
            model, pa = pas[pa_id]
            result.append(_fact(model, pa, practices[practice_id], units[unit_id], None, artifacts, affirmations))
    return result


def _fact(
    model: str, pa: str, practice: str, unit: str, texts: _Texts | None, artifacts: int, affirmations: int
) -> InstantiationFact:
    value, weakness, strength = texts if texts is not None else (None, "", "")
    return InstantiationFact(
        InstantiationKey(model, pa, practice, unit),
        value=value,
        weakness=weakness,
        strength=strength,
        adequate_artifacts=artifacts,
        affirmations=affirmations,
    )


def _finding_location(kind: str, finding_id: int) -> str:
    return f"{kind} finding #{finding_id}"


def load_facts(ws: Workspace) -> AppraisalFacts:
    """Everything the engine rates, read in one transaction."""
    catalog = ws.catalog()
    with ws.uow() as uow:
        session = uow.session
        appraisal = session.scalars(select(db.Appraisal)).one()
        pas = {pid: PaKey(model, pa) for pid, model, pa in _pa_rows(session)}
        scope = tuple(
            ScopeItem(
                pas[item.process_area_id].model,
                pas[item.process_area_id].pa,
                item.target_capability_level,
                item.excluded,
                item.exclusion_reason,
            )
            for item in session.scalars(select(db.ScopeItem).order_by(db.ScopeItem.position))
        )
        subgroups = {a: b for a, b in session.execute(select(db.Subgroup.id, db.Subgroup.name))}
        implements: dict[int, list[PaKey]] = {}
        for link in session.scalars(select(db.UnitProcessArea)):
            implements.setdefault(link.unit_id, []).append(pas[link.process_area_id])
        units = tuple(
            UnitFact(
                u.name,
                UnitKind(u.kind),
                subgroups.get(u.subgroup_id) if u.subgroup_id is not None else None,
                tuple(implements.get(u.id, ())),
                u.sampled,
            )
            for u in session.scalars(select(db.Unit).order_by(db.Unit.kind, db.Unit.position))
        )
        instantiations = tuple(_cell_facts(session))
        practice_codes = {a: b for a, b in session.execute(select(db.CatalogPractice.id, db.CatalogPractice.code))}
        goal_codes = {a: b for a, b in session.execute(select(db.CatalogGoal.id, db.CatalogGoal.code))}
        decisions = tuple(
            OuDecision(
                PracticeKey(pas[d.process_area_id].model, pas[d.process_area_id].pa, practice_codes[d.practice_id]),
                d.value,
                d.rationale,
                d.decided_by,
                d.decided_at,
                d.inputs,
            )
            for d in session.scalars(select(db.OuCharacterization))
        )
        overrides = tuple(
            GoalOverride(
                GoalKey(pas[o.process_area_id].model, pas[o.process_area_id].pa, goal_codes[o.goal_id]),
                GoalRating(o.rating),
                o.rationale,
                o.decided_by,
                o.decided_at,
                o.inputs,
            )
            for o in session.scalars(select(db.GoalRatingOverride))
        )
        people = participants(session)
        # A span the lead reviewed as "not an attribution" is not flagged again. The names are compiled only
        # where the lead has reviewed something (a matcher for hundreds of names is a tenth of a full rating).
        reviewed = set(session.scalars(select(db.AttributionReview.location)))
        names = read_names(session) if reviewed else None

        def checked_text(finding_id: int, text: str) -> str:
            location = finding_location(finding_id)
            return names.unreviewed_text(location, text) if names is not None and location in reviewed else text

        findings = tuple(
            FindingText(_finding_location(f.kind, f.id), checked_text(f.id, f.text))
            for f in session.scalars(select(db.Finding).order_by(db.Finding.id))
        )
        return AppraisalFacts(
            scale=Scale(appraisal.scale),
            catalog=catalog,
            scope=scope,
            units=units,
            target_maturity_level=appraisal.target_maturity_level,
            instantiations=instantiations,
            ou_decisions=decisions,
            goal_overrides=overrides,
            participant_names=tuple(sorted({name for name, _role in people})),
            participant_roles=tuple(people),
            extra_identifiers=tuple(extra_identifiers(session)),
            findings=findings,
            unit_specific_findings=appraisal.unit_specific_findings,
        )


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """A full rating makes some hundred thousand small objects and no reference cycles: the cyclic collector
    would walk the whole heap again and again meanwhile (a third of the time at size L). Left alone where it is
    already off (the window's background tasks keep it off while they run)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _full_engine(ws: Workspace) -> RatingEngine:
    with _without_cycle_collection():
        return RatingEngine(load_facts(ws))


def rate_appraisal(ws: Workspace) -> RatingResult:
    """A one-off full rating of the file (CLI, exports)."""
    return _full_engine(ws).result


class LiveRatings:
    """One engine kept current edit by edit for the window.

    Call `cells_changed` after characterizations or evidence links change, `ou_changed` and `goal_changed`
    after judgments and overrides; anything else (plan, findings, participants) calls `reload`.
    """

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._engine = _full_engine(ws)
        self._ids = self._read_ids()

    @property
    def result(self) -> RatingResult:
        return self._engine.result

    @property
    def engine(self) -> RatingEngine:
        return self._engine

    def reload(self) -> RatingResult:
        self._engine = _full_engine(self._ws)
        self._ids = self._read_ids()
        return self.result

    def _read_ids(self) -> _Ids:
        with self._ws.uow() as uow:
            pas = {PaKey(model, pa): pid for pid, model, pa in _pa_rows(uow.session)}
            units = {a: b for a, b in uow.session.execute(select(db.Unit.name, db.Unit.id))}
        return _Ids(pas, units)

    def cells_changed(self, keys: Iterable[InstantiationKey]) -> set[PaKey]:
        """Re-read these cells (value, notes, evidence counts) and re-rate their process areas."""
        wanted = [k for k in keys if self._rated(k)]
        if not wanted:
            return set()
        with self._ws.uow() as uow:
            facts = [self._read_cell(uow.session, key) for key in wanted]
        return self._engine.replace_instantiations(facts)

    def ou_changed(self, key: PracticeKey) -> PaKey:
        with self._ws.uow() as uow:
            row = uow.session.execute(
                select(db.OuCharacterization)
                .join(db.CatalogPractice, db.CatalogPractice.id == db.OuCharacterization.practice_id)
                .where(
                    db.OuCharacterization.process_area_id == self._ids.pa[key.pa_key],
                    db.CatalogPractice.code == key.practice,
                )
            ).scalar_one_or_none()
            if row is None:
                return self._engine.put_ou_decision(key, None)
            return self._engine.put_ou_decision(
                key, OuDecision(key, row.value, row.rationale, row.decided_by, row.decided_at, row.inputs)
            )

    def goal_changed(self, key: GoalKey) -> PaKey:
        with self._ws.uow() as uow:
            row = uow.session.execute(
                select(db.GoalRatingOverride)
                .join(db.CatalogGoal, db.CatalogGoal.id == db.GoalRatingOverride.goal_id)
                .where(
                    db.GoalRatingOverride.process_area_id == self._ids.pa[key.pa_key],
                    db.CatalogGoal.code == key.goal,
                )
            ).scalar_one_or_none()
            if row is None:
                return self._engine.put_goal_override(key, None)
            decision = GoalOverride(
                key, GoalRating(row.rating), row.rationale, row.decided_by, row.decided_at, row.inputs
            )
            return self._engine.put_goal_override(key, decision)

    def _rated(self, key: InstantiationKey) -> bool:
        try:
            self._engine.instantiation(key)
        except ValueError:
            return False
        return True

    def _read_cell(self, session: Session, key: InstantiationKey) -> InstantiationFact:
        where = {"pa": self._ids.pa[key.pa_key], "unit": self._ids.unit[key.unit], "code": key.practice}
        connection = session.connection()
        row = connection.execute(_ONE_CELL, where).one_or_none()
        counts = connection.execute(_ONE_CELL_COUNTS, where).one()
        artifacts, affirmations = int(counts[0] or 0), int(counts[1] or 0)
        texts: _Texts | None = None if row is None else (row[0], row[1], row[2])
        return _fact(key.model, key.pa, key.practice, key.unit, texts, artifacts, affirmations)
