"""The capability profile as a PNG picture, for the Word report (the PDF draws it with reportlab.graphics).

One row per process area: a bar up to the level reached, in the level's colour (the same colours as the
workbook, the PDF and the window), a black tick at the target, the level written beside the bar. Drawn with
Pillow at 2x so it stays sharp when printed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

from app.domain.report import ProcessAreaReport
from app.storage import workbook_layout as palette
from app.storage.resources import resources_dir

SCALE = 2
WIDTH = 900
ROW = 30
LABEL = 230
TOP, BOTTOM = 16, 54
INK = (38, 50, 56)
MUTED = (95, 99, 104)
RULE = (207, 216, 220)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(resources_dir() / "fonts" / name), size * SCALE)


def profile_png(areas: Sequence[ProcessAreaReport], max_level: int = 3) -> bytes:
    """The picture's PNG bytes (about 900 x (30 per area + 70) points, drawn at twice that)."""
    top = max(
        max_level, *(pa.capability_level or 0 for pa in areas), *(pa.target_capability_level or 0 for pa in areas)
    )
    height = TOP + ROW * max(len(areas), 1) + BOTTOM
    image = Image.new("RGB", (WIDTH * SCALE, height * SCALE), "white")
    draw = ImageDraw.Draw(image)
    small, label = _font(11), _font(12)
    left, right = LABEL, WIDTH - 90
    per_level = (right - left) / max(top, 1)

    def s(value: float) -> int:
        return round(value * SCALE)

    for level in range(top + 1):
        x = left + level * per_level
        draw.line([(s(x), s(TOP)), (s(x), s(TOP + ROW * len(areas)))], fill=RULE, width=SCALE)
        draw.text((s(x), s(TOP + ROW * len(areas) + 4)), f"CL{level}", fill=MUTED, font=small, anchor="ma")
    not_rated = _rgb(palette.GOAL_COLOURS["Not Rated"])
    for n, pa in enumerate(areas):
        y = TOP + n * ROW
        centre = y + ROW / 2
        name = f"{pa.pa} {pa.name}"
        while draw.textlength(name, font=label) > s(LABEL - 12) and len(name) > 4:
            name = name[:-2] + "…"
        draw.text((s(LABEL - 8), s(centre)), name, fill=INK, font=label, anchor="rm")
        reached = pa.capability_level
        colour = _rgb(palette.CAPABILITY_COLOURS.get(reached, "9e9e9e")) if reached is not None else not_rated
        end = left + (reached or 0.06) * per_level  # a sliver for CL0 and Not Rated, in their colour
        draw.rectangle([(s(left), s(y + ROW * 0.2)), (s(end), s(y + ROW * 0.8))], fill=colour)
        draw.text((s(end + 6), s(centre)), pa.capability_text, fill=MUTED, font=small, anchor="lm")
        if pa.target_capability_level is not None:
            x = left + pa.target_capability_level * per_level
            draw.line([(s(x), s(y + ROW * 0.08)), (s(x), s(y + ROW * 0.92))], fill=INK, width=3 * SCALE)
    legend_y = height - 18
    x = left
    for level in range(top + 1):
        colour = _rgb(palette.CAPABILITY_COLOURS.get(level, "9e9e9e"))
        draw.rectangle([(s(x), s(legend_y - 5)), (s(x + 10), s(legend_y + 5))], fill=colour)
        draw.text((s(x + 14), s(legend_y)), f"CL{level}", fill=INK, font=small, anchor="lm")
        x += 60
    draw.line([(s(x + 10), s(legend_y - 7)), (s(x + 10), s(legend_y + 7))], fill=INK, width=3 * SCALE)
    draw.text((s(x + 18), s(legend_y)), "target", fill=INK, font=small, anchor="lm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
