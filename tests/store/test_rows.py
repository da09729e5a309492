"""The search columns of a row are the same whoever writes it: from the record's JSON (the
API, the migration's backfill) or straight from the dataclass (the importers)."""

from __future__ import annotations

from hypothesis import given, settings

from ceasewatch.incidents import codec
from ceasewatch.incidents.model import Incident
from ceasewatch.store.rows import incident_row, search_columns, search_fields
from tests.test_properties import incidents


@settings(max_examples=60, deadline=None)
@given(incidents())
def test_search_fields_of_the_dataclass_equal_those_of_its_json(inc: Incident) -> None:
    assert search_fields(inc) == search_columns(codec.to_json(inc))
    assert search_fields(inc) == search_columns(incident_row(inc)["record_json"])
