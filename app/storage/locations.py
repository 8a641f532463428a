"""Where an appraisal lives, as the user typed it: one parser for every command and the window.

A location is a file path (`~/a.appraisal`, `C:\\x.appraisal`, `file:///home/me/a.appraisal`) or a server
URL (`postgresql+psycopg://user@host/db`, team mode). Anything else with a scheme (`mysql://…`, `foo://…`,
`https://…`) is refused with one sentence rather than mistaken for a folder name. No SQLAlchemy here: the CLI
parses locations before it knows whether it needs a database at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from app.storage.errors import KnownError

SERVER_SCHEMES = ("postgresql", "postgresql+psycopg", "postgres")
"""URL schemes of the servers an appraisal can live on (docs: team mode)."""

_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://")


class UnsupportedLocationError(KnownError):
    """A URL of a kind Appraisal Desk cannot keep an appraisal in."""


@dataclass(frozen=True)
class Location:
    """A file (`path`) or a server database (`url`, exactly one of the two is set)."""

    path: Path | None = None
    url: str | None = None

    @property
    def is_server(self) -> bool:
        return self.url is not None

    def shown(self) -> str:
        """For messages: the path, or the URL without its password."""
        if self.path is not None:
            return str(self.path)
        assert self.url is not None
        return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", self.url)


def parse_location(text: str | Path) -> Location:
    """The location `text` names; raises UnsupportedLocationError for a URL of another kind."""
    if isinstance(text, Path):
        return Location(path=text.expanduser())
    match = _SCHEME.match(text)
    if match is None:
        return Location(path=Path(text).expanduser())
    scheme = match["scheme"].lower()
    if scheme == "file":
        parts = urlsplit(text)
        if parts.netloc not in ("", "localhost"):
            raise UnsupportedLocationError(f"{text} names a file on another machine; copy it here first.")
        return Location(path=Path(unquote(parts.path)))
    if scheme in SERVER_SCHEMES:
        # SQLAlchemy's name for the driver Appraisal Desk ships with.
        return Location(url="postgresql+psycopg://" + text[match.end() :])
    raise UnsupportedLocationError(
        f"{scheme}:// is not a place Appraisal Desk can keep an appraisal: give a file path, or a "
        "postgresql+psycopg://USER@HOST/DATABASE URL for a team's server."
    )
