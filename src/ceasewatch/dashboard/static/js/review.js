// The monitors' page: the review queue (publish, edit, reject — each with a reason) and a
// form to enter an incident by clicking the map or typing coordinates. Analysts see the
// queue and cannot act; a liaison sees only the form (its incidents are stored proposed).
/* global L */
import { api, BASE, CAN_REVIEW, clear, data, dayText, el, fail, header, options, say, tollText, whenText } from "./common.js";
import { agreementsData, baseLayers, makeMap, PrecisionMarker } from "./layers.js";

const state = { me: null, vocab: null, agreements: [], queue: [] };
window.ceasewatch = state;

function reasonForm(label, action, item, { danger = false } = {}) {
  const id = `${action}-${item.incident.id}`;
  const reason = el("input", { id, name: "reason", required: true, maxlength: 10000, placeholder: "reason (required, kept in the audit log)" });
  const form = el("form", { class: "inline-form", dataset: { action } },
    el("label", { for: id }, `Reason to ${action}`), reason, el("button", { type: "submit", class: danger ? "danger" : null }, label));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const out = await api(`/incidents/${encodeURIComponent(item.incident.id)}/${action}`, {
        method: "POST",
        body: { reason: reason.value, version: item.version },
      });
      say(`${item.incident.id} is now ${out.status}.`);
      await loadQueue();
    } catch (e) {
      fail(e);
    }
  });
  return form;
}

function editForm(item) {
  const inc = item.incident;
  const v = state.vocab;
  const f = (name, label, input) => [el("label", { for: `${name}-${inc.id}` }, label), Object.assign(input, { id: `${name}-${inc.id}`, name })];
  const et = el("select", {});
  options(et, Object.keys(v.event_types));
  et.value = inc.event_type;
  const sub = el("select", {});
  const fillSub = () => {
    options(sub, v.event_types[et.value] || []);
  };
  fillSub();
  sub.value = inc.sub_event_type;
  et.addEventListener("change", fillSub);
  const start = el("input", { type: "date", value: inc.occurred.start, required: true });
  const end = el("input", { type: "date", value: inc.occurred.end, required: true });
  const lat = el("input", { type: "number", step: "any", value: inc.location.lat, required: true });
  const lon = el("input", { type: "number", step: "any", value: inc.location.lon, required: true });
  const prec = el("select", {});
  options(prec, v.location_precisions);
  prec.value = inc.location.precision;
  const place = el("input", { value: inc.location.name || "", maxlength: 200 });
  const conf = el("select", {});
  options(conf, v.confidences);
  conf.value = inc.confidence;
  const reason = el("input", { required: true, maxlength: 10000, placeholder: "what changed and why (required)" });
  const form = el("form", { class: "edit-form", dataset: { action: "edit" } },
    f("event_type", "Event type", et), f("sub_event_type", "Sub-event type", sub),
    f("start", "First day", start), f("end", "Last day", end),
    f("lat", "Latitude", lat), f("lon", "Longitude", lon), f("precision", "Precision", prec), f("place", "Place name", place),
    f("confidence", "Confidence", conf), f("reason", "Reason", reason),
    el("button", { type: "submit" }, "Save changes"));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const changes = {
      event_type: et.value,
      sub_event_type: sub.value,
      occurred: { start: start.value, end: end.value || start.value },
      location: { lat: Number(lat.value), lon: Number(lon.value), precision: prec.value, name: place.value || null },
      confidence: conf.value,
    };
    try {
      await api(`/incidents/${encodeURIComponent(inc.id)}`, { method: "PATCH", body: { reason: reason.value, version: item.version, changes } });
      say(`${inc.id} saved.`);
      await loadQueue();
    } catch (e) {
      fail(e);
    }
  });
  return el("details", {}, el("summary", {}, "Edit"), form);
}

function card(item) {
  const inc = item.incident;
  const perp = inc.perpetrator || {};
  const box = el("li", { class: "card", dataset: { id: inc.id } },
    el("h3", {}, `${inc.sub_event_type} · ${whenText(inc.occurred)}`),
    el("p", {}, `${inc.location.name || ""} (${inc.location.lat}, ${inc.location.lon}; ${inc.location.precision})`),
    el("p", { class: "note" },
      `Id ${inc.id} · version ${item.version} · submitted by ${item.created_by || inc.submitted_by || "?"}`,
      item.owner_party ? ` for ${item.owner_party}` : "",
      ` · perpetrator: ${perp.text || perp.actor || "not reported"} (${perp.attribution || "unknown"})`,
      inc.fatalities ? ` · killed ${tollText(inc.fatalities)}` : ""),
    el("p", {}, (inc.sources || []).map((s) => el("span", { class: "source-chip" }, s.publisher || s.document_id, s.published ? `, ${dayText(s.published)}` : ""))),
    el("p", {}, el("a", { href: `${BASE}/?incident=${encodeURIComponent(inc.id)}` }, "Open on the map")),
  );
  if (CAN_REVIEW.has(state.me.role)) {
    box.append(reasonForm("Publish", "publish", item), reasonForm("Reject", "reject", item, { danger: true }), editForm(item));
  }
  return box;
}

