// Incidents for the map: every match of the filters the caller may see (the API decides),
// from the compact map view (GET /map/incidents: one request, one array per column, the
// most serious verdict computed by the store); whole records only for the list under the
// map and for the incident a person opens.
import { api } from "./common.js";

export const VERDICT_COLOURS = {
  violation: "#c53030",
  undetermined: "#b7791f",
  exempt: "#2b6cb0",
  not_applicable: "#4a5568",
  none: "#5a6577",
};

/** [{id, lat, lon, precision, status, start, verdict}] for the filters, newest first. */
export async function load(filters) {
  const c = await api("/map/incidents", { params: filters });
  const out = new Array(c.count);
  for (let k = 0; k < c.count; k += 1) {
    const v = c.verdict[k];
    out[k] = {
      id: c.id[k],
      lat: c.lat[k],
      lon: c.lon[k],
      precision: c.precisions[c.precision[k]],
      status: c.statuses[c.status[k]],
      start: c.start[k],
      verdict: v === null || v === undefined ? "none" : c.verdicts[v],
    };
  }
  return out;
}

/** The newest `n` whole records for the same filters (the list under the map). */
export async function newest(filters, n) {
  const page = await api("/incidents", { params: { ...filters, limit: n, offset: 0 } });
  return page.data;
}

/** Whether an incident can be drawn: it has coordinates and a bounded precision. */
export function drawable(item, radii) {
  if (typeof item.lat !== "number" || typeof item.lon !== "number") return false;
  if (!Number.isFinite(item.lat) || !Number.isFinite(item.lon)) return false;
  const r = radii[item.precision];
  return r !== null && r !== undefined;
}
