"""Writing an appraisal plan into the file and reading it back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.domain.plan import (
    MiniTeamPlan,
    PaKey,
    Plan,
    SamplingFactorPlan,
    ScopeEntry,
    SubgroupPlan,
    TeamMemberPlan,
    UnitKind,
    UnitPlan,
)
from app.storage.schema import (
    Appraisal,
    CatalogModel,
    CatalogProcessArea,
    MiniTeam,
    MiniTeamMember,
    MiniTeamProcessArea,
    SamplingFactor,
    ScopeItem,
    Subgroup,
    TeamMember,
    Unit,
    UnitProcessArea,
)


def pa_ids(session: Session) -> dict[PaKey, int]:
    """Process-area row ids by (model key, acronym), for the models this appraisal keeps."""
    rows = session.execute(
        select(CatalogModel.key, CatalogProcessArea.acronym, CatalogProcessArea.id).join(
            CatalogModel, CatalogModel.id == CatalogProcessArea.model_id
        )
    )
    return {PaKey(key, acronym): pa_id for key, acronym, pa_id in rows}


def write_plan(session: Session, plan: Plan) -> None:
    """Replace the appraisal's plan with `plan` (the models must already be in the file)."""
    ids = pa_ids(session)
    appraisal = session.scalars(select(Appraisal)).first()
    if appraisal is None:
        appraisal = Appraisal(created_at=datetime.now())
        session.add(appraisal)
    appraisal.name = plan.name
    appraisal.identifier = plan.identifier
    appraisal.sponsor = plan.sponsor
    appraisal.lead_appraiser = plan.lead_appraiser
    appraisal.method = plan.method
    appraisal.scale = plan.scale
    appraisal.start_date = plan.start_date
    appraisal.end_date = plan.end_date
    appraisal.valid_until = plan.valid_until
    appraisal.target_maturity_level = plan.target_maturity_level
    appraisal.unit_specific_findings = plan.unit_specific_findings
    appraisal.org_unit_name = plan.org_unit_name
    appraisal.org_unit_description = plan.org_unit_description

    existing_scope = {row.process_area_id: row for row in session.scalars(select(ScopeItem))}
    keep: set[int] = set()
    for pos, entry in enumerate(plan.scope):
        pa_id = ids[entry.pa]
        row = existing_scope.get(pa_id) or ScopeItem(process_area_id=pa_id)
        row.position = pos
        row.target_capability_level = entry.target_capability_level
        row.excluded = entry.excluded
        row.exclusion_reason = entry.exclusion_reason
        session.add(row)
        keep.add(pa_id)
    for pa_id, row in existing_scope.items():
        if pa_id not in keep:
            session.delete(row)

    session.execute(delete(SamplingFactor))
    for pos, factor in enumerate(plan.sampling_factors):
        session.add(
            SamplingFactor(
                position=pos,
                name=factor.name,
                relevant=factor.relevant,
                rationale=factor.rationale,
                values="\n".join(factor.values),
            )
        )
    _write_subgroups_and_units(session, plan, ids)
    _write_team(session, plan, ids)
    session.flush()


def _write_subgroups_and_units(session: Session, plan: Plan, ids: dict[PaKey, int]) -> None:
    # Units are updated in place by name: their evidence and characterizations hang off their ids.
    subgroups = {row.name: row for row in session.scalars(select(Subgroup))}
    for pos, sg in enumerate(plan.subgroups):
        row = subgroups.pop(sg.name, None) or Subgroup(name=sg.name)
        row.position = pos
        row.description = sg.description
        row.factor_values = "\n".join(f"{k}={v}" for k, v in sg.factors)
        row.total_units = sg.total_units
        row.people = sg.people
        session.add(row)
    for row in subgroups.values():
        session.delete(row)
    session.flush()
    subgroup_ids = {row.name: row.id for row in session.scalars(select(Subgroup))}

    units = {row.name: row for row in session.scalars(select(Unit))}
    for pos, up in enumerate(plan.units):
        unit = units.pop(up.name, None) or Unit(name=up.name)
        unit.position = pos
        unit.kind = up.kind
        unit.description = up.description
        unit.subgroup_id = subgroup_ids.get(up.subgroup) if up.subgroup else None
        unit.sampled = up.sampled
        session.add(unit)
        session.flush()
        session.execute(delete(UnitProcessArea).where(UnitProcessArea.unit_id == unit.id))
        for pa in up.process_areas:
            session.add(UnitProcessArea(unit_id=unit.id, process_area_id=ids[pa]))
    for unit in units.values():
        session.delete(unit)


