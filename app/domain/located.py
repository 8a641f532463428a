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
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a user's file, with where it is: file, item path, and line or cell when known."""

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


def where(data: object, key: object | None) -> tuple[int | None, str | None]:
    """(line, cell) of `key` in `data`, or of `data` itself for a key it lacks (None where unknown).

    A missing title is so reported at its practice's line, or at the empty cell of the spreadsheet row that
    should have held it.
    """
    line: int | None = None
    cell: str | None = None
    line_of = getattr(data, "line_of", None)
    if callable(line_of):
        raw = line_of(key) if key is not None else getattr(data, "line", 0)
        line = raw if isinstance(raw, int) and raw > 0 else None
    cell_of = getattr(data, "cell_of", None)
    if callable(cell_of):
        raw_cell = cell_of(key)
        cell = raw_cell if isinstance(raw_cell, str) and raw_cell else None
    return line, cell


# --- the rules for a value of each kind: None when it is fine, else what is wrong (without the field's name,
# which the caller puts where its format names fields) --------------------------------------------------------


def not_text(value: object) -> str | None:
    """Numbers are refused rather than turned into text: YAML reads 1.10 as 1.1 and 0042 as 42."""
    return None if isinstance(value, str) else f"must be text (put it in quotes), found {show(value)}"


def not_flag(value: object) -> str | None:
    return None if isinstance(value, bool) else f"must be true or false, found {show(value)}"


def not_whole_number(value: object, lo: int, hi: int) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi:
        return None
    return f"must be a whole number from {lo} to {hi}, found {show(value)}"


def not_list(value: object) -> str | None:
    return None if isinstance(value, list | tuple) else f"must be a list, found {show(value)}"


def not_mapping(value: object) -> str | None:
    return None if isinstance(value, Mapping) else f"must be a mapping of fields, found {show(value)}"


def as_date(value: object) -> date | str:
    """The date, or what is wrong: YAML gives a date for 2026-11-30 unquoted, text when quoted."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    return f"must be a date written YYYY-MM-DD, found {show(value)}"


@dataclass
class LocatedReader:
    """Collects every problem instead of stopping at the first, so a file gets fixed in one pass."""

    source: str
    problems: list[Problem] = field(default_factory=list)

    def where(self, data: object, key: object | None) -> tuple[int | None, str | None]:
        return where(data, key)

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
        self.problem(parent, key, path, f"{what} {not_mapping(raw)}")
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
        wrong = not_list(value)
        if wrong:
            self.problem(data, key, path, f"'{key}' {wrong}")
            return []
        return list(value)

    def text(self, data: Mapping[Any, Any], key: str, path: str, *, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(data, key, path, f"'{key}' is empty" if has_key(data, key) else f"'{key}' is missing")
            return None
        wrong = not_text(value)
        if wrong or not isinstance(value, str):
            self.problem(data, key, path, f"'{key}' {wrong}")
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
        wrong = not_flag(value)
        if wrong:
            self.problem(data, key, path, f"'{key}' {wrong}")
            return False
        return bool(value)

    def level(self, data: Mapping[Any, Any], key: str, path: str, lo: int, hi: int) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        wrong = not_whole_number(value, lo, hi)
        if wrong or not isinstance(value, int):
            self.problem(data, key, path, f"'{key}' {wrong}")
            return None
        return value


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
