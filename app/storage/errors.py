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
