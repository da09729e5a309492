// The map page: filters (kept in the URL), the map with the agreement's layers and the
// incidents coloured by verdict, the list of the same incidents (keyboard-friendly, and
// where incidents that cannot be drawn are listed), the timeline, the incident panel.
/* global L */
import { api, clear, data, dayText, el, fail, header, options, say, VERDICT_LABEL, VERDICT_RANK } from "./common.js";
import { fillForm, fromForm, fromURL, toURL } from "./filters.js";
import { drawable, load, newest, VERDICT_COLOURS } from "./incidents.js";
import { agreementsData, baseLayers, delineationLayers, incidentRenderers, makeMap, PrecisionMarker, routeStatusLayer, verdictLegend } from "./layers.js";
import * as panel from "./panel.js";
import * as timeline from "./timeline.js";

const LIST_MAX = 300;
const NOT_DRAWN_MAX = 1000;
const state = { me: null, agreements: [], vocab: null, map: null, cluster: null, items: [], loads: 0, view: null };
window.ceasewatch = state; // for the browser tests and the curious

function currentAgreement(filters) {
  const want = filters.agreement;
  if (want) return state.agreements.find((a) => a.id === want) || null;
  // the newest agreement by entry into force: the one a monitor watches now
  return [...state.agreements].sort((a, b) => b.entry_into_force.localeCompare(a.entry_into_force))[0] || null;
}

function fillSelects(form) {
  const v = state.vocab;
  options(form.elements.agreement, state.agreements.map((a) => [a.id, `${a.title} (${a.id})`]), { empty: "newest" });
  options(form.elements.event_type, Object.keys(v.event_types), { empty: "any" });
  options(form.elements.verdict, v.verdicts.map((x) => [x, VERDICT_LABEL[x]]), { empty: "any" });
  options(form.elements.confidence, v.confidences, { empty: "any" });
  options(form.elements.status, v.statuses, { empty: "any" });
  const actors = new Map();
  const zones = new Map();
  for (const a of state.agreements) {
    for (const x of a.actors) actors.set(x.id, `${x.name} (${x.id})`);
    for (const z of a.zones) zones.set(z.id, `${z.name} — ${z.type}`);
  }
  options(form.elements.actor, [...actors.entries()], { empty: "any" });
  options(form.elements.zone, [...zones.entries()], { empty: "any" });
}

function markerFor(item, radii) {
  const colour = VERDICT_COLOURS[item.verdict];
  const m = new PrecisionMarker([item.lat, item.lon], {
    ...state.renderers,
    radius: 6,
    color: item.status === "proposed" ? "#1a202c" : "#ffffff",
    weight: item.status === "proposed" ? 2 : 1,
    dashArray: item.status === "proposed" ? "2 2" : null,
    fillColor: colour,
    fillOpacity: item.status === "rejected" ? 0.25 : 0.9,
    areaRadius: radii[item.precision] || 0,
    className: `incident v-${item.verdict} s-${item.status}`,
    label: `Incident ${item.id}, ${dayText(item.start)}: ${VERDICT_LABEL[item.verdict]}, ${item.status}`,
  });
  m.options.verdict = item.verdict;
  m.options.incidentId = item.id;
  // the map holds only what it draws; the event and place are read when a tooltip opens
  m.bindTooltip(() => tooltip(item, details.get(item.id)));
  m.on("tooltipopen", () => {
    if (details.has(item.id)) return;
    details.set(item.id, null);
    api(`/incidents/${encodeURIComponent(item.id)}`)
      .then((r) => {
        details.set(item.id, r.incident);
        if (m.isTooltipOpen()) m.setTooltipContent(tooltip(item, r.incident));
      })
      .catch(() => details.delete(item.id));
  });
  m.on("click", () => openIncident(item.id));
  return m;
}

const details = new Map();

function tooltip(item, record) {
  return el("div", { class: "tip" },
    el("div", {}, el("b", {}, record ? record.sub_event_type : "incident")),
    el("div", {}, `${dayText(item.start)}${record && record.location.name ? ` · ${record.location.name}` : ""}`),
    el("div", {}, `${VERDICT_LABEL[item.verdict]} · ${item.precision} · ${item.status}`));
}

/** The most serious verdict under a cluster, kept on the cluster and recomputed only when
 * its count changes: from its child clusters' (already known) and its own markers', so a
 * zoom never walks all 100,000 markers again. */
