"""Extracting from articles: one process's ``Extractor`` (the pipeline loaded once).

extractor = Extractor(load_bundled("syria-2016"))
outcome = extractor.extract(Article("a1", text, published=dt.date(2016, 9, 7)))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ceasewatch.agreement.model import Scenario
from ceasewatch.extract.article import Article, Outcome
from ceasewatch.extract.pipeline import MODEL, build


class Extractor:
    """The pipeline for one scenario, built once; ``extract_many`` batches articles."""

    def __init__(self, scenario: Scenario, *, model: str = MODEL) -> None:
        self.scenario = scenario
        self.nlp = build(scenario, model=model)

    def _doc(self, article: Article):  # type: ignore[no-untyped-def]
        doc = self.nlp.make_doc(article.text)
        doc._.article = article
        doc.user_data["ceasewatch_text"] = article.text  # the same text, not rebuilt from tokens
        return doc

    def extract(self, article: Article) -> Outcome:
        """One article's outcome; an error inside extraction becomes the outcome's error."""
        try:
            doc = self.nlp(self._doc(article))
        except Exception as e:  # noqa: BLE001 - one article must never sink a batch
            return Outcome(article.id, errors=(f"extraction failed: {type(e).__name__}: {e}",))
        outcome: Outcome = doc._.outcome
        return outcome

    def extract_many(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[Outcome]:
        """Outcomes in input order. A batch that fails is redone one article at a time, so
        only the article at fault gets an error."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    def _batch(self, batch: list[Article]) -> list[Outcome]:
        try:
            docs = list(self.nlp.pipe((self._doc(a) for a in batch), batch_size=len(batch)))
        except Exception:  # noqa: BLE001
            return [self.extract(a) for a in batch]
        return [d._.outcome for d in docs]
