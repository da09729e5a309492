"""fuse: which reports become one incident, and what the incident keeps."""

from __future__ import annotations

from ceasewatch.fusion import fuse
from tests.fusion.factory import report


def test_a_single_report_is_its_own_cluster() -> None:
    r = report("a")
    [cluster] = fuse([r])
    assert cluster.members == ("a",)
    assert cluster.incident.id == "a"


def test_two_feeds_reporting_one_strike_become_one_incident_with_both_sources() -> None:
    a = report("ucdp:1", dataset="ucdp", deaths=21)
    b = report("acled:9", dataset="acled", at=(36.150, 36.950), deaths=(18, 20, 25))
    [cluster] = fuse([a, b])
    assert cluster.members == ("ucdp:1", "acled:9")
    assert cluster.incident.id == "ucdp:1"
    assert {s.document_id for s in cluster.incident.sources} == {"ucdp:ucdp:1", "acled:acled:9"}
    assert cluster.incident.fatalities is not None
    assert (cluster.incident.fatalities.low, cluster.incident.fatalities.high) == (18, 25)
    assert cluster.incident.fatalities.best == 20  # the conservative best
    assert cluster.reasons[0].startswith("acled:9 and ucdp:1: same day 2016-09-19")


def test_two_rows_of_one_dataset_stay_two_events() -> None:
    a = report("ucdp:1", dataset="ucdp")
    b = report("ucdp:2", dataset="ucdp")
    assert len(fuse([a, b])) == 2
