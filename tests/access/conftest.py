"""A small world for the access tests: the minimal example scenario (docs/examples) with
an access.v2 rule, a corridor window, a checkpoint and an access_sustained gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ceasewatch.agreement.loader import load_scenario
from ceasewatch.agreement.model import Agreement, Scenario

MINIMAL = Path(__file__).resolve().parents[2] / "docs/examples/minimal"

ACCESS_RULE = """
  - id: convoys
    type: access.v2
    provision: Convoys on the river road pass within a day of clearance.
    effective:
      start: 2024-05-01T06:00:00-01:00
      end: 2024-05-31T06:00:00-01:00
    route: river-road
    release_within: 24h
    monitored_checkpoints: true
    controlled_by:
      government: [gov]
      opposition: [rebels]
phases:"""

CHECKPOINTS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": "bridge",
            "properties": {
                "id": "bridge",
                "name": "Bridge checkpoint",
                "route": "river-road",
                "operated_by": ["gov"],
                "monitored_by": [],
            },
            "geometry": {"type": "Point", "coordinates": [-30.0, 0.03]},
        }
    ],
}


def files(**changes: str) -> dict[str, str]:
    """The minimal example with the access additions; ``changes`` replace whole files."""
    out = {p.name: p.read_text(encoding="utf-8") for p in MINIMAL.iterdir() if p.is_file()}
    truce = out["truce.yaml"].replace("\nphases:", ACCESS_RULE, 1)
    truce = truce.replace(
        "        - route_open: {route: river-road}",
        "        - access_sustained: {routes: [river-road]}",
    )
    truce += (
        "\ncorridors:\n  - id: river-corridor\n    route: river-road\n"
        "    window: daily 08:00-16:00 Atlantic/Cape_Verde\n"
    )
    out["truce.yaml"] = truce
    out["scenario.yaml"] = out["scenario.yaml"].replace(
        "  routes: routes.geojson", "  routes: routes.geojson\n  checkpoints: checkpoints.geojson"
    )
    out["checkpoints.geojson"] = json.dumps(CHECKPOINTS, indent=1)
    out.update(changes)
    return out


def load(**changes: str) -> Scenario:
    held = files(**changes)
    return load_scenario(lambda rel: held[rel])


@pytest.fixture(scope="session")
def valley() -> Scenario:
    return load()


@pytest.fixture(scope="session")
def truce(valley: Scenario) -> Agreement:
    return valley.agreements[0]
