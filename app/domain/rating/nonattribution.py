"""Non-attribution (method-rules §9): find participant and unit names in texts meant for the organization.

Matching is whole-word and case-insensitive, and any run of whitespace in the text matches the spaces of a
name ("Ann  Lee" and "Ann\\nLee" both match "Ann Lee"). Names shorter than three characters are ignored:
they match too many ordinary words to be useful.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from app.domain.rating.facts import FindingText

MIN_NAME_LENGTH = 3


class AttributionKind(StrEnum):
    PARTICIPANT = "participant"
    UNIT = "unit"


@dataclass(frozen=True, slots=True)
class AttributionFlag:
    location: str
    term: str
    """The name found, as given (whitespace tidied)."""
    kind: AttributionKind


class NameScanner:
    """Compiled once per set of names; `scan` is then cheap enough to run on every edit."""

    def __init__(
        self, participant_names: Iterable[str], unit_names: Iterable[str], *, unit_specific_findings_allowed: bool
    ) -> None:
        terms = [(name, AttributionKind.PARTICIPANT) for name in participant_names]
        if not unit_specific_findings_allowed:
            terms += [(name, AttributionKind.UNIT) for name in unit_names]
        self._patterns: list[tuple[str, AttributionKind, re.Pattern[str]]] = []
        seen: set[tuple[str, AttributionKind]] = set()
        for raw, kind in terms:
            words = raw.split()
            term = " ".join(words)
            if len(term) < MIN_NAME_LENGTH or (term.casefold(), kind) in seen:
                continue
            seen.add((term.casefold(), kind))
            body = r"\s+".join(re.escape(word) for word in words)
            # Lookarounds instead of \b so names that start or end with punctuation ("R&D", "Ops.") still work.
            pattern = re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)
            self._patterns.append((term, kind, pattern))
        # One alternation over every name is a cheap gate: most texts name nobody, and a regex per name per text
        # was most of the cost of re-rating a large appraisal after an edit.
        alternatives = "|".join(f"(?:{p.pattern})" for _term, _kind, p in self._patterns)
        self._gate = re.compile(alternatives, re.IGNORECASE) if alternatives else None

    def scan(self, location: str, text: str) -> list[AttributionFlag]:
        if self._gate is None or not text or self._gate.search(text) is None:
            return []
        return [AttributionFlag(location, term, kind) for term, kind, pattern in self._patterns if pattern.search(text)]


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
