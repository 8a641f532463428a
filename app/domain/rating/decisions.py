"""What a team decision was made on, so a decision that no longer fits its inputs is seen as stale.

A practice's OU decision rests on its instantiation values and weaknesses; a goal decision on its practices'
OU values and the weaknesses recorded under them (method-rules §3 tool implications). Both are written as
compact JSON, stored with the decision and compared as text: any change, in any unit or practice, makes the
decision stale.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.domain.rating.results import InstantiationResult, PracticeResult


@lru_cache(maxsize=65_536)
def weakness_digest(text: str) -> str:
    """A weakness as it is kept in a decision's inputs: a digest, never the text (texts may name people, and
    decisions travel in mini-team packages)."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:16]


def _dump(data: dict[str, list[list[str | None]]]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=65_536)
def _pair(first: str, second: str | None) -> str:
    """One [unit, value] or [unit, digest] entry as `_dump` writes it inside its list."""
    return json.dumps([first, second], ensure_ascii=False, separators=(",", ":"))


def practice_inputs(instantiations: Sequence[InstantiationResult]) -> str:
    """The instantiation values, unit by unit in plan order (null where a cell is empty), and the weaknesses
    (how significant they are is what a judgment among LI, PI and NI weighs).

    The text `_dump` gives for {"values": [[unit, value], ...], "weaknesses": [[unit, digest], ...]}, put together
    from its entries: a full rating writes this for every practice the team decided, and the same few entries
    (a unit and a value) recur in all of them.
    """
    values = ",".join([_pair(i.unit, i.value) for i in instantiations])
    weak = ",".join([_pair(i.unit, weakness_digest(i.weakness)) for i in instantiations if i.weakness.strip()])
    return '{"values":[' + values + '],"weaknesses":[' + weak + "]}"


def goal_inputs(practices: Sequence[PracticeResult]) -> str:
    """The practices' OU values and every weakness recorded under them."""
    return _dump(
        {
            "ou": [[p.code, p.ou] for p in practices],
            "weaknesses": [
                [p.code, i.unit, weakness_digest(i.weakness)]
                for p in practices
                for i in p.instantiations
                if i.weakness.strip()
            ],
        }
    )


def _entries(inputs: str | None) -> dict[str, list[str]]:
    if inputs is None:
        return {}
    try:
        data = json.loads(inputs)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    found: dict[str, list[str]] = {}
    for kind, rows in data.items():
        if isinstance(rows, list):
            found[str(kind)] = [" ".join(str(x) if x is not None else "-" for x in row) for row in rows]
    return found


def what_changed(recorded: str | None, current: str) -> str:
    """Plain words for the difference between the inputs a decision was made on and today's."""
    if recorded is None:
        return "it was recorded before the tool kept the values a decision rests on"
    before, now = _entries(recorded), _entries(current)
    labels = {"values": "values", "ou": "OU values", "weaknesses": "weaknesses"}
    parts = []
    for kind, label in labels.items():
        old, new = before.get(kind, []), now.get(kind, [])
        if kind == "weaknesses" and old != new:
            # Digests say which weaknesses changed, not how: name the practice and unit.
            where = sorted({" ".join(x.split()[:-1]) for x in set(old) ^ set(new)})
            parts.append(f"{label} changed ({', '.join(where)})")
            continue
        if old != new:
            gone = [x for x in old if x not in new]
            came = [x for x in new if x not in old]
            detail = "; ".join(
                ([f"was {', '.join(gone)}"] if gone else []) + ([f"now {', '.join(came)}"] if came else [])
            )
            parts.append(f"{label} changed ({detail})" if detail else f"{label} changed")
    return "; ".join(parts) if parts else "its inputs changed"
