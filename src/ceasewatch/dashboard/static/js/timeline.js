// The timeline: violations per day by party (stacked bars, SVG drawn here — no chart
// library), baseline days shaded, and the entry into force, phase starts and ends, gates
// and triggers marked. A table of the same numbers sits under it for screen readers.
import { clear, dayText, el } from "./common.js";

const SVG = "http://www.w3.org/2000/svg"; // an XML namespace name, not a URL that is loaded
// party colours, kept apart from the verdict colours of the map (red, amber, blue, grey)
const PALETTE = ["#6b46c1", "#dd6b20", "#319795", "#d53f8c", "#2c5282", "#975a16", "#38a169", "#1a202c", "#b83280", "#285e61"];

function s(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  for (const c of children) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  return node;
}

function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function daysBetween(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);
}

/** Whether a timeline row's party key ("sy-gov", "opposition & sy-gov", "ru or sy-gov")
 * names the actor. */
export function partyMatches(key, actor) {
  if (!actor) return true;
  return key.split(/ & | or /).includes(actor);
}

/** Per day: {date, period, total, byParty} over the rows, within [start, end]. */
export function series(rows, { start = null, end = null, actor = null } = {}) {
  const kept = rows.filter(
    (r) => (!start || r.date >= start) && (!end || r.date <= end) && partyMatches(r.party, actor),
  );
  const days = new Map();
  for (const r of kept) {
    const d = days.get(r.date) || { date: r.date, period: r.period, total: 0, undetermined: 0, byParty: {} };
    d.total += r.violations;
    d.undetermined += r.undetermined;
    if (r.violations) d.byParty[r.party] = (d.byParty[r.party] || 0) + r.violations;
    days.set(r.date, d);
  }
  return days;
}

function periodOf(date, view, known) {
  if (known) return known;
  if (!view) return "in_force";
  const eif = view.entry_into_force.slice(0, 10);
  if (date < eif) return "baseline";
  const ends = view.rules.map((r) => r.end);
  if (ends.length && ends.every(Boolean)) {
    const last = ends.map((e) => e.slice(0, 10)).sort().at(-1);
    if (date > last) return "ended";
  }
  return "in_force";
}

