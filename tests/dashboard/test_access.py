"""Keyboard, labels and contrast, in headless Chromium: every control is reached with Tab
and has a name, an incident opens from the keyboard, the map pans with the arrow keys,
and the verdict colours keep WCAG AA contrast (4.5:1 for text)."""

from __future__ import annotations

import re

from tests.contrast import contrast
from tests.dashboard import site as site_mod
from tests.dashboard.cdp import Browser
from tests.dashboard.conftest import MAP_READY, PANEL_READY, TIMELINE_READY, sign_in

Site = site_mod.Site
VERDICTS = ("violation", "undetermined", "exempt", "not_applicable", "none")

#: What the focused element is, and its accessible name as a screen reader would give it
#: (aria-labelledby, aria-label, <label>, text, title, alt — in that order).
FOCUSED = """(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const text = (n) => (n ? (n.innerText || n.textContent || "").trim() : "");
  let name = "";
  const by = e.getAttribute("aria-labelledby");
  if (by) name = by.split(/\\s+/).map((id) => text(document.getElementById(id))).join(" ").trim();
  if (!name) name = (e.getAttribute("aria-label") || "").trim();
  if (!name && e.labels && e.labels.length) name = text(e.labels[0]);
  if (!name && !["INPUT", "SELECT", "TEXTAREA"].includes(e.tagName)) name = text(e);
  if (!name) name = (e.getAttribute("title") || e.getAttribute("alt") || "").trim();
  return { tag: e.tagName, id: e.id, cls: String(e.className && e.className.baseVal !== undefined
    ? e.className.baseVal : e.className), name, key: e.outerHTML.slice(0, 160) };
})()"""

#: Every visible form control of the page without a name.
UNNAMED = (
    "[...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href]')]"
    ".filter((e) => e.offsetParent !== null).filter((e) => !("
    "  (e.getAttribute('aria-label') || '').trim() ||"
    "  (e.getAttribute('aria-labelledby') && document.getElementById(e.getAttribute('aria-labelledby'))) ||"
    "  (e.labels && e.labels.length && e.labels[0].textContent.trim()) ||"
    "  (!['INPUT', 'SELECT', 'TEXTAREA'].includes(e.tagName) && e.textContent.trim()) ||"
    "  (e.getAttribute('title') || '').trim()))"
    ".map((e) => e.outerHTML.slice(0, 120))"
)


