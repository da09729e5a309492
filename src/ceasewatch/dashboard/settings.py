"""The dashboard's settings: built when the app is made (from the environment by
default), never at import time."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, field_validator


class DashboardSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    tile_url: str | None = None
    """A raster tile URL template for online use (``https://HOST/{z}/{x}/{y}.png``). Off by
    default: the map then draws only the project's own GeoJSON, and nothing is loaded from
    anywhere but the server."""
    tile_attribution: str = ""
    """Credit line shown under the map when ``tile_url`` is set (plain text)."""

    @field_validator("tile_url")
    @classmethod
    def _template(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(
                f"{value!r} is not an http(s) URL — write e.g. https://HOST/{{z}}/{{x}}/{{y}}.png"
            )
        missing = [k for k in ("{z}", "{x}", "{y}") if k not in value]
        if missing:
            raise ValueError(f"the tile URL lacks {', '.join(missing)}")
        return value

    @property
    def tile_origin(self) -> str | None:
        """``scheme://host`` of the tile server (for the Content-Security-Policy), or None.

        >>> DashboardSettings(tile_url="https://{s}.tiles.example/{z}/{x}/{y}.png").tile_origin
        'https://*.tiles.example'
        """
        if self.tile_url is None:
            return None
        parts = urlsplit(self.tile_url)
        host = parts.netloc.replace("{s}", "*")
        return f"{parts.scheme}://{host}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> DashboardSettings:
        """``CEASEWATCH_TILE_URL`` and ``CEASEWATCH_TILE_ATTRIBUTION``."""
        return cls(
            tile_url=environ.get("CEASEWATCH_TILE_URL") or None,
            tile_attribution=environ.get("CEASEWATCH_TILE_ATTRIBUTION", ""),
        )
