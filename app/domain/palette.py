"""The colours of characterization values, goal ratings and capability levels, as "#rrggbb".

One palette for every screen and export that shows a rating (the grid, the ratings dashboard, the Excel
workbook, the PDF summary), so the same value is painted the same way everywhere. Both characterization
scales share one colour per meaning: FI and FM are the same green.
"""

from __future__ import annotations

from typing import Final

VALUE_COLOURS: Final[dict[str, str]] = {
    # SCAMPI v1.3
    "FI": "#2e7d32",
    "LI": "#9ccc65",
    "PI": "#ffb300",
    "NI": "#d32f2f",
    "NY": "#90a4ae",
    # CMMI V2.0/V3.0
    "FM": "#2e7d32",
    "LM": "#9ccc65",
    "PM": "#ffb300",
    "DM": "#d32f2f",
    "NC": "#7e57c2",
}
"""Characterization value -> fill colour."""

GOAL_COLOURS: Final[dict[str, str]] = {
    "Satisfied": "#2e7d32",
    "Unsatisfied": "#d32f2f",
    "Not Rated": "#90a4ae",
    "Not Applicable": "#cfd8dc",
}
"""Goal (and process-area) rating -> fill colour."""

CAPABILITY_COLOURS: Final[dict[int, str]] = {
    0: "#d32f2f",
    1: "#ffb300",
    2: "#9ccc65",
    3: "#2e7d32",
}
"""Capability level -> fill colour (Not Rated uses GOAL_COLOURS["Not Rated"])."""

JUDGMENT_COLOUR: Final = "#ef6c00"
"""Outline of an organizational-unit cell that waits for the team's judgment."""

REVIEW_COLOUR: Final = "#1565c0"
"""The mark of a cell someone flagged for the team to review."""

HEADER_FILL: Final = "#37474f"
"""Header rows of exported tables."""

OU_ROW_FILL: Final = "#eceff1"
"""The organizational-unit row of an exported table."""

MARKING_COLOUR: Final = "#b3261e"
"""The handling marking ("Appraisal team only") on exports."""


def text_colour(fill: str) -> str:
    """Black or white, whichever reads better on `fill` (a "#rrggbb" colour)."""
    red, green, blue = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    # Perceived brightness (ITU-R BT.601 weights); the threshold favours dark text on mid tones.
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "#ffffff"
