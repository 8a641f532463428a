"""Unit of Work: one session, one transaction; rolls back unless committed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from app.storage import text_guard  # noqa: F401 - every session checks the text it writes
from app.storage.edit_guard import EditGuard, RowChanged, stale_edit_after
from app.storage.errors import StaleEditError
from app.storage.schema import ChangeLog


class UnitOfWork:
    """`with uow: ...; uow.commit()`: everything inside is one transaction, committed at once or not at all."""

    def __init__(self, factory: sessionmaker[Session], *, who: str, guard: EditGuard | None = None) -> None:
        self._factory = factory
        self.who = who
        self._guard = guard
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its 'with' block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._factory()
        if self._guard is not None:
            self._guard.watch(self._session, self.who)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session, self._session = self.session, None
        try:
            session.rollback()
            if isinstance(exc, RowChanged):
                # Who changed it is read now, in a fresh transaction: the flush that found it could not.
                raise stale_edit_after(session, exc) from None
        finally:
            session.close()
        if isinstance(exc, StaleDataError):
            # A row's version moved between this edit's read and its write: someone on the team server saved first.
            raise StaleEditError(
                "Someone else changed this at the same moment, and their change was saved first — reloaded. "
                "Your change was not saved; make it again if it still holds."
            ) from exc

    def commit(self) -> None:
        self.session.commit()

    def log(self, action: str, entity: str, entity_id: int | None = None, detail: str = "") -> None:
        """Record who changed what, in the same transaction as the change itself."""
        self.session.add(
            ChangeLog(at=datetime.now(), who=self.who, action=action, entity=entity, entity_id=entity_id, detail=detail)
        )


class _JoinedUnitOfWork(UnitOfWork):
    """A unit of work inside `UnitOfWorkFactory.transaction()`: a savepoint of the enclosing transaction.

    It behaves like a unit of work of its own (a failure rolls back only its part), but its commit lands only
    when the enclosing transaction commits.
    """

    def __init__(self, outer: UnitOfWork) -> None:
        super().__init__(outer._factory, who=outer.who)
        self._outer = outer
        self._savepoint: SessionTransaction | None = None

    def __enter__(self) -> UnitOfWork:
        self._session = self._outer.session
        self._savepoint = self._session.begin_nested()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        savepoint, self._savepoint, self._session = self._savepoint, None, None
        if savepoint is not None and savepoint.is_active:
            savepoint.rollback()

    def commit(self) -> None:
        if self._savepoint is not None and self._savepoint.is_active:
            self._savepoint.commit()
        else:
            self.session.flush()


class UnitOfWorkFactory:
    def __init__(self, engine: Engine, *, who: str) -> None:
        self._factory = sessionmaker(engine, expire_on_commit=False)
        self.who = who
        self._joining = threading.local()

    def _guard(self) -> EditGuard | None:
        guard: EditGuard | None = getattr(self._joining, "guard", None)
        return guard

    def __call__(self) -> UnitOfWork:
        outer: UnitOfWork | None = getattr(self._joining, "outer", None)
        if outer is not None:
            return _JoinedUnitOfWork(outer)
        return UnitOfWork(self._factory, who=self.who, guard=self._guard())

    @contextmanager
    def guarded(self, guard: EditGuard) -> Iterator[None]:
        """Every unit of work this thread starts inside the block writes under `guard` (one undoable edit's):
        a row it wrote before is written again only if nobody changed it since (app/storage/edit_guard.py)."""
        previous = self._guard()
        self._joining.guard = guard
        try:
            yield
        finally:
            self._joining.guard = previous

    @contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        """One transaction for every unit of work this thread starts inside the block: all land, or none.

        Services commit their own unit of work; a multi-row edit calls them in this block so that a failure
        part way leaves the file exactly as before. A nested block joins the enclosing one.
        """
        outer: UnitOfWork | None = getattr(self._joining, "outer", None)
        if outer is not None:
            yield outer
            return
        with UnitOfWork(self._factory, who=self.who, guard=self._guard()) as uow:
            self._joining.outer = uow
            try:
                yield uow
            finally:
                self._joining.outer = None
            uow.commit()
