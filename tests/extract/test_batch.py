"""The same outcomes in this process, in worker processes and on a dask cluster."""

from __future__ import annotations

import datetime as dt
import json

from ceasewatch.agreement.model import Scenario
from ceasewatch.extract import batch
from ceasewatch.extract.article import Article, Outcome

MONDAY = dt.date(2016, 9, 5)


def _items() -> list[Article | Outcome]:
    return [
        Article("a", "Shelling killed five people in Homs on Monday.", published=MONDAY),
        Outcome("bad", errors=("x.jsonl:2: (line): not valid JSON",)),
        Article(
            "b", "Jets bombed Saraqib on Sunday, killing two, activists said.", published=MONDAY
        ),
        Article("c", ""),
    ]


def _lines(outcomes: list[Outcome]) -> list[str]:
    return [json.dumps(o.to_json(), sort_keys=True) for o in outcomes]


def test_a_dask_cluster_gives_the_same_outcomes_as_this_process(syria: Scenario) -> None:
    from distributed import Client, LocalCluster

    local = list(batch.run(_items(), syria, batch_size=2))
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        seen: list[int] = []
        remote = list(
            batch.run(_items(), syria, scheduler=client, batch_size=2, progress=seen.append)
        )
    assert _lines(remote) == _lines(local)
    assert [o.status for o in local] == ["ok", "failed", "ok", "skipped"]
    assert sum(seen) == 4
