"""The practice-characterization workbook's layout, shared by its writer and its reader (docs/workbook-format.md).

One place says which sheets exist, where the header row is, which columns a process-area sheet has and which
of them an import reads back, so the two sides cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.domain import palette

FORMAT_NAME = "appraisal-desk-workbook"
FORMAT_VERSION = 1

SUMMARY = "Summary"
COVERAGE = "Coverage"
FINDINGS = "Findings"
MANIFEST = "_appraisal_desk"
"""The hidden, protected sheet that records what was exported (identity, each cell's exported state)."""
RESERVED = frozenset({SUMMARY.casefold(), COVERAGE.casefold(), FINDINGS.casefold(), MANIFEST.casefold()})

MARKING_ROW = 1
TITLE_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = 4

OU_LABEL = "(organizational unit)"
"""The Unit column of a practice's organizational-unit row."""

TEAM_COLUMNS: tuple[str, ...] = (
    "Goal",
    "Practice",
    "Title",
    "Unit",
    "Artifacts",
    "Affirmation sources",
    "Weaknesses",
    "Strengths",
    "Notes",
    "Proposed",
    "Characterization",
    "OU characterization",
    "Goal rating",
)
SPONSOR_COLUMNS: tuple[str, ...] = ("Goal", "Practice", "Title", "OU characterization", "Goal rating")

KEY_COLUMNS = ("Goal", "Practice", "Unit")
"""What identifies a row of a team sheet; rows may be sorted or filtered, never re-keyed."""
EDITABLE_COLUMNS: dict[str, str] = {
    "Characterization": "value",
    "Weaknesses": "weaknesses",
    "Strengths": "strengths",
    "Notes": "notes",
}
"""Columns an import reads back, and the cell field each one sets."""
FIELDS = ("value", "weaknesses", "strengths", "notes")

TEAM_WIDTHS = (8, 12, 34, 24, 38, 14, 40, 30, 30, 11, 15, 15, 13)
SPONSOR_WIDTHS = (10, 14, 60, 20, 16)

MANIFEST_COLUMNS: tuple[str, ...] = ("sheet", "goal", "practice", "unit", "state")
"""The cell table of the manifest; "state" packs what was exported (see `pack_state`)."""
EMPTY_DIGEST = "-"


def pack_state(value: str | None, digests: tuple[str, str, str], updated_at: str) -> str:
    """ "FI|<weaknesses digest>|<strengths digest>|<notes digest>|<updated at>": one cell instead of five keeps
    the hidden sheet small (it has a row per instantiation); an empty text's digest is written "-"."""
    return "|".join((value or "", *digests, updated_at))


def unpack_state(text: str) -> tuple[str | None, tuple[str, str, str], str] | None:
    """The parts of a packed state, or None when it is not one."""
    parts = text.split("|")
    if len(parts) != 5:
        return None
    value, weaknesses, strengths, notes, updated_at = parts
    return value or None, (weaknesses, strengths, notes), updated_at


# The rating palette (app/domain/palette.py) as openpyxl wants colours: "rrggbb", without the "#".
def _bare(colour: str) -> str:
    return colour.removeprefix("#")


VALUE_COLOURS: dict[str, str] = {code: _bare(c) for code, c in palette.VALUE_COLOURS.items()}
GOAL_COLOURS: dict[str, str] = {rating: _bare(c) for rating, c in palette.GOAL_COLOURS.items()}
CAPABILITY_COLOURS: dict[int, str] = {level: _bare(c) for level, c in palette.CAPABILITY_COLOURS.items()}
HEADER_FILL = _bare(palette.HEADER_FILL)
OU_ROW_FILL = _bare(palette.OU_ROW_FILL)
MARKING_COLOUR = _bare(palette.MARKING_COLOUR)


def text_colour(fill: str) -> str:
    """Black or white, whichever reads better on `fill` ("rrggbb")."""
    return _bare(palette.text_colour("#" + fill))


_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
MAX_TITLE = 31


def pa_sheet_titles(keys: Sequence[tuple[str, str]]) -> list[str]:
    """A sheet name per (model, PA): the acronym, or "MODEL PA" where two models share it; unique and legal."""
    counts: dict[str, int] = {}
    for _model, pa in keys:
        counts[pa.casefold()] = counts.get(pa.casefold(), 0) + 1
    titles: list[str] = []
    taken = set(RESERVED)
    for model, pa in keys:
        base = pa if counts[pa.casefold()] == 1 and pa.casefold() not in RESERVED else f"{model} {pa}"
        base = _BAD_TITLE.sub("-", base).strip("'")[:MAX_TITLE] or "PA"
        title, n = base, 2
        while title.casefold() in taken:
            suffix = f" ({n})"
            title = base[: MAX_TITLE - len(suffix)] + suffix
            n += 1
        taken.add(title.casefold())
        titles.append(title)
    return titles


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
