"""Words, not codes: every rule name has a user sentence, and reasons read without their codes."""

from __future__ import annotations

import re

import pytest

from app.domain.rating import rules
from app.domain.rating.rule_types import Rule
from app.domain.rating.wording import RULES, in_words, sentence


def test_every_rule_of_the_engine_has_a_sentence_that_is_not_a_code() -> None:
    defined = [r for r in vars(rules).values() if isinstance(r, Rule)]
    assert defined and set(RULES) == {r.name for r in defined}
    for rule in defined:
        assert sentence(rule.name) == rule.text
        assert not re.fullmatch(r"[A-Z0-9_]+", rule.text), f"{rule.name} has no sentence"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("GOAL_R3_SATISFIED: every practice is FI or LI", "every practice is FI or LI"),
        ("FI proposed (PROPOSE_FULL): artifact and affirmation.", "FI proposed: artifact and affirmation."),
        ("LI recorded (ROLLUP_V13_ANY_PI_OR_NI: never FI).", "LI recorded (never FI)."),
        (
            "SP1.1 awaits the team's judgment among LI, PI (ROLLUP_V13_ANY_PI_OR_NI)",
            "SP1.1 awaits the team's judgment among LI, PI",
        ),
        ("plain words stay as they are", "plain words stay as they are"),
    ],
)
def test_reasons_read_without_their_rule_codes(text: str, words: str) -> None:
    assert in_words(text) == words


def test_a_bare_rule_name_is_spelled_out() -> None:
    name = rules.SUFFICIENCY_ARTIFACT.name
    assert (
        in_words(f"which {name} asks for") == f"which the rule “{rules.SUFFICIENCY_ARTIFACT.text.rstrip('.')}” asks for"
    )
    assert name not in in_words(f"see {name}")
