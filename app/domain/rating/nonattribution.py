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
_WORD = re.compile(r"\w+")
_REMEMBERED_TEXTS = 200_000


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
        # The gate: a name can only match where its first word stands whole in the text, so the text's words
        # (one set per text) select the few names worth a regex. An alternation over 300 names was most of the
        # cost of rating a large appraisal. Non-ASCII names and texts keep the regexes alone: Unicode case
        # folding does not keep word lengths, and few texts carry such characters.
        self._by_first_word: dict[str, list[int]] = {}
        self._always: list[int] = []
        for index, (term, _kind, _pattern) in enumerate(self._patterns):
            words = _WORD.findall(term)
            if term.isascii() and words:
                self._by_first_word.setdefault(words[0].lower(), []).append(index)
            else:
                self._always.append(index)

        # The names found per text: re-rating a process area after an edit scans its unchanged texts again.
        self._found: dict[str, tuple[int, ...]] = {}

    def scan(self, location: str, text: str) -> list[AttributionFlag]:
        if not self._patterns or not text:
            return []
        found = self._found.get(text)
        if found is None:
            if len(self._found) > _REMEMBERED_TEXTS:
                self._found.clear()
            found = self._found[text] = self._search(text)
        return [AttributionFlag(location, self._patterns[i][0], self._patterns[i][1]) for i in found]

    def _search(self, text: str) -> tuple[int, ...]:
        if text.isascii():
            candidates = list(self._always)
            for word in set(_WORD.findall(text.lower())):
                candidates += self._by_first_word.get(word, ())
            candidates.sort()
        else:
            candidates = list(range(len(self._patterns)))
        return tuple(index for index in candidates if self._patterns[index][2].search(text))


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
