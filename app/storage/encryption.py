"""Encryption at rest with SQLCipher: telling an encrypted file apart, connecting with its passphrase, rekeying.

An encrypted appraisal is a SQLCipher 4 database: every page, the header included, is encrypted (AES-256, key
derived from the passphrase with PBKDF2-HMAC-SHA512) and authenticated (HMAC), so without the passphrase the file
is indistinguishable from random bytes and a tampered page is detected. The passphrase is never written anywhere;
it lives in the open store's connection URL for as long as the file is open.

SQLCipher is an optional dependency (`sqlcipher3`, whose wheel bundles the library): plain files never need it.
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from app.storage.errors import EncryptionUnavailableError, KnownError, PassphraseNeededError, WrongPassphraseError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from app.storage.appraisal_file import OpenedStore

DRIVER = "pysqlcipher"
# SQLCipher pages are powers of two from 512 bytes; the first page of an encrypted file is salt plus ciphertext.
_MIN_PAGE = 512
_SAMPLE = 4096
# Ciphertext has close to 8 bits of entropy per byte; text, images' headers and SQLite's own pages have far less.
_MIN_ENTROPY = 7.0

PassphraseSource = Callable[[Path], str | None]
_source: PassphraseSource | None = None


def _module() -> Any:
    try:
        import sqlcipher3
    except ImportError:
        return None
    return sqlcipher3


def available() -> bool:
    return _module() is not None


def require() -> Any:
    module = _module()
    if module is None:
        raise EncryptionUnavailableError(
            "Encrypted appraisal files need SQLCipher, which is not installed with this copy of Appraisal Desk "
            "(install the 'encryption' extra: sqlcipher3)."
        )
    return module


def database_errors() -> tuple[type[Exception], ...]:
    """The DB-API error classes that reading a file can raise, for sqlite3 and (when present) SQLCipher."""
    module = _module()
    return (sqlite3.DatabaseError, module.DatabaseError) if module is not None else (sqlite3.DatabaseError,)


def _entropy(data: bytes) -> float:
    counts = Counter(data)
    total = len(data)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def looks_encrypted(path: Path) -> bool:
    """Whether a file that is not a plain SQLite database looks like an encrypted one (whole pages of noise).

    Only a passphrase can prove it; this keeps a text file or a spreadsheet from being met with a passphrase
    prompt instead of "not an appraisal file".
    """
    try:
        size = path.stat().st_size
        if size < _MIN_PAGE or size % _MIN_PAGE:
            return False
        with open(path, "rb") as handle:
            sample = handle.read(_SAMPLE)
    except OSError:
        return False
    return _entropy(sample) >= _MIN_ENTROPY


def url_for(path: Path, passphrase: str) -> URL:
    require()
    from sqlalchemy.engine import URL

    return URL.create(f"sqlite+{DRIVER}", password=passphrase, database=str(path))


def passphrase_of(url: URL) -> str | None:
    """The passphrase an engine's URL carries, or None for a plain file."""
    if url.get_driver_name() != DRIVER:
        return None
    return url.password if isinstance(url.password, str) else ""


def _literal(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def connect(target: str, passphrase: str, *, uri: bool = False) -> sqlite3.Connection:
    """A raw SQLCipher connection keyed with `passphrase` (its API is sqlite3's, hence the type)."""
    module = require()
    conn = module.connect(target, uri=uri)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = {_literal(passphrase)}")
    return cast(sqlite3.Connection, conn)


def change_passphrase(store: OpenedStore, current: str, new: str) -> None:
    """Re-encrypt the open file under `new`, in one transaction: a crash leaves it under one passphrase or the
    other, never half and half. `current` must be the passphrase it was opened with (asked again, so a laptop
    left unlocked cannot have its passphrase changed by a passer-by)."""
    if store.path is None or store.passphrase is None:
        raise KnownError("This appraisal is not encrypted, so it has no passphrase to change.")
    if current != store.passphrase:
        raise WrongPassphraseError("That is not the current passphrase of this file; nothing was changed.")
    if not new:
        raise KnownError("The new passphrase must not be empty; nothing was changed.")
    # Every pooled connection holds the old key: close them all, rekey through one, then reconnect with the new.
    store.engine.dispose()
    raw = store.engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert conn is not None
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute(f"PRAGMA rekey = {_literal(new)}")
    finally:
        raw.invalidate()
    store.reconnect(url_for(store.path, new))


# --- where a passphrase comes from when the caller gave none --------------------------------------------------


def set_passphrase_source(source: PassphraseSource | None) -> None:
    """Who to ask for the passphrase of an encrypted file opened without one (the CLI: environment or prompt).

    The window never relies on this: it asks with its own dialog and passes the passphrase explicitly.
    """
    global _source
    _source = source


def passphrase_for(path: Path, given: str | None) -> str:
    """The passphrase to unlock `path` with: the one given, else the registered source's answer."""
    if given is not None:
        return given
    found = _source(path) if _source is not None else None
    if found is None:
        raise PassphraseNeededError(f"{path.name} is encrypted: it opens only with its passphrase.")
    return found
