"""Who calls: a user with a role (and a liaison's party), and what the role table gives them."""

from __future__ import annotations

from dataclasses import dataclass

from ceasewatch.store import search
from ceasewatch.store.search import Scope

MONITORS = ("admin", "monitor")


@dataclass(frozen=True)
class Caller:
    """Who acts, and what the route's cell of the role table gives them."""

    name: str
    role: str
    party: str | None = None
    access: str = "all"

    @property
    def actor(self) -> str:
        """How the audit log names them: ``user:NAME``, ``cli:NAME`` or ``public``."""
        return self.name

    @property
    def scope(self) -> Scope:
        if self.access == "party":
            return Scope("party", self.party)
        if self.access == "published":
            return search.PUBLISHED
        return search.ALL


def cli_caller(name: str) -> Caller:
    return Caller(f"cli:{name}", "admin")
