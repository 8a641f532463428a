"""Naming a place in the model the way people type it: "IRP SP3.1", "SP 3.1", "ESP1.4", "RSKM", "IRP SG3",
"CERT-RMM MON:SG1.SP1", "mon sg1.sp1", "CMMI-SVC RSKM".

A query and every place are reduced to one spelling (upper case, no spaces or separators except the dot) and
compared: an exact spelling first, then places whose spelling starts with the query. A bare code ("SP1.1")
matches that practice in every process area; naming the process area (or the model too) narrows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

_NOISE = re.compile(r"[^0-9A-Z.]")
_MAX_HITS = 12


class PlaceKind(StrEnum):
    PROCESS_AREA = "process area"
    GOAL = "goal"
    PRACTICE = "practice"


@dataclass(frozen=True, slots=True)
class Place:
    """A process area, goal or practice the appraisal rates."""

    kind: PlaceKind
    model: str
    pa: str
    goal: str = ""
    practice: str = ""
    title: str = ""

    @property
    def code(self) -> str:
        """The goal or practice code without its PA prefix ("SG1.SP1" for "MON:SG1.SP1"); the PA for a PA."""
        own = self.practice or self.goal
        if not own:
            return self.pa
        prefix = f"{self.pa}:"
        return own[len(prefix) :] if own.startswith(prefix) else own

    @property
    def label(self) -> str:
        """How the user reads it: "CMMI-SVC IRP SP3.1", "SM ESP1.4" (the SM pseudo PA shares its model's name)."""
        where = self.model if self.pa == self.model else f"{self.model} {self.pa}"
        return where if self.kind is PlaceKind.PROCESS_AREA else f"{where} {self.code}"


def spelling(text: str) -> str:
    """One spelling for comparison: "irp sp 3.1" and "IRP:SP3.1" both become "IRPSP3.1"."""
    return _NOISE.sub("", text.upper())


def _model_names(model: str) -> tuple[str, ...]:
    # "CMMI-SVC" is also typed "CMMI" or "SVC"; "CERT-RMM" as "CERT" or "RMM".
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", model) if p]
    return tuple(dict.fromkeys([model, *parts]))


def spellings(place: Place) -> tuple[str, ...]:
    """Every way of naming the place that the query may match, most specific last."""
    codes = [place.pa] if place.kind is PlaceKind.PROCESS_AREA else [place.code, f"{place.pa} {place.code}"]
    names = list(codes)
    for model in _model_names(place.model):
        names.extend(f"{model} {code}" for code in codes)
        if place.pa == place.model and place.kind is not PlaceKind.PROCESS_AREA:
            names.append(f"{model} {place.pa} {place.code}")
    return tuple(dict.fromkeys(spelling(n) for n in names))


def find_places(query: str, places: Iterable[Place], limit: int = _MAX_HITS) -> list[Place]:
    """The places the query names: exact spellings first (in the given order), then spellings it starts."""
    wanted = spelling(query)
    if len(wanted) < 2 or not any(c.isalpha() for c in wanted):
        return []
    exact: list[Place] = []
    starts: list[Place] = []
    for place in places:
        names = spellings(place)
        if wanted in names:
            exact.append(place)
        elif any(name.startswith(wanted) for name in names):
            starts.append(place)
    if exact:
        return exact[:limit]
    return _closest_first(starts, wanted)[:limit]


def _closest_first(places: Sequence[Place], wanted: str) -> list[Place]:
    # Among prefix matches, the shortest completion is what was meant: "IRP SG3" before "IRP SG3 SP3.1".
    def extra(place: Place) -> int:
        return min(len(n) - len(wanted) for n in spellings(place) if n.startswith(wanted))

    return sorted(places, key=extra)
