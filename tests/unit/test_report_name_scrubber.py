"""Participants' names withheld by the NameScrubber the mini-team packages use: the one name matcher's rules."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.domain.name_matcher import NameMatcher
from app.domain.name_scrubber import NameScrubber
from app.domain.report import WITHHELD_NAME


def test_names_are_withheld_whole_and_in_any_case_spacing_and_glued() -> None:
    scrub = NameScrubber(["Ann Lee", "Ann Lee-Smith", "Bo", "R&D"])
    assert scrub("ANN  lee-smith met ann\nLee; Annlee and Bo stay; the R&D team") == (
        f"{WITHHELD_NAME} met {WITHHELD_NAME}; {WITHHELD_NAME} and Bo stay; the {WITHHELD_NAME} team"
    )


_WORDS = st.sampled_from(["Ann", "Lee", "R&D", "Ops.", "Kåre", "İan", "\u212aim", "x-ray"])
_BITS = st.sampled_from(["ann", "LEE", " ", "\n", "r&d", "ops.", "kåre", "ian", "kim", "x-ray", "xray", ",", "é"])


@given(
    names=st.lists(st.lists(_WORDS, min_size=1, max_size=2).map(" ".join), max_size=5),
    text=st.lists(_BITS, max_size=14).map("".join),
)
def test_the_scrubber_masks_exactly_what_the_name_matcher_finds(names: list[str], text: str) -> None:
    assert NameScrubber(names)(text) == NameMatcher.for_appraisal(names).mask(text)
