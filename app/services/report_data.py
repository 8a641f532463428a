"""The appraisal as the exports show it: one `ReportData` for an edition, built from the ratings and a few reads.

Editions are decided here, not in the writers. The sponsor edition is built from what the sponsor may see:
ratings, goal ratings, validated findings with their status, and the coverage statement in aggregate; it carries
no instantiation rows, notes, weaknesses, strengths, rationales, evidence detail, per-unit values or session
codes, and its deficiencies are explained by validated findings, never by team notes. It is refused (see
`app.services.release_gate`) while anything meant for it is still flagged. Participants' names, roles held by
one participant and the lead's extra identifiers are scrubbed from every free text here too, so no writer can
leak one (method-rules §9): interview sessions appear by their codes only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from app.domain.catalog import Catalog, Goal, Practice, item_name, shown_title
from app.domain.plan import PaKey, Plan
from app.domain.rating.coverage import CoverageGap
from app.domain.rating.results import MaturityResult, PracticeResult, ProcessAreaResult, RatingResult
from app.domain.rating.rules import (
    COVERAGE_B1,
    COVERAGE_B2,
    COVERAGE_B3,
    COVERAGE_F1,
    COVERAGE_F3,
    COVERAGE_P1,
    SUFFICIENCY_ARTIFACT,
)
from app.domain.rating.scales import Scale
from app.domain.report import (
    AppraisalHeader,
    AppraisalIdentity,
    CellLine,
    CoverageLine,
    CoverageReport,
    Edition,
    FactorLine,
    FindingLine,
    GapLine,
    GoalLine,
    LevelLine,
    ModelLine,
    PracticeLine,
    ProcessAreaReport,
    ReportData,
    RuleStatus,
    ScaleEntry,
    ScopeLine,
    SubgroupLine,
    TeamLine,
    UnitLine,
)
from app.services.attribution import AppraisalNames, finding_location, read_names
from app.services.coverage import CoverageCell, CoverageMatrix, coverage_matrix
from app.services.ratings import rate_appraisal
from app.services.release_gate import (
    FOR_SPONSOR,
    FindingRow,
    ReleaseRefused,
    finding_rows,
    read_blocks,
)
from app.services.report_deficiencies import deficiencies, deficient_practices, explained_by_findings, weakness_lines
from app.services.report_sources import (
    CellIds,
    StoredCell,
    cell_evidence,
    cell_weaknesses,
    read_identity,
    stored_cells,
)
from app.services.workspace import Workspace
from app.storage import schema as db
from app.storage.instantiation_repo import Instantiation, instantiations
from app.storage.plan_repo import read_plan

Progress = Callable[[int, int, str], None]
COVERAGE_RULES = (COVERAGE_P1, COVERAGE_B1, COVERAGE_B2, COVERAGE_B3, COVERAGE_F1, COVERAGE_F3, SUFFICIENCY_ARTIFACT)


def _silent(_done: int, _total: int, _label: str) -> None:
    return None


# --- the builder ------------------------------------------------------------------------------------------


class _Builder:
    def __init__(
        self,
        edition: Edition,
        catalog: Catalog,
        result: RatingResult,
        plan: Plan,
        names: AppraisalNames,
        *,
        per_cell: bool = True,
    ):
        self.edition = edition
        self.team = edition is Edition.TEAM
        self.cell_lines = self.team and per_cell
        self.explanations = per_cell
        """Goal reasons and practices' OU notes: shown beside the cells, not in a summary of the ratings."""
        self.catalog = catalog
        self.result = result
        self.plan = plan
        self.names = names
        self.scrub = names.scrub
        self.scale = Scale(plan.scale)

    # catalog lookups -------------------------------------------------------------------------------------

    def _goal(self, model: str, pa: str, code: str) -> Goal | None:
        found = self.catalog.model(model)
        if found is None:
            return None
        area = found.process_area(pa)
        goals = (area.goals if area else ()) + self.catalog.generic_goals_for(found)
        return next((g for g in goals if g.code == code), None)

    def _practice(self, goal: Goal | None, code: str) -> Practice | None:
        return next((p for p in goal.practices if p.code == code), None) if goal else None

    # pieces ----------------------------------------------------------------------------------------------

    def header(self, phase: str) -> AppraisalHeader:
        plan, s = self.plan, self.scrub
        models = []
        for key in plan.models_in_scope():
            model = self.catalog.model(key)
            if model is not None:
                models.append(ModelLine(model.key, model.version, model.name))
        return AppraisalHeader(
            # Who commissioned and who led the appraisal are facts of the plan, not something said in an
            # interview: a sponsor's title ("Chief Operating Officer") is shown as written.
            name=s(plan.name),
            sponsor=plan.sponsor,
            lead_appraiser=plan.lead_appraiser,
            method=plan.method,
            scale=self.scale.display_name,
            phase=phase,
            start_date=plan.start_date,
            end_date=plan.end_date,
            org_unit_name=s(plan.org_unit_name),
            org_unit_description=s(plan.org_unit_description),
            target_maturity_level=plan.target_maturity_level,
            unit_specific_findings=plan.unit_specific_findings,
            models=tuple(models),
            identifier=plan.identifier,
            expires=plan.valid_until,
        )

    def scope(self) -> tuple[ScopeLine, ...]:
        lines = []
        for entry in self.plan.scope:
            model = self.catalog.model(entry.pa.model)
            area = model.process_area(entry.pa.pa) if model else None
            lines.append(
                ScopeLine(
                    entry.pa.model,
                    entry.pa.pa,
                    area.name if area else entry.pa.pa,
                    area.category if area else "",
                    area.maturity_level if area else None,
                    entry.target_capability_level,
                    entry.excluded,
                    self.scrub(entry.exclusion_reason),
                )
            )
        return tuple(lines)

    def sampling(self) -> tuple[tuple[FactorLine, ...], tuple[SubgroupLine, ...], tuple[UnitLine, ...]]:
        s = self.scrub
        factors = tuple(FactorLine(f.name, f.relevant, s(f.rationale), f.values) for f in self.plan.sampling_factors)
        subgroups = tuple(
            SubgroupLine(
                g.name,
                s(g.description),
                "; ".join(f"{factor}: {value}" for factor, value in g.factors),
                g.total_units,
                g.people,
                sum(1 for u in self.plan.units if u.subgroup == g.name and u.sampled),
            )
            for g in self.plan.subgroups
        )
        units = tuple(
            UnitLine(u.name, u.kind, u.subgroup, s(u.description), u.sampled, tuple(str(k) for k in u.process_areas))
            for u in self.plan.units
        )
        return factors, subgroups, units

    def team_lines(self) -> tuple[TeamLine, ...]:
        return tuple(TeamLine(m.name, m.role, m.organization) for m in self.plan.team)

    def process_area(
        self,
        pa: ProcessAreaResult,
        rows: dict[tuple[str, str, str], list[Instantiation]],
        stored: dict[CellIds, StoredCell],
        artifacts: dict[CellIds, list[str]],
        sessions: dict[CellIds, list[str]],
    ) -> ProcessAreaReport:
        model = self.catalog.model(pa.key.model)
        area = model.process_area(pa.key.pa) if model else None
        units: list[str] = []
        goals = []
        for goal in pa.goals:
            goal_def = self._goal(pa.key.model, pa.key.pa, goal.code)
            practices = []
            for practice in goal.practices:
                cells: tuple[CellLine, ...] = ()
                here = rows.get((pa.key.model, pa.key.pa, practice.code), [])
                for inst in here:
                    if inst.unit not in units:
                        units.append(inst.unit)
                if self.cell_lines:
                    cells = self._cells(practice, here, stored, artifacts, sessions)
                found = self._practice(goal_def, practice.code)
                practices.append(
                    PracticeLine(
                        practice.code,
                        shown_title(found) if found else "",
                        practice.generic,
                        practice.ou.value if practice.ou else None,
                        self._ou_note(practice) if self.explanations else "",
                        practice.judgment_needed,
                        cells,
                    )
                )
            override = goal.override.rationale if goal.override is not None else ""
            goals.append(
                GoalLine(
                    goal.code,
                    shown_title(goal_def) if goal_def else "",
                    goal.kind.value == "generic",
                    goal.rating.value,
                    tuple(self.scrub(r) for r in goal.reasons) if self.team and self.explanations else (),
                    self.scrub(override) if self.team else "",
                    tuple(practices),
                    goal.judgment_needed,
                )
            )
        return ProcessAreaReport(
            model=pa.key.model,
            pa=pa.key.pa,
            name=pa.name,
            category=area.category if area else "",
            maturity_level=pa.maturity_level,
            target_capability_level=pa.target_capability_level,
            capability_level=pa.capability.level,
            capability_note=self.scrub(pa.capability.note),
            staged_rating=pa.staged.rating.value if pa.staged else None,
            units=tuple(units),
            goals=tuple(goals),
            gap_count=len(pa.gaps),
        )

    def _ou_note(self, practice: PracticeResult) -> str:
        rollup = practice.rollup
        if rollup.decision is not None:
            return self.scrub(f"Team judgment: {rollup.decision.rationale}") if self.team else "Team judgment"
        if practice.judgment_needed:
            return f"Team judgment pending ({', '.join(v.value for v in practice.allowed)})"
        if rollup.conflict and self.team:
            return self.scrub(rollup.conflict)
        return ""

    def _cells(
        self,
        practice: PracticeResult,
        here: list[Instantiation],
        stored: dict[CellIds, StoredCell],
        artifacts: dict[CellIds, list[str]],
        sessions: dict[CellIds, list[str]],
    ) -> tuple[CellLine, ...]:
        rated = {i.unit: i for i in practice.instantiations}
        s = self.scrub
        lines = []
        for inst in here:
            ids = (inst.pa_id, inst.practice_id, inst.unit_id)
            row = stored.get(ids)
            result = rated.get(inst.unit)
            lines.append(
                CellLine(
                    unit=inst.unit,
                    value=row.value if row else None,
                    proposed=result.proposal.value.value if result else None,
                    weaknesses=s(row.weaknesses) if row else "",
                    strengths=s(row.strengths) if row else "",
                    notes=s(row.notes) if row else "",
                    artifacts=tuple(s(t) for t in artifacts.get(ids, ())),
                    affirmation_sources=tuple(s(c) for c in sessions.get(ids, ())),
                    updated_at=row.updated_at if row else None,
                )
            )
        return tuple(lines)

    def findings(self, rows: list[FindingRow]) -> tuple[tuple[FindingLine, ...], int]:
        order = {key: n for n, key in enumerate(PaKey(line.pa.model, line.pa.pa) for line in self.plan.scope)}
        lines: list[FindingLine] = []
        unvalidated = 0
        for row in rows:
            if not self.team and row.status not in FOR_SPONSOR:
                # The sponsor sees findings once the organization validated them; the release gate has
                # already refused the edition if any of those still names someone.
                unvalidated += 1
                continue
            pa, item = row.pa, row.practice or row.goal
            target = "" if pa is None else (pa if item is None else item_name(pa, item))
            text = self.scrub(row.text, finding_location(row.id))
            lines.append(FindingLine(row.id, row.kind, row.status, text, row.model, pa, target))
        kinds = ("strength", "weakness", "improvement")

        def sort_key(f: FindingLine) -> tuple[int, int, int]:
            where = -1 if f.model is None or f.pa is None else order.get(PaKey(f.model, f.pa), len(order))
            return where, kinds.index(f.kind) if f.kind in kinds else len(kinds), f.id

        return tuple(sorted(lines, key=sort_key)), unvalidated

    def coverage(self, matrix: CoverageMatrix | None, gaps: tuple[CoverageGap, ...]) -> CoverageReport:
        """The rule statuses and gaps; the matrix's rows and units when there is one (`matrix`)."""
        counts = {rule.name: 0 for rule in COVERAGE_RULES}
        for gap in gaps:
            counts[gap.rule.name] = counts.get(gap.rule.name, 0) + 1
        rules = tuple(RuleStatus(rule.name, rule.text, counts[rule.name]) for rule in COVERAGE_RULES)
        by_row: dict[tuple[str | None, str | None, str | None], list[CoverageGap]] = {}
        for gap in gaps:
            by_row.setdefault((gap.model, gap.pa, gap.practice), []).append(gap)
        lines = []
        for row in matrix.rows if matrix else ():
            if row.practice is not None and not self.team:
                continue
            mine = by_row.get((row.model, row.pa, row.practice), []) if self.team else []
            # Per-unit evidence counts are evidence detail: the sponsor edition has the rule statuses only.
            cells = tuple(_coverage_text(c) for c in row.cells) if self.team else ()
            lines.append(CoverageLine(row.model, row.pa, row.practice, row.title, cells, _row_gaps(mine)))
        general = tuple(g.missing for g in gaps if g.pa is None) if self.team else ()
        detail = (
            tuple(GapLine(g.rule.name, g.model, g.pa, g.practice, g.unit, g.missing) for g in gaps) if self.team else ()
        )
        units = tuple(u.name for u in matrix.units) if self.team and matrix else ()
        return CoverageReport(units, tuple(lines), rules, general, detail)


