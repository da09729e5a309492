"""One error root. The CLI turns any ``CeasewatchError`` into its message and exit code 1;
the API (later) into its ``status``."""

from __future__ import annotations


class CeasewatchError(Exception):
    status = 400


class UsageError(CeasewatchError):
    """The user asked for something that cannot be done as asked; the message says what to do."""


class NotFound(CeasewatchError):
    status = 404


class Invalid(CeasewatchError):
    """Input that does not validate; ``errors`` lists every problem found."""

    status = 422

    def __init__(self, message: str, errors: list[str] | tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.errors = list(errors)


class Unauthorized(CeasewatchError):
    """No token, or one that is unknown, expired or revoked."""

    status = 401


class Forbidden(CeasewatchError):
    """A valid token whose role may not do this."""

    status = 403


class Conflict(CeasewatchError):
    """The thing changed or exists already; ``current`` says how it stands now."""

    status = 409

    def __init__(self, message: str, current: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.current = current


class Unavailable(CeasewatchError):
    """A part the request needs is missing or down (the store, the extractor)."""

    status = 503
