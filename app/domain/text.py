"""Text as it may enter an appraisal: Unicode NFC, line breaks as "\\n", no control characters, within a limit.

Word's Shift+Enter (U+000B), a form feed and the Unicode line/paragraph separators are line breaks the user
pasted: they become "\\n". Any other control character (NUL, U+0001…) cannot be printed or written into a
workbook or PDF, so a text holding one is refused with the field named and the character shown.
Limits are documented in docs/reliability.md ("Text limits").
"""

from __future__ import annotations

import re
import unicodedata

NAME_LIMIT = 500
"""Names, titles, codes and other one-line fields (a column with a declared length keeps its own)."""
TEXT_LIMIT = 200_000
"""Free text: notes, findings, statements, descriptions (about 60 printed pages)."""

_PASTED_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n"})
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class TextError(ValueError):
    """A text that may not be stored as given; the message names the field and says what to change."""


def clean_text(value: str, field: str, *, limit: int = TEXT_LIMIT) -> str:
    """`value` normalized (NFC, "\\n" line breaks), or TextError naming `field`."""
    text = value
    if not text.isascii() or "\r" in text or "\x0b" in text or "\x0c" in text:
        text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n").translate(_PASTED_BREAKS))
    bad = _CONTROL.search(text)
    if bad is not None:
        raise TextError(
            f"{field} contains the control character U+{ord(bad[0]):04X} (position {bad.start() + 1}), which cannot "
            "be printed or exported; remove it and try again."
        )
    if len(text) > limit:
        raise TextError(f"{field} is {len(text):,} characters long; the limit is {limit:,}. Shorten it.")
    return text
