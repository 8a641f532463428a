"""The one name matcher (method-rules §9): where a text names a participant, a unit, or something that identifies one.

Every check and every scrub goes through `NameMatcher`: the findings editor, the rating flags, every export and
the workbook import. Texts and names are compared in a folded form: compatibility-normalized (NFKD, so "ﬁ" and
full-width letters read as plain letters), accents removed (so "Tomas" and a decomposed "Tomás" match "Tomás",
and "Orsted" matches "Ørsted"),
format characters such as zero-width spaces and soft hyphens dropped, and case-folded. A capital after a small
letter starts a new word ("SessionOkafor"), so names hidden in codes are found.

A participant "Rita T. Okafor" is found as the full name (any punctuation or none between its words: "rita.okafor",
"RitaOkafor"), the given name glued to or initialled before the surname ("R. Okafor", "R Okafor", "rokafor"), an
honorific with the surname or given name ("Ms Okafor", "Dr Rita"), the surname alone and the given name alone when
they have at least three letters ("Okafor's", "Rita said"), all bounded by non-letters only, so "INT-OKAFOR-01" and
"okafor2" are caught too. A role held by exactly one participant, an extra identifier the lead listed (nicknames,
e-mail handles, team names) and, unless the plan allows unit-specific findings, a unit's name are matched as
phrases. Matches never overlap: the longest form found at a place wins.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

MIN_SINGLE_NAME = 3
"""A surname or given name alone is matched from three letters: "Li" or "Al" alone would match too much."""
MIN_PHRASE = 2

HONORIFICS = (
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "sir",
    "dame",
    "madam",
    "herr",
    "frau",
    "sr",
    "sra",
    "srta",
    "mme",
    "mlle",
    "m",
)

MAX_COMPILED = 512
"""Regexes kept for sets of candidate identifiers (a text's names); more are compiled again when needed."""
_WORDS = re.compile(r"[^\W_]+")
_LETTER_RUNS = re.compile(r"[^\W\d_]+")
_ASCII_SEPARATORS = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})
"""Every ASCII character that `_WORDS` does not count as part of a word, made a space."""
"""A text's words, and the letter runs inside words with digits ("okafor2" holds "okafor")."""
_SEP = r"[\W_]*"
"""Between the words of a name: any punctuation, space or nothing ("Rita Okafor", "rita.okafor", "RitaOkafor")."""
_SPACE = r"[\W_]+"
_SET_OFF = r"(?:\.[\W_]*|[\W_]+)"
"""After an honorific or a middle initial: a full stop, a space or other punctuation, not nothing."""
_BEFORE = r"(?<![^\W\d_])"
"""Not preceded by a letter (digits and underscores are separators: "S3_Okafor")."""
_AFTER = r"(?![^\W\d_])"


class IdentifierKind(StrEnum):
    PARTICIPANT = "participant"
    ROLE = "role"
    EXTRA = "identifier"
    UNIT = "unit"


@dataclass(frozen=True, slots=True)
class Identifier:
    """Something that may identify a person or a unit, as the user wrote it."""

    text: str
    kind: IdentifierKind


@dataclass(frozen=True, slots=True)
class NameMatch:
    start: int
    end: int
    """Offsets in the original text (accents and invisible characters of the name included)."""
    term: str
    """The identifier matched, as given ("Rita Okafor" for a match on "Okafor's")."""
    kind: IdentifierKind
    form: str
    """How it matched: "full name", "surname", "given name", "initial and surname", "honorific and name",
    "role", "identifier" or "unit"."""

    def found_in(self, text: str) -> str:
        return text[self.start : self.end]

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


# --- folding ----------------------------------------------------------------------------------------------


def _is_invisible(char: str) -> bool:
    return unicodedata.category(char) in ("Cf", "Mn", "Me", "Mc")