async function loadQueue() {
  const node = document.getElementById("queue");
  if (!["admin", "monitor", "analyst"].includes(state.me.role)) {
    clear(node).appendChild(el("p", { class: "note" }, "The review queue is for monitors (sign in with a monitor's token)."));
    return;
  }
  const page = await api("/review", { params: { limit: 1000 } });
  state.queue = page.data;
  clear(node);
  if (!page.data.length) node.appendChild(el("p", { class: "empty" }, "Nothing waits for review."));
  else node.appendChild(el("ol", { class: "cards" }, page.data.map(card)));
  document.body.dataset.queue = String(page.data.length);
}

function entryForm(map) {
  const form = document.getElementById("entry");
  const v = state.vocab;
  const els = form.elements;
  options(els.event_type, Object.keys(v.event_types));
  const fillSub = () => options(els.sub_event_type, v.event_types[els.event_type.value] || []);
  els.event_type.addEventListener("change", fillSub);
  fillSub();
  options(els.method, v.methods);
  options(els.precision, v.location_precisions);
  els.precision.value = "town";
  options(els.attribution, v.attributions);
  els.attribution.value = "unknown";
  options(els.confidence, v.confidences);
  els.confidence.value = "ungraded";
  const actors = new Map();
  for (const a of state.agreements) for (const x of a.actors) actors.set(x.id, `${x.name} (${x.id})`);
  options(els.perp_actor, [...actors.entries()], { empty: "not known" });
  options(els.target_actor, [...actors.entries()], { empty: "not known" });
  if (!CAN_REVIEW.has(state.me.role)) {
    els.status.value = "proposed";
    els.status.disabled = true;
  }

  let marker = null;
  const place = () => {
    const lat = Number(els.lat.value);
    const lon = Number(els.lon.value);
    if (els.lat.value === "" || els.lon.value === "" || !Number.isFinite(lat) || !Number.isFinite(lon)) return;
    if (marker) map.removeLayer(marker);
    const r = v.precision_radius_m[els.precision.value];
    marker = new PrecisionMarker([lat, lon], { radius: 6, color: "#1a202c", fillColor: "#d69e2e", fillOpacity: 0.9, areaRadius: r || 0 });
    marker.addTo(map);
  };
  map.on("click", (ev) => {
    els.lat.value = ev.latlng.lat.toFixed(5);
    els.lon.value = ev.latlng.lng.toFixed(5);
    place();
  });
  for (const name of ["lat", "lon", "precision"]) els[name].addEventListener("change", place);

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const num = (x) => (x.value === "" ? null : Number(x.value));
    const toll = (n) => (n === null ? null : { low: n, best: n, high: null });
    const record = {
      event_type: els.event_type.value,
      sub_event_type: els.sub_event_type.value,
      occurred: { start: els.start.value, end: els.end.value || els.start.value },
      location: { lat: Number(els.lat.value), lon: Number(els.lon.value), precision: els.precision.value, name: els.place.value || null },
      status: els.status.value,
      method: [...els.method.selectedOptions].map((o) => o.value),
      perpetrator: { text: els.perp_text.value || null, actor: els.perp_actor.value || null, attribution: els.attribution.value },
      target: els.target_text.value || els.target_actor.value ? { text: els.target_text.value || null, actor: els.target_actor.value || null } : null,
      fatalities: toll(num(els.killed)),
      injured: toll(num(els.injured)),
      sources: els.publisher.value || els.url.value || els.quote.value
        ? [{ document_id: els.url.value || `manual:${Date.now()}`, publisher: els.publisher.value || null, url: els.url.value || null, published: els.published.value || null, quote: els.quote.value || null }]
        : [],
      confidence: els.confidence.value,
    };
    try {
      const out = await api("/incidents", { method: "POST", body: record });
      say(`Stored ${out.incident.id} (${out.status}).`);
      form.reset();
      fillSub();
      if (marker) map.removeLayer(marker);
      marker = null;
      await loadQueue();
    } catch (e) {
      fail(e);
    }
  });
}

async function main() {
  state.me = await header();
  const [vocab, agreements] = await Promise.all([data("/data/vocab.json"), agreementsData()]);
  state.vocab = vocab;
  state.agreements = agreements;
  await loadQueue();
  const entry = document.querySelector(".entry");
  if (!["admin", "monitor", "liaison"].includes(state.me.role)) {
    clear(entry).appendChild(el("p", { class: "note" }, "Entering incidents needs a monitor's or a liaison's token."));
    return;
  }
  const map = makeMap(document.getElementById("entry-map"), { tileUrl: document.body.dataset.tiles, tileAttribution: document.body.dataset.tileAttribution });
  const view = [...agreements].sort((a, b) => b.entry_into_force.localeCompare(a.entry_into_force))[0];
  if (view) await baseLayers(map, view);
  entryForm(map);
}

main().catch(fail).finally(() => {
  document.body.dataset.ready = "1";
});
