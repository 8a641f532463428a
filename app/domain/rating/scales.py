"""Characterization scales (SCAMPI v1.3 and CMMI V2.0/V3.0) and the goal-rating scale.

Rule tables are written against `Grade` (what a value means), so one table shape serves both scales; the
letters the team types and sees come from the scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Grade(StrEnum):
    """The meaning of a characterization value, shared by both scales."""

    FULL = "full"
    LARGE = "large"
    PARTIAL = "partial"
    NOT_MET = "not met"
    NOT_YET = "not yet"
    NOT_CHARACTERIZED = "not characterized"
    """V2.0/V3.0 NC: insufficient evidence or no consensus. An empty cell is `None`, not this."""


class V13Value(StrEnum):
    FI = "FI"
    LI = "LI"
    PI = "PI"
    NI = "NI"
    NY = "NY"


class V2Value(StrEnum):
    FM = "FM"
    LM = "LM"
    PM = "PM"
    DM = "DM"
    NY = "NY"
    NC = "NC"


Value = V13Value | V2Value


@dataclass(frozen=True, slots=True)
class ValueInfo:
    """One value of a characterization scale: its key, label and meaning."""

    value: Value
    key: str
    """The one letter typed to enter the value."""
    label: str
    grade: Grade


_INFO: dict[str, tuple[ValueInfo, ...]] = {
    "v1.3": (
        ValueInfo(V13Value.FI, "F", "Fully Implemented", Grade.FULL),
        ValueInfo(V13Value.LI, "L", "Largely Implemented", Grade.LARGE),
        ValueInfo(V13Value.PI, "P", "Partially Implemented", Grade.PARTIAL),
        ValueInfo(V13Value.NI, "N", "Not Implemented", Grade.NOT_MET),
        ValueInfo(V13Value.NY, "Y", "Not Yet", Grade.NOT_YET),
    ),
    "v2": (
        ValueInfo(V2Value.FM, "F", "Fully Meets", Grade.FULL),
        ValueInfo(V2Value.LM, "L", "Largely Meets", Grade.LARGE),
        ValueInfo(V2Value.PM, "P", "Partially Meets", Grade.PARTIAL),
        ValueInfo(V2Value.DM, "D", "Does Not Meet", Grade.NOT_MET),
        ValueInfo(V2Value.NY, "Y", "Not Yet", Grade.NOT_YET),
        ValueInfo(V2Value.NC, "C", "Not Characterized", Grade.NOT_CHARACTERIZED),
    ),
}


class Scale(StrEnum):
    """A characterization scale; the string is what the appraisal file stores."""

    V13 = "v1.3"
    V2 = "v2"

    @property
    def display_name(self) -> str:
        return "SCAMPI v1.3" if self is Scale.V13 else "CMMI V2.0/V3.0"

    @property
    def infos(self) -> tuple[ValueInfo, ...]:
        return _INFO[self.value]

    @property
    def values(self) -> tuple[Value, ...]:
        """The values in display order (strongest first, then NY, then NC)."""
        return tuple(info.value for info in self.infos)

    def info(self, value: str) -> ValueInfo:
        found = _BY_VALUE.get((self, value))
        if found is not None:
            return found
        raise ValueError(f"{value!r} is not a value of the {self.display_name} scale ({', '.join(self.values)}).")

    def parse(self, text: str) -> Value:
        """The scale's own member for a value code ("fi", "FI" or another scale's NY); ValueError if unknown."""
        return self.info(text.strip().upper()).value

    def from_key(self, key: str) -> Value | None:
        """The value typed with one key (F, L, P, N, Y on v1.3; F, L, P, D, Y, C on V2/V3), if any."""
        for info in self.infos:
            if info.key == key.strip().upper():
                return info.value
        return None

    def grade(self, value: str) -> Grade:
        return self.info(value).grade

    def label(self, value: str) -> str:
        return self.info(value).label

    def order(self, value: str) -> int:
        """Position in display order, for sorting."""
        return self.values.index(self.parse(value))

    def value_for(self, grade: Grade) -> Value:
        for info in self.infos:
            if info.grade is grade:
                return info.value
        raise ValueError(f"The {self.display_name} scale has no value meaning {grade.value!r}.")


# (scale, value code) -> its info: the engine asks this for every cell, several times.
_BY_VALUE: dict[tuple[str, str], ValueInfo] = {
    (scale, info.value.value): info for scale, infos in _INFO.items() for info in infos
}


class GoalRating(StrEnum):
    SATISFIED = "Satisfied"
    UNSATISFIED = "Unsatisfied"
    NOT_RATED = "Not Rated"
    NOT_APPLICABLE = "Not Applicable"
