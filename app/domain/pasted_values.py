"""Reading characterization values pasted from a spreadsheet: a block of tab-separated cells, each a value
code ("FI"), its one-letter key ("F") or its label ("Fully Implemented"), any case; blank leaves a cell as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.rating.scales import Scale, Value


@dataclass(frozen=True, slots=True)
class PastedCell:
    row: int
    column: int
    text: str
    value: Value | None
    """None for a blank cell (left unchanged) or a text that is not a value (see `problem`)."""
    problem: str = ""


def split_block(text: str) -> list[list[str]]:
    """Rows of cells as a spreadsheet copies them: lines of tab-separated texts, without the final newline."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return [line.split("\t") for line in lines]


def read_value(scale: Scale, text: str) -> Value | None:
    """The value a pasted text names, or None when it names none."""
    wanted = text.strip().upper()
    for info in scale.infos:
        if wanted in (info.value, info.key, info.label.upper()):
            return info.value
    return None


def read_block(scale: Scale, text: str) -> list[PastedCell]:
    """Every non-blank cell of the block with its value, or a problem saying why it is not one."""
    cells: list[PastedCell] = []
    accepted = ", ".join(f"{i.value} ({i.key})" for i in scale.infos)
    for r, row in enumerate(split_block(text)):
        for c, raw in enumerate(row):
            if not raw.strip():
                continue
            value = read_value(scale, raw)
            problem = "" if value is not None else f"“{raw.strip()}” is not a value of the scale: use {accepted}"
            cells.append(PastedCell(r, c, raw.strip(), value, problem))
    return cells
