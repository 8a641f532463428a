"""Many plain rows through SQLAlchemy Core, without paying per row for the way they are fetched.

Iterating a result fetches its rows one at a time (a fetch call per row); `.all()` fetches them in one call but
keeps every row alive at once. The readers of every cell (the grid, the rating's facts: twenty thousand rows at
size L) stream in batches; small reads take all rows at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Executable

BATCH = 1000
"""Rows per fetch when streaming: each batch is gone before the next, so the rows never pile up for the cycle
collector to walk (the grid's read at size L spent a third of its time in collections without it)."""


def all_rows(connection: Connection, stmt: Executable) -> Sequence[Sequence[Any]]:
    """Every row of `stmt`, fetched in one call."""
    return connection.execute(stmt).all()


def plain_batches(connection: Connection, stmt: Executable) -> Iterator[Sequence[Sequence[Any]]]:
    """The rows of `stmt` as the driver gives them (plain tuples, no SQLAlchemy row around each, no type
    conversion: for columns of ints, strings and SQL truth values only), `BATCH` at a time."""
    result = connection.execute(stmt)
    try:
        cursor = result.cursor
        while batch := cursor.fetchmany(BATCH):
            yield batch
    finally:
        result.close()


def streamed_rows(connection: Connection, stmt: Executable) -> Iterator[Sequence[Any]]:
    """The rows of `stmt`, fetched `BATCH` at a time."""
    for batch in connection.execute(stmt).partitions(BATCH):
        yield from batch
