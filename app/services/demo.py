"""The demo appraisal: the seed's Olive Vehicle Insurance (OVIG) on the fourth day of its on-site week.

`create_demo` makes a new appraisal file from the demo plan and fills it, in one transaction, with what
`demo_content` describes: documents with small attached files, interview sessions with their participants
and affirmations, evidence links, characterizations, team judgments, a goal override and findings. The result
is the same on every run (fixed dates, a seeded generator), rates plausibly, and follows the method rules the
engine checks: no weakness with FI, a weakness with every LI, PI and NI, and judgments only where allowed.

Rows go in as bulk inserts with ids chosen here (the file is new, so every table starts empty); the full-text
triggers of migration 0002 index them as they arrive.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.catalog import Catalog
from app.domain.characterization import CellState
from app.domain.rating.scales import V13Value
from app.services import appraisals
from app.services.demo_content import Cell, Said, SessionPlan, demo_content
from app.services.demo_decisions import record_decisions
from app.services.demo_parts import Area, Rows, covering, file_for, full_code, in_goals, is_practice, pick_one, rotated
from app.services.workspace import Workspace
from app.storage import appraisal_file
from app.storage.characterization_repo import cell_columns
from app.storage.instantiation_repo import Instantiation, instantiations
from app.storage.resources import resources_dir
from app.storage.schema import (
    Affirmation,
    Appraisal,
    Artifact,
    ArtifactRevision,
    Blob,
    CatalogGoal,
    CatalogModel,
    Characterization,
    EvidenceLink,
    Finding,
    GoalRatingOverride,
    InterviewSession,
    OuCharacterization,
    Participant,
    Unit,
)

Progress = Callable[[int, int, str], None]
START = datetime(2026, 11, 30, 9, 0)
"""Monday of the on-site week; the demo stands on Thursday evening (day 3), with Friday's session planned."""
CREATED = datetime(2026, 10, 12, 10, 30)
SEED = 2011
LI_SHARE, STRENGTH_SHARE, NOTE_SHARE = 0.06, 0.05, 0.12
SECURITY_PAS = ("SM", "VAR", "KIM", "CTRL", "MON")


def demo_plan_path() -> Path:
    return resources_dir() / "demo" / "ovig-plan.yaml"


def _silent(_done: int, _total: int, _label: str) -> None:
    return None


def create_demo(
    target: str | Path, installed: Catalog, *, who: str | None = None, progress: Progress | None = None
) -> Workspace:
    """Create the OVIG demo appraisal at `target` and return it open.

    Refuses an existing file (KnownError); if filling fails, the new file is removed again.
    """
    report = progress or _silent
    report(0, 3, "Creating the plan")
    plan = appraisals.read_plan_file(demo_plan_path(), installed)
    workspace = appraisals.create_appraisal(target, plan, installed, who=who)
    try:
        report(1, 3, "Adding evidence, interviews and characterizations")
        with workspace.uow() as uow:
            _Builder(uow.session, workspace.catalog()).build()
            uow.log("create", "demo", None, "Olive Vehicle Insurance demo appraisal")
            uow.commit()
        report(2, 3, "Recording the team's decisions")
        record_decisions(workspace)
    except BaseException:
        appraisal_file.discard_new_file(workspace.store)
        raise
    report(3, 3, "Done")
    return workspace


