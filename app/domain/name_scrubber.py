"""Participants' names masked for mini-team packages, and put back where a package's edit left them masked."""

from __future__ import annotations

from app.domain import name_matcher


class NameScrubber:
    """Participants' names masked by the one name matcher, for callers that hold only the names (mini-team
    packages); exports use `app.services.attribution.AppraisalNames.scrub`, which also knows roles, extra
    identifiers and review marks."""

    def __init__(self, names: tuple[str, ...] | list[str]) -> None:
        self._matcher = name_matcher.NameMatcher.for_appraisal(names)

    def __call__(self, text: str | None) -> str:
        return self._matcher.mask(text) if text else ""

    def restore(self, stored: str, edited: str) -> str:
        """`edited` (a masked copy of `stored` someone changed) with the names the mask hid put back where the
        placeholders still stand; what the person added or changed is kept (`name_matcher.restore_names`)."""
        if not stored or not any(p in edited for p in name_matcher.PLACEHOLDERS):
            return edited
        return name_matcher.restore_names(self._matcher.segments(stored), edited)
