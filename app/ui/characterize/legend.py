"""The key under the grid: what each colour and mark means, and which keys set values."""

from __future__ import annotations

from html import escape

from app.domain.palette import JUDGMENT_COLOUR, REVIEW_COLOUR, VALUE_COLOURS, text_colour
from app.domain.rating.scales import Scale

PROBLEM_COLOUR = "#c62828"


def _chip(text: str, fill: str) -> str:
    return f'<span style="background-color:{fill}; color:{text_colour(fill)};">&nbsp;<b>{escape(text)}</b>&nbsp;</span>'


def legend_html(scale: Scale) -> str:
    values = " ".join(
        _chip(f"{info.key}  {info.value}", VALUE_COLOURS.get(info.value.value, "#eceff1")) for info in scale.infos
    )
    # A mark is bound to the first word of what it means (&nbsp;): a narrow window never leaves it alone at
    # the end of a line.
    marks = (
        f'<span style="color:{REVIEW_COLOUR};">◥</span>&nbsp;marked for review &nbsp; '
        f'<span style="color:{PROBLEM_COLOUR};">◤</span>&nbsp;value breaks a rule (not counted until fixed) &nbsp; '
        "●&nbsp;tool proposes another value &nbsp; "
        f'<span style="color:{JUDGMENT_COLOUR};">▢</span>&nbsp;team&nbsp;judgment &nbsp; '
        "2/1&nbsp;= adequate artifacts / affirmations"
    )
    keys = "Del clears · Enter opens · R re-confirms a stale decision (OU) · Ctrl+M marks for review · Ctrl+Z undoes"
    return f"{values} &nbsp; {marks}<br>{escape(keys)}"
