"""Reports: an article in, its incidents stored ``proposed`` (ceasewatch.extract)."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from ceasewatch.agreement.model import Scenario
from ceasewatch.errors import Invalid, NotFound, Unavailable
from ceasewatch.incidents import codec
from ceasewatch.server.services.callers import Caller
from ceasewatch.server.services.incidents import create_incidents
from ceasewatch.server.services.stored_agreements import (
    current_agreements,
    scenario_of,
)
from ceasewatch.store import search

#: The scenario extraction uses when no agreement is stored (as ``ceasewatch extract``).
DEFAULT_SCENARIO = "syria-2016"


@dataclass(frozen=True)
class Report:
    """What POST /reports did with one article."""

    article_id: str
    scenario_id: str
    rows: list[search.Row]
    skipped_reason: str | None = None
    unresolved: tuple[dict[str, Any], ...] = ()
    errors: tuple[str, ...] = ()


class _Extractors:
    """One extraction pipeline per scenario, built on first use and kept for the life of
    the process (spaCy and the gazetteer load once, never at app start). A pipeline is
    used by one thread at a time: spaCy does not promise more."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self.items: dict[tuple[str, ...], tuple[Any, threading.Lock]] = {}
        self.lock = threading.Lock()

    def get(self, key: tuple[str, ...], scenario: Scenario) -> tuple[Any, threading.Lock]:
        with self.lock:  # held while building: a second first request waits, never builds
            hit = self.items.get(key)
            if hit is None:
                try:
                    from ceasewatch.extract.run import Extractor

                    built = Extractor(scenario)
                except (ImportError, OSError) as e:
                    raise Unavailable(
                        f"the extractor cannot load its language model ({e}) — install the "
                        "pinned model (see DEVELOPERS.md)"
                    ) from None
                if len(self.items) >= self.size:
                    self.items.pop(next(iter(self.items)))
                hit = self.items[key] = (built, threading.Lock())
            return hit


EXTRACTORS = _Extractors()


def report_scenario(engine: Engine, agreement_id: str | None) -> tuple[tuple[str, ...], Scenario]:
    """The scenario whose actors and gazetteer read an article: the named stored
    agreement's; else the one scenario stored; else, with none stored, the bundled
    syria-2016 (as ``ceasewatch extract``)."""
    with engine.connect() as conn:
        stored = current_agreements(conn)
    if agreement_id is not None:
        chosen = next((s for s in stored if s.agreement_id == agreement_id), None)
        if chosen is None:
            raise NotFound(f"no stored agreement {agreement_id!r}")
    elif not stored:
        from ceasewatch.agreement.sources import load_bundled

        return ("bundled", DEFAULT_SCENARIO), load_bundled(DEFAULT_SCENARIO)
    else:
        scenarios = {s.scenario_id: s for s in stored}
        if len(scenarios) > 1:
            ids = ", ".join(sorted(s.agreement_id for s in stored))
            raise Invalid(
                "the store holds agreements of several scenarios: say which one reads this article",
                [f"agreement: give one of {ids}"],
            )
        chosen = next(iter(scenarios.values()))
    scenario = scenario_of(chosen)
    if scenario.gazetteer_file is None:
        raise Unavailable(
            f"extraction needs a gazetteer, and scenario {scenario.id!r} names none — a "
            "monitor uploads the agreement again with `gazetteer: FILE` under `geography:` "
            "in scenario.yaml (docs/places.md)"
        )
    return ("stored", chosen.scenario_id, chosen.sha256), scenario


def article_id(text: str, caller: Caller) -> str:
    """The article's id: a hash of who sent it and its text, so the same caller sending
    it again gets 409 for the same incidents, and two parties' copies never collide.

    >>> article_id("Shelling on Monday.", Caller("user:amal", "monitor"))
    'rep-fb9b61f04d42cd8c'
    """
    return "rep-" + hashlib.sha256(f"{caller.actor}\n{text}".encode()).hexdigest()[:16]


def extract_article(
    engine: Engine, article: dict[str, Any], caller: Caller
) -> tuple[str, str, Any]:
    """Run extraction on one article (CPU work: call it from a worker thread)."""
    from ceasewatch.extract.article import Article

    text: str = article["text"]
    if not text.strip():
        raise Invalid("the article has no text", ["text: give the article's text"])
    key, scenario = report_scenario(engine, article.get("agreement"))
    extractor, lock = EXTRACTORS.get(key, scenario)
    published = article.get("published")
    aid = article_id(text, caller)
    item = Article(
        aid,
        text,
        title=article.get("title"),
        published=dt.date.fromisoformat(published) if published else None,
        source=article.get("publisher"),
        url=article.get("url"),
        origin="POST /reports",
    )
    with lock:
        outcome = extractor.extract(item)
    return aid, scenario.id, outcome


def submit_report(
    engine: Engine, article: dict[str, Any], caller: Caller, now: dt.datetime
) -> Report:
    """Extract an article's incidents and store them ``proposed`` (the review queue),
    submitted by the caller (a liaison's belong to its party)."""
    aid, scenario_id, outcome = extract_article(engine, article, caller)
    if outcome.skipped_reason is not None and outcome.skipped_reason.startswith("empty"):
        raise Invalid("the article has no text", [f"text: {outcome.skipped_reason}"])
    if outcome.failed and outcome.errors:
        raise Invalid("the article could not be read for incidents", list(outcome.errors))
    proposed = []
    for incident in outcome.incidents:
        record = codec.to_json(incident)
        record["status"] = "proposed"
        record["submitted_by"] = caller.actor
        proposed.append(record)
    rows = create_incidents(engine, proposed, caller, now, action="report.extract")
    unresolved = tuple({"reason": u.reason, "draft": u.draft} for u in outcome.unresolved)
    return Report(aid, scenario_id, rows, outcome.skipped_reason, unresolved, outcome.errors)
