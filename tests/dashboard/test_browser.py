"""The dashboard as a person meets it: headless Chromium, a real ``ceasewatch serve`` over
the demo's store, real clicks."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from tests.dashboard import site as site_mod
from tests.dashboard.cdp import Browser
from tests.dashboard.conftest import MAP_READY, PANEL_READY, TIMELINE_READY, sign_in

Site = site_mod.Site


def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _local(site: Site, urls: list[str]) -> list[str]:
    """The URLs that are neither on the server nor inline (data:, blob:)."""
    return [
        u for u in urls if not (u.startswith(site.base + "/") or u.startswith(("data:", "blob:")))
    ]


def test_the_map_draws_every_demo_incident_the_public_may_see(browser: Browser, site: Site) -> None:
    sign_in(browser, site, None)
    browser.goto(f"{site.base}/dashboard/", ready=MAP_READY)
    expected = {r["incident"]["id"] for r in site.all_incidents(None)}
    shown = set(browser.eval("window.ceasewatch.items.map(i => i.id)"))
    assert shown == expected
    drawn = browser.eval("window.ceasewatch.drawn")
    not_drawn = browser.eval("window.ceasewatch.notDrawn")
    assert drawn + len(not_drawn) == len(expected)
    # country-level incidents have no bounded location: listed, not drawn
    country = {
        r["incident"]["id"]
        for r in site.all_incidents(None)
        if r["incident"]["location"]["precision"] == "country"
    }
    assert set(not_drawn) == country
    listed = browser.eval(
        "[...document.querySelectorAll('table.not-drawn tbody tr')].map(r => r.dataset.id)"
    )
    assert country and set(listed) == country  # each listed under the map, with a button
    # the markers are on the map: clusters at this zoom, each with its count
    counts = browser.eval(
        "[...document.querySelectorAll('.marker-cluster span')].map(s => Number(s.textContent))"
    )
    # single markers are drawn on one canvas (one <canvas>, not a path per incident)
    singles = browser.eval(
        "window.ceasewatch.cluster.getLayers().filter(m => window.ceasewatch.map.hasLayer(m)).length"
    )
    assert browser.eval("document.querySelectorAll('.leaflet-incidents-pane canvas').length") == 1
    assert counts and sum(counts) + singles == drawn
    assert browser.errors() == []
    assert _local(site, browser.requested()) == []


def test_a_filter_in_the_url_changes_the_markers(browser: Browser, site: Site) -> None:
    sign_in(browser, site, None)
    browser.goto(f"{site.base}/dashboard/?event_type=Battles", ready=MAP_READY)
    battles = {r["incident"]["id"] for r in site.all_incidents(None, event_type="Battles")}
    every = site.all_incidents(None)
    assert 0 < len(battles) < len(every)
    assert set(browser.eval("window.ceasewatch.items.map(i => i.id)")) == battles
    assert browser.eval("document.getElementById('f-event_type').value") == "Battles"
    # the form writes the URL: apply another filter and the address follows
    loads = browser.eval("window.ceasewatch.loads")
    browser.select("#f-verdict", "violation")
    browser.click("#filters button[type=submit]")
    browser.wait_for(f"window.ceasewatch.loads > {loads} && document.body.dataset.ready === '1'")
    assert browser.eval("new URLSearchParams(location.search).get('verdict')") == "violation"
    assert browser.eval("new URLSearchParams(location.search).get('event_type')") == "Battles"
    violations = {
        r["incident"]["id"]
        for r in site.all_incidents(None, event_type="Battles", verdict="violation")
    }
    assert set(browser.eval("window.ceasewatch.items.map(i => i.id)")) == violations
    assert set(browser.eval("window.ceasewatch.items.map(i => i.verdict)")) <= {"violation"}


def test_clicking_al_sukkari_shows_its_findings_reasons(browser: Browser, site: Site) -> None:
    sign_in(browser, site, None)
    browser.goto(f"{site.base}/dashboard/", ready=MAP_READY)
    sid = site_mod.SUKKARI
    # open the cluster that holds it, then click the marker itself with the mouse
    browser.eval(
        f"""new Promise(done => {{
          const s = window.ceasewatch;
          const m = s.cluster.getLayers().find(l => l.options.incidentId === {json.dumps(sid)});
          s.cluster.zoomToShowLayer(m, () => done(true));
        }})"""
    )
    browser.wait_for(
        f"window.ceasewatch.map.hasLayer(window.ceasewatch.cluster.getLayers()"
        f".find(l => l.options.incidentId === {json.dumps(sid)}))"
    )
    x, y = browser.eval(
        f"""(() => {{
          const s = window.ceasewatch;
          const m = s.cluster.getLayers().find(l => l.options.incidentId === {json.dumps(sid)});
          const p = s.map.latLngToContainerPoint(m.getLatLng());
          const r = s.map.getContainer().getBoundingClientRect();
          return [r.left + p.x, r.top + p.y];
        }})()"""
    )
    browser.click_at(x, y)
    browser.wait_for(f"document.getElementById('panel').dataset.incident === {json.dumps(sid)}")
    browser.wait_for(PANEL_READY)
    # its precision is drawn: a neighbourhood-level incident is a circle, not a pin
    area = browser.eval(
        f"""(() => {{
          const s = window.ceasewatch;
          const m = s.cluster.getLayers().find(l => l.options.incidentId === {json.dumps(sid)});
          return m._area && s.map.hasLayer(m._area) ? m._area.getRadius() : null;
        }})()"""
    )
    assert (
        area == site.ok("GET", "/dashboard/data/vocab.json")["precision_radius_m"]["neighbourhood"]
    )
    panel = _ws(browser.eval("document.getElementById('panel').innerText"))
    findings = site.ok("GET", f"/api/v1/findings?incident_id={sid}")
    assert findings
    for f in findings:
        for reason in f["finding"]["reasons"]:
            assert _ws(reason) in panel
    assert browser.eval("new URLSearchParams(location.search).get('incident')") == sid


def test_a_monitor_publishes_a_proposed_incident_from_the_queue(
    browser: Browser, site: Site
) -> None:
    rid = site.ids["queue"]
    # sign in through the form, as a person would
    browser.goto(f"{site.base}/dashboard/signin")
    browser.eval("sessionStorage.removeItem('ceasewatch.token')")
    browser.fill("#token", site.tokens["mona"])
    browser.click("#signin button[type=submit]")
    browser.wait_for(
        "location.pathname === '/dashboard/' && document.body.dataset.role === 'monitor'"
    )
    browser.goto(f"{site.base}/dashboard/review")
    card = f'li.card[data-id="{rid}"]'
    assert browser.eval(f"!!document.querySelector('{card}')")
    browser.fill(f"{card} form[data-action=publish] input[name=reason]", "two sources agree")
    browser.click(f"{card} form[data-action=publish] button")
    browser.wait_for(f"!document.querySelector('{card}')")
    got = site.ok("GET", f"/api/v1/incidents/{rid}", "mona")
    assert got["status"] == "published"
    history = site.ok("GET", f"/api/v1/incidents/{rid}/history", "mona")
    assert any(h["reason"] == "two sources agree" and h["actor"] == "user:mona" for h in history)
    # and the public now sees it
    assert site.call("GET", f"/api/v1/incidents/{rid}")[0] == 200


def test_a_public_session_receives_no_unpublished_incident(browser: Browser, site: Site) -> None:
    sign_in(browser, site, None)
    secret = [site.ids["gov"], site.ids["opp"]]
    browser.goto(f"{site.base}/dashboard/?status=proposed", ready=MAP_READY)
    assert not set(secret) & set(browser.eval("window.ceasewatch.items.map(i => i.id)"))
    lists = {u: b for u, b in browser.bodies("/api/v1/").items() if "/incidents?" in u}
    assert any("/map/incidents?" in u for u in lists)
    assert not [u for u, b in lists.items() for x in secret if x in b]  # not even an id
    received = []
    for path in (
        "/dashboard/",
        "/dashboard/?status=proposed",
        f"/dashboard/?incident={quote(secret[1])}",
        "/dashboard/agreement",
        "/dashboard/review",
    ):
        browser.goto(site.base + path)
        browser.wait_for("document.body.dataset.ready === '1'")
        received.extend(browser.bodies("/api/v1/").values())
        received.append(browser.eval("document.documentElement.outerHTML"))
    assert received
    for text in received:
        # the records' content never arrives (an id may: the page names what it asked for)
        assert "liaison claim place" not in text
    assert (
        browser.eval(
            "window.ceasewatch.me ? window.ceasewatch.me.role : document.body.dataset.role"
        )
        == "public"
    )


def test_a_liaison_receives_its_own_unpublished_incident_and_not_the_other_partys(
    browser: Browser, site: Site
) -> None:
    sign_in(browser, site, "gov")
    browser.goto(f"{site.base}/dashboard/?status=proposed", ready=MAP_READY)
    ids = set(browser.eval("window.ceasewatch.items.map(i => i.id)"))
    assert site.ids["gov"] in ids
    assert site.ids["opp"] not in ids
    # the map's data (the compact view and the list's records) never names it
    lists = {u: b for u, b in browser.bodies("/api/v1/").items() if "/incidents?" in u}
    assert any("/map/incidents?" in u for u in lists) and any(
        site.ids["gov"] in b for b in lists.values()
    )
    assert not [u for u, b in lists.items() if site.ids["opp"] in b]
    browser.goto(f"{site.base}/dashboard/?incident={quote(site.ids['opp'])}", ready=PANEL_READY)
    bodies = browser.bodies("/api/v1/")
    html = browser.eval("document.documentElement.outerHTML")
    assert bodies
    for text in [*bodies.values(), html]:
        assert "Opp liaison claim place" not in text
    assert "No incident" in browser.eval("document.getElementById('panel').innerText")


def test_text_with_html_or_script_shows_as_text(browser: Browser, site: Site) -> None:
    sign_in(browser, site, None)
    browser.goto(f"{site.base}/dashboard/?incident={site.ids['xss']}", ready=PANEL_READY)
    assert browser.eval("typeof window.__xss") == "undefined"
    panel = browser.eval("document.getElementById('panel').textContent")
    assert site_mod.XSS_NAME in panel
    table = browser.eval("document.getElementById('incident-list').textContent")
    assert site_mod.XSS_NAME in table
    assert (
        browser.eval(
            "document.querySelectorAll('#panel img, #panel script, #incident-list img').length"
        )
        == 0
    )


def test_the_cited_passage_is_highlighted_when_the_source_text_is_held(
    browser: Browser, site: Site
) -> None:
    sign_in(browser, site, "ana")
    browser.goto(f"{site.base}/dashboard/?incident={site.ids['cited']}", ready=PANEL_READY)
    assert browser.eval("document.querySelector('#panel mark').textContent") == site_mod.CITED
    # the public may not read evidence: it sees the offsets, not the passage
    sign_in(browser, site, None)
    browser.goto(f"{site.base}/dashboard/?incident={site.ids['cited']}", ready=PANEL_READY)
    assert browser.eval("document.querySelector('#panel mark')") is None
    assert site_mod.CITED not in browser.eval("document.documentElement.outerHTML")


def test_the_timeline_counts_the_apis_violations_and_marks_entry_into_force(
    browser: Browser, site: Site
) -> None:
    sign_in(browser, site, None)
    agreement = "sep-2016-arrangement"
    browser.goto(f"{site.base}/dashboard/?agreement={agreement}", ready=TIMELINE_READY)
    rows = site.ok("GET", f"/api/v1/timeline?agreement={agreement}")["rows"]
    assert browser.eval("window.ceasewatch.timeline.total") == sum(r["violations"] for r in rows)
    bars = browser.eval(
        "[...document.querySelectorAll('#timeline rect.bar')].map(r => r.dataset.date)"
    )
    assert set(bars) == {r["date"] for r in rows if r["violations"]}
    assert browser.eval("document.querySelectorAll('#timeline line[data-kind=eif]').length") == 1
    assert browser.eval("document.querySelectorAll('#timeline rect.band-baseline').length") > 0


def test_the_agreement_page_lists_rules_in_plain_language_and_phase_status(
    browser: Browser, site: Site
) -> None:
    sign_in(browser, site, None)
    agreement = "sep-2016-arrangement"
    browser.goto(f"{site.base}/dashboard/agreement?agreement={agreement}")
    detail = site.ok("GET", f"/api/v1/agreements/{agreement}")
    items = browser.eval("[...document.querySelectorAll('.rules > li')].map(li => li.id)")
    assert items == [f"rule-{r['id']}" for r in detail["rules"]]
    text = _ws(browser.eval("document.querySelector('.rules').innerText"))
    for r in detail["rules"]:
        assert _ws(r["provision"]) in text
    phases = site.ok("GET", f"/api/v1/phases?agreement={agreement}")["phases"]
    shown = browser.eval(
        "Object.fromEntries([...document.querySelectorAll('.phases > li')]"
        ".map(li => [li.id.slice(6), li.dataset.status]))"
    )
    assert shown == {p["phase_id"]: p["status"] for p in phases}
    assert browser.errors() == []


def test_a_monitor_enters_an_incident_by_clicking_the_map(browser: Browser, site: Site) -> None:
    sign_in(browser, site, "mona")
    browser.goto(f"{site.base}/dashboard/review")
    browser.wait_for("document.querySelector('#entry-map .leaflet-pane') !== null")
    x, y = browser.eval(
        "(() => { const r = document.getElementById('entry-map').getBoundingClientRect();"
        " document.getElementById('entry-map').scrollIntoView({block: 'center'});"
        " const q = document.getElementById('entry-map').getBoundingClientRect();"
        " return [q.left + q.width * 0.4, q.top + q.height * 0.45]; })()"
    )
    browser.click_at(x, y)
    browser.wait_for("document.getElementById('e-lat').value !== ''")
    lat = float(browser.eval("document.getElementById('e-lat').value"))
    lon = float(browser.eval("document.getElementById('e-lon').value"))
    browser.set_value("#e-start", "2016-09-18")
    browser.fill("#e-place", "Clicked place")
    before = {
        r["incident"]["id"] for r in site.ok("GET", "/api/v1/review?limit=1000", "mona")["data"]
    }
    browser.click("#entry button[type=submit]")
    said = browser.wait_for(
        "document.getElementById('status').dataset.kind === 'error' ||"
        " document.getElementById('status').textContent.startsWith('Stored')"
        " ? document.getElementById('status').textContent : null"
    )
    assert said.startswith("Stored"), said
    after = site.ok("GET", "/api/v1/review?limit=1000", "mona")["data"]
    new = [r for r in after if r["incident"]["id"] not in before]
    assert len(new) == 1
    loc = new[0]["incident"]["location"]
    assert (loc["lat"], loc["lon"], loc["name"]) == (lat, lon, "Clicked place")
    assert new[0]["status"] == "proposed"


def test_a_monitor_overrides_and_asks_and_the_liaison_answers_in_the_panel(
    browser: Browser, site: Site
) -> None:
    sid = site_mod.SUKKARI
    sign_in(browser, site, "mona")
    browser.goto(f"{site.base}/dashboard/?incident={sid}", ready=PANEL_READY)
    first = site.ok("GET", f"/api/v1/findings?incident_id={sid}", "mona")[0]
    fid = first["finding"]["id"]
    form = f'#panel li.finding[data-finding="{fid}"] form'
    browser.select(f"{form} select[name=verdict]", "undetermined")
    browser.fill(f"{form} input[name=reason]", "the strike may have been on the front line")
    browser.click(f"{form} button")
    browser.wait_for(
        f"document.querySelector('#panel li.finding[data-finding=\"{fid}\"]')"
        "?.dataset.verdict === 'undetermined' && document.getElementById('panel').dataset.ready === '1'"
    )
    after = next(
        f
        for f in site.ok("GET", f"/api/v1/findings?incident_id={sid}", "mona")
        if f["finding"]["id"] == fid
    )
    assert (
        after["verdict"] == "undetermined" and after["machine_verdict"] == first["machine_verdict"]
    )
    assert after["override"]["reason"] == "the strike may have been on the front line"
    # ask the government's liaison
    browser.select("#panel select[name=party]", "sy-gov")
    browser.fill("#panel textarea[name=question]", "Did your aircraft fly over al-Sukkari?")
    browser.click("#panel textarea[name=question] ~ button")
    browser.wait_for("document.querySelectorAll('#panel li.query').length === 1")
    # the liaison answers in the panel
    sign_in(browser, site, "gov")
    browser.goto(f"{site.base}/dashboard/?incident={sid}", ready=PANEL_READY)
    browser.fill("#panel textarea[name=answer]", "No combat flights that day.")
    browser.click("#panel textarea[name=answer] ~ button")
    browser.wait_for("document.querySelector('#panel p.answer') !== null")
    queries = site.ok("GET", f"/api/v1/queries?incident_id={sid}", "mona")
    assert [(q["party"], q["answer"], q["answered_by"]) for q in queries] == [
        ("sy-gov", "No combat flights that day.", "user:gov")
    ]


def test_the_route_status_layer_colours_each_route_by_its_status_that_day(
    browser: Browser, site: Site
) -> None:
    sign_in(browser, site, None)
    browser.goto(f"{site.base}/dashboard/?end=2016-09-16", ready=MAP_READY)
    browser.wait_for("document.body.dataset.routeStatus")
    shown = dict(x.split(":") for x in browser.eval("document.body.dataset.routeStatus").split())
    # the Castello road withdrawal went unverified: closed on 16 Sep 2016 (access.json)
    assert shown["castello-road"] == "closed"
    assert set(shown.values()) <= {"open", "closed", "unknown"}
    strokes = browser.eval(
        "[...document.querySelectorAll('path.route-closed')].map(p => p.getAttribute('stroke'))"
    )
    assert strokes and set(strokes) == {"#c53030"}
    assert browser.errors() == []
