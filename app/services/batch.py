"""Several one-row service calls as one edit: one transaction, so a failure part way changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from app.services.workspace import Workspace

T = TypeVar("T")
R = TypeVar("R")


def each(ws: Workspace, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """`fn(item)` for every item in one transaction; returns the results in order, or raises with nothing written."""
    with ws.uow_factory.transaction():
        return [fn(item) for item in items]
