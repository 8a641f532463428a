"""The three-way merge of a mini-team package back into the lead's appraisal, on plain snapshots.

A snapshot maps an item key ("characterization:12:40:3", "finding:7", …) to the item's fields. `base` is the
state the package started from, `lead` the lead's file now, `package` the package now, all keyed in the
package's terms. Per field: what only the package changed is taken; what only the lead changed stays; what
both changed to different values is a conflict. An item the package added is added; one it deleted is deleted
unless the lead changed it meanwhile (then a conflict about the whole item, field `RECORD`). Kinds named in
`defaults` have no identity of their own (a cell, a decision): an absent one is the same as its default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

Value = str | int | float | bool | None | list[object]
Record = Mapping[str, Value]
Snapshot = Mapping[str, Record]

RECORD = "*"
"""The field of a change about a whole item: its addition, its deletion, or a delete/edit conflict."""


class Side(Enum):
    LEAD = "lead"
    PACKAGE = "package"


def kind_of(key: str) -> str:
    return key.split(":", 1)[0]


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field (or, with field RECORD, one whole item) where the package differs from the base and the lead."""

    key: str
    field: str
    base: Value | Record
    lead: Value | Record
    package: Value | Record
    conflict: bool

    @property
    def ident(self) -> str:
        return f"{self.key}#{self.field}"


def _resolved(record: Record | None, default: Record | None) -> Record | None:
    if record is None:
        return default
    if default is None:
        return record
    return {**default, **record}


def three_way(
    base: Snapshot, lead: Snapshot, package: Snapshot, defaults: Mapping[str, Record]
) -> tuple[FieldChange, ...]:
    """Every change the package brings, conflicts marked; keys in sorted order, fields in record order."""
    changes: list[FieldChange] = []
    for key in sorted(set(base) | set(package)):
        default = defaults.get(kind_of(key))
        b = _resolved(base.get(key), default)
        p = _resolved(package.get(key), default)
        if p == b:
            continue
        lead_record = _resolved(lead.get(key), default)
        if lead_record == p:
            continue
        if b is None:
            changes.append(FieldChange(key, RECORD, None, lead_record, p, conflict=lead_record is not None))
            continue
        if p is None:
            changes.append(FieldChange(key, RECORD, b, lead_record, None, conflict=lead_record != b))
            continue
        if lead_record is None:
            changes.append(FieldChange(key, RECORD, b, None, p, conflict=True))
            continue
        for name in p:
            bf, lf, pf = b.get(name), lead_record.get(name), p[name]
            if pf == bf or lf == pf:
                continue
            changes.append(FieldChange(key, name, bf, lf, pf, conflict=lf != bf))
    return tuple(changes)


def side_of(change: FieldChange, take: Mapping[str, Side]) -> Side:
    """Who wins `change`: `take` decides per change ident; undecided, a change is taken and a conflict keeps the
    lead's value."""
    return take.get(change.ident, Side.LEAD if change.conflict else Side.PACKAGE)


def winners(changes: tuple[FieldChange, ...], take: Mapping[str, Side]) -> tuple[FieldChange, ...]:
    """The changes to write: those whose side (see `side_of`) is the package's."""
    return tuple(c for c in changes if side_of(c, take) is Side.PACKAGE)
