"""The rule registry: names are unique and stable, UNVERIFIED rules say so, and every rule has a test."""

from __future__ import annotations

from pathlib import Path

from app.domain.rating import rules
from app.domain.rating.rules import ALL_RULES


def test_every_rule_is_registered_under_its_own_name() -> None:
    names = [rule.name for rule in ALL_RULES]
    assert len(names) == len(set(names))
    for rule in ALL_RULES:
        assert getattr(rules, rule.name) is rule


def test_rules_from_unverified_reconstructions_are_marked() -> None:
    marked = {rule.name for rule in ALL_RULES if rule.unverified}
    assert {"ROLLUP_V13_ALL_FI_OR_NY", "ROLLUP_V13_ANY_PI_OR_NI", "CL_NOT_RATED", "EQUIV_ML2", "EQUIV_ML3"} <= marked
    assert "EQUIV_ML4" not in marked  # verified in S-DEV13 p.64
    assert "ROLLUP_V2_ALL_FM_OR_NY" not in marked  # verified V3.0 table
    for rule in ALL_RULES:
        if rule.unverified:
            assert "UNVERIFIED" in rule.source, rule.name


def test_every_rule_is_named_in_a_test() -> None:
    here = Path(__file__).parent
    text = "\n".join(p.read_text(encoding="utf-8") for p in here.glob("test_*.py") if p.name != Path(__file__).name)
    assert [rule.name for rule in ALL_RULES if rule.name not in text] == []
