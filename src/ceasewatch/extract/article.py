"""An article going in, and what extraction says about it coming out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ceasewatch.incidents import codec
from ceasewatch.incidents.model import Incident


@dataclass(frozen=True, slots=True)
class Article:
    """One news article. ``text`` is what offsets point into; ``title`` is context only."""

    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None
    #: Where it came from, for messages: ``file`` or ``file:line``.
    origin: str = ""
    #: Problems found while reading it that did not stop it (reported in ``errors``).
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Unresolved:
    """An event found in the text that cannot be an incident.v1 yet, and why (its date
    could not be resolved). ``draft`` has every incident.v1 field but ``occurred``."""

    reason: str
    draft: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One article's result: one line of ``ceasewatch extract`` output."""

    id: str
    incidents: tuple[Incident, ...] = ()
    skipped_reason: str | None = None
    errors: tuple[str, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()
    #: Event words that did not become incidents, and why (not written out; for --explain).
    dropped: tuple[str, ...] = field(default=(), compare=False)
    #: Whether extraction ran on the article (False for input that could not be read).
    extracted: bool = False
    #: Ids of incidents told only as what came before another event ("X, a day after Y":
    #: Y), which the article is not about (not written out; for choosing its main incident).
    recalled: tuple[str, ...] = field(default=(), compare=False)

    @property
    def status(self) -> str:
        """``ok``, ``skipped`` or ``failed`` (the counts printed at the end of a run): failed
        when the article could not be read or extracted at all."""
        if self.skipped_reason is not None:
            return "skipped"
        if self.errors and self.failed:
            return "failed"
        return "ok"

    @property
    def failed(self) -> bool:
        return not self.incidents and not self.unresolved and not self.extracted

    def to_json(self) -> dict[str, Any]:
        """The output line: ``{id, incidents, skipped_reason?, errors?, unresolved?}``."""
        out: dict[str, Any] = {
            "id": self.id,
            "incidents": [codec.to_json(i) for i in self.incidents],
        }
        if self.skipped_reason is not None:
            out["skipped_reason"] = self.skipped_reason
        if self.errors:
            out["errors"] = list(self.errors)
        if self.unresolved:
            out["unresolved"] = [{"reason": u.reason, **u.draft} for u in self.unresolved]
        return out
