"""Unit of Work: one session, one transaction; rolls back unless committed."""

from __future__ import annotations

from datetime import datetime
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.storage.schema import ChangeLog


class UnitOfWork:
    """`with uow: ...; uow.commit()`: everything inside is one transaction, committed at once or not at all."""

    def __init__(self, factory: sessionmaker[Session], *, who: str) -> None:
        self._factory = factory
        self.who = who
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its 'with' block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._factory()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session, self._session = self.session, None
        try:
            session.rollback()
        finally:
            session.close()

    def commit(self) -> None:
        self.session.commit()

    def log(self, action: str, entity: str, entity_id: int | None = None, detail: str = "") -> None:
        """Record who changed what, in the same transaction as the change itself."""
        self.session.add(
            ChangeLog(at=datetime.now(), who=self.who, action=action, entity=entity, entity_id=entity_id, detail=detail)
        )


class UnitOfWorkFactory:
    def __init__(self, engine: Engine, *, who: str) -> None:
        self._factory = sessionmaker(engine, expire_on_commit=False)
        self.who = who

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self._factory, who=self.who)