/** Draw into `node`. `marks` are [{date, label, kind}]. */
export function draw(node, { rows, view, marks, filters }) {
  clear(node);
  const days = series(rows, { start: filters.start, end: filters.end, actor: filters.actor });
  const dates = [...days.keys()].sort();
  let first = filters.start || dates[0];
  let last = filters.end || dates.at(-1);
  if (!first || !last) {
    node.appendChild(el("p", { class: "empty" }, "No violations or undetermined findings in the data you may see for these filters."));
    return { days: 0, total: 0 };
  }
  if (first > last) [first, last] = [last, first];
  const n = daysBetween(first, last) + 1;
  const totals = {};
  for (const d of days.values()) for (const [p, v] of Object.entries(d.byParty)) totals[p] = (totals[p] || 0) + v;
  const parties = Object.keys(totals).sort((a, b) => totals[b] - totals[a] || a.localeCompare(b));
  const colour = Object.fromEntries(parties.map((p, i) => [p, PALETTE[i % PALETTE.length]]));
  const max = Math.max(1, ...[...days.values()].map((d) => d.total));

  const W = 960, H = 250, left = 40, right = 10, top = 52, bottom = 28;
  const iw = W - left - right, ih = H - top - bottom;
  const bw = iw / n;
  const x = (date) => left + daysBetween(first, date) * bw;
  const y = (v) => top + ih - (v / max) * ih;
  const total = [...days.values()].reduce((a, d) => a + d.total, 0);
  const title = `Violations per day by party, ${dayText(first)} to ${dayText(last)}: ${total} in all`;
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": "tl-title", class: "timeline-svg" });
  svg.appendChild(s("title", { id: "tl-title" }, title));

  // periods: baseline and ended days shaded
  for (let i = 0; i < n; i++) {
    const date = addDays(first, i);
    const period = periodOf(date, view, days.get(date) && days.get(date).period);
    if (period !== "in_force") {
      svg.appendChild(s("rect", { x: left + i * bw, y: top, width: bw, height: ih, class: `band band-${period}` }));
    }
  }
  // y axis
  for (const v of [0, Math.round(max / 2), max]) {
    svg.appendChild(s("line", { x1: left, x2: W - right, y1: y(v), y2: y(v), class: "grid" }));
    svg.appendChild(s("text", { x: left - 6, y: y(v) + 4, class: "tick", "text-anchor": "end" }, String(v)));
  }
  // bars
  for (const d of days.values()) {
    if (d.date < first || d.date > last) continue;
    let base = 0;
    for (const p of parties) {
      const v = d.byParty[p] || 0;
      if (!v) continue;
      const rect = s("rect", {
        x: x(d.date) + bw * 0.12,
        y: y(base + v),
        width: Math.max(1, bw * 0.76),
        height: y(base) - y(base + v),
        fill: colour[p],
        class: "bar",
        "data-date": d.date,
        "data-party": p,
      });
      rect.appendChild(s("title", {}, `${dayText(d.date)}: ${v} by ${p} (${d.period.replace("_", " ")})`));
      svg.appendChild(rect);
      base += v;
    }
  }
  // x axis
  const step = Math.max(1, Math.ceil(n / 10));
  for (let i = 0; i < n; i += step) {
    const date = addDays(first, i);
    svg.appendChild(s("text", { x: left + i * bw + bw / 2, y: H - 8, class: "tick", "text-anchor": "middle" }, dayText(date).replace(/ \d{4}$/, "")));
  }
  // marks: entry into force, phases, gates, triggers
  // labels go on the first of four rows where they do not run into the one before
  const ends = [-Infinity, -Infinity, -Infinity, -Infinity];
  const shown = marks
    .map((m) => ({ ...m, day: m.date.slice(0, 10) }))
    .filter((m) => m.day >= first && m.day <= last)
    .sort((a, b) => a.day.localeCompare(b.day));
  for (const m of shown) {
    const mx = x(m.day);
    svg.appendChild(s("line", { x1: mx, x2: mx, y1: top - 4, y2: top + ih, class: `mark mark-${m.kind}`, "data-kind": m.kind }));
    const width = m.label.length * 5.6;
    let row = ends.findIndex((end) => end < mx);
    if (row < 0) row = ends.indexOf(Math.min(...ends));
    ends[row] = mx + 3 + width + 6;
    const label = s("text", { x: mx + 3, y: 11 + row * 11, class: `mark-label mark-${m.kind}` }, m.label);
    label.appendChild(s("title", {}, `${m.label}: ${dayText(m.day)}`));
    svg.appendChild(label);
  }
  node.appendChild(svg);

  const legend = el("ul", { class: "legend" },
    parties.map((p) => el("li", {}, el("span", { class: "swatch", dataset: { colour: colour[p] }, "aria-hidden": "true" }), `${p} (${totals[p]})`)),
    el("li", {}, el("span", { class: "swatch band-baseline", "aria-hidden": "true" }), "baseline (before entry into force)"),
    el("li", {}, el("span", { class: "swatch band-ended", "aria-hidden": "true" }), "after the rules ended"),
  );
  // colours set through CSSOM (the page's style policy forbids inline style attributes)
  for (const sw of legend.querySelectorAll("[data-colour]")) sw.style.background = sw.dataset.colour;
  node.appendChild(legend);

  const table = el("table", { class: "data" },
    el("caption", {}, "Violations per day"),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "day"), el("th", { scope: "col" }, "period"), el("th", { scope: "col" }, "violations"), el("th", { scope: "col" }, "undetermined"), el("th", { scope: "col" }, "by party"))),
    el("tbody", {}, dates.filter((d) => d >= first && d <= last).map((d) => {
      const v = days.get(d);
      return el("tr", {}, el("td", {}, dayText(d)), el("td", {}, v.period.replace("_", " ")), el("td", {}, String(v.total)), el("td", {}, String(v.undetermined)),
        el("td", {}, Object.entries(v.byParty).map(([p, c]) => `${p}: ${c}`).join("; ")));
    })),
  );
  node.appendChild(el("details", {}, el("summary", {}, "The numbers as a table"), table));
  return { days: n, total };
}

/** Marks from the agreement view, /phases and /triggers. */
export function marksFor(view, phases, triggers) {
  const marks = [];
  if (view) marks.push({ date: view.entry_into_force, label: "entry into force", kind: "eif" });
  for (const p of phases) {
    if (p.since) marks.push({ date: p.since, label: `${p.name}: starts`, kind: "phase" });
    if (p.until) marks.push({ date: p.until, label: `${p.name}: ends`, kind: "phase" });
    if (p.gate && p.gate.met_on) marks.push({ date: p.gate.met_on, label: `${p.name}: gate met`, kind: "gate" });
  }
  for (const t of triggers) if (t.fired && t.on) marks.push({ date: t.on, label: `trigger ${t.trigger_id} fired`, kind: "trigger" });
  return marks;
}
