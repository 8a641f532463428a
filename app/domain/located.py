"""Reading a user's file with every problem located: file, then line (YAML) or cell (spreadsheet), then field.

The readers of the model, links and plan formats share these rules, so a value of the same kind is checked
the same way and named the same way in every format. Data comes already loaded (mappings and lists); a
mapping that knows where it came from offers `line_of(key)` (`app/storage/yaml_source.py`) or `cell_of(key)`
(spreadsheets), and every problem is collected before the caller raises, so a file is fixed in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a catalog file, with where it is: file, item path, and line or cell when known."""

    source: str
    path: str
    message: str
    line: int | None = None
    cell: str | None = None

    def __str__(self) -> str:
        where = [self.source]
        if self.line:
            where.append(f"line {self.line}")
        if self.cell:
            where.append(self.cell)
        return f"{', '.join(where)}: {self.path + ': ' if self.path else ''}{self.message}"


def show(value: object) -> str:
    """A short, always-safe rendering of a user's value for a message (huge ints cannot be str()-ed)."""
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class LocatedReader:
    """Collects every problem instead of stopping at the first, so a file gets fixed in one pass."""

    source: str
    problems: list[Problem] = field(default_factory=list)

    def where(self, data: object, key: object | None) -> tuple[int | None, str | None]:
        # Both hooks fall back to the mapping's own place for a key it lacks (a missing title is reported at its
        # practice's line, or at the empty cell of the spreadsheet row that should have held it).
        line: int | None = None
        cell: str | None = None
        line_of = getattr(data, "line_of", None)
        if callable(line_of):
            raw = line_of(key)
            line = raw if isinstance(raw, int) and raw > 0 else None
        cell_of = getattr(data, "cell_of", None)
        if callable(cell_of):
            raw_cell = cell_of(key)
            cell = raw_cell if isinstance(raw_cell, str) and raw_cell else None
        return line, cell

    def problem(self, data: object, key: object | None, path: str, message: str) -> None:
        line, cell = self.where(data, key)
        self.problems.append(Problem(self.source, path, message, line, cell))

    def fields(self, data: Mapping[Any, Any], allowed: Sequence[str], path: str) -> None:
        for key in data:
            if key not in allowed:
                self.problem(data, key, path, f"unknown field {show(key)}; expected one of: {', '.join(allowed)}")

    def mapping(self, raw: object, parent: object, key: str, path: str, what: str) -> Mapping[Any, Any] | None:
        """`raw` as a mapping; otherwise a problem located at the list (`parent[key]`) that holds it."""
        if isinstance(raw, Mapping):
            return raw
        self.problem(parent, key, path, f"{what} must be a mapping of fields, found {show(raw)}")
        return None

    def required_items(self, data: Mapping[Any, Any], key: str, path: str, need: str) -> list[object]:
        """A list that must hold at least one entry; reports a missing, empty or non-list value once."""
        value = data.get(key)
        if value is None:
            self.problem(data, None if key not in data else key, path, f"'{key}' is missing ({need})")
            return []
        if isinstance(value, list | tuple) and not value:
            self.problem(data, key, path, f"'{key}' is empty ({need})")
            return []
        return self.items(data, key, path)

    def items(self, data: Mapping[Any, Any], key: str, path: str) -> list[object]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            self.problem(data, key, path, f"'{key}' must be a list, found {show(value)}")
            return []
        return list(value)

    def text(self, data: Mapping[Any, Any], key: str, path: str, *, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(data, key, path, f"'{key}' is empty" if has_key(data, key) else f"'{key}' is missing")
            return None
        if not isinstance(value, str):
            self.problem(data, key, path, f"'{key}' must be text (put it in quotes), found {show(value)}")
            return None
        if not value.strip():
            self.problem(data, key, path, f"'{key}' is empty")
            return None
        return value

    def ident(self, data: Mapping[Any, Any], key: str, path: str, pattern: re.Pattern[str]) -> str | None:
        value = self.text(data, key, path, required=True)
        if value is not None and not pattern.match(value):
            self.problem(
                data, key, path, f"'{key}' {show(value)} may hold only letters, digits and . _ - + (and : in IDs)"
            )
            return None
        return value

    def flag(self, data: Mapping[Any, Any], key: str, path: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.problem(data, key, path, f"'{key}' must be true or false, found {show(value)}")
            return False
        return value

    def level(self, data: Mapping[Any, Any], key: str, path: str, lo: int, hi: int) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            self.problem(data, key, path, f"'{key}' must be a whole number from {lo} to {hi}, found {show(value)}")
            return None
        return int(value)


def has_key(data: Mapping[Any, Any], key: object) -> bool:
    try:
        return key in data
    except TypeError:
        return False


class Seen:
    """Codes already used in one scope, remembering where each first stood for the duplicate message."""

    def __init__(self, reader: LocatedReader, what: str) -> None:
        self.reader = reader
        self.what = what
        self.first: dict[str, str] = {}

    def add(self, code: str | None, data: Mapping[Any, Any], key: str, path: str) -> None:
        if code is None:
            return
        line, cell = self.reader.where(data, key)
        here = f"line {line}" if line else cell or ""
        if code in self.first:
            before = self.first[code]
            self.reader.problem(
                data, key, path, f"duplicate {self.what} {code!r}" + (f" (first at {before})" if before else "")
            )
        else:
            self.first[code] = here
