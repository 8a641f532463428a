"""What one transaction did to a set of tables, as before/after images of each row it changed, so a large edit
(a mini-team merge) can be undone and redone as one step.

The images are read from the tables themselves, before the edit and again before its commit, so rows changed
by cascades and triggers are caught as well as those the code touched. Content-addressed blobs are compared by
id and checksum only; the bytes of a blob the edit added are kept (a redo needs them), and an edit that removes
a blob cannot be journalled (`complete` is False) since its bytes were never read.

Applying the changes checks first that every row still holds what the change starts from: a later edit of the
same rows refuses the step with `StaleRows`, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, delete, insert, select, update
from sqlalchemy.orm import Session

from app.storage.errors import KnownError
from app.storage.schema import Base

Key = tuple[Any, ...]
Image = dict[str, Any]
Snapshot = dict[str, dict[Key, Image]]

BLOB_TABLE = "blob"
_BLOB_COMPARED = ("id", "sha256")


class StaleRows(KnownError):
    """Rows an undo or redo would write have changed since; nothing was written."""


@dataclass(frozen=True, slots=True)
class RowChange:
    table: str
    key: Key
    before: Image | None
    """None: the row did not exist before."""
    after: Image | None
    """None: the row does not exist after."""


@dataclass(frozen=True, slots=True)
class RowChanges:
    changes: tuple[RowChange, ...]
    complete: bool = True
    """False when the edit removed a blob, whose bytes the journal does not hold: it cannot be undone."""

    def inverted(self) -> RowChanges:
        return RowChanges(tuple(RowChange(c.table, c.key, c.after, c.before) for c in self.changes), self.complete)

    def __len__(self) -> int:
        return len(self.changes)


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _key(table: Table, row: Image) -> Key:
    return tuple(row[c.name] for c in table.primary_key.columns)


def snapshot(session: Session, tables: Iterable[str]) -> Snapshot:
    """Every row of `tables` as it stands in `session` (blobs: id and checksum only)."""
    found: Snapshot = {}
    for name in tables:
        table = _table(name)
        columns = [table.c[c] for c in _BLOB_COMPARED] if name == BLOB_TABLE else list(table.c)
        rows = session.execute(select(*columns)).mappings()
        found[name] = {_key(table, dict(r)): dict(r) for r in rows}
    return found


def changes_between(session: Session, before: Snapshot) -> RowChanges:
    """The rows that differ between `before` and the tables as they stand now in `session`."""
    after = snapshot(session, before)
    changes: list[RowChange] = []
    complete = True
    for name, old_rows in before.items():
        new_rows = after[name]
        for key in old_rows.keys() | new_rows.keys():
            old, new = old_rows.get(key), new_rows.get(key)
            if old == new:
                continue
            if name == BLOB_TABLE:
                if new is None:
                    complete = False
                    continue
                new = _whole_blob(session, key)
                old = None if old is None else new  # same id and checksum cannot differ; a new blob is whole
                if old is not None:
                    continue
            changes.append(RowChange(name, key, old, new))
    return RowChanges(tuple(changes), complete)


def _whole_blob(session: Session, key: Key) -> Image:
    table = _table(BLOB_TABLE)
    row = session.execute(select(table).where(_where(table, key))).mappings().one()
    return dict(row)


def _where(table: Table, key: Key) -> Any:
    return and_(*(column == value for column, value in zip(table.primary_key.columns, key, strict=True)))


def _current(session: Session, table: Table, key: Key) -> Image | None:
    columns = [table.c[c] for c in _BLOB_COMPARED] if table.name == BLOB_TABLE else list(table.c)
    row = session.execute(select(*columns).where(_where(table, key))).mappings().first()
    return None if row is None else dict(row)


def _same(table: Table, current: Image | None, expected: Image | None) -> bool:
    if current is None or expected is None:
        return current is None and expected is None
    if table.name == BLOB_TABLE:
        return all(current[c] == expected[c] for c in _BLOB_COMPARED)
    return current == expected


def apply_changes(session: Session, changes: RowChanges, *, what: str) -> None:
    """Take every row from its `before` image to its `after` image in `session` (the caller commits).

    Raises StaleRows, having written nothing, when a row no longer holds its `before` image.
    """
    if not changes.complete:
        raise StaleRows(f"{what} removed stored attachment content and cannot be taken back; nothing was changed.")
    order = {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}
    for change in changes.changes:
        table = _table(change.table)
        if not _same(table, _current(session, table, change.key), change.before):
            raise StaleRows(
                f"The appraisal changed since {what} in rows it touched ({change.table.replace('_', ' ')}); "
                "undo or redo the later edits first. Nothing was changed."
            )
    removals: Sequence[RowChange] = sorted(
        (c for c in changes.changes if c.after is None), key=lambda c: -order[c.table]
    )
    additions: Sequence[RowChange] = sorted(
        (c for c in changes.changes if c.before is None and c.after is not None), key=lambda c: order[c.table]
    )
    for change in removals:
        table = _table(change.table)
        session.execute(delete(table).where(_where(table, change.key)))
    for change in additions:
        session.execute(insert(_table(change.table)).values(**(change.after or {})))
    for change in changes.changes:
        if change.before is not None and change.after is not None:
            table = _table(change.table)
            session.execute(update(table).where(_where(table, change.key)).values(**change.after))
