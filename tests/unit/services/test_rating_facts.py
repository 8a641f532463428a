"""The facts the rating reads from a file: the column loader gives exactly what a plain reading of every row as
ORM objects gives, on an appraisal holding every kind of rating input."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.plan import PaKey, UnitKind
from app.domain.rating.engine import RatingEngine
from app.domain.rating.facts import (
    AppraisalFacts,
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
    cells_by_area,
)
from app.domain.rating.scales import GoalRating, Scale
from app.services import attribution
from app.services.ratings import load_facts, rate_appraisal
from app.services.workspace import Workspace
from app.storage import schema as db
from tests.unit.services.ready_demo import make_ready_demo


def _plain_facts(ws: Workspace) -> AppraisalFacts:
    """Every row read as an ORM object and turned into facts field by field: slow and obviously right."""
    with ws.uow() as uow:
        s = uow.session
        appraisal = s.scalars(select(db.Appraisal)).one()
        areas = {a.id: a for a in s.scalars(select(db.CatalogProcessArea))}
        models = {m.id: m.key for m in s.scalars(select(db.CatalogModel))}
        pas = {pid: PaKey(models[a.model_id], a.acronym) for pid, a in areas.items()}
        codes = {p.id: p.code for p in s.scalars(select(db.CatalogPractice))}
        goals = {g.id: g.code for g in s.scalars(select(db.CatalogGoal))}
        all_units = list(s.scalars(select(db.Unit).order_by(db.Unit.kind, db.Unit.position)))
        names = {u.id: u.name for u in all_units}
        subgroups = {g.id: g.name for g in s.scalars(select(db.Subgroup))}
        links = list(s.scalars(select(db.UnitProcessArea)))
        cells: dict[tuple[int, int, int], list[object]] = {}
        for c in s.scalars(select(db.Characterization)):
            cells[(c.process_area_id, c.practice_id, c.unit_id)] = [c.value, c.weaknesses, c.strengths, 0, 0]
        for link in s.scalars(select(db.EvidenceLink)):
            cell = cells.setdefault((link.process_area_id, link.practice_id, link.unit_id), [None, "", "", 0, 0])
            if link.artifact_id is not None and link.adequacy == "adequate":
                cell[3] = int(str(cell[3])) + 1
            if link.affirmation_id is not None:
                cell[4] = int(str(cell[4])) + 1
        instantiations = tuple(
            InstantiationFact(
                InstantiationKey(pas[pa].model, pas[pa].pa, codes[pr], names[u]),
                value=None if value is None else str(value),
                weakness=str(weak),
                strength=str(strong),
                adequate_artifacts=int(str(artifacts)),
                affirmations=int(str(said)),
            )
            for (pa, pr, u), (value, weak, strong, artifacts, said) in cells.items()
        )
        people = [(p.name, p.role or "") for p in s.scalars(select(db.Participant))]
        reviewed = {r.location for r in s.scalars(select(db.AttributionReview))}
        checker = attribution.read_names(s)
        findings = tuple(
            FindingText(
                f"{f.kind} finding #{f.id}",
                checker.unreviewed_text(attribution.finding_location(f.id), f.text)
                if attribution.finding_location(f.id) in reviewed
                else f.text,
            )
            for f in s.scalars(select(db.Finding).order_by(db.Finding.id))
        )
        return AppraisalFacts(
            scale=Scale(appraisal.scale),
            catalog=ws.catalog(),
            scope=tuple(
                ScopeItem(
                    pas[i.process_area_id].model,
                    pas[i.process_area_id].pa,
                    i.target_capability_level,
                    i.excluded,
                    i.exclusion_reason,
                )
                for i in s.scalars(select(db.ScopeItem).order_by(db.ScopeItem.position))
            ),
            units=tuple(
                UnitFact(
                    u.name,
                    UnitKind(u.kind),
                    subgroups[u.subgroup_id] if u.subgroup_id is not None else None,
                    tuple(pas[link.process_area_id] for link in links if link.unit_id == u.id),
                    u.sampled,
                )
                for u in all_units
            ),
            target_maturity_level=appraisal.target_maturity_level,
            instantiations=instantiations,
            ou_decisions=tuple(
                OuDecision(
                    PracticeKey(pas[d.process_area_id].model, pas[d.process_area_id].pa, codes[d.practice_id]),
                    d.value,
                    d.rationale,
                    d.decided_by,
                    d.decided_at,
                    d.inputs,
                )
                for d in s.scalars(select(db.OuCharacterization))
            ),
            goal_overrides=tuple(
                GoalOverride(
                    GoalKey(pas[o.process_area_id].model, pas[o.process_area_id].pa, goals[o.goal_id]),
                    GoalRating(o.rating),
                    o.rationale,
                    o.decided_by,
                    o.decided_at,
                    o.inputs,
                )
                for o in s.scalars(select(db.GoalRatingOverride))
            ),
            participant_names=tuple(sorted({name for name, _role in people})),
            participant_roles=tuple(people),
            extra_identifiers=tuple(s.scalars(select(db.ExtraIdentifier.text).order_by(db.ExtraIdentifier.id))),
            findings=findings,
            unit_specific_findings=appraisal.unit_specific_findings,
        )


def _every_kind_of_input(ws: Workspace) -> None:
    """On top of the ready demo (judgments, goal decisions, support functions, subgroups, findings): a stale
    judgment, an excluded process area, a cell with evidence and no value, a reviewed name, an extra identifier."""
    attribution.add_identifier(ws, "the night desk", "a team's nickname")
    with ws.uow() as uow:
        s = uow.session
        judgment = s.scalars(select(db.OuCharacterization).order_by(db.OuCharacterization.id)).first()
        assert judgment is not None
        judgment.inputs = None  # recorded before the tool kept a decision's inputs: stale
        last = s.scalars(
            select(db.ScopeItem)
            .where(db.ScopeItem.process_area_id != judgment.process_area_id)
            .order_by(db.ScopeItem.position.desc())
        ).first()
        assert last is not None
        last.excluded, last.exclusion_reason = True, "Not performed in the organizational unit"
        c, link = db.Characterization, db.EvidenceLink
        evidenced = s.scalars(
            select(c)
            .join(
                link,
                (link.process_area_id == c.process_area_id)
                & (link.practice_id == c.practice_id)
                & (link.unit_id == c.unit_id),
            )
            .where(c.process_area_id != last.process_area_id)
        ).first()
        assert evidenced is not None
        s.delete(evidenced)
        finding = s.scalars(select(db.Finding).order_by(db.Finding.id)).first()
        assert finding is not None
        s.add(
            db.AttributionReview(
                location=attribution.finding_location(finding.id),
                start=0,
                end=3,
                term="x",
                text_digest=attribution.text_digest(finding.text),
                reviewed_by="lead",
                reviewed_at=datetime(2026, 1, 5, 9, 0),
            )
        )
        uow.commit()


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = make_ready_demo(Path(tmp_path_factory.mktemp("facts")) / "every-kind.appraisal")
    _every_kind_of_input(ws)
    return ws


def _cells(facts: AppraisalFacts) -> dict[InstantiationKey, InstantiationFact]:
    found = {f.key: f for f in facts.instantiations}
    assert len(found) == len(facts.instantiations), "a cell is loaded twice"
    return found


def test_the_column_loader_reads_the_same_facts_as_a_plain_reading_of_every_row(every_kind: Workspace) -> None:
    loaded, plain = load_facts(every_kind), _plain_facts(every_kind)
    assert _cells(loaded) == _cells(plain)
    assert (loaded.scope, loaded.units, loaded.ou_decisions, loaded.goal_overrides) == (
        plain.scope,
        plain.units,
        plain.ou_decisions,
        plain.goal_overrides,
    )
    assert (loaded.participant_names, loaded.participant_roles, loaded.extra_identifiers, loaded.findings) == (
        plain.participant_names,
        plain.participant_roles,
        plain.extra_identifiers,
        plain.findings,
    )
    assert (loaded.scale, loaded.target_maturity_level, loaded.unit_specific_findings) == (
        plain.scale,
        plain.target_maturity_level,
        plain.unit_specific_findings,
    )


def test_the_file_holds_every_kind_of_rating_input(every_kind: Workspace) -> None:
    """What the equality above is worth: none of these kinds is missing from the file it compares on."""
    facts = load_facts(every_kind)
    assert any(item.excluded for item in facts.scope)
    assert any(u.kind is UnitKind.SUPPORT_FUNCTION for u in facts.units)
    assert any(u.subgroup is not None for u in facts.units)
    assert any(f.value is None and f.adequate_artifacts + f.affirmations > 0 for f in facts.instantiations)
    assert any(f.weakness for f in facts.instantiations) and any(f.strength for f in facts.instantiations)
    assert facts.goal_overrides and facts.extra_identifiers and facts.participant_roles
    assert any(d.inputs is None for d in facts.ou_decisions)  # stale: recorded before inputs were kept
    assert any(p.rollup.stale for pa in rate_appraisal(every_kind).process_areas for g in pa.goals for p in g.practices)


def test_the_loaders_cell_table_lists_the_facts_it_holds_and_rates_as_they_do(every_kind: Workspace) -> None:
    """The loader hands the engine its cells grouped by process area; listed, they are ordinary facts, and the
    engine rates the table and the plain tuple of the same facts alike."""
    loaded = load_facts(every_kind)
    table = loaded.instantiations
    assert isinstance(table, CellTable)
    listed = tuple(table)
    assert len(table) == len(listed) and table[0] == listed[0] and table == listed
    assert all(isinstance(fact, InstantiationFact) for fact in listed)
    assert table.by_area == cells_by_area(listed)
    with pytest.raises(TypeError):
        hash(table)
    assert RatingEngine(replace(loaded, instantiations=listed)).result == RatingEngine(loaded).result


def test_the_engine_refuses_a_loaded_cell_whose_value_is_not_on_the_scale_naming_the_cell(
    every_kind: Workspace,
) -> None:
    loaded = load_facts(every_kind)
    table = loaded.instantiations
    assert isinstance(table, CellTable)
    area, practices = next((area, practices) for area, practices in table.by_area.items() if practices)
    practice, cells = next(iter(practices.items()))
    unit, cell = next(iter(cells.items()))
    spoiled = {**table.by_area, area: {**practices, practice: {**cells, unit: cell._replace(value="XX")}}}
    with pytest.raises(ValueError, match=f"{area.pa} {practice} / {unit}: .*XX"):
        RatingEngine(replace(loaded, instantiations=CellTable(spoiled)))
