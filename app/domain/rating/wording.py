"""Words, not codes: every rule name the engine writes into its reasons ("GOAL_R3_SATISFIED: …",
"FI proposed (PROPOSE_FULL): …") read as the user's sentence. The names stay in the JSON, the logs and the
tooltips, where they identify the rule; on screen a person reads what the rule says.
"""

from __future__ import annotations

import re

from app.domain.rating import rules
from app.domain.rating.rule_types import Rule

RULES: dict[str, Rule] = {r.name: r for r in vars(rules).values() if isinstance(r, Rule)}
"""Every rule by its name: one sentence each (`Rule.text`)."""

_NAMES = "|".join(sorted((re.escape(n) for n in RULES), key=len, reverse=True))
_IN_BRACKETS = re.compile(rf"\s*\((?:{_NAMES})\)")
_LEADING_IN_BRACKETS = re.compile(rf"\((?:{_NAMES}):\s*")
_LEADING = re.compile(rf"\b(?:{_NAMES}):\s*")
_BARE = re.compile(rf"\b(?:{_NAMES})\b")


def sentence(name: str) -> str:
    """The user's sentence for a rule name (the name itself for one this version does not know)."""
    found = RULES.get(name)
    return found.text if found else name


def in_words(text: str) -> str:
    """The text with its rule names taken out where a sentence already follows, and spelled out elsewhere."""
    text = _IN_BRACKETS.sub("", text)
    text = _LEADING_IN_BRACKETS.sub("(", text)
    text = _LEADING.sub("", text)
    return _BARE.sub(lambda m: f"the rule “{sentence(m.group(0)).rstrip('.')}”", text)
