// The map's filters live in the URL (?start=…&actor=…), so a view can be shared: the form
// is a plain GET form over the same names, and the page reads them back on load.

/** URL name -> what it filters. Every one is also an /api/v1/incidents search parameter. */
export const FILTERS = ["agreement", "start", "end", "actor", "zone", "event_type", "verdict", "confidence", "status", "q"];

export function fromURL(search = window.location.search) {
  const params = new URLSearchParams(search);
  const state = {};
  for (const name of FILTERS) {
    const v = params.get(name);
    if (v) state[name] = v;
  }
  const incident = params.get("incident");
  return { filters: state, incident: incident || null };
}

export function toURL({ filters, incident }) {
  const params = new URLSearchParams();
  for (const name of FILTERS) if (filters[name]) params.set(name, filters[name]);
  if (incident) params.set("incident", incident);
  const q = params.toString();
  return window.location.pathname + (q ? `?${q}` : "");
}

export function fillForm(form, filters) {
  for (const name of FILTERS) {
    const field = form.elements.namedItem(name);
    if (!field) continue;
    const value = filters[name] || "";
    if (field.tagName === "SELECT" && value && ![...field.options].some((o) => o.value === value)) {
      // a value from a shared URL that the lists do not offer (yet): keep it visible
      field.appendChild(new Option(value, value));
    }
    field.value = value;
  }
}

export function fromForm(form) {
  const state = {};
  for (const name of FILTERS) {
    const field = form.elements.namedItem(name);
    if (field && field.value) state[name] = field.value.trim();
  }
  return state;
}

/** Search parameters for /api/v1/incidents. */
export function searchParams(filters) {
  const p = { ...filters };
  return p;
}
