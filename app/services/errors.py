"""The refusals the user can act on, for the layers above the services (the UI may not import storage).

`KnownError` and its kinds are raised by storage and services alike; callers show their message as it is.
"""

from __future__ import annotations

from app.storage.errors import (
    CorruptFileError,
    DamagedAttachmentError,
    DiskFullError,
    EncryptionUnavailableError,
    FileLockedError,
    FileReplacedError,
    KnownError,
    NotAnAppraisalError,
    PassphraseNeededError,
    PermissionRefusedError,
    ReadOnlyFileError,
    StaleEditError,
    TooNewError,
    WrongPassphraseError,
)
from app.storage.output_files import OutputExistsError, OutputRefusedError

__all__ = [
    "CorruptFileError",
    "DamagedAttachmentError",
    "DiskFullError",
    "EncryptionUnavailableError",
    "FileLockedError",
    "FileReplacedError",
    "KnownError",
    "NotAnAppraisalError",
    "OutputExistsError",
    "OutputRefusedError",
    "PassphraseNeededError",
    "PermissionRefusedError",
    "ReadOnlyFileError",
    "StaleEditError",
    "TooNewError",
    "WrongPassphraseError",
]
