"""The open appraisal as the layers above see it: a store plus a way to start units of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.catalog import Catalog
from app.storage.appraisal_file import OpenedStore
from app.storage.catalog_repo import load_catalog
from app.storage.characterization_repo import CatalogIds
from app.storage.edit_guard import EditGuard, highest_change
from app.storage.errors import KnownError
from app.storage.uow import UnitOfWork, UnitOfWorkFactory

__all__ = ["EditGuard", "Workspace"]


@dataclass
class Workspace:
    store: OpenedStore
    uow_factory: UnitOfWorkFactory
    _catalog: Catalog | None = field(default=None, repr=False)
    catalog_ids: CatalogIds | None = field(default=None, repr=False)
    """Catalog row ids by name, read once and refreshed when the catalog changes (characterization_repo)."""

    @classmethod
    def for_store(cls, store: OpenedStore, *, who: str) -> Workspace:
        return cls(store, UnitOfWorkFactory(store.engine, who=who))

    def uow(self) -> UnitOfWork:
        return self.uow_factory()

    def edit_guard(self) -> EditGuard:
        """A guard for one undoable edit made now (app/storage/edit_guard.py). Without the server (offline) it
        knows no moment: the edit is refused as not saved anyway, and its rows are still guarded once written."""
        try:
            with self.uow() as uow:
                return EditGuard(since=highest_change(uow.session))
        except KnownError:
            return EditGuard()

    @contextmanager
    def guarded(self, guard: EditGuard) -> Iterator[None]:
        """Service calls made inside the block are one undoable edit's applications: a row the edit wrote is
        written again (undo, redo) only if nobody else changed it since (app/storage/edit_guard.py)."""
        with self.uow_factory.guarded(guard):
            yield

    @property
    def path(self) -> Path | None:
        return self.store.path

    @property
    def display_name(self) -> str:
        return self.store.display_name

    @property
    def who(self) -> str:
        return self.uow_factory.who

    def catalog(self) -> Catalog:
        """The models kept in this appraisal; they never change once copied in, so this is read once."""
        if self._catalog is None:
            with self.uow() as uow:
                self._catalog = load_catalog(uow.session)
        return self._catalog

    def close(self) -> None:
        self.store.close()
