"""One error root. The CLI turns any ``CeasewatchError`` into its message and exit code 1;
the API (later) into its ``status``."""

from __future__ import annotations


class CeasewatchError(Exception):
    status = 400


class UsageError(CeasewatchError):
    """The user asked for something that cannot be done as asked; the message says what to do."""


class NotFound(CeasewatchError):
    status = 404
