"""Errors the user can act on (shown politely), as opposed to bugs."""

from __future__ import annotations


class KnownError(Exception):
    """A problem with the user's file or input, explained in plain words. Nothing was changed."""


class NotAnAppraisalError(KnownError):
    pass


class CorruptFileError(KnownError):
    pass


class ReadOnlyFileError(KnownError):
    pass


class FileLockedError(KnownError):
    pass


class TooNewError(KnownError):
    pass


class DiskFullError(KnownError):
    pass


class PassphraseNeededError(KnownError):
    """The file is encrypted and no passphrase was given; the caller may ask for one and try again."""


class WrongPassphraseError(KnownError):
    pass


class EncryptionUnavailableError(KnownError):
    pass


class FileReplacedError(KnownError):
    """The open file was deleted, moved or replaced by another program; edits are refused from then on."""


class DamagedAttachmentError(KnownError):
    """A stored document's bytes no longer match the SHA-256 recorded when it was added."""


class PackageScopeError(KnownError):
    """An edit a mini-team package refuses: it lies outside the package's process areas, or is the lead's to make."""


class PermissionRefusedError(KnownError):
    """A team server refused a write: the person's role or mini-team does not allow it (docs/team-server.md)."""


class StaleEditError(KnownError):
    """Someone else changed the row since it was read; the write was refused and the row is to be read again."""


class ServerUnreachableError(KnownError):
    """The team server cannot be reached (down, network lost, login no longer allowed)."""
