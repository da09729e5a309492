// What every page shares: the token (sessionStorage), calls to the API, a DOM builder that
// never parses data as HTML, the menu and the status line.
//
// Data from the API is only ever put into the page with textContent / attributes set by
// el(): a name like "<script>" shows as text.

export const API = document.body.dataset.api;
export const BASE = document.body.dataset.base;
const TOKEN_KEY = "ceasewatch.token";

export const VERDICTS = ["violation", "undetermined", "exempt", "not_applicable"];
export const VERDICT_LABEL = {
  violation: "violation",
  undetermined: "undetermined",
  exempt: "exempt",
  not_applicable: "not applicable",
  none: "no finding",
};
// worst first: a marker shows the worst verdict any of its findings holds
export const VERDICT_RANK = { violation: 0, undetermined: 1, exempt: 2, not_applicable: 3, none: 4 };

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(status, body) {
    const errors = body && Array.isArray(body.errors) ? body.errors : [];
    super((body && body.error) || `HTTP ${status}`);
    this.status = status;
    this.errors = errors;
    this.body = body;
  }
  describe() {
    return this.errors.length ? `${this.message}: ${this.errors.join("; ")}` : this.message;
  }
}

/** Call the API with the user's token. `params` become the query string (empty values
 * left out); `body` is sent as JSON. Returns parsed JSON (or a Blob with `blob: true`). */
export async function api(path, { method = "GET", params = null, body = undefined, blob = false } = {}) {
  const url = new URL(API + path, window.location.origin);
  if (params) {
    for (const [k, v] of Object.entries(params)) {
      if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, v);
    }
  }
  const headers = { Accept: "application/json" };
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  let payload;
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const r = await fetch(url, { method, headers, body: payload, credentials: "omit", cache: "no-store" });
  if (!r.ok) throw await failure(r);
  if (blob) return r.blob();
  return r.json();
}

/** Every page of a paged search ({data, next_offset}). */
export async function allPages(path, params, limit = 1000) {
  const out = [];
  let offset = 0;
  for (;;) {
    const page = await api(path, { params: { ...params, limit, offset } });
    out.push(...page.data);
    if (page.next_offset === null || page.next_offset === undefined) return out;
    offset = page.next_offset;
  }
}

/** The stored agreements in plain language, with their layers' URLs. */
export async function agreementsData() {
  return (await data("/data/agreements.json")).agreements;
}

/** Same-origin JSON that is not under /api/v1 (the dashboard's own data). */
export async function data(path) {
  const r = await fetch(BASE + path, { credentials: "omit", headers: { Accept: "application/json" } });
  if (!r.ok) throw await failure(r);
  return r.json();
}

/** An ApiError from a response that is not ok (its body in the API's error shape, if any). */
async function failure(r) {
  let body = null;
  try {
    body = await r.json();
  } catch {
    body = null;
  }
  return new ApiError(r.status, body);
}

/** el("p", {class: "x", onclick: f}, "text", child, ...): attributes are set one by one,
 * children are nodes or text — never HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (v === true) node.setAttribute(k, "");
    else node.setAttribute(k, String(v));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else if (c instanceof Node) node.appendChild(c);
    else node.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function say(message, kind = "info") {
  const s = document.getElementById("status");
  if (!s) return;
  s.textContent = message;
  s.dataset.kind = kind;
}

export function fail(e) {
  const text = e instanceof ApiError ? e.describe() : String(e && e.message ? e.message : e);
  say(text, "error");
  console.error(e);
}

export function verdictBadge(verdict) {
  const v = verdict || "none";
  return el("span", { class: `badge v-${v}` }, VERDICT_LABEL[v] || v);
}

export function dayText(iso) {
  if (!iso) return "";
  const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1];
  return `${d} ${month} ${y}`;
}

export function whenText(occurred) {
  if (!occurred) return "";
  const t = occurred.time ? ` ${occurred.time.slice(0, 5)}` : "";
  if (occurred.start === occurred.end) return dayText(occurred.start) + t;
  return `${dayText(occurred.start)} – ${dayText(occurred.end)}`;
}

export function tollText(toll) {
  if (!toll) return "";
  const { low, best, high } = toll;
  if (best !== null && best !== undefined) {
    if (low === best && (high === null || high === undefined)) return `at least ${best}`;
    if (low === best && high === best) return String(best);
    return `${best} (${low ?? "?"}–${high ?? "?"})`;
  }
  if (low !== null && low !== undefined) return `at least ${low}`;
  return "";
}

/** Who is signed in: {name, role, party} ({role: "public"} without a token). A token the
 * server refuses is dropped. */
export async function whoAmI() {
  if (!token()) return { name: "public", role: "public", party: null };
  try {
    return await api("/me");
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setToken(null);
      say(`Signed out: ${e.message}`, "error");
      return { name: "public", role: "public", party: null };
    }
    throw e;
  }
}

/** The header: who is signed in, the menu entries the role may use. */
export async function header() {
  const me = await whoAmI();
  const who = document.getElementById("who-name");
  if (who) who.textContent = me.role === "public" ? "Public view" : `${me.name} (${me.role}${me.party ? ", " + me.party : ""})`;
  for (const a of document.querySelectorAll("[data-roles]")) {
    a.hidden = !a.dataset.roles.split(" ").includes(me.role);
  }
  const signin = document.getElementById("signin-link");
  const signout = document.getElementById("signout");
  if (signin) signin.hidden = me.role !== "public";
  if (signout) {
    signout.hidden = me.role === "public";
    signout.addEventListener("click", () => {
      setToken(null);
      window.location.reload();
    });
  }
  document.body.dataset.role = me.role;
  return me;
}

export function options(select, items, { empty = null } = {}) {
  clear(select);
  if (empty !== null) select.appendChild(el("option", { value: "" }, empty));
  for (const it of items) {
    const [value, label] = Array.isArray(it) ? it : [it, it];
    select.appendChild(el("option", { value }, label));
  }
}

export const CAN_REVIEW = new Set(["admin", "monitor"]);
