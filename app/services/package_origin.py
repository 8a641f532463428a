"""Whether the open file is a mini-team package, and where it came from: asked as every file opens, so this
module is small and the rest of the package work (`packages`) is imported when a split or merge is asked for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.workspace import Workspace
from app.storage.schema import Appraisal, PackageRecord


@dataclass(frozen=True, slots=True)
class PackageOrigin:
    """Where an open package came from, for its banner and title."""

    package_uid: str
    mini_team: str
    appraisal: str
    process_areas: tuple[str, ...]
    split_at: datetime
    split_by: str

    @property
    def banner(self) -> str:
        when = self.split_at.strftime("%Y-%m-%d %H:%M")
        areas = ", ".join(line.rpartition(" ")[2] for line in self.process_areas)
        return (
            f"Mini-team package for {self.mini_team}, from “{self.appraisal}” · split {when} by {self.split_by} · "
            f"holds {areas}"
        )


def origin_record(session: Session) -> PackageRecord | None:
    return session.scalars(select(PackageRecord).where(PackageRecord.role == "origin")).first()


def package_origin(ws: Workspace) -> PackageOrigin | None:
    """The origin of the open file when it is a mini-team package, else None."""
    table = PackageRecord.__table__
    with ws.uow() as uow:
        # Asked on the UI thread as a file opens: the lead's own file (no origin row) answers from the table,
        # without setting up the ORM's mappers there.
        if uow.session.execute(select(table.c.id).where(table.c.role == "origin").limit(1)).first() is None:
            return None
        record = origin_record(uow.session)
        if record is None:
            return None
        name = uow.session.scalars(select(Appraisal.name)).one()
        return PackageOrigin(
            record.package_uid,
            record.mini_team,
            name,
            tuple(record.process_areas.splitlines()),
            record.split_at,
            record.split_by,
        )
