"""Running extraction over many articles: in this process, in local worker processes, or
on a dask.distributed cluster — the same outcomes, in input order, in every case.

Articles travel in batches; each worker process builds its ``Extractor`` once (the model
and the gazetteer load once per process) and reuses it for every batch it gets. Articles
that could not be read arrive here already as outcomes and pass straight through.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from ceasewatch.agreement.model import Scenario
from ceasewatch.extract.article import Article, Outcome
from ceasewatch.extract.run import Extractor

Item = Article | Outcome
Progress = Callable[[int], None]

# One extractor per process and scenario (workers keep theirs between batches).
_EXTRACTORS: dict[tuple[str, int], Extractor] = {}


def _extractor(scenario: Scenario) -> Extractor:
    key = (scenario.id, hash(scenario.files))
    found = _EXTRACTORS.get(key)
    if found is None:
        found = _EXTRACTORS[key] = Extractor(scenario)
    return found


def extract_batch(scenario: Scenario, batch: list[Item]) -> list[Outcome]:
    """One batch in this process (what a worker runs)."""
    articles = [a for a in batch if isinstance(a, Article)]
    done = iter(_extractor(scenario).extract_many(articles, batch_size=max(1, len(articles))))
    return [next(done) if isinstance(a, Article) else a for a in batch]


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    stream = iter(items)
    while batch := list(itertools.islice(stream, size)):
        yield batch


def _ordered(
    submit: Callable[[list[Item]], Any],
    result: Callable[[Any], list[Outcome]],
    items: Iterable[Item],
    batch_size: int,
    in_flight: int,
    progress: Progress | None,
) -> Iterator[Outcome]:
    pending: deque[Any] = deque()
    for batch in _batches(items, batch_size):
        pending.append(submit(batch))
        while len(pending) >= in_flight:
            done = result(pending.popleft())
            if progress:
                progress(len(done))
            yield from done
    while pending:
        done = result(pending.popleft())
        if progress:
            progress(len(done))
        yield from done


def run(
    items: Iterable[Item],
    scenario: Scenario,
    *,
    workers: int = 1,
    scheduler: str | Any | None = None,
    batch_size: int = 32,
    progress: Progress | None = None,
) -> Iterator[Outcome]:
    """Outcomes for ``items`` in order. ``workers`` > 1 uses that many local processes;
    ``scheduler`` (an address, or a ``distributed.Client``) runs the batches on a dask
    cluster instead."""
    if scheduler is not None:
        yield from _on_dask(items, scenario, scheduler, batch_size, progress)
        return
    if workers <= 1:
        for batch in _batches(items, batch_size):
            done = extract_batch(scenario, batch)
            if progress:
                progress(len(done))
            yield from done
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:

        def submit(batch: list[Item]) -> Future[list[Outcome]]:
            return pool.submit(extract_batch, scenario, batch)

        def result(f: Future[list[Outcome]]) -> list[Outcome]:
            return f.result()

        yield from _ordered(submit, result, items, batch_size, 2 * workers, progress)


def _on_dask(
    items: Iterable[Item],
    scenario: Scenario,
    scheduler: str | Any,
    batch_size: int,
    progress: Progress | None,
) -> Iterator[Outcome]:
    from distributed import Client

    own = isinstance(scheduler, str)
    client = Client(scheduler) if isinstance(scheduler, str) else scheduler  # type: ignore[no-untyped-call]
    try:
        shared = client.scatter(scenario, broadcast=True)
        slots = 2 * max(1, sum(client.nthreads().values()))

        def submit(batch: list[Item]) -> Any:
            return client.submit(extract_batch, shared, batch, pure=False)

        def result(f: Any) -> list[Outcome]:
            out: list[Outcome] = f.result()
            return out

        yield from _ordered(submit, result, items, batch_size, slots, progress)
    finally:
        if own:
            client.close()