def _tab_through(browser: Browser, until: str, limit: int = 250) -> list[dict[str, str]]:
    """Press Tab from the top of the page until an element matching ``until`` (a CSS
    selector) has the focus; every element focused on the way."""
    browser.eval("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    seen: list[dict[str, str]] = []
    for _ in range(limit):
        browser.press("Tab")
        now = browser.eval(FOCUSED)
        assert now is not None, f"Tab left the page after {[s['key'] for s in seen[-3:]]}"
        seen.append(now)
        if browser.eval(f"document.activeElement.matches({until!r})"):
            return seen
    raise AssertionError(f"{until} never got the focus in {limit} Tabs: {seen[-5:]}")


def test_tab_reaches_every_filter_the_map_and_an_incident_and_each_has_a_name(
    browser: Browser, site: Site
) -> None:
    sign_in(browser, site, None)
    browser.goto(f"{site.base}/dashboard/", ready=TIMELINE_READY)
    seen = _tab_through(browser, "#incident-list button")
    assert seen[0]["cls"] == "skip" and "Skip" in seen[0]["name"]  # the first stop skips the menu
    ids = [s["id"] for s in seen]
    filters = ["f-agreement", "f-start", "f-end", "f-actor", "f-zone", "f-event_type",
               "f-verdict", "f-confidence", "f-status", "f-q"]  # fmt: skip
    # in reading order (Tab also steps through a date field's day, month and year)
    assert list(dict.fromkeys(i for i in ids if i in filters)) == filters
    assert "map" in ids  # Leaflet's map container takes the focus (arrow keys pan it)
    nameless = [s["key"] for s in seen if not s["name"] and s["id"] != "map"]
    assert nameless == []
    assert browser.eval("document.getElementById('map').getAttribute('aria-label')")
    # Enter on the focused "open" button opens that incident's panel
    row = browser.eval("document.activeElement.closest('tr').dataset.id")
    browser.press("Enter")
    browser.wait_for(f"document.getElementById('panel').dataset.incident === {row!r}")
    browser.wait_for(PANEL_READY)


def test_the_map_pans_and_zooms_from_the_keyboard(browser: Browser, site: Site) -> None:
    sign_in(browser, site, None)
    browser.goto(f"{site.base}/dashboard/", ready=MAP_READY)
    browser.eval("document.getElementById('map').focus()")
    before = browser.eval(
        "[window.ceasewatch.map.getCenter().lng, window.ceasewatch.map.getZoom()]"
    )
    browser.press("ArrowRight")
    browser.wait_for(f"window.ceasewatch.map.getCenter().lng > {before[0]}")
    browser.press("+")
    browser.wait_for(f"window.ceasewatch.map.getZoom() > {before[1]}")


def test_every_control_of_every_page_has_a_label(browser: Browser, site: Site) -> None:
    sign_in(browser, site, "mona")
    pages = [
        ("/dashboard/", MAP_READY),
        (f"/dashboard/?incident={site_mod.SUKKARI}", PANEL_READY),
        ("/dashboard/agreement", "document.body.dataset.ready === '1'"),
        ("/dashboard/review", "document.body.dataset.ready === '1'"),
        ("/dashboard/signin", "document.body.dataset.ready === '1'"),
    ]
    for path, ready in pages:
        browser.goto(site.base + path, ready=ready)
        controls = browser.eval(
            "document.querySelectorAll('input:not([type=hidden]), select, textarea, button').length"
        )
        assert controls > 0, path
        assert browser.eval(UNNAMED) == [], path


# ---- contrast ----------------------------------------------------------------------


def _rgb(css: str) -> tuple[float, float, float, float]:
    nums = [float(x) for x in re.findall(r"[\d.]+", css)]
    return (nums[0], nums[1], nums[2], nums[3] if len(nums) > 3 else 1.0)


def _over_white(css: str) -> tuple[float, float, float]:
    r, g, b, a = _rgb(css)
    return (r * a + 255 * (1 - a), g * a + 255 * (1 - a), b * a + 255 * (1 - a))


#: For each verdict: a badge (the list, the panel) and a cluster's count, as the page
#: styles them; text colour and the background behind it.
SAMPLES = """(() => {
  const out = {};
  const host = document.createElement("div");
  document.body.appendChild(host);
  for (const v of VERDICTS) {
    const badge = document.createElement("span");
    badge.className = `badge v-${v}`;
    badge.textContent = "violation";
    const cluster = document.createElement("div");
    cluster.className = `marker-cluster cluster v-${v}`;
    const inner = document.createElement("div");
    inner.textContent = "12";
    cluster.appendChild(inner);
    host.append(badge, cluster);
    const b = getComputedStyle(badge), c = getComputedStyle(inner);
    out[v] = { badge: [b.color, b.backgroundColor], cluster: [c.color, c.backgroundColor] };
  }
  host.remove();
  return out;
})()"""


def test_verdict_colours_keep_wcag_aa_contrast(browser: Browser, site: Site) -> None:
    sign_in(browser, site, None)
    browser.goto(f"{site.base}/dashboard/", ready=MAP_READY)
    samples = browser.eval(SAMPLES.replace("VERDICTS", repr(list(VERDICTS))))
    for v in VERDICTS:
        for what in ("badge", "cluster"):
            fg, bg = samples[v][what]
            ratio = contrast(_over_white(fg), _over_white(bg))
            assert ratio >= 4.5, f"{what} of {v}: {fg} on {bg} is {ratio:.2f}:1"
