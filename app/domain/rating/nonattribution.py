"""Non-attribution flags for the ratings (method-rules §9): which texts name a participant or a unit.

The matching itself is `app.domain.name_matcher.NameMatcher`, the one matcher every check and export uses;
this module turns its matches into one flag per text and identifier for the rating result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.name_matcher import IdentifierKind, NameMatcher
from app.domain.rating.facts import FindingText

AttributionKind = IdentifierKind
"""participant, role, identifier (the lead's extra list) or unit."""


@dataclass(frozen=True, slots=True)
class AttributionFlag:
    location: str
    term: str
    """The identifier found, as given ("Rita Okafor" for a text saying "Okafor's")."""
    kind: AttributionKind


class NameScanner:
    """Compiled once per set of names; `scan` is then cheap enough to run on every edit."""

    def __init__(
        self,
        participant_names: Iterable[str],
        unit_names: Iterable[str],
        *,
        unit_specific_findings_allowed: bool,
        roles: Iterable[tuple[str, str]] = (),
        extra: Iterable[str] = (),
    ) -> None:
        self.matcher = NameMatcher.for_appraisal(
            participant_names,
            roles=roles,
            extra=extra,
            units=unit_names,
            unit_specific_findings_allowed=unit_specific_findings_allowed,
        )

    def scan(self, location: str, text: str) -> list[AttributionFlag]:
        found: dict[tuple[str, AttributionKind], None] = {}
        for match in self.matcher.find(text):
            found.setdefault((match.term, match.kind))
        return [AttributionFlag(location, term, kind) for term, kind in found]


def scan_texts(
    texts: Iterable[FindingText],
    participant_names: Iterable[str],
    unit_names: Iterable[str],
    *,
    unit_specific_findings_allowed: bool,
) -> list[AttributionFlag]:
    """Every name found in every text, one flag per text and name."""
    scanner = NameScanner(participant_names, unit_names, unit_specific_findings_allowed=unit_specific_findings_allowed)
    return [flag for item in texts for flag in scanner.scan(item.location, item.text)]
