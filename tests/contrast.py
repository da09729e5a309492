"""WCAG 2 contrast, for the tests of the dashboard's and the report's colours."""

from __future__ import annotations

import re


def hex_rgb(colour: str) -> tuple[float, float, float]:
    """``#rrggbb`` as channels.

    >>> hex_rgb("#c53030")
    (197.0, 48.0, 48.0)
    """
    h = colour.lstrip("#")
    return (float(int(h[0:2], 16)), float(int(h[2:4], 16)), float(int(h[4:6], 16)))


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0-255 channels)."""

    def lin(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG contrast ratio.

    >>> round(contrast((0, 0, 0), (255, 255, 255)), 1)
    21.0
    """
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_colours(html: str) -> set[str]:
    """Every ``color:`` a page's CSS or inline styles set, as ``#rrggbb``.

    >>> sorted(text_colours('<p style="color:#777">a</p><style>b{background-color:#fff}</style>'))
    ['#777777']
    """
    found = re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b", html)
    return {c if len(c) == 7 else "#" + "".join(ch * 2 for ch in c[1:]) for c in found}


def unreadable_on_white(colours: set[str]) -> dict[str, float]:
    """The colours under WCAG AA contrast (4.5:1) as text on white, with their ratio."""
    white = (255.0, 255.0, 255.0)
    ratios = {c: contrast(hex_rgb(c), white) for c in colours}
    return {c: round(r, 2) for c, r in ratios.items() if r < 4.5}
