"""One cell of the grid as its detail dialog shows it: the practice, the team's texts and the linked evidence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.catalog import shown_title
from app.services.characterize import CellKey, CellState, Resolver, get_cell
from app.services.workspace import Workspace
from app.storage.schema import (
    Affirmation,
    Artifact,
    EvidenceLink,
    InterviewSession,
)


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


def evidence_labels(session: Session, links: Sequence[EvidenceLink]) -> dict[tuple[str, int], str]:
    """What the user calls each link's source: the artifact's title, or the session code and the statement."""
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


def evidence_source(link: EvidenceLink) -> tuple[str, int]:
    """("artifact" or "affirmation", its id): the key evidence is counted and labelled by."""
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
        pa_id, practice_id, unit_id = Resolver(session, ws).instantiation_ids(key)
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
        labels = evidence_labels(session, links)
        evidence = tuple(
            EvidenceItem(
                link.id, *evidence_source(link), labels.get(evidence_source(link), "?"), link.adequacy, link.note
            )
            for link in links
        )
    title = shown_title(practice) if practice else ""
    statement = (practice.statement or "") if practice else ""
    return CellDetail(key, title, statement, state, evidence)
