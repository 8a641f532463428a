"""Words, not codes: every rule name the engine writes into its reasons ("GOAL_R3_SATISFIED: …",
"FI proposed (PROPOSE_FULL): …") read as the user's sentence. The names stay in the JSON, the logs and the
tooltips, where they identify the rule; on screen a person reads what the rule says.
"""

from __future__ import annotations

import re
from functools import cache

from app.domain.rating import rules
from app.domain.rating.rule_types import Rule

RULES: dict[str, Rule] = {r.name: r for r in vars(rules).values() if isinstance(r, Rule)}
"""Every rule by its name: one sentence each (`Rule.text`)."""


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The rule names in brackets, leading in brackets, leading, and bare: compiled when first needed (a tenth
    of the rating package's import time went to compiling them for a window that may not show a reason)."""
    names = "|".join(sorted((re.escape(n) for n in RULES), key=len, reverse=True))
    return (
        re.compile(rf"\s*\((?:{names})\)"),
        re.compile(rf"\((?:{names}):\s*"),
        re.compile(rf"\b(?:{names}):\s*"),
        re.compile(rf"\b(?:{names})\b"),
    )


def sentence(name: str) -> str:
    """The user's sentence for a rule name (the name itself for one this version does not know)."""
    found = RULES.get(name)
    return found.text if found else name


def in_words(text: str) -> str:
    """The text with its rule names taken out where a sentence already follows, and spelled out elsewhere."""
    in_brackets, leading_in_brackets, leading, bare = _patterns()
    text = in_brackets.sub("", text)
    text = leading_in_brackets.sub("(", text)
    text = leading.sub("", text)
    return bare.sub(lambda m: f"the rule “{sentence(m.group(0)).rstrip('.')}”", text)
