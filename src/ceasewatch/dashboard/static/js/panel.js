// The incident panel: what happened, every source (the cited passage highlighted when the
// source text is held as evidence), each finding's reasons with overrides beside the
// machine's verdict, queries to the parties and their answers, and the history.
// Monitors override and ask here; a liaison answers its party's queries.
import { api, ApiError, CAN_REVIEW, clear, dayText, el, fail, say, tollText, VERDICTS, VERDICT_LABEL, verdictBadge, whenText } from "./common.js";

function row(label, ...value) {
  const parts = value.filter((v) => v !== null && v !== undefined && v !== "");
  if (!parts.length) return null;
  return el("div", { class: "kv" }, el("dt", {}, label), el("dd", {}, ...parts));
}

function section(title, ...children) {
  return el("section", { class: "panel-section" }, el("h3", {}, title), ...children);
}

async function optional(promise) {
  try {
    return await promise;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403 || e.status === 404)) return null;
    throw e;
  }
}

/** The passage start..end of `text`, with some context, the cited part in <mark>. */
export function passage(text, start, end, context = 280) {
  const a = Math.max(0, start - context);
  const b = Math.min(text.length, end + context);
  return el("blockquote", { class: "passage" },
    a > 0 ? "…" : "", text.slice(a, start), el("mark", {}, text.slice(start, end)), text.slice(end, b), b < text.length ? "…" : "");
}

async function sourceText(evidence, source) {
  // the source's text is held when a text file attached to the incident is named for its
  // document (document_id, with ":" and "/" allowed as "_"), or is the only text file
  const texts = evidence.filter((e) => e.content_type.startsWith("text/plain"));
  const norm = (s) => s.replace(/[:/\\]/g, "_");
  const base = (name) => name.replace(/\.txt$/i, "");
  let hit = texts.find((e) => base(e.filename) === source.document_id || norm(base(e.filename)) === norm(source.document_id));
  if (!hit && texts.length === 1) hit = texts[0];
  if (!hit) return null;
  const blob = await api(`/evidence/${encodeURIComponent(hit.id)}`, { blob: true });
  return { text: await blob.text(), file: hit };
}

function sourceView(source, held) {
  const items = [
    row("Document", source.document_id),
    row("Publisher", source.publisher),
    row("Published", source.published ? dayText(source.published) : null),
    row("Attributed to", source.attributed_to),
    row("Link", source.url ? el("a", { href: source.url, rel: "noreferrer noopener", target: "_blank" }, source.url) : null),
  ];
  const box = el("li", { class: "source" }, el("dl", {}, items));
  if (held && source.start !== null && source.start !== undefined && source.end !== null && source.end !== undefined && source.end <= held.text.length) {
    box.appendChild(el("p", { class: "note" }, `Cited passage (characters ${source.start}–${source.end} of ${held.file.filename}):`));
    box.appendChild(passage(held.text, source.start, source.end));
  } else if (source.quote) {
    box.appendChild(el("blockquote", { class: "passage" }, el("mark", {}, source.quote)));
  } else if (source.start !== null && source.start !== undefined) {
    box.appendChild(el("p", { class: "note" }, `Cites characters ${source.start}–${source.end}; the source text is not held here (attach it as a text file named ${source.document_id}.txt to see the passage).`));
  }
  return box;
}

