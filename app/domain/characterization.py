"""A characterization cell's state: what the team recorded for one practice in one unit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CellState:
    """The value (None: not characterized yet), the texts behind it, and the team's marks on it."""

    value: str | None = None
    strengths: str = ""
    weaknesses: str = ""
    notes: str = ""
    consensus: bool = False
    review_flag: bool = False
    review_comment: str = ""
