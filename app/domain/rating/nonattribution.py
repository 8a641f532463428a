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

_KEPT_TEXTS = 200_000
"""Texts whose scan is kept (about two per cell at size XL); beyond that the memory starts afresh."""


@dataclass(frozen=True, slots=True)
class AttributionFlag:
    """A text that names a participant, a role's one holder, a listed identifier or a unit."""

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
        self._seen: dict[str, tuple[tuple[str, AttributionKind], ...]] = {}

    @classmethod
    def shared(
        cls,
        participant_names: Iterable[str],
        unit_names: Iterable[str],
        *,
        unit_specific_findings_allowed: bool,
        roles: Iterable[tuple[str, str]] = (),
        extra: Iterable[str] = (),
    ) -> NameScanner:
        """The scanner of the last rating when the names are the same: a full rating again (a reload, an
        export) then finds the unchanged texts already scanned."""
        key = (tuple(participant_names), tuple(unit_names), unit_specific_findings_allowed, tuple(roles), tuple(extra))
        if _LAST and _LAST[0][0] == key:
            return _LAST[0][1]
        scanner = cls(key[0], key[1], unit_specific_findings_allowed=key[2], roles=key[3], extra=key[4])
        _LAST[:] = [(key, scanner)]
        return scanner

    def scan(self, location: str, text: str) -> list[AttributionFlag]:
        return [AttributionFlag(location, term, kind) for term, kind in self.terms(text)]

    def terms(self, text: str) -> tuple[tuple[str, AttributionKind], ...]:
        """The identifiers `text` names, each once, in order. Kept per text: a full rating scans every weakness
        and strength, and an edit rescans its whole process area, where nearly every text is unchanged."""
        known = self._seen.get(text)
        if known is not None:
            return known
        found: dict[tuple[str, AttributionKind], None] = {}
        for match in self.matcher.find(text):
            found.setdefault((match.term, match.kind))
        if len(self._seen) >= _KEPT_TEXTS:
            self._seen.clear()
        self._seen[text] = result = tuple(found)
        return result


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


_LAST: list[tuple[tuple[object, ...], NameScanner]] = []