def _write_team(session: Session, plan: Plan, ids: dict[PaKey, int]) -> None:
    members = {row.name: row for row in session.scalars(select(TeamMember))}
    for pos, member in enumerate(plan.team):
        row = members.pop(member.name, None) or TeamMember(name=member.name)
        row.position = pos
        row.role = member.role
        row.organization = member.organization
        session.add(row)
    for row in members.values():
        session.delete(row)
    session.execute(delete(MiniTeam))
    session.flush()
    member_ids = {row.name: row.id for row in session.scalars(select(TeamMember))}
    for pos, mt in enumerate(plan.mini_teams):
        team = MiniTeam(position=pos, name=mt.name)
        session.add(team)
        session.flush()
        for name in mt.members:
            session.add(MiniTeamMember(mini_team_id=team.id, team_member_id=member_ids[name]))
        for pa in mt.process_areas:
            session.add(MiniTeamProcessArea(mini_team_id=team.id, process_area_id=ids[pa]))


def read_plan(session: Session) -> Plan:
    appraisal = session.scalars(select(Appraisal)).one()
    keys = {pa_id: key for key, pa_id in pa_ids(session).items()}
    scope = tuple(
        ScopeEntry(keys[row.process_area_id], row.target_capability_level, row.excluded, row.exclusion_reason)
        for row in session.scalars(select(ScopeItem).order_by(ScopeItem.position))
    )
    factors = tuple(
        SamplingFactorPlan(row.name, row.relevant, row.rationale, tuple(v for v in row.values.split("\n") if v))
        for row in session.scalars(select(SamplingFactor).order_by(SamplingFactor.position))
    )
    subgroup_rows = list(session.scalars(select(Subgroup).order_by(Subgroup.position)))
    subgroup_names = {row.id: row.name for row in subgroup_rows}
    subgroups = tuple(
        SubgroupPlan(
            row.name,
            row.description,
            tuple(tuple(pair.split("=", 1)) for pair in row.factor_values.split("\n") if "=" in pair),  # type: ignore[misc]
            row.total_units,
            row.people,
        )
        for row in subgroup_rows
    )
    unit_pas: dict[int, list[PaKey]] = {}
    for link in session.scalars(select(UnitProcessArea)):
        unit_pas.setdefault(link.unit_id, []).append(keys[link.process_area_id])
    units = tuple(
        UnitPlan(
            name=row.name,
            kind=UnitKind(row.kind),
            description=row.description,
            subgroup=subgroup_names.get(row.subgroup_id) if row.subgroup_id else None,
            process_areas=tuple(sorted(unit_pas.get(row.id, []), key=str)),
            sampled=row.sampled,
        )
        for row in session.scalars(select(Unit).order_by(Unit.kind, Unit.position))
    )
    member_rows = list(session.scalars(select(TeamMember).order_by(TeamMember.position)))
    member_names = {row.id: row.name for row in member_rows}
    team = tuple(TeamMemberPlan(row.name, row.role, row.organization) for row in member_rows)
    mini_teams = []
    for row in session.scalars(select(MiniTeam).order_by(MiniTeam.position)):
        names = tuple(
            member_names[m.team_member_id]
            for m in session.scalars(select(MiniTeamMember).where(MiniTeamMember.mini_team_id == row.id))
        )
        pas = tuple(
            keys[p.process_area_id]
            for p in session.scalars(select(MiniTeamProcessArea).where(MiniTeamProcessArea.mini_team_id == row.id))
        )
        mini_teams.append(MiniTeamPlan(row.name, names, pas))
    return Plan(
        name=appraisal.name,
        identifier=appraisal.identifier,
        sponsor=appraisal.sponsor,
        lead_appraiser=appraisal.lead_appraiser,
        method=appraisal.method,
        scale=appraisal.scale,
        start_date=appraisal.start_date,
        end_date=appraisal.end_date,
        valid_until=appraisal.valid_until,
        target_maturity_level=appraisal.target_maturity_level,
        unit_specific_findings=appraisal.unit_specific_findings,
        org_unit_name=appraisal.org_unit_name,
        org_unit_description=appraisal.org_unit_description,
        scope=scope,
        sampling_factors=factors,
        subgroups=subgroups,
        units=units,
        team=team,
        mini_teams=tuple(mini_teams),
    )
