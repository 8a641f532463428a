"""Characterization cells: the one place a cell's row is found, added and written, and turned into the domain's
`CellState`; and the catalog ids a cell is stored under, resolved once per catalog.

Every writer of a cell (the grid, the review mark, the workbook import, a package merge) goes through
`cell_at` (or `new_cell`) and `write_state`, so a cell is created the same way and says who changed it and when;
the demo's bulk insert writes `cell_columns` of a `CellState`.

A cell is keyed by names (model, PA, goal, practice, unit) in the services and by row ids in the file. The
ids of the catalog copied into an appraisal change only when the plan adds or drops a model, so they are read
once and kept with the open appraisal (`Workspace.catalog_ids`) until the catalog's row count or highest id
says they moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.characterization import CellState
from app.domain.plan import PaKey
from app.storage.instantiation_repo import practice_ids
from app.storage.plan_repo import pa_ids
from app.storage.schema import CatalogPractice, Characterization


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


def find_cell(session: Session, pa_id: int, practice_id: int, unit_id: int) -> Characterization | None:
    """The stored row of a cell, or None when it was never written."""
    return session.scalars(
        select(Characterization).where(
            Characterization.process_area_id == pa_id,
            Characterization.practice_id == practice_id,
            Characterization.unit_id == unit_id,
        )
    ).first()


def new_cell(session: Session, pa_id: int, practice_id: int, unit_id: int) -> Characterization:
    """An empty row for a cell never written, added to the session."""
    row = Characterization(process_area_id=pa_id, practice_id=practice_id, unit_id=unit_id)
    session.add(row)
    return row


def cell_at(session: Session, pa_id: int, practice_id: int, unit_id: int) -> Characterization:
    """The row to write a cell into: the stored one, or a new empty one."""
    return find_cell(session, pa_id, practice_id, unit_id) or new_cell(session, pa_id, practice_id, unit_id)


def state_of(row: Characterization | None) -> CellState:
    """A stored cell as the domain sees it (an empty state for a cell never characterized)."""
    if row is None:
        return CellState()
    return CellState(
        row.value,
        row.strengths,
        row.weaknesses,
        row.notes,
        row.consensus,
        row.review_flag,
        row.review_comment,
    )


def cell_columns(state: CellState) -> dict[str, object]:
    """The columns a state is stored in (the demo's bulk insert writes them as they are)."""
    return {
        "value": state.value,
        "strengths": state.strengths,
        "weaknesses": state.weaknesses,
        "notes": state.notes,
        "consensus": state.consensus,
        "review_flag": state.review_flag,
        "review_comment": state.review_comment,
    }


def write_state(row: Characterization, state: CellState, who: str) -> None:
    """Put a whole state in the row, saying who changed it and when."""
    for column, value in cell_columns(state).items():
        setattr(row, column, value)
    stamp(row, who)


def stamp(row: Characterization, who: str) -> None:
    """Who changed the cell last, and that it was now."""
    row.updated_at = datetime.now()
    row.updated_by = who