function worstOf(cluster) {
  const n = cluster.getChildCount();
  if (cluster._cwCount === n) return cluster._cwWorst;
  let worst = "none";
  for (const m of cluster._markers) {
    if (VERDICT_RANK[m.options.verdict] < VERDICT_RANK[worst]) worst = m.options.verdict;
  }
  for (const c of cluster._childClusters) {
    const w = worstOf(c);
    if (VERDICT_RANK[w] < VERDICT_RANK[worst]) worst = w;
  }
  cluster._cwCount = n;
  cluster._cwWorst = worst;
  return worst;
}

function clusterIcon(cluster) {
  const worst = worstOf(cluster);
  const n = cluster.getChildCount();
  const size = n < 10 ? 30 : n < 100 ? 36 : 44;
  // the icon's HTML is a number only: no data from the API goes through innerHTML
  return L.divIcon({ html: `<div><span>${Number(n)}</span></div>`, className: `marker-cluster cluster v-${worst}`, iconSize: L.point(size, size) });
}

function draw(items) {
  const radii = state.vocab.precision_radius_m;
  state.cluster.clearLayers();
  const markers = [];
  const notDrawn = [];
  for (const it of items) {
    if (drawable(it, radii)) markers.push(markerFor(it, radii));
    else notDrawn.push(it);
  }
  state.cluster.addLayers(markers);
  state.drawn = markers.length;
  state.notDrawn = notDrawn.map((i) => i.id);
  return notDrawn;
}

function openButton(id) {
  return el("button", { type: "button", class: "link", onclick: () => openIncident(id), "aria-label": `Open incident ${id}` }, "open");
}

/** The table under the map: the newest whole records (keyboard access to every one), then
 * every incident that has no bounded location — listed, never drawn. */
