"""The JavaScript libraries the dashboard ships (Leaflet, Leaflet.markercluster): copied
into ``static/vendor/`` at build time by ``make vendor`` (frontend/build.mjs), never
fetched at run time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

STATIC = Path(__file__).parent / "static"
VENDOR = STATIC / "vendor"
MANIFEST = VENDOR / "VENDOR.json"


def manifest(root: Path = VENDOR) -> dict[str, Any] | None:
    """The vendored packages with their versions, or None when they are not built (or a
    file the manifest names is missing)."""
    path = root / "VENDOR.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for meta in data.values():
        if not all((root / f).is_file() for f in meta.get("files", ())):
            return None
    return data


MISSING = (
    "The dashboard's JavaScript libraries are not built into this installation. "
    "From a source checkout run `make vendor` (npm ci from the npm registry, then "
    "frontend/build.mjs), or install a built wheel."
)
