"""Participants' names withheld from sponsor texts: whole words, any case, any whitespace between words."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from app.domain.report import WITHHELD_NAME, NameScrubber


def test_names_are_withheld_whole_and_in_any_case_and_spacing() -> None:
    scrub = NameScrubber(["Ann Lee", "Ann Lee-Smith", "Bo", "R&D"])
    assert scrub("ANN  lee-smith met ann\nLee; Annlee and Bo stay; the R&D team") == (
        f"{WITHHELD_NAME} met {WITHHELD_NAME}; Annlee and Bo stay; the {WITHHELD_NAME} team"
    )


_WORDS = st.sampled_from(["Ann", "Lee", "R&D", "Ops.", "Kåre", "İan", "\u212aim", "x-ray"])
_BITS = st.sampled_from(["ann", "LEE", " ", "\n", "r&d", "ops.", "kåre", "ian", "kim", "x-ray", "xray", ",", "é"])


@given(
    names=st.lists(st.lists(_WORDS, min_size=1, max_size=2).map(" ".join), max_size=5),
    text=st.lists(_BITS, max_size=14).map("".join),
)
def test_the_scrubber_withholds_exactly_what_its_full_pattern_matches(names: list[str], text: str) -> None:
    terms = sorted({" ".join(n.split()) for n in names if len(" ".join(n.split())) >= 3}, key=len, reverse=True)
    bodies = [r"\s+".join(re.escape(w) for w in t.split()) for t in terms]
    expected = re.sub(rf"(?<!\w)(?:{'|'.join(bodies)})(?!\w)", WITHHELD_NAME, text, flags=re.I) if bodies else text
    assert NameScrubber(names)(text) == expected
