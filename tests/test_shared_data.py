"""Golden checks of the bundled incidents against the real data they were built from.

They read ../shared (skipped with the reason when it is absent; a failure under CI=true).
Nothing of ../shared's prose is kept in the project: these tests look it up at run time.
"""

from __future__ import annotations

import csv

import pytest

from ceasewatch import services
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def bundled(syria):
    return {i.id: i for i in services.bundled_incidents(syria)}


def test_seed_offsets_point_at_the_passages_they_cite(bundled) -> None:
    text = shared_path("seed/000_66cf9ca88cf9de5f.txt").read_text(encoding="utf-8")
    sukkari = bundled["seed-2016-09-07-al-sukkari"].sources[0]
    assert sukkari.start is not None and sukkari.end is not None
    passage = text[sukkari.start : sukkari.end]
    assert "al-Sukkari" in passage and "seven" in passage and "40" in passage
    chlorine = bundled["seed-2016-09-06-aleppo-chlorine"]
    passages = [
        text[s.start : s.end] for s in chlorine.sources if s.start is not None and s.end is not None
    ]
    assert len(passages) == 2 and all("chlorine" in p for p in passages)
    assert all(s.quote is None for i in bundled.values() for s in i.sources)  # no copied text


def test_ucdp_facts_are_carried_exactly(bundled) -> None:
    path = shared_path("data/ucdp-ged-syria/ged191_syria_20160101-20191130.csv")
    with path.open(encoding="utf-8") as fh:
        rows = {
            r["id"]: r
            for r in csv.DictReader(fh)
            if "2016-09-01" <= r["date_start"] <= "2016-09-30"
        }
    carried = {
        k.removeprefix("ucdp-ged-"): v for k, v in bundled.items() if k.startswith("ucdp-ged-")
    }
    assert len(carried) >= len(rows) - 3  # a few rows are folded into public records
    for uid, inc in carried.items():
        row = rows[uid]
        assert inc.occurred.start.isoformat() == row["date_start"]
        assert inc.location.lat == pytest.approx(float(row["latitude"]))
        assert inc.location.lon == pytest.approx(float(row["longitude"]))
        assert inc.fatalities is not None and inc.fatalities.best == int(row["best"])
