// The agreement page: its rules in plain language (beside the provision's own words), each
// phase with its status and the days that met or broke its gate, the walk-away triggers.
import { agreementsData, api, clear, dayText, el, fail, header, options } from "./common.js";

function gateDays(gate) {
  if (!gate || !gate.days || !gate.days.length) return null;
  return el("details", {},
    el("summary", {}, `Gate days (${gate.days.length})`),
    el("table", { class: "data" },
      el("thead", {}, el("tr", {}, ["day", "status", "violations", "undetermined", "routes", "why"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, gate.days.map((d) => el("tr", { class: `day-${d.status}` },
        el("td", {}, dayText(d.date)), el("td", {}, d.status), el("td", {}, String(d.violations)), el("td", {}, String(d.undetermined)),
        el("td", {}, Object.entries(d.routes || {}).map(([r, s]) => `${r}: ${s}`).join("; ")), el("td", {}, (d.why || []).join("; ")))))));
}

async function render(view) {
  const node = clear(document.getElementById("agreement-body"));
  document.getElementById("agreement-title").textContent = view.title;
  const [ph, tr] = await Promise.all([
    api("/phases", { params: { agreement: view.id } }),
    api("/triggers", { params: { agreement: view.id } }),
  ]);
  const status = Object.fromEntries(ph.phases.map((p) => [p.phase_id, p]));
  const fired = Object.fromEntries(tr.triggers.map((t) => [t.trigger_id, t]));
  node.append(
    el("p", {}, view.summary),
    el("dl", { class: "facts" },
      el("div", { class: "kv" }, el("dt", {}, "Id"), el("dd", {}, `${view.id}, version ${view.version}`)),
      view.signed ? el("div", { class: "kv" }, el("dt", {}, "Signed"), el("dd", {}, dayText(view.signed))) : null,
      el("div", { class: "kv" }, el("dt", {}, "In force from"), el("dd", {}, view.entry_into_force_text)),
      el("div", { class: "kv" }, el("dt", {}, "Parties"), el("dd", {}, view.parties.map((p) => `${p.name} (${p.id})`).join("; ")))),
    el("h3", {}, `Rules (${view.rules.length})`),
    el("ol", { class: "rules" }, view.rules.map((r) => el("li", { id: `rule-${r.id}` },
      el("p", {}, el("strong", {}, r.id), el("span", { class: "note" }, ` ${r.type}`)),
      el("p", { class: "plain" }, r.plain),
      el("blockquote", { class: "provision" }, r.provision)))),
    el("h3", {}, `Phases (${view.phases.length})`),
    el("ol", { class: "phases" }, view.phases.map((p) => {
      const s = status[p.id];
      return el("li", { id: `phase-${p.id}`, dataset: { status: s ? s.status : "unknown" } },
        el("p", {}, el("strong", {}, p.name), " ", el("span", { class: `badge phase-${s ? s.status : "unknown"}` }, s ? s.status.replace("_", " ") : "unknown"),
          s && s.gate ? el("span", { class: `badge gate-${s.gate.status}` }, `gate ${s.gate.status.replace("_", " ")}`) : null),
        el("p", {}, p.description),
        el("p", { class: "plain" }, p.plain),
        s ? el("p", { class: "note" }, s.summary) : null,
        s ? gateDays(s.gate) : null);
    })),
    el("h3", {}, `Walk-away triggers (${view.triggers.length})`),
    el("ul", { class: "triggers" }, view.triggers.map((t) => {
      const s = fired[t.id];
      return el("li", { id: `trigger-${t.id}` },
        el("p", {}, el("strong", {}, t.id), " ", s ? el("span", { class: `badge ${s.fired ? "fired" : "not-fired"}` }, s.fired ? `fired ${dayText(s.on)}` : "not fired") : null),
        el("p", {}, t.description),
        el("p", { class: "plain" }, t.plain),
        s ? el("p", { class: "note" }, s.summary) : null,
        s && s.evidence.length ? el("ul", { class: "evidence" }, s.evidence.map((e) => el("li", {}, e))) : null);
    })),
  );
}

async function main() {
  await header();
  const agreements = await agreementsData();
  const select = document.getElementById("agreement");
  options(select, agreements.map((a) => [a.id, `${a.title} (${a.id})`]));
  if (!agreements.length) {
    document.getElementById("agreement-body").textContent = "No agreement is stored yet.";
    return;
  }
  const want = new URLSearchParams(window.location.search).get("agreement");
  const view = agreements.find((a) => a.id === want) ||
    [...agreements].sort((a, b) => b.entry_into_force.localeCompare(a.entry_into_force))[0];
  select.value = view.id;
  await render(view);
}

main().catch(fail).finally(() => {
  document.body.dataset.ready = "1";
});
