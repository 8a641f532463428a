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
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.domain.plan import PaKey, UnitKind
from app.domain.rating.engine import RatingEngine
from app.domain.rating.facts import (
    AppraisalFacts,
    Cell,
    CellTable,
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
from app.storage.bulk_read import all_rows, plain_batches


@dataclass(frozen=True, slots=True)
class _Ids:
    """Row ids of the things a cell key names, read once per engine."""

    pa: dict[PaKey, int]
    unit: dict[str, int]


# What the engine counts per cell: artifacts judged adequate, and affirmations (one query shape for all cells
# and for one cell, so the live and the full rating count alike). COUNT of a column skips NULLs: cheaper than
# summing CASE expressions over sixty thousand links at size L, and the same on SQLite and PostgreSQL.
_ADEQUATE_ARTIFACTS = func.count(case((db.EvidenceLink.adequacy == "adequate", db.EvidenceLink.artifact_id)))
_AFFIRMATIONS = func.count(db.EvidenceLink.affirmation_id)


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

# Every cell at once: the characterizations, and the evidence counts grouped per cell (the covering index
# ix_evidence_link_cell_counts serves the grouping in order).
_ALL_CELLS = select(
    db.Characterization.process_area_id,
    db.Characterization.practice_id,
    db.Characterization.unit_id,
    db.Characterization.value,
    db.Characterization.weaknesses,
    db.Characterization.strengths,
)
_ALL_COUNTS = select(
    db.EvidenceLink.process_area_id,
    db.EvidenceLink.practice_id,
    db.EvidenceLink.unit_id,
    _ADEQUATE_ARTIFACTS,
    _AFFIRMATIONS,
).group_by(db.EvidenceLink.process_area_id, db.EvidenceLink.practice_id, db.EvidenceLink.unit_id)
_PROCESS_AREAS = select(db.CatalogProcessArea.id, db.CatalogModel.key, db.CatalogProcessArea.acronym).join(
    db.CatalogModel, db.CatalogModel.id == db.CatalogProcessArea.model_id
)


def _pa_rows(connection: Connection) -> list[tuple[int, str, str]]:
    return [(pid, model, pa) for pid, model, pa in all_rows(connection, _PROCESS_AREAS)]


def _cells(connection: Connection, pas: dict[int, PaKey], practices: dict[int, str]) -> CellTable:
    """Every characterized or evidenced cell, grouped by process area, from two column selects read as the
    driver's plain rows (20k cells and 60k links at size L). Cells of unknown rows (none in a sound file) are
    left out."""
    evidence = {
        (pa, pr, u): (adequate, said)
        for batch in plain_batches(connection, _ALL_COUNTS)
        for pa, pr, u, adequate, said in batch
    }
    units = {a: b for a, b in all_rows(connection, select(db.Unit.id, db.Unit.name))}
    areas: dict[int, dict[str, dict[str, Cell]]] = {pa_id: {} for pa_id in pas}
    none = (0, 0)
    for batch in plain_batches(connection, _ALL_CELLS):
        for pa_id, practice_id, unit_id, value, weakness, strength in batch:
            artifacts, affirmations = evidence.pop((pa_id, practice_id, unit_id), none)
            area = areas.get(pa_id)
            code = practices.get(practice_id)
            unit = units.get(unit_id)
            if area is not None and code is not None and unit is not None:
                row = area.get(code)
                if row is None:
                    row = area[code] = {}
                row[unit] = Cell(unit, value, artifacts, affirmations, False, weakness, strength)
    # Cells with evidence but no characterization yet.
    for (pa_id, practice_id, unit_id), (artifacts, affirmations) in evidence.items():
        area = areas.get(pa_id)
        code = practices.get(practice_id)
        unit = units.get(unit_id)
        if area is not None and code is not None and unit is not None:
            area.setdefault(code, {})[unit] = Cell(unit, None, artifacts, affirmations)
    return CellTable({pas[pa_id]: cells for pa_id, cells in areas.items() if cells})


def _finding_location(kind: str, finding_id: int) -> str:
    return f"{kind} finding #{finding_id}"


def load_facts(ws: Workspace) -> AppraisalFacts:
    """Everything the engine rates, read in one transaction as plain columns."""
    catalog = ws.catalog()
    with ws.uow() as uow:
        session = uow.session
        connection = session.connection()
        scale, target_ml, unit_specific = all_rows(
            connection,
            select(db.Appraisal.scale, db.Appraisal.target_maturity_level, db.Appraisal.unit_specific_findings),
        )[0]
        pas = {pid: PaKey(model, pa) for pid, model, pa in _pa_rows(connection)}
        scope = tuple(
            ScopeItem(pas[pa_id].model, pas[pa_id].pa, target_cl, excluded, reason)
            for pa_id, target_cl, excluded, reason in all_rows(
                connection,
                select(
                    db.ScopeItem.process_area_id,
                    db.ScopeItem.target_capability_level,
                    db.ScopeItem.excluded,
                    db.ScopeItem.exclusion_reason,
                ).order_by(db.ScopeItem.position),
            )
        )
        subgroups = {a: b for a, b in all_rows(connection, select(db.Subgroup.id, db.Subgroup.name))}
        implements: dict[int, list[PaKey]] = {}
        for unit_id, pa_id in all_rows(
            connection, select(db.UnitProcessArea.unit_id, db.UnitProcessArea.process_area_id)
        ):
            implements.setdefault(unit_id, []).append(pas[pa_id])
        units = tuple(
            UnitFact(
                name,
                UnitKind(kind),
                subgroups.get(subgroup_id) if subgroup_id is not None else None,
                tuple(implements.get(unit_id, ())),
                sampled,
            )
            for unit_id, name, kind, subgroup_id, sampled in all_rows(
                connection,
                select(db.Unit.id, db.Unit.name, db.Unit.kind, db.Unit.subgroup_id, db.Unit.sampled).order_by(
                    db.Unit.kind, db.Unit.position
                ),
            )
        )
        practice_codes = {a: b for a, b in all_rows(connection, select(db.CatalogPractice.id, db.CatalogPractice.code))}
        instantiations = _cells(connection, pas, practice_codes)
        goal_codes = {a: b for a, b in all_rows(connection, select(db.CatalogGoal.id, db.CatalogGoal.code))}
        ou = db.OuCharacterization
        decisions = tuple(
            OuDecision(
                PracticeKey(pas[pa_id].model, pas[pa_id].pa, practice_codes[practice_id]),
                value,
                rationale,
                decided_by,
                decided_at,
                inputs,
            )
            for pa_id, practice_id, value, rationale, decided_by, decided_at, inputs in all_rows(
                connection,
                select(
                    ou.process_area_id, ou.practice_id, ou.value, ou.rationale, ou.decided_by, ou.decided_at, ou.inputs
                ),
            )
        )
        go = db.GoalRatingOverride
        overrides = tuple(
            GoalOverride(
                GoalKey(pas[pa_id].model, pas[pa_id].pa, goal_codes[goal_id]),
                GoalRating(rating),
                rationale,
                decided_by,
                decided_at,
                inputs,
            )
            for pa_id, goal_id, rating, rationale, decided_by, decided_at, inputs in all_rows(
                connection,
                select(
                    go.process_area_id, go.goal_id, go.rating, go.rationale, go.decided_by, go.decided_at, go.inputs
                ),
            )
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
            FindingText(_finding_location(kind, finding_id), checked_text(finding_id, text))
            for finding_id, kind, text in all_rows(
                connection, select(db.Finding.id, db.Finding.kind, db.Finding.text).order_by(db.Finding.id)
            )
        )
        return AppraisalFacts(
            scale=Scale(scale),
            catalog=catalog,
            scope=scope,
            units=units,
            target_maturity_level=target_ml,
            instantiations=instantiations,
            ou_decisions=decisions,
            goal_overrides=overrides,
            participant_names=tuple(sorted({name for name, _role in people})),
            participant_roles=tuple(people),
            extra_identifiers=tuple(extra_identifiers(session)),
            findings=findings,
            unit_specific_findings=unit_specific,
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
    with _without_cycle_collection():
        # The engine and its cells are freed (by reference counting) before the collector is back on: its first
        # pass then walks the result alone, not the twenty thousand cells it was rated from.
        return RatingEngine(load_facts(ws)).result


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
            pas = {PaKey(model, pa): pid for pid, model, pa in _pa_rows(uow.session.connection())}
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
        artifacts, affirmations = int(counts[0]), int(counts[1])
        value, weakness, strength = (None, "", "") if row is None else (row[0], row[1], row[2])
        return InstantiationFact(key, value, weakness, strength, artifacts, affirmations)
