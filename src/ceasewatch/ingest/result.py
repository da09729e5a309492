"""What mapping one source record gives: an incident (perhaps with warnings), a rejection
with its reasons, or a skip (a valid record that incident.v1 does not cover).

Mappers never raise on bad input: every problem is an ``Issue`` naming the field, the
value and what is wrong, and the reader adds the row number.
"""

from __future__ import annotations

from dataclasses import dataclass

from ceasewatch.incidents.model import Incident


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem with one field of one source record."""

    field: str
    message: str
    value: str | None = None

    def __str__(self) -> str:
        shown = f" ({self.value!r})" if self.value not in (None, "") else ""
        return f"{self.field}{shown}: {self.message}"


@dataclass(frozen=True, slots=True)
class Mapped:
    """The record as an incident.v1 ``Incident``; ``warnings`` say what was kept but odd."""

    incident: Incident
    warnings: tuple[Issue, ...] = ()


@dataclass(frozen=True, slots=True)
class Rejected:
    """The record cannot become an incident; ``issues`` say why (at least one)."""

    issues: tuple[Issue, ...]


@dataclass(frozen=True, slots=True)
class Skipped:
    """A valid record outside what incident.v1 holds (a peaceful protest, a non-violent
    GDELT event, another country); counted, never written to the rejects file."""

    reason: str


Outcome = Mapped | Rejected | Skipped


class Invalid(ValueError):
    """Raised inside a mapper to reject a record; collected into ``Rejected``."""

    def __init__(self, field: str, message: str, value: str | None = None) -> None:
        super().__init__(f"{field}: {message}")
        self.issue = Issue(field, message, value)
