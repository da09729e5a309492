"""The disputed area on the map: two liaisons' competing delineations of south-west
Aleppo (illustrative maps, docs/examples/delineation) drawn as a layer, in Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ceasewatch.store import db, users
from tests.dashboard import site as site_mod
from tests.dashboard.cdp import Browser
from tests.dashboard.conftest import MAP_READY, sign_in
from tests.delineation.fixtures import REPLACES, SUBJECT, drawn

A = "sep-2016-arrangement"


@pytest.fixture(scope="module")
def disputed_site(
    tmp_path_factory: pytest.TempPathFactory, chromium: str
) -> Iterator[site_mod.Site]:
    root = tmp_path_factory.mktemp("delineation-dashboard")
    url = site_mod.build_store(root)
    tokens = site_mod.add_users(url)
    engine = db.open_store(url)
    for name, party in (("usl", "us-coalition"), ("rul", "ru")):
        _, tokens[name] = users.add(
            engine, name, "liaison", party, actor="cli:test", now=site_mod.NOW
        )
    engine.dispose()
    s = site_mod.start(url, root, tokens)
    try:
        for who, name in (("usl", "us"), ("rul", "ru")):
            body = {
                "subject": SUBJECT,
                "zone_type": "marbled",
                "replaces": REPLACES,
                "features": drawn(name),
            }
            s.ok("POST", f"/api/v1/agreements/{A}/delineations", who, body)
        yield s
    finally:
        s.stop()


def test_the_disputed_area_is_a_layer_on_the_map(
    browser: Browser, disputed_site: site_mod.Site
) -> None:
    site = disputed_site
    listing = site.ok("GET", f"/api/v1/agreements/{A}/delineations", "mona")
    (disputed,) = [f for f in listing["layer"]["features"] if f["properties"]["kind"] == "disputed"]
    sign_in(browser, site, "mona")
    browser.goto(f"{site.base}/dashboard/?agreement={A}", ready=MAP_READY)
    browser.wait_for("document.querySelectorAll('path.delineation-disputed').length > 0")
    assert browser.eval("document.querySelectorAll('path.delineation-disputed').length") >= 1
    labels = browser.eval(
        "[...document.querySelectorAll('.leaflet-control-layers-overlays label')]"
        ".map(l => l.textContent.trim())"
    )
    assert "Delineation: disputed" in labels
    assert disputed["properties"]["versions"] == ["v1", "v2"] and disputed["properties"]["km2"] > 10
    assert browser.errors() == []
    # the public is not shown the proposals
    sign_in(browser, site, None)
    browser.goto(f"{site.base}/dashboard/?agreement={A}", ready=MAP_READY)
    assert browser.eval("document.querySelectorAll('path.delineation-disputed').length") == 0