function listView(items, notDrawn, records) {
  const node = clear(document.getElementById("incident-list"));
  const counts = {};
  for (const it of items) counts[it.verdict] = (counts[it.verdict] || 0) + 1;
  const summary = `${items.length} incident${items.length === 1 ? "" : "s"} shown: ` +
    ["violation", "undetermined", "exempt", "not_applicable", "none"].filter((v) => counts[v]).map((v) => `${counts[v]} ${VERDICT_LABEL[v]}`).join(", ") +
    (notDrawn.length ? `; ${notDrawn.length} not drawn (no bounded location)` : "");
  document.getElementById("summary").textContent = summary;
  const byId = new Map(items.map((it) => [it.id, it]));
  const undrawn = new Set(notDrawn.map((i) => i.id));
  const table = el("table", { class: "data incidents" },
    el("caption", {}, items.length > records.length ? `The newest ${records.length} of ${items.length} incidents` : "Incidents"),
    el("thead", {}, el("tr", {}, ["date", "event", "place", "precision", "verdict", "status", ""].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, records.map((r) => {
      const rec = r.incident;
      const verdict = (byId.get(rec.id) || { verdict: "none" }).verdict;
      return el("tr", { dataset: { id: rec.id } },
        el("td", {}, dayText(rec.occurred.start)),
        el("td", {}, rec.sub_event_type),
        el("td", {}, rec.location.name || ""),
        el("td", {}, rec.location.precision, undrawn.has(rec.id) ? el("span", { class: "note" }, " (not drawn)") : null),
        el("td", {}, el("span", { class: `badge v-${verdict}` }, VERDICT_LABEL[verdict])),
        el("td", {}, r.status),
        el("td", {}, openButton(rec.id)));
    })),
  );
  node.appendChild(table);
  if (notDrawn.length) {
    const shown = notDrawn.slice(0, NOT_DRAWN_MAX);
    node.appendChild(el("table", { class: "data not-drawn" },
      el("caption", {}, `Not drawn: no bounded location (${notDrawn.length}${notDrawn.length > shown.length ? `, the newest ${shown.length} listed` : ""})`),
      el("thead", {}, el("tr", {}, ["date", "incident", "precision", "verdict", "status", ""].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, shown.map((it) => el("tr", { dataset: { id: it.id } },
        el("td", {}, dayText(it.start)),
        el("td", {}, it.id),
        el("td", {}, it.precision || "none"),
        el("td", {}, el("span", { class: `badge v-${it.verdict}` }, VERDICT_LABEL[it.verdict])),
        el("td", {}, it.status),
        el("td", {}, openButton(it.id))))),
    ));
  }
}

async function drawTimeline(filters, run) {
  const node = document.getElementById("timeline");
  const view = currentAgreement(filters);
  if (!view) {
    clear(node).appendChild(el("p", { class: "empty" }, "No agreement is stored yet: upload one (POST /api/v1/agreements)."));
    return;
  }
  document.getElementById("timeline-title").textContent = `Violations per day by party — ${view.title}`;
  if (!state.timeline) clear(node).appendChild(el("p", { class: "empty" }, "Loading the timeline…"));
  const [tl, ph, tr] = await Promise.all([
    api("/timeline", { params: { agreement: view.id } }),
    api("/phases", { params: { agreement: view.id } }),
    api("/triggers", { params: { agreement: view.id } }),
  ]);
  if (run !== state.runs) return; // a newer view asked since
  const marks = timeline.marksFor(view, ph.phases, tr.triggers);
  state.timeline = timeline.draw(node, { rows: tl.rows, view, marks, filters });
}

async function openIncident(id) {
  const node = document.getElementById("panel");
  const here = fromURL();
  history.replaceState(null, "", toURL({ filters: here.filters, incident: id }));
  const view = currentAgreement(here.filters);
  const parties = view ? view.parties : [];
  await panel.show(node, id, {
    me: state.me,
    parties,
    onClose: () => history.replaceState(null, "", toURL({ filters: fromURL().filters, incident: null })),
  });
}

async function refresh() {
  const { filters, incident } = fromURL();
  const run = (state.runs = (state.runs || 0) + 1);
  document.body.dataset.ready = "0";
  document.body.dataset.timeline = "0";
  say("Loading incidents…");
  try {
    const [items, records] = await Promise.all([load(filters), newest(filters, LIST_MAX)]);
    state.items = items;
    const notDrawn = draw(items);
    listView(items, notDrawn, records);
    say(`${items.length} incident${items.length === 1 ? "" : "s"} loaded.`);
    if (incident) await openIncident(incident);
  } catch (e) {
    fail(e);
  } finally {
    state.loads += 1;
    document.body.dataset.loads = String(state.loads);
    document.body.dataset.ready = "1";
  }
  // The timeline evaluates the agreement over every incident on the server (slow with
  // many): the map is usable before it comes, and a newer view's timeline wins.
  try {
    await drawTimeline(filters, run);
  } catch (e) {
    if (run === state.runs) fail(e);
  } finally {
    if (run === state.runs) document.body.dataset.timeline = "1";
  }
}

async function main() {
  state.me = await header();
  const form = document.getElementById("filters");
  const [agreements, vocab] = await Promise.all([agreementsData(), data("/data/vocab.json")]);
  state.agreements = agreements;
  state.vocab = vocab;
  fillSelects(form);
  fillForm(form, fromURL().filters);
  document.getElementById("legend").appendChild(verdictLegend());

  const mapNode = document.getElementById("map");
  state.map = makeMap(mapNode, { tileUrl: document.body.dataset.tiles, tileAttribution: document.body.dataset.tileAttribution });
  const view = currentAgreement(fromURL().filters);
  const layers = view ? await baseLayers(state.map, view) : {};
  if (view) Object.assign(layers, await delineationLayers(state.map, view.id, state.me));
  state.renderers = incidentRenderers(state.map);
  state.cluster = L.markerClusterGroup({ chunkedLoading: true, animate: false, showCoverageOnHover: false, maxClusterRadius: 40, iconCreateFunction: clusterIcon });
  state.cluster.addTo(state.map);
  const control = L.control.layers(null, { ...layers, Incidents: state.cluster }, { collapsed: true }).addTo(state.map);
  L.control.scale({ imperial: false }).addTo(state.map);

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    history.pushState(null, "", toURL({ filters: fromForm(form), incident: null }));
    refresh();
  });
  document.getElementById("clear-filters").addEventListener("click", (ev) => {
    ev.preventDefault();
    fillForm(form, {});
    history.pushState(null, "", toURL({ filters: {}, incident: null }));
    refresh();
  });
  window.addEventListener("popstate", () => {
    fillForm(form, fromURL().filters);
    refresh();
  });
  await refresh();
  // route status on the filter's last day, else on the newest incident's day
  const days = state.items.map((it) => it.start).filter(Boolean).sort();
  const day = fromURL().filters.end || days[days.length - 1];
  try {
    const status = view ? await routeStatusLayer(state.map, view.id, day) : null;
    if (status) control.addOverlay(status, `Route status (${day})`);
  } catch (e) {
    fail(e);
  }
}

main().catch((e) => {
  fail(e);
  document.body.dataset.ready = "1";
});
