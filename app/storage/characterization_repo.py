"""Characterization cells by key: the catalog ids a cell is stored under, resolved once per catalog.

A cell is keyed by names (model, PA, goal, practice, unit) in the services and by row ids in the file. The
ids of the catalog copied into an appraisal change only when the plan adds or drops a model, so they are read
once and kept with the open appraisal (`Workspace.catalog_ids`) until the catalog's row count or highest id
says they moved.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.plan import PaKey
from app.storage.instantiation_repo import practice_ids
from app.storage.plan_repo import pa_ids
from app.storage.schema import CatalogPractice


@dataclass(frozen=True, slots=True)
class CatalogIds:
    """Process-area and practice row ids by name, as of the catalog state `marker`."""

    marker: tuple[object, ...]
    pa: dict[PaKey, int]
    practice: dict[tuple[str, str | None, str, str], int]


def _marker(session: Session) -> tuple[object, ...]:
    return tuple(session.execute(select(func.count(CatalogPractice.id), func.max(CatalogPractice.id))).one())


def current_ids(session: Session, known: CatalogIds | None) -> CatalogIds:
    """`known` while the catalog is unchanged since it was read, else the ids read afresh."""
    marker = _marker(session)
    if known is not None and known.marker == marker:
        return known
    return CatalogIds(marker, pa_ids(session), practice_ids(session))
