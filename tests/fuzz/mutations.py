"""Hypothesis strategies that break valid documents the ways people and tools do: a key dropped, renamed or
misspelt, a value of the wrong type, a list entry repeated or lost, text where a number belongs."""

from __future__ import annotations

import copy
import os
from typing import Any

from hypothesis import strategies as st

# Values of every type a YAML file can hold, including the awkward ones.
JUNK: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(["", " ", "yes", "no", "null", "~", "1.10", "2026-02-30", "CL2", "GG2", "SP1.1", "é漢🙂", "\t"])
    | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place inside `data` (dict keys and list indexes), the root included."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(_paths(value, (*prefix, index)))
    return found


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


@st.composite
def mutated(draw: st.DrawFn, valid: Any, max_mutations: int = 4) -> Any:
    """`valid` after 1..max_mutations random damaging edits."""
    data = copy.deepcopy(valid)
    for _ in range(draw(st.integers(1, max_mutations))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        if not path:
            data = draw(JUNK) if draw(st.integers(0, 9)) == 0 else data
            continue
        parent = _get(data, path[:-1])
        step = path[-1]
        action = draw(st.sampled_from(["replace", "delete", "rename", "duplicate", "wrap"]))
        if action == "replace":
            parent[step] = draw(JUNK)
        elif action == "delete":
            del parent[step]
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12)) + str(step)[:3]] = parent.pop(step)
        elif action == "duplicate" and isinstance(parent, list):
            parent.insert(step, copy.deepcopy(parent[step]))
        elif action == "wrap":
            parent[step] = [parent[step]] if draw(st.booleans()) else {"value": parent[step]}
    return data


def examples(n: int) -> int:
    """`n` examples, times APPRAISAL_DESK_FUZZ_SCALE for a longer hunt (e.g. 50 overnight); CI runs n."""
    return max(1, int(n * float(os.environ.get("APPRAISAL_DESK_FUZZ_SCALE", "1"))))
