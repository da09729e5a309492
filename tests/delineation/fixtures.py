"""Hand-drawn delineations and one incident for the syria-2016 dispute in south-west
Aleppo (docs/examples/delineation: illustrative, not either side's real map)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ceasewatch.agreement.sources import BUNDLED
from ceasewatch.delineation.model import Proposal, Signature
from ceasewatch.delineation.shapes import Shape
from ceasewatch.incidents import codec
from ceasewatch.incidents.model import Incident

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs/examples/delineation"
SYRIA = BUNDLED / "syria-2016"
SUBJECT = "sw-aleppo-marbled"
REPLACES = ["aleppo-southwest-marbled"]


def drawn(name: str) -> dict[str, Any]:
    """``us``, ``ru`` or ``compromise``."""
    data: dict[str, Any] = json.loads((EXAMPLES / f"marbled-{name}.geojson").read_text("utf-8"))
    return data


def syria_outline() -> BaseGeometry:
    fc = json.loads((SYRIA / "admin1.geojson").read_text("utf-8"))
    return shapely.union_all([shape(f["geometry"]) for f in fc["features"]]).buffer(0)


def syria_files() -> dict[str, str]:
    """The bundled spec's files, as an upload (without its incidents)."""
    return {
        p.name: p.read_text(encoding="utf-8")
        for p in SYRIA.iterdir()
        if p.suffix in (".yaml", ".geojson", ".tsv")
    }


#: A Syrian air force strike on the 1070 project during the September 2016 cessation —
#: made up for the test (no such report is claimed): inside the US proposal's marbled
#: area, outside Russia's.
STRIKE: dict[str, Any] = {
    "id": "test-1070-strike",
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Air/drone strike",
    "method": ["airstrike"],
    "occurred": {"start": "2016-09-14", "end": "2016-09-14", "time": "10:00:00"},
    "location": {"name": "1070 project", "lat": 36.1784, "lon": 37.0763, "precision": "exact"},
    "perpetrator": {"text": "Syrian warplanes", "actor": "sy-gov", "attribution": "reported"},
    "confidence": "fair",
    "status": "published",
}


def strike() -> Incident:
    return codec.ADAPTER.validate_python(STRIKE)


def proposal(
    version: int,
    party: str | None,
    seq: int,
    shapes: tuple[Shape, ...],
    *,
    subject: str = SUBJECT,
    replaces: tuple[str, ...] = (),
) -> Proposal:
    """A ledger entry as the store would read it."""
    return Proposal(
        version=version,
        subject=subject,
        zone_type="marbled",
        replaces=replaces,
        shapes=shapes,
        party=party,
        proposed_by=f"user:{party}",
        proposed_at="t",
        seq=seq,
    )


def signature(version: int, party: str, seq: int) -> Signature:
    return Signature(version, party, f"user:{party}", "t", seq)