class _Builder:
    def __init__(self, session: Session, catalog: Catalog) -> None:
        self.session = session
        self.catalog = catalog
        self.content = demo_content()
        self.rng = random.Random(SEED)
        self.rows = Rows()
        self.units = {u.name: u.id for u in session.scalars(select(Unit))}
        self.links: set[tuple[str, int, int, int, int]] = set()
        self.areas: list[Area] = []
        self.practice_ids: dict[tuple[str, str], int] = {}
        self.goal_of: dict[tuple[str, str], str] = {}
        by_pa: dict[str, list[Instantiation]] = {}
        for cell in instantiations(session, catalog):
            by_pa.setdefault(cell.pa, []).append(cell)
            self.practice_ids[(cell.pa, cell.practice)] = cell.practice_id
            self.goal_of[(cell.pa, cell.practice)] = cell.goal
        for acronym, cells in by_pa.items():
            story = self.content.stories.get(acronym)
            if story is None:
                raise ValueError(f"The demo has no content for {acronym}.")
            per_unit: dict[str, list[Instantiation]] = {}
            for cell in cells:
                per_unit.setdefault(cell.unit, []).append(cell)
            self.areas.append(Area(acronym, cells[0].model, cells[0].pa_id, story, per_unit))
        self._check_content()

    def _check_content(self) -> None:
        """Every code the content names must be a rated practice or goal of the catalog the file keeps."""
        for area in self.areas:
            story = area.story
            named = [d for doc in story.documents for d in doc.practices]
            named += [c.practice for c in story.cells] + [j.practice for j in story.judgments]
            for code in named:
                if (area.acronym, area.code(code)) not in self.practice_ids:
                    raise ValueError(f"The demo names {area.acronym} {code}, which the catalog does not rate.")
            goals = {g for (pa, _p), g in self.goal_of.items() if pa == area.acronym}
            for said in story.said:
                for goal in said.goals:
                    if area.code(goal) not in goals:
                        raise ValueError(f"The demo names goal {area.acronym} {goal}, which the catalog lacks.")

    # --- building ------------------------------------------------------------------------------------------

    def build(self) -> None:
        appraisal = self.session.scalars(select(Appraisal)).one()
        appraisal.phase = "conduct"
        appraisal.created_at = CREATED
        self._evidence()
        self._sessions()
        self._characterizations()
        self._judgments()
        self._findings()
        self.rows.write(self.session)

    def _skip(self, area: Area, cell: Instantiation) -> bool:
        """Cells with no evidence: NY ones, and beyond the first goal where the PA is still being examined."""
        scripted = self._script(area, cell)
        if scripted is not None and scripted.value == V13Value.NY:
            return True
        return not area.examined(cell.unit) and (cell.generic or cell.goal != area.first_goal())

    def _evidence(self) -> None:
        generic: dict[str, int] = {}
        for n, doc in enumerate(self.content.generic_documents):
            artifact = self._artifact(doc.title, doc.kind, doc.description, None, 300 - 5 * n)
            for gp in doc.practices:
                generic[gp] = artifact
        for area in self.areas:
            provider = self.units.get(self.content.security_office) if area.acronym in SECURITY_PAS else None
            documents: dict[str, list[int]] = {}
            for n, doc in enumerate(area.story.documents):
                artifact = self._artifact(doc.title, doc.kind, doc.description, provider, 40 + (37 * n) % 200)
                for code in doc.practices:
                    documents.setdefault(area.code(code), []).append(artifact)
            for unit, cells in area.cells.items():
                evidenced = [c for c in cells if not self._skip(area, c)]
                if not evidenced:
                    continue
                record = self._artifact(
                    area.story.unit_record.format(unit=unit),
                    "record",
                    f"Records the unit showed for {area.acronym}, sampled over the period.",
                    self.units[unit],
                    10 + len(unit),
                )
                for cell in evidenced:
                    if cell.generic:
                        self._link("artifact", generic[cell.practice], area, cell)
                        continue
                    for artifact in documents.get(cell.practice, ()):
                        self._link("artifact", artifact, area, cell)
                    weak = self._script(area, cell)
                    partial = weak is not None and weak.value in (V13Value.PI, V13Value.NI)
                    note = "Records cover only part of the sample period." if partial else ""
                    self._link("artifact", record, area, cell, "inadequate" if partial else "adequate", note)
        self._referenced()

    def _referenced(self) -> None:
        by_acronym = {a.acronym: a for a in self.areas}
        for title, location, acronym, practices in self.content.referenced:
            artifact = self.rows.add(
                Artifact,
                title=title,
                artifact_type="web page",
                version_label="",
                location=location,
                provided_by_unit_id=None,
                effective_date=None,
                added_at=START - timedelta(days=3),
                description="Shown live during the sessions; kept where it lives.",
            )
            area = by_acronym.get(acronym)
            if area is None:
                continue
            wanted = {area.code(p) for p in practices}
            for cells in area.cells.values():
                for cell in cells:
                    if cell.practice in wanted and not self._skip(area, cell):
                        self._link("artifact", artifact, area, cell)

    def _artifact(self, title: str, kind: str, description: str, unit_id: int | None, age_days: int) -> int:
        when = START - timedelta(days=age_days)
        artifact = self.rows.add(
            Artifact,
            title=title,
            artifact_type=kind,
            version_label="",
            location="",
            provided_by_unit_id=unit_id,
            effective_date=when.date(),
            added_at=START - timedelta(days=14, hours=age_days % 9),
            description=description,
        )
        earlier = self.content.earlier_versions.get(title)
        texts = [earlier[2], description] if earlier is not None else [description]
        if earlier is not None:
            self.rows.tables[Artifact][artifact - 1]["version_label"] = earlier[0]
        for revision, text in enumerate(texts, start=1):
            name, body = file_for(title, kind, text, revision)
            sha = hashlib.sha256(body).hexdigest()
            blob = self.rows.add(Blob, sha256=sha, size=len(body), data=body)
            self.rows.add(
                ArtifactRevision,
                artifact_id=artifact,
                revision=revision,
                file_name=name,
                sha256=sha,
                size=len(body),
                blob_id=blob,
                source_path="",
                source_mtime=None,
                added_at=START - timedelta(days=14 + len(texts) - revision),
            )
        return artifact

    def _link(
        self,
        source: str,
        source_id: int,
        area: Area,
        cell: Instantiation,
        adequacy: str = "adequate",
        note: str = "",
    ) -> None:
        key = (source, source_id, area.pa_id, cell.practice_id, cell.unit_id)
        if key in self.links:
            return
        self.links.add(key)
        self.rows.add(
            EvidenceLink,
            artifact_id=source_id if source == "artifact" else None,
            affirmation_id=source_id if source == "affirmation" else None,
            process_area_id=area.pa_id,
            practice_id=cell.practice_id,
            unit_id=cell.unit_id,
            adequacy=adequacy if source == "artifact" else "not_assessed",
            note=note,
        )

    # --- interviews ----------------------------------------------------------------------------------------

    def _sessions(self) -> None:
        for index, plan in enumerate(self.content.sessions):
            held = START + timedelta(days=plan.day, hours=plan.hour - START.hour)
            session_id = self.rows.add(
                InterviewSession,
                code=plan.code,
                kind=plan.kind,
                held_at=held,
                unit_id=self.units[plan.unit] if plan.unit else None,
                participant_roles=plan.roles,
                notes=plan.notes,
            )
            for name, role in plan.participants:
                self.rows.add(Participant, session_id=session_id, name=name, role=role)
            self._statements(index, plan, session_id, held)

    def _statements(self, index: int, plan: SessionPlan, session_id: int, held: datetime) -> None:
        units = (plan.unit,) if plan.unit else plan.units
        position = 0

        def say(said: Said, targets: list[tuple[Area, Instantiation]]) -> None:
            nonlocal position
            if not targets:
                return
            affirmation = self.rows.add(
                Affirmation,
                session_id=session_id,
                position=position,
                text=said.text,
                created_at=held + timedelta(minutes=5 + 3 * position),
            )
            position += 1
            for area, cell in targets:
                self._link("affirmation", affirmation, area, cell)

        for area in self.areas:
            if "*" not in plan.covers and area.acronym not in plan.covers:
                continue
            doing = [u for u in units if u in area.cells]
            wanted = {
                c.goal
                for u in doing
                for c in area.cells[u]
                if not c.generic and (area.examined(u) or c.goal == area.first_goal())
            }
            for said in covering(area.story.said, wanted, index, area.code):
                goals = {area.code(g) for g in said.goals} & wanted
                say(said, self._targets(area, doing, in_goals(goals)))
        if plan.generic:
            for said in rotated(self.content.generic_said, index):
                gps = set(said.goals)
                targets: list[tuple[Area, Instantiation]] = []
                for area in self.areas:
                    targets += self._targets(area, units, is_practice(gps))
                say(said, targets)

    def _targets(
        self, area: Area, units: Iterable[str], wanted: Callable[[Instantiation], bool]
    ) -> list[tuple[Area, Instantiation]]:
        return [
            (area, cell)
            for unit in units
            for cell in area.cells.get(unit, ())
            if wanted(cell) and not self._skip(area, cell)
        ]

    # --- characterizations ---------------------------------------------------------------------------------

    def _script(self, area: Area, cell: Instantiation) -> Cell | None:
        for scripted in area.story.cells:
            if area.code(scripted.practice) == cell.practice and (not scripted.units or cell.unit in scripted.units):
                return scripted
        return None

    def _characterizations(self) -> None:
        flags = {
            (pa, full_code(self._model(pa), pa, code), unit): text for pa, code, unit, text in self.content.review_flags
        }
        for area in self.areas:
            story = area.story
            team = self.content.security_mini_team if area.acronym in SECURITY_PAS else self.content.delivery_mini_team
            for unit, cells in area.cells.items():
                if not area.examined(unit):
                    continue
                for n, cell in enumerate(cells):
                    value, weakness, strength, note = self._value(area, cell)
                    comment = flags.get((area.acronym, cell.practice, unit), "")
                    state = CellState(
                        value=value,
                        strengths=strength,
                        weaknesses=weakness,
                        notes=note,
                        consensus=story.examined_in is None or self.rng.random() < 0.5,
                        review_flag=bool(comment),
                        review_comment=comment,
                    )
                    self.rows.add(
                        Characterization,
                        process_area_id=area.pa_id,
                        practice_id=cell.practice_id,
                        unit_id=cell.unit_id,
                        **cell_columns(state),
                        updated_at=START + timedelta(days=story.day, hours=n % 8, minutes=7 * (n % 7)),
                        updated_by=team[n % 2],
                    )

    def _value(self, area: Area, cell: Instantiation) -> tuple[str, str, str, str]:
        """(value, weakness, strength, note) for one cell: the script's, or FI with the odd LI and strength."""
        scripted = self._script(area, cell)
        roll, pick = self.rng.random(), self.rng.random()
        note = pick_one(area.story.notes, pick) if self.rng.random() < NOTE_SHARE else ""
        if scripted is not None:
            return scripted.value, scripted.weakness, scripted.strength, scripted.note or note
        minor = (
            self.content.generic_weaknesses.get(cell.practice)
            if cell.generic
            else pick_one(area.story.weaknesses, pick)
        )
        if roll < LI_SHARE and minor:
            return "LI", minor, "", note
        if roll < LI_SHARE + STRENGTH_SHARE and not cell.generic and area.story.strengths:
            return "FI", "", pick_one(area.story.strengths, pick), note
        return "FI", "", "", note

    def _model(self, acronym: str) -> str:
        return next(a.model for a in self.areas if a.acronym == acronym)

    # --- judgments and findings ----------------------------------------------------------------------------

    def _judgments(self) -> None:
        for area in self.areas:
            team = self.content.security_mini_team if area.acronym in SECURITY_PAS else self.content.delivery_mini_team
            decided = START + timedelta(days=area.story.day, hours=8)
            for judgment in area.story.judgments:
                self.rows.add(
                    OuCharacterization,
                    process_area_id=area.pa_id,
                    practice_id=self.practice_ids[(area.acronym, area.code(judgment.practice))],
                    value=judgment.value,
                    rationale=judgment.rationale,
                    decided_by=team[0],
                    decided_at=decided,
                )
            for override in area.story.overrides:
                self.rows.add(
                    GoalRatingOverride,
                    process_area_id=area.pa_id,
                    goal_id=self._goal_id(area, area.code(override.goal)),
                    rating=override.rating,
                    rationale=override.rationale,
                    decided_by=team[0],
                    decided_at=decided + timedelta(hours=1),
                )

    def _goal_id(self, area: Area, code: str) -> int:
        specific = self.session.scalars(
            select(CatalogGoal.id).where(CatalogGoal.process_area_id == area.pa_id, CatalogGoal.code == code)
        ).first()
        if specific is not None:
            return specific
        model = self.catalog.model(area.model)
        owner = (
            model.generic_goals_from if model and not model.generic_goals and model.generic_goals_from else area.model
        )
        return self.session.scalars(
            select(CatalogGoal.id)
            .join(CatalogModel, CatalogModel.id == CatalogGoal.model_id)
            .where(CatalogModel.key == owner, CatalogGoal.process_area_id.is_(None), CatalogGoal.code == code)
        ).one()

    def _findings(self) -> None:
        by_acronym = {a.acronym: a for a in self.areas}
        for n, plan in enumerate(self.content.findings):
            pa_id = goal_id = practice_id = None
            area = by_acronym.get(plan.pa) if plan.pa else None
            if area is not None:
                pa_id = area.pa_id
                if plan.target is not None:
                    code = area.code(plan.target)
                    practice_id = self.practice_ids.get((area.acronym, code))
                    goal = self.goal_of[(area.acronym, code)] if practice_id is not None else code
                    goal_id = self._goal_id(area, goal)
            written = START + timedelta(days=2 + n % 2, hours=8 + n % 9)
            self.rows.add(
                Finding,
                kind=plan.kind,
                status=plan.status,
                text=plan.text,
                process_area_id=pa_id,
                goal_id=goal_id,
                practice_id=practice_id,
                created_at=written,
                updated_at=written + timedelta(hours=2) if plan.status != "preliminary" else written,
            )
