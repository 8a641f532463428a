"""Which edition of the outputs: the team's (everything) or the sponsor's. Its own module so that the command
line can offer the choice without loading the report values and the rating engine behind them."""

from __future__ import annotations

from enum import StrEnum


class Edition(StrEnum):
    TEAM = "team"
    """Everything: every instantiation with its evidence, notes and weaknesses; importable back."""
    SPONSOR = "sponsor"
    """Ratings, goal ratings, validated findings with their status and the coverage statement in aggregate: no
    notes, weaknesses, strengths or rationales, no evidence detail, no per-unit values, no session codes."""

    @property
    def label(self) -> str:
        return "Appraisal team edition" if self is Edition.TEAM else "Sponsor edition"


DEFAULT_MARKINGS: dict[Edition, str] = {
    Edition.TEAM: "Confidential - appraisal team only",
    Edition.SPONSOR: "Confidential - sponsor and appraisal team only",
}
