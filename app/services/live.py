"""Other people's edits on a team server, as they happen (docs/team-server.md, "Live").

A `Follower` waits for the server's announcements (LISTEN/NOTIFY, or polling) and returns the change log
entries written by anyone but this window's own login since it last looked, each with the grid cell it changed
(if it changed one). The window calls it on a thread of its own and refreshes what those entries touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.characterize import CellKey
from app.services.workspace import Workspace
from app.storage.change_feed import ChangeFeed
from app.storage.schema import (
    CatalogGoal,
    CatalogModel,
    CatalogPractice,
    CatalogProcessArea,
    ChangeLog,
    Characterization,
    Unit,
)


@dataclass(frozen=True, slots=True)
class RemoteChange:
    id: int
    who: str
    at: datetime
    entity: str
    entity_id: int | None
    detail: str
    cell: CellKey | None
    """The grid cell it changed, for a characterization edit."""


class Follower:
    """Follows one open server appraisal; `next(timeout)` returns the new entries of other people (maybe none)."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._feed = ChangeFeed(ws.store.engine)
        self._seen = self._feed.highest_id()

    @property
    def listening(self) -> bool:
        """True with LISTEN/NOTIFY; False while polling."""
        return self._feed.listening

    def next(self, timeout: float) -> list[RemoteChange]:
        """Wait up to `timeout` seconds (0: only look) for an announcement, then read what arrived."""
        return self.read() if self._feed.wait(timeout) else []

    def read(self) -> list[RemoteChange]:
        """Every entry since the last read, by anyone else (whether or not an announcement was heard)."""
        with self._ws.uow() as uow:
            rows = (
                uow.session.execute(select(ChangeLog).where(ChangeLog.id > self._seen).order_by(ChangeLog.id))
                .scalars()
                .all()
            )
            if not rows:
                return []
            self._seen = rows[-1].id
            ids = [r.entity_id for r in rows if r.entity == "characterization" and r.entity_id is not None]
            cells = _cells(uow.session, ids) if ids else {}
            return [
                RemoteChange(r.id, r.who, r.at, r.entity, r.entity_id, r.detail, _cell_of(r, cells))
                for r in rows
                if r.who != self._ws.who
            ]

    def close(self) -> None:
        self._feed.close()


def _cells(session: Session, ids: list[int]) -> dict[int, CellKey]:
    rows = session.execute(
        select(
            Characterization.id,
            CatalogModel.key,
            CatalogProcessArea.acronym,
            CatalogGoal.code,
            CatalogPractice.code,
            Unit.name,
        )
        .join(CatalogProcessArea, CatalogProcessArea.id == Characterization.process_area_id)
        .join(CatalogModel, CatalogModel.id == CatalogProcessArea.model_id)
        .join(CatalogPractice, CatalogPractice.id == Characterization.practice_id)
        .join(CatalogGoal, CatalogGoal.id == CatalogPractice.goal_id)
        .join(Unit, Unit.id == Characterization.unit_id)
        .where(Characterization.id.in_(ids))
    ).all()
    return {row[0]: CellKey(row[1], row[2], row[3], row[4], row[5]) for row in rows}


def _cell_of(entry: ChangeLog, cells: dict[int, CellKey]) -> CellKey | None:
    if entry.entity != "characterization" or entry.entity_id is None:
        return None
    return cells.get(entry.entity_id)


def follower(ws: Workspace) -> Follower | None:
    """A follower for an appraisal on a team server; None for a file (one person edits a file at a time)."""
    if ws.path is not None or ws.store.engine.dialect.name != "postgresql":
        return None
    return Follower(ws)
