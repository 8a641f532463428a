"""Synthetic appraisals in three sizes, for the benchmarks (never for users).

S is the demo appraisal (OVIG, 14 process areas, 7 units). M rates all of CMMI-SVC plus SM in 8 basic units;
L rates CMMI-SVC, CERT-RMM and SM (51 process areas) in 20 basic units, about 20,000 instantiations. The
plan goes through the normal service (`create_appraisal`); everything else is written with SQLAlchemy Core
executemany in one transaction, with ids chosen here (the file is new), so L builds in seconds. The FTS
triggers index the text as it arrives, as they would for rows typed by hand.

Content is deterministic (seeded) and shaped like a real appraisal: most cells FI, some LI, a few PI/NI/NY
with the weaknesses the method requires, evidence on every cell, team judgments on most PI/NI practices.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from app.domain.catalog import Catalog
from app.domain.plan import (
    PaKey,
    Plan,
    SamplingFactorPlan,
    ScopeEntry,
    SubgroupPlan,
    TeamMemberPlan,
    UnitKind,
    UnitPlan,
)
from app.services import appraisals, demo
from app.services.workspace import Workspace
from app.storage import appraisal_file
from app.storage.catalog_files import builtin_catalog
from app.storage.instantiation_repo import Instantiation, instantiations
from app.storage.schema import (
    Affirmation,
    Artifact,
    ArtifactRevision,
    Blob,
    Characterization,
    EvidenceLink,
    Finding,
    InterviewSession,
    OuCharacterization,
    Participant,
)

SIZES = ("S", "M", "L", "XL")
START = datetime(2026, 11, 30, 9, 0)


@dataclass(frozen=True, slots=True)
class Spec:
    models: tuple[str, ...]
    units: int
    subgroups: int
    artifacts: int
    sessions: int
    affirmations: int
    tags_per_affirmation: int
    artifact_links_per_cell: int
    findings: int
    people: int
    """Distinct participants; each takes part in several sessions (a real organizational unit's size)."""
    cl3_models: tuple[str, ...] = ()
    """Models rated to CL3 (GG3 too); the others to CL2."""


SPECS: dict[str, Spec] = {
    "M": Spec(("CMMI-SVC", "SM"), 8, 2, 2_000, 200, 1_000, 4, 2, 100, 120),
    "L": Spec(("CMMI-SVC", "CERT-RMM", "SM"), 20, 4, 20_000, 500, 5_000, 4, 2, 400, 300, cl3_models=("CMMI-SVC",)),
    # Twice L: the same scope in 40 units, to see how each figure grows past L (390 people: every name the
    # generator can make).
    "XL": Spec(("CMMI-SVC", "CERT-RMM", "SM"), 40, 8, 40_000, 1_000, 10_000, 4, 2, 800, 390, cl3_models=("CMMI-SVC",)),
}


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


WORDS = _words(
    "incident escalation priority resolution workaround ticket customer claim policy premium quote billing "
    "repair supplier agreement review audit adherence plan schedule budget resource training record register "
    "threat vulnerability patch exception control objective monitoring alert dashboard continuity recovery "
    "drill exercise backup restore access encryption retention disposal inventory owner category risk "
    "mitigation trigger measure indicator analysis baseline release transition rollback stakeholder "
    "communication template checklist approval sign-off evidence sample quarterly monthly weekly annual "
    "procedure standard guideline process service desk portal network partner contract invoice acceptance "
    "delivery capacity availability performance trend root cause lesson improvement governance"
)
NAMES_FIRST = _words("Ada Ben Cleo Dev Eva Femi Gus Hana Ivo Jun Kai Lia Mo Nia Oli Pia Raj Sia Tao Uma Vik Wen Yara")
NAMES_LAST = _words("Abbott Brandt Castro Dahl Eze Fong Gill Haas Iqbal Jensen Koch Lund Moss Nagy Ortiz Park Quinn")


@dataclass(frozen=True, slots=True)
class Built:
    size: str
    path: Path
    seconds: float
    counts: dict[str, int]


def build(size: str, target: Path, catalog: Catalog | None = None) -> Built:
    """Create the synthetic appraisal of `size` at `target` (which must not exist) and close it."""
    catalog = catalog or builtin_catalog()
    started = time.perf_counter()
    if size == "S":
        workspace = demo.create_demo(target, catalog, who="benchmark")
    elif size in SPECS:
        workspace = _synthetic(SPECS[size], size, target, catalog)
    else:
        raise ValueError(f"Unknown size {size!r}; choose from {', '.join(SIZES)}.")
    seconds = time.perf_counter() - started
    try:
        counts = appraisals.appraisal_info(workspace).counts
    finally:
        workspace.close()
    return Built(size, target, seconds, counts)


def _plan(spec: Spec, size: str, catalog: Catalog) -> Plan:
    scope = []
    for key in spec.models:
        model = catalog.model(key)
        assert model is not None, key
        level = 3 if key in spec.cl3_models else 2
        scope += [ScopeEntry(PaKey(key, pa.acronym), level) for pa in model.process_areas]
    subgroups = tuple(
        SubgroupPlan(f"Line {n + 1}", factors=(("Type of work", f"Line {n + 1}"),)) for n in range(spec.subgroups)
    )
    units = tuple(
        UnitPlan(f"Service team {n + 1:02d}", UnitKind.BASIC_UNIT, subgroup=f"Line {n % spec.subgroups + 1}")
        for n in range(spec.units)
    )
    return Plan(
        name=f"Benchmark appraisal {size}",
        lead_appraiser="Benchmark",
        start_date=date(2026, 11, 30),
        end_date=date(2026, 12, 4),
        org_unit_name=f"Synthetic organization {size}",
        scope=tuple(scope),
        sampling_factors=(
            SamplingFactorPlan(
                "Type of work", True, "Each line runs its own services.", tuple(s.name for s in subgroups)
            ),
        ),
        subgroups=subgroups,
        units=units,
        team=(TeamMemberPlan("Benchmark", "lead"), TeamMemberPlan("Second member")),
    )


def _synthetic(spec: Spec, size: str, target: Path, catalog: Catalog) -> Workspace:
    workspace = appraisals.create_appraisal(target, _plan(spec, size, catalog), catalog, who="benchmark")
    try:
        with workspace.uow() as uow:
            _Filler(uow.session, workspace.catalog(), spec).fill()
            uow.commit()
    except BaseException:
        appraisal_file.discard_new_file(workspace.store)
        raise
    return workspace


class _Filler:
    def __init__(self, session: Session, catalog: Catalog, spec: Spec) -> None:
        self.session = session
        self.spec = spec
        self.rng = random.Random(2011)
        self.cells = instantiations(session, catalog)
        self.rows: dict[Table, list[dict[str, Any]]] = {}

    def add(self, table: Any, **values: Any) -> int:
        rows = self.rows.setdefault(table.__table__, [])
        rows.append({"id": len(rows) + 1, **values})
        return len(rows)

    def text(self, low: int, high: int) -> str:
        words = self.rng.choices(WORDS, k=self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def fill(self) -> None:
        by_unit_pa: dict[tuple[int, int], list[Instantiation]] = {}
        for cell in self.cells:
            if not cell.generic:
                by_unit_pa.setdefault((cell.unit_id, cell.pa_id), []).append(cell)
        pa_ids = list(dict.fromkeys(cell.pa_id for cell in self.cells))
        self._artifact_links(self._artifacts(pa_ids))
        self._interviews(list(by_unit_pa.values()))
        self._characterizations()
        self._findings(pa_ids)
        # Parents first, so every foreign key holds at each statement.
        connection = self.session.connection()
        order: tuple[Any, ...] = (
            Blob,
            Artifact,
            ArtifactRevision,
            InterviewSession,
            Participant,
            Affirmation,
            EvidenceLink,
            Characterization,
            OuCharacterization,
            Finding,
        )
        for table in order:
            self._write(connection, table)

    def _write(self, connection: Any, table: Any) -> None:
        rows = self.rows.get(table.__table__)
        if rows:
            connection.execute(insert(table.__table__), rows)

    def _artifacts(self, pa_ids: Sequence[int]) -> dict[int, list[int]]:
        by_pa: dict[int, list[int]] = {pa: [] for pa in pa_ids}
        kinds = ("document", "record", "spreadsheet", "presentation", "e-mail")
        for n in range(self.spec.artifacts):
            title = f"{self.text(3, 6)[:-1]} {n + 1}"
            body = f"{title}\n\n{self.text(30, 60)}\n".encode()
            sha = hashlib.sha256(body).hexdigest()
            blob = self.add(Blob, sha256=sha, size=len(body), data=body)
            artifact = self.add(
                Artifact,
                title=title,
                artifact_type=kinds[n % len(kinds)],
                version_label="1.0",
                location="",
                provided_by_unit_id=None,
                effective_date=(START - timedelta(days=n % 300)).date(),
                added_at=START - timedelta(days=14),
                description=self.text(6, 14),
            )
            self.add(
                ArtifactRevision,
                artifact_id=artifact,
                revision=1,
                file_name=f"doc-{n + 1:05d}.txt",
                sha256=sha,
                size=len(body),
                blob_id=blob,
                source_path="",
                source_mtime=None,
                added_at=START - timedelta(days=14),
            )
            by_pa[pa_ids[n % len(pa_ids)]].append(artifact)
        return by_pa

    def _link(self, **values: Any) -> None:
        self.add(EvidenceLink, adequacy="adequate", note="", **values)

    def _artifact_links(self, artifacts_of_pa: dict[int, list[int]]) -> None:
        for cell in self.cells:
            own = artifacts_of_pa[cell.pa_id]
            for artifact in self.rng.sample(own, min(len(own), self.spec.artifact_links_per_cell)):
                self._link(
                    artifact_id=artifact,
                    affirmation_id=None,
                    process_area_id=cell.pa_id,
                    practice_id=cell.practice_id,
                    unit_id=cell.unit_id,
                )

    def _interviews(self, groups: list[list[Instantiation]]) -> None:
        spec = self.spec
        per_session = spec.affirmations // spec.sessions
        people = [f"{first} {last}" for last in NAMES_LAST for first in NAMES_FIRST][: spec.people]
        self.rng.shuffle(people)
        units = sorted({group[0].unit_id for group in groups})
        groups_of_unit = {u: [g for g in groups if g[0].unit_id == u] for u in units}
        for n in range(spec.sessions):
            unit = units[n % len(units)]
            held = START + timedelta(days=n % 4, hours=n % 8)
            session = self.add(
                InterviewSession,
                code=f"S{n + 1:03d}",
                kind="interview",
                held_at=held,
                unit_id=unit,
                participant_roles="Team lead; practitioner",
                notes=self.text(15, 40),
            )
            for name in self.rng.sample(people, 2 + n % 2):
                self.add(Participant, session_id=session, name=name, role="practitioner")
            for position in range(per_session):
                affirmation = self.add(
                    Affirmation,
                    session_id=session,
                    position=position,
                    text=self.text(8, 20),
                    created_at=held + timedelta(minutes=position),
                )
                group = self.rng.choice(groups_of_unit[unit])
                for cell in self.rng.sample(group, min(len(group), spec.tags_per_affirmation)):
                    self._link(
                        artifact_id=None,
                        affirmation_id=affirmation,
                        process_area_id=cell.pa_id,
                        practice_id=cell.practice_id,
                        unit_id=cell.unit_id,
                    )

    def _characterizations(self) -> None:
        weak_practices: set[tuple[int, int]] = set()
        for cell in self.cells:
            roll = self.rng.random()
            if roll < 0.06:
                continue  # not characterized yet
            value = (
                "FI" if roll < 0.8 else "LI" if roll < 0.93 else "PI" if roll < 0.975 else "NY" if roll < 0.99 else "NI"
            )
            weakness = self.text(8, 16) if value in ("LI", "PI", "NI") else ""
            strength = self.text(8, 14) if value == "FI" and self.rng.random() < 0.05 else ""
            if value in ("PI", "NI"):
                weak_practices.add((cell.pa_id, cell.practice_id))
            self.add(
                Characterization,
                process_area_id=cell.pa_id,
                practice_id=cell.practice_id,
                unit_id=cell.unit_id,
                value=value,
                strengths=strength,
                weaknesses=weakness,
                notes=self.text(6, 12) if self.rng.random() < 0.15 else "",
                consensus=True,
                review_flag=False,
                review_comment="",
                updated_at=START + timedelta(days=1),
                updated_by="Benchmark",
            )
        for pa_id, practice_id in sorted(weak_practices):
            if self.rng.random() < 0.7:
                self.add(
                    OuCharacterization,
                    process_area_id=pa_id,
                    practice_id=practice_id,
                    value="PI",
                    rationale=self.text(10, 20),
                    decided_by="Benchmark",
                    decided_at=START + timedelta(days=2),
                )

    def _findings(self, pa_ids: Sequence[int]) -> None:
        kinds = ("weakness", "strength", "improvement")
        for n in range(self.spec.findings):
            self.add(
                Finding,
                kind=kinds[n % 3],
                status="preliminary" if n % 4 else "validated",
                text=self.text(12, 30),
                process_area_id=pa_ids[n % len(pa_ids)],
                goal_id=None,
                practice_id=None,
                created_at=START + timedelta(days=3),
                updated_at=START + timedelta(days=3),
            )


def build_all(sizes: Sequence[str], folder: Path, report: Callable[[Built], None] | None = None) -> list[Built]:
    catalog = builtin_catalog()
    built = []
    for size in sizes:
        target = folder / f"bench-{size}.appraisal"
        one = build(size, target, catalog)
        built.append(one)
        if report is not None:
            report(one)
    return built
