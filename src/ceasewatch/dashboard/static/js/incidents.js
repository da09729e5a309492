// Incidents for the map: every match of the filters the caller may see (the API decides),
// each with the worst verdict that holds for it — one search per verdict, same filters.
import { allPages, VERDICTS, VERDICT_RANK } from "./common.js";

export const VERDICT_COLOURS = {
  violation: "#c53030",
  undetermined: "#b7791f",
  exempt: "#2b6cb0",
  not_applicable: "#4a5568",
  none: "#718096",
};

/** [{id, record, status, version, owner_party, verdict}] for the filters. */
export async function load(filters) {
  const rows = await allPages("/incidents", filters);
  const verdict = new Map();
  if (filters.verdict) {
    for (const r of rows) verdict.set(r.incident.id, filters.verdict);
  } else if (rows.length) {
    const found = await Promise.all(
      VERDICTS.map((v) => allPages("/incidents", { ...filters, verdict: v }).then((list) => [v, list])),
    );
    for (const [v, list] of found) {
      for (const r of list) {
        const id = r.incident.id;
        const had = verdict.get(id);
        if (had === undefined || VERDICT_RANK[v] < VERDICT_RANK[had]) verdict.set(id, v);
      }
    }
  }
  return rows.map((r) => ({
    id: r.incident.id,
    record: r.incident,
    status: r.status,
    version: r.version,
    owner_party: r.owner_party,
    verdict: verdict.get(r.incident.id) || "none",
  }));
}

/** Whether an incident can be drawn: it has coordinates and a bounded precision. */
export function drawable(item, radii) {
  const loc = item.record.location;
  if (!loc || typeof loc.lat !== "number" || typeof loc.lon !== "number") return false;
  const r = radii[loc.precision];
  return r !== null && r !== undefined;
}