function findingView(f, me, refresh) {
  const fin = f.finding;
  const head = el("div", { class: "finding-head" },
    el("strong", {}, `${fin.agreement_id} · ${fin.rule_id}`), " ", verdictBadge(f.verdict));
  if (f.override) {
    head.appendChild(el("span", { class: "note" }, ` (machine: ${VERDICT_LABEL[f.machine_verdict] || f.machine_verdict}; overridden)`));
  }
  const box = el("li", { class: `finding v-${f.verdict}`, dataset: { finding: fin.id, verdict: f.verdict } }, head);
  box.appendChild(el("ol", { class: "reasons" }, fin.reasons.map((r) => el("li", {}, r))));
  if (fin.parties && fin.parties.length) {
    box.appendChild(el("p", { class: "note" }, "Parties: " + fin.parties.map((p) => `${p.actor} (${p.basis})`).join(", ") + ` · confidence ${fin.confidence}`));
  }
  if (f.overrides && f.overrides.length) {
    box.appendChild(el("p", { class: "sub" }, "Overrides"));
    box.appendChild(el("ul", { class: "overrides" }, f.overrides.map((o) =>
      el("li", {}, verdictBadge(o.verdict), ` by ${o.by || "a monitor"}${o.at ? " on " + dayText(o.at) : ""}: `, o.reason,
        o.standing ? el("span", { class: "note" }, " — stands") : el("span", { class: "note" }, ` — lapsed${o.lapsed_why ? ": " + o.lapsed_why : ""}`)))));
  }
  if (CAN_REVIEW.has(me.role)) {
    const form = el("form", { class: "inline-form", "aria-label": `Override the verdict of ${fin.rule_id}` });
    const sel = el("select", { name: "verdict", "aria-label": "New verdict" }, VERDICTS.map((v) => el("option", { value: v }, VERDICT_LABEL[v])));
    const reason = el("input", { name: "reason", required: true, "aria-label": "Reason for the override", placeholder: "reason (required)", maxlength: 10000 });
    form.append(el("label", {}, "Override: ", sel), reason, el("button", { type: "submit" }, "Override"));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      try {
        await api(`/findings/${encodeURIComponent(fin.id)}/override`, { method: "POST", body: { verdict: sel.value, reason: reason.value } });
        say(`Override recorded for ${fin.rule_id}.`);
        await refresh();
      } catch (e) {
        fail(e);
      }
    });
    box.appendChild(form);
  }
  return box;
}

function queryView(q, me, refresh) {
  const box = el("li", { class: "query" },
    el("p", {}, el("strong", {}, `To ${q.party}: `), q.question, el("span", { class: "note" }, ` — ${q.asked_by}, ${dayText(q.asked_at)}`)));
  if (q.answer) {
    box.appendChild(el("p", { class: "answer" }, el("strong", {}, "Answer: "), q.answer, el("span", { class: "note" }, ` — ${q.answered_by}, ${dayText(q.answered_at)}`)));
  } else if (me.role === "liaison" && me.party === q.party) {
    const text = el("textarea", { name: "answer", required: true, rows: 3, "aria-label": "Your party's answer", maxlength: 10000 });
    const form = el("form", { class: "inline-form" }, text, el("button", { type: "submit" }, "Send answer"));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      try {
        await api(`/queries/${q.id}/answer`, { method: "POST", body: { answer: text.value } });
        say("Answer sent.");
        await refresh();
      } catch (e) {
        fail(e);
      }
    });
    box.appendChild(form);
  } else {
    box.appendChild(el("p", { class: "note" }, "Not answered yet."));
  }
  return box;
}

function askForm(id, parties, refresh) {
  const party = el("select", { name: "party", "aria-label": "Party to ask" }, parties.map((p) => el("option", { value: p.id }, p.name ? `${p.name} (${p.id})` : p.id)));
  const question = el("textarea", { name: "question", required: true, rows: 2, "aria-label": "Question to the party's liaison", maxlength: 10000 });
  const form = el("form", { class: "inline-form" }, el("label", {}, "Ask ", party), question, el("button", { type: "submit" }, "Send query"));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      await api(`/incidents/${encodeURIComponent(id)}/queries`, { method: "POST", body: { party: party.value, question: question.value } });
      say("Query sent.");
      await refresh();
    } catch (e) {
      fail(e);
    }
  });
  return form;
}