_BASE_LETTERS = {"ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
"""Letters Unicode does not decompose into a base letter and an accent, folded as a reader would."""
_CAMEL = re.compile(r"[a-z][A-Z]|[A-Z][A-Z][a-z]")


def fold(text: str) -> tuple[str, list[int]] | tuple[str, range]:
    """The folded text and, for each of its characters, the index of the original character it came from."""
    if text.isascii() and _CAMEL.search(text) is None:
        # Most texts: nothing to decompose, drop or split, and ASCII case-folding is lower().
        return text.lower(), range(len(text))
    out: list[str] = []
    where: list[int] = []
    previous = ""
    for index, char in enumerate(text):
        if unicodedata.category(char) == "Cf":
            continue
        if char.isupper() and (
            previous.islower()
            or (previous.isupper() and index + 1 < len(text) and text[index + 1].islower() and out and out[-1] != " ")
        ):
            # camelCase and "INTOkafor": a capital after a small letter, or the last capital before small ones,
            # starts a word.
            out.append(" ")
            where.append(index)
        previous = char
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.combining(part) or unicodedata.category(part) in ("Mn", "Me", "Mc"):
                continue
            for lower in part.casefold():
                for folded_char in _BASE_LETTERS.get(lower, lower):
                    out.append(folded_char)
                    where.append(index)
    return "".join(out), where


def folded(text: str) -> str:
    return fold(text)[0]


def words(text: str) -> list[str]:
    """The folded words of a name (letters and digits; everything else separates)."""
    return [w for w in re.split(r"[\W_]+", folded(text)) if w]


def _letters(word: str) -> int:
    return sum(1 for c in word if c.isalpha())


# --- patterns ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Alternative:
    pattern: str
    identifier: Identifier
    form: str
    weight: int
    """Longer forms are tried first at a place, so "Ms Okafor" is one match, not "Okafor" alone."""


def _phrase(parts: Sequence[str], sep: str = _SPACE) -> str:
    return sep.join(re.escape(p) for p in parts)


def _participant_alternatives(identifier: Identifier) -> list[_Alternative]:
    parts = words(identifier.text)
    if not parts:
        return []
    found: list[_Alternative] = []

    def add(pattern: str, form: str, weight: int) -> None:
        found.append(_Alternative(pattern, identifier, form, weight))

    # An honorific or a middle initial is set off by a full stop or a space ("Ms Okafor", "R. T. Okafor"): glued to
    # the name ("msokafor", "rtokafor") it is an ordinary word as often as a name, and only the glued forms the
    # word index below knows (the initial and surname, "rokafor") are matched.
    honorific = "(?:" + "|".join(HONORIFICS) + r")" + _SET_OFF
    given, rest = parts[0], parts[1:]
    # Surnames as people write them: the whole remainder ("Okonkwo-Baptiste", "van der Berg") and each part of a
    # double or hyphenated one ("Okonkwo", "Baptiste"); a one-word name is its own surname.
    surnames = [rest] + ([[part] for part in rest] if len(rest) > 1 else []) if rest else [[given]]
    if rest:
        add(_phrase(parts, _SEP), "full name", 1000 + len("".join(parts)))
        if len(rest) > 1:
            add(_phrase([given, rest[-1]], _SEP), "full name", 900 + len(given + rest[-1]))
        add(honorific + re.escape(given), "honorific and name", 650)
        if _letters(given) >= MIN_SINGLE_NAME:
            add(re.escape(given), "given name", 100 + len(given))
    for surname in surnames:
        body = _phrase(surname, _SEP)
        size = len("".join(surname))
        if rest:
            # A short surname needs the initial's full stop: "A. Li", never "a LI" (a rating value).
            dot = r"\.?" if _letters("".join(surname)) >= MIN_SINGLE_NAME else r"\."
            initials = r"(?:[^\W\d_]" + (_SET_OFF if dot == r"\.?" else r"\.[\W_]*") + "){0,2}"
            add(re.escape(given[0]) + dot + r"[\W_]*" + initials + body, "initial and surname", 800 + size)
        add(honorific + body, "honorific and name", 700 + size)
        if _letters("".join(surname)) >= MIN_SINGLE_NAME:
            add(body, "surname", 200 + size)
    return found


def _phrase_alternative(identifier: Identifier) -> list[_Alternative]:
    parts = words(identifier.text)
    if not parts or len("".join(parts)) < MIN_PHRASE:
        return []
    form = identifier.kind.value
    return [_Alternative(_phrase(parts), identifier, form, 500 + len("".join(parts)))]


def unique_roles(holders: Iterable[tuple[str, str]]) -> list[str]:
    """Roles held by exactly one person (by name): only those may identify someone."""
    people: dict[str, set[str]] = {}
    shown: dict[str, str] = {}
    for name, role in holders:
        key = " ".join(words(role))
        if len(key.replace(" ", "")) < MIN_SINGLE_NAME:
            continue
        people.setdefault(key, set()).add(" ".join(words(name)))
        shown.setdefault(key, " ".join(role.split()))
    return sorted(shown[key] for key, who in people.items() if len(who) == 1)


_ACRONYM_SKIPS = frozenset({"of", "and", "the", "for", "to", "in", "de", "du", "des", "la", "le", "et", "y"})
MIN_ACRONYM = 3
"""Two letters ("VP", "IT") are ordinary words too often to be taken for a role."""


def role_acronym(role: str) -> str | None:
    """ "COO" for "Chief Operating Officer", "VPSD" for "Vice-President of Service Delivery": how people write
    a role in notes; None when it would be shorter than MIN_ACRONYM letters."""
    initials = "".join(w[0] for w in words(role) if w not in _ACRONYM_SKIPS and w[0].isalpha())
    return initials.upper() if len(initials) >= MIN_ACRONYM else None


def _participant_words(parts: list[str]) -> set[str]:
    """Every word a text holds when it names the participant in one of the forms above. A form's words are runs of
    the name's own words (a form puts punctuation or nothing between them), so its last word is one of the name's
    words, or several of the last ones run together ("xray" of "Kim X-Ray", "derberg" of "Jan van der Berg"), or the
    given name run into the last word ("ritaokafor"), or the initial glued to a surname ("rokafor", "rvanderberg");
    the word index finds a text's candidates by these alone, so it must hold every one."""
    words_ = set(parts)
    words_ |= {"".join(parts[start:]) for start in range(len(parts))}
    given, rest = parts[0], parts[1:]
    if rest:
        words_.add(given + rest[-1])
        words_ |= {given[0] + "".join(rest[start:]) for start in range(len(rest))}
        words_ |= {given[0] + part for part in rest}
    return words_


class NameMatcher:
    """Compiled once per set of identifiers; `find` is cheap enough to run as the user types."""

    def __init__(self, identifiers: Iterable[Identifier]) -> None:
        self._alternatives: list[list[_Alternative]] = []
        self._index: dict[str, set[int]] = {}
        seen: set[tuple[str, IdentifierKind]] = set()
        for given in identifiers:
            identifier = Identifier(" ".join(given.text.split()), given.kind)
            parts = words(identifier.text)
            key = (" ".join(parts), identifier.kind)
            if not parts or key in seen:
                continue
            seen.add(key)
            if identifier.kind is IdentifierKind.PARTICIPANT:
                found = _participant_alternatives(identifier)
                triggers = _participant_words(parts)
            else:
                found = _phrase_alternative(identifier)
                triggers = {parts[0], "".join(parts)}
            if not found:
                continue
            number = len(self._alternatives)
            self._alternatives.append(found)
            for word in triggers - {""}:
                self._index.setdefault(word, set()).add(number)
        self.identifiers = tuple(alts[0].identifier for alts in self._alternatives)
        self._compiled: dict[tuple[int, ...], tuple[re.Pattern[str], list[_Alternative]]] = {}

    def _pattern_for(self, numbers: tuple[int, ...]) -> tuple[re.Pattern[str], list[_Alternative]]:
        """One regex over the forms of the identifiers a text may name; most texts name nobody and need none."""
        cached = self._compiled.get(numbers)
        if cached is None:
            if len(self._compiled) > MAX_COMPILED:
                self._compiled.clear()
            alternatives = sorted((a for n in numbers for a in self._alternatives[n]), key=lambda a: -a.weight)
            body = "|".join(f"({a.pattern})" for a in alternatives)
            cached = (re.compile(f"{_BEFORE}(?:{body}){_AFTER}"), alternatives)
            self._compiled[numbers] = cached
        return cached

    @classmethod
    def for_appraisal(
        cls,
        participants: Iterable[str],
        *,
        roles: Iterable[tuple[str, str]] = (),
        extra: Iterable[str] = (),
        units: Iterable[str] = (),
        unit_specific_findings_allowed: bool = False,
    ) -> NameMatcher:
        """Participants' names, roles held by one of them (name, role), the lead's extra identifiers and units."""
        found = [Identifier(name, IdentifierKind.PARTICIPANT) for name in participants]
        held = unique_roles(roles)
        found += [Identifier(role, IdentifierKind.ROLE) for role in held]
        found += [Identifier(a, IdentifierKind.ROLE) for a in map(role_acronym, held) if a]
        found += [Identifier(text, IdentifierKind.EXTRA) for text in extra]
        if not unit_specific_findings_allowed:
            found += [Identifier(name, IdentifierKind.UNIT) for name in units]
        return cls(found)

    @property
    def empty(self) -> bool:
        return not self._alternatives

    def find(self, text: str | None) -> list[NameMatch]:
        """Every place `text` names someone, in order, never overlapping."""
        if not self._alternatives or not text:
            return []
        flat, where = fold(text)
        # Only identifiers one of whose words occurs in the text can match: a dictionary look-up per word keeps
        # a text that names nobody cheap however many participants the appraisal has.
        # The words, and the letter runs inside words with digits ("INC-4711kowalski"): a word of letters is
        # its own run. An ASCII text (most of them) is split in C rather than by a Unicode-aware regex.
        if flat.isascii():
            tokens = set(flat.translate(_ASCII_SEPARATORS).split())
            # (A number has no letter runs: reference numbers and dates, in most artifact titles, skip the regex.)
            for word in [w for w in tokens if not w.isalpha() and not w.isdigit()]:
                tokens.update(_LETTER_RUNS.findall(word))
        else:
            tokens = set(_WORDS.findall(flat))
            tokens.update(_LETTER_RUNS.findall(flat))
        hits = tokens & self._index.keys()
        if not hits:
            return []
        candidates: set[int] = set()
        for word in hits:
            candidates.update(self._index[word])
        pattern, alternatives = self._pattern_for(tuple(sorted(candidates)))
        found = []
        for m in pattern.finditer(flat):
            if m.lastindex is None:
                continue
            start, end = m.span()
            alternative = alternatives[m.lastindex - 1]
            first, last = where[start], where[end - 1] + 1
            while last < len(text) and _is_invisible(text[last]):
                last += 1  # a decomposed accent or zero-width character at the name's end belongs to it
            found.append(
                NameMatch(first, last, alternative.identifier.text, alternative.identifier.kind, alternative.form)
            )
        return found

    def mask(self, text: str | None, keep: Callable[[NameMatch], bool] | None = None) -> str:
        """`text` with every match replaced by its placeholder, except those `keep` says to leave."""
        if not text:
            return ""
        return "".join(shown for shown, _original in self.segments(text, keep))

    def segments(self, text: str, keep: Callable[[NameMatch], bool] | None = None) -> list[tuple[str, str]]:
        """`text` cut into (as shown, as stored) pieces: equal outside names, a placeholder and the name inside.

        Joining the first halves gives the masked text, the second halves the original; the workbook import
        uses them to put names back where a masked text came home.
        """
        pieces: list[tuple[str, str]] = []
        at = 0
        for match in self.find(text):
            if keep is not None and keep(match):
                continue
            if match.start > at:
                pieces.append((text[at : match.start], text[at : match.start]))
            pieces.append((placeholder(match.kind), text[match.start : match.end]))
            at = match.end
        if at < len(text):
            pieces.append((text[at:], text[at:]))
        return pieces


WITHHELD_NAME = "[name withheld]"
"""What replaces a participant's name, or an extra identifier, in any exported text."""
WITHHELD_ROLE = "[role withheld]"
WITHHELD_UNIT = "[unit withheld]"
PLACEHOLDERS = (WITHHELD_NAME, WITHHELD_ROLE, WITHHELD_UNIT)


def placeholder(kind: IdentifierKind) -> str:
    if kind is IdentifierKind.ROLE:
        return WITHHELD_ROLE
    if kind is IdentifierKind.UNIT:
        return WITHHELD_UNIT
    return WITHHELD_NAME


_PLACEHOLDER_TOKEN = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS))


def _tokens(text: str) -> list[str]:
    """Characters, with each placeholder as one token (so an edit never half-matches one)."""
    out: list[str] = []
    at = 0
    for m in _PLACEHOLDER_TOKEN.finditer(text):
        out.extend(text[at : m.start()])
        out.append(m.group())
        at = m.end()
    out.extend(text[at:])
    return out


def restore_names(segments: Sequence[tuple[str, str]], edited: str) -> str:
    """`edited` (a masked text someone changed) with each placeholder that is still where the mask put it turned
    back into the name it hid; everything the person added, changed or removed is kept as they left it.

    `segments` are the (as shown, as stored) pieces of the stored text (`NameMatcher.segments`).
    """
    shown: list[str] = []
    original: list[str] = []
    for piece, stored in segments:
        if piece in PLACEHOLDERS and piece != stored:
            shown.append(piece)
            original.append(stored)
        else:
            shown.extend(piece)
            original.extend(piece)
    new = _tokens(edited)
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, shown, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(original[i1:i2])
        elif op in ("insert", "replace"):
            out.extend(new[j1:j2])
    return "".join(out)
