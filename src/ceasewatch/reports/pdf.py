"""Printing a self-contained HTML report to PDF with WeasyPrint (pango does the text).

Nothing is fetched while printing: the report holds its CSS and SVG inline, and the URL
fetcher refuses any address, so a report renders the same offline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ceasewatch.errors import UsageError


def _refuse(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"a report fetches nothing (asked for {url})")


def write_pdf(html: str, path: Path) -> None:
    try:
        import weasyprint  # type: ignore[import-untyped, unused-ignore]
    except (ImportError, OSError) as e:  # OSError: the pango library is missing
        raise UsageError(
            f"PDF output needs WeasyPrint and the pango library ({e}) — pip install "
            "weasyprint==70.0 (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0), "
            "or write -o FILE.html"
        ) from None
    weasyprint.HTML(string=html, url_fetcher=_refuse).write_pdf(path)