/** Fill the panel with incident `id` as the caller may see it. */
export async function show(node, id, { me, parties = [], onClose = null } = {}) {
  clear(node);
  node.hidden = false;
  node.dataset.incident = id;
  node.dataset.ready = "0";
  const refresh = () => show(node, id, { me, parties, onClose });
  const title = el("h2", { id: "panel-title", tabindex: "-1" }, "Incident");
  const close = el("button", { class: "close", type: "button", "aria-label": "Close the incident panel" }, "×");
  close.addEventListener("click", () => {
    node.hidden = true;
    if (onClose) onClose();
  });
  node.append(el("div", { class: "panel-head" }, title, close));
  let got;
  try {
    got = await api(`/incidents/${encodeURIComponent(id)}`);
  } catch (e) {
    node.appendChild(el("p", { class: "error" }, e instanceof ApiError && e.status === 404 ? `No incident ${id} that you may see.` : (e.describe ? e.describe() : String(e))));
    node.dataset.ready = "1";
    return;
  }
  const inc = got.incident;
  // only what the role may call (server/roles.py): the public gets no queries, evidence
  // or history, a liaison no history
  const signedIn = me.role !== "public";
  const staff = ["admin", "monitor", "analyst"].includes(me.role);
  const [findings, queries, evidence, history] = await Promise.all([
    optional(api("/findings", { params: { incident_id: id, limit: 1000 } })),
    signedIn ? optional(api("/queries", { params: { incident_id: id } })) : null,
    signedIn ? optional(api(`/incidents/${encodeURIComponent(id)}/evidence`)) : null,
    staff ? optional(api(`/incidents/${encodeURIComponent(id)}/history`)) : null,
  ]);
  title.textContent = `${inc.sub_event_type} · ${whenText(inc.occurred)}`;
  const loc = inc.location;
  const perp = inc.perpetrator || {};
  node.appendChild(el("dl", { class: "facts" },
    row("Id", inc.id),
    row("Status", got.status, got.owner_party ? ` (submitted by ${got.owner_party}'s liaison)` : null),
    row("Event", `${inc.event_type} — ${inc.sub_event_type}`, inc.method && inc.method.length ? ` (${inc.method.join(", ")})` : null),
    row("When", whenText(inc.occurred), inc.occurred.precision !== "day" ? ` (${inc.occurred.precision} precision)` : null),
    row("Where", loc.name || `${loc.lat}, ${loc.lon}`, ` — ${loc.precision} precision`, ` (${loc.lat.toFixed(4)}, ${loc.lon.toFixed(4)})`),
    row("Perpetrator", perp.text || perp.actor || "not reported", perp.actor && perp.text ? ` [${perp.actor}]` : null, ` — ${perp.attribution || "unknown"}`),
    row("Target", inc.target ? inc.target.text || inc.target.actor : null),
    row("Killed", tollText(inc.fatalities)),
    row("Civilians killed", tollText(inc.civilian_fatalities)),
    row("Injured", tollText(inc.injured)),
    row("Confidence", inc.confidence),
    row("Version", String(got.version), got.updated_at ? ` (updated ${dayText(got.updated_at)})` : null),
  ));

  const evid = evidence || [];
  const sources = el("ol", { class: "sources" });
  for (const src of inc.sources || []) {
    let held = null;
    try {
      held = evid.length ? await sourceText(evid, src) : null;
    } catch (e) {
      held = null;
    }
    sources.appendChild(sourceView(src, held));
  }
  node.appendChild(section(`Sources (${(inc.sources || []).length})`, (inc.sources || []).length ? sources : el("p", { class: "note" }, "No source listed.")));

  if (findings !== null) {
    const list = el("ul", { class: "findings" }, findings.map((f) => findingView(f, me, refresh)));
    node.appendChild(section(`Findings (${findings.length})`, findings.length ? list : el("p", { class: "note" }, "No rule covers this incident (or it was rejected).")));
  }
  if (queries !== null) {
    const box = section(`Queries (${queries.length})`, el("ul", { class: "queries" }, queries.map((q) => queryView(q, me, refresh))));
    if (CAN_REVIEW.has(me.role) && parties.length) box.appendChild(askForm(id, parties, refresh));
    node.appendChild(box);
  }
  if (evid.length) {
    node.appendChild(section(`Evidence (${evid.length})`, el("ul", {}, evid.map((e) => {
      const b = el("button", { type: "button", class: "link" }, `${e.filename} (${e.content_type}, ${e.size} bytes)`);
      b.addEventListener("click", async () => {
        try {
          const blob = await api(`/evidence/${encodeURIComponent(e.id)}`, { blob: true });
          const a = el("a", { href: URL.createObjectURL(blob), download: e.filename });
          a.click();
        } catch (err) {
          fail(err);
        }
      });
      return el("li", {}, b, el("span", { class: "note" }, ` sha256 ${e.sha256.slice(0, 16)}…`));
    }))));
  }
  if (history !== null && history.length) {
    node.appendChild(section("History", el("ol", { class: "history" }, history.map((h) =>
      el("li", {}, `${h.at ? dayText(h.at) : ""} ${h.actor}: ${h.action}`, h.reason ? ` — ${h.reason}` : "")))));
  }
  node.dataset.ready = "1";
  title.focus();
}