def _coverage_text(cell: CoverageCell | None) -> str | None:
    return None if cell is None else cell.text


def _row_gaps(gaps: list[CoverageGap]) -> tuple[str, ...]:
    missing_artifact = [g.unit for g in gaps if g.rule.name == SUFFICIENCY_ARTIFACT.name and g.unit]
    texts = [g.missing for g in gaps if g.rule.name != SUFFICIENCY_ARTIFACT.name]
    if missing_artifact:
        texts.append("No adequate artifact in: " + ", ".join(missing_artifact))
    return tuple(texts)


def _level(maturity: MaturityResult) -> LevelLine:
    if maturity.level is not None:
        return LevelLine(maturity.level, f"{maturity.level} ({maturity.model or 'staged'})")
    if maturity.rule.name == "ML_NOT_REQUESTED":
        return LevelLine(None, "Not requested (the appraisal rates a capability profile)")
    reasons = "; ".join(maturity.reasons) or maturity.rule.text
    return LevelLine(None, f"Not rated ({reasons})")


def build_report(
    ws: Workspace,
    edition: Edition,
    marking: str,
    *,
    progress: Progress = _silent,
    now: datetime | None = None,
    names_only: bool = False,
    per_cell: bool = True,
) -> ReportData:
    """Everything one export shows, for `edition`, with `marking` on every page or sheet.

    Raises `ReleaseRefused` (listing each block) when the edition may not be released yet. With `names_only`
    only what would name someone refuses; the final outputs list an unexplained Unsatisfied goal among their
    readiness items instead, where a draft may waive it (a name is never waived). Without `per_cell` the
    process areas carry no cell lines (texts, artifacts, affirmation sources), no goal reasons and no practice
    OU notes, and the coverage report no matrix rows or units, only its rule statuses and gaps: for outputs that
    show the ratings of practices and goals, not what lies behind them.
    """
    progress(0, 4, "Rating the appraisal")
    catalog = ws.catalog()
    result = rate_appraisal(ws)
    progress(1, 4, "Reading characterizations and evidence")
    with ws.uow() as uow:
        session = uow.session
        identity = read_identity(session)
        plan = read_plan(session)
        phase = session.scalars(select(db.Appraisal.phase)).one()
        blocks = read_blocks(session, edition, result)
        if names_only:
            blocks = tuple(b for b in blocks if b.finding_id is not None)
        if blocks:
            raise ReleaseRefused(edition, blocks)
        names = read_names(session)
        builder = _Builder(edition, catalog, result, plan, names, per_cell=per_cell)
        finding_list = finding_rows(session)
        explained = explained_by_findings(finding_list, builder.scrub) if not builder.team else {}
        cells = instantiations(session, catalog)
        # Without cell lines only the weakness notes are shown (under the deficiencies): the rest is not read.
        stored = stored_cells(session) if per_cell else {}
        weak_notes = {ids: row.weaknesses for ids, row in stored.items()} if per_cell else cell_weaknesses(session)
        artifacts, sessions = cell_evidence(session) if builder.team and per_cell else ({}, {})
        findings, unvalidated = builder.findings(finding_list)
    rows: dict[tuple[str, str, str], list[Instantiation]] = {}
    for inst in cells:
        rows.setdefault((inst.model, inst.pa, inst.practice), []).append(inst)
    progress(2, 4, "Laying out process areas")
    areas = tuple(
        builder.process_area(pa, rows, stored, artifacts, sessions) for pa in result.process_areas if not pa.excluded
    )
    # Only the team edition's deficiencies show the units' weakness notes: only those practices' notes are scrubbed.
    shown = deficient_practices(areas, builder.scale) if builder.team else set()
    weak = weakness_lines(cells, weak_notes, shown, builder.scrub)
    progress(3, 4, "Checking coverage")
    # The coverage matrix (a row per practice, a cell per unit) is read for the outputs that show it only.
    matrix = coverage_matrix(ws) if per_cell else None
    coverage = builder.coverage(matrix, result.coverage_gaps)
    factors, subgroups, units = builder.sampling()
    progress(4, 4, "Done")
    return ReportData(
        edition=edition,
        marking=" ".join(marking.split()),
        generated_at=now or datetime.now(),
        identity=AppraisalIdentity(identity.appraisal_id, identity.fingerprint, builder.scrub(identity.name)),
        header=builder.header(phase),
        scale_key=builder.scale.value,
        scale_values=tuple(ScaleEntry(info.value.value, info.label) for info in builder.scale.infos),
        scope=builder.scope(),
        factors=factors,
        subgroups=subgroups,
        units=units,
        team=builder.team_lines(),
        process_areas=areas,
        maturity=_level(result.maturity),
        equivalent_staging=_level(result.equivalent_staging),
        findings=findings,
        unvalidated_findings=unvalidated,
        coverage=coverage,
        deficiencies=deficiencies(areas, weak, explained, team=builder.team, scale=builder.scale),
    )
