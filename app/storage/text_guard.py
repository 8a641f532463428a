"""The last gate for text entering an appraisal: every string column of every row written through the ORM is
normalized and checked (app/domain/text.py) when the session flushes, so no path (window, CLI, plan file,
workbook import, model file, demo) stores a control character, an unnormalized text or an over-long one.

A refusal is a KnownError naming the table's field in words, raised before anything is written; the unit of
work then rolls the whole edit back.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session

from app.domain.text import NAME_LIMIT, TEXT_LIMIT, TextError, clean_text
from app.storage.errors import KnownError


@functools.cache
def _text_columns(cls: Any) -> tuple[tuple[str, str, int], ...]:
    """(attribute, field label, limit) of each string column of a mapped class."""
    mapper: Any = inspect(cls)
    table = getattr(cls, "__tablename__", cls.__name__)
    found = []
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if not isinstance(column.type, String) or column.info.get("machine_text"):
            continue
        length = getattr(column.type, "length", None)
        limit = length if length else (TEXT_LIMIT if type(column.type).__name__ == "Text" else NAME_LIMIT)
        label = f"The {table.replace('_', ' ')}'s {column.name.replace('_', ' ')}"
        found.append((attr.key, label, limit))
    return tuple(found)


def _check(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.dirty):
        cls: Any = type(obj)
        for key, label, limit in _text_columns(cls):
            value = obj.__dict__.get(key)
            if not isinstance(value, str):
                continue
            try:
                clean = clean_text(value, label, limit=limit)
            except TextError as exc:
                raise KnownError(f"{exc} Nothing was saved.") from None
            if clean != value:
                setattr(obj, key, clean)


def install() -> None:
    """Guard every session (idempotent)."""
    if not event.contains(Session, "before_flush", _check):
        event.listen(Session, "before_flush", _check)


install()
