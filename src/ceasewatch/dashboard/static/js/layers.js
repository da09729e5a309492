// The map's own layers: the scenario's GeoJSON (governorates, districts, zones by type,
// routes, checkpoints) and incident markers that draw their location precision.
/* global L */
import { api, el, VERDICT_LABEL } from "./common.js";

export { agreementsData } from "./common.js";

export const ZONE_COLOURS = {
  opposition: "#2f855a",
  government: "#9b2c2c",
  marbled: "#805ad5",
  "designated-group": "#1a202c",
  contested: "#c05621",
  city: "#2b6cb0",
};

/** A map with no tiles unless the server was given a tile URL (online use only). */
export function makeMap(node, { tileUrl = "", tileAttribution = "" } = {}) {
  const map = L.map(node, { preferCanvas: false, zoomSnap: 0.5, minZoom: 3, maxZoom: 18, keyboard: true, attributionControl: true });
  map.attributionControl.setPrefix(false);
  if (tileUrl) {
    L.tileLayer(tileUrl, { attribution: escapeText(tileAttribution), maxZoom: 18 }).addTo(map);
  }
  map.setView([35.0, 38.5], 7);
  return map;
}

function escapeText(s) {
  const d = document.createElement("div");
  d.textContent = s || "";
  return d.innerHTML;
}

/** Give a vector layer's element (which the browser lets Tab reach) a name a screen
 * reader says, whenever it is drawn. */
export function named(layer, text) {
  const apply = () => {
    const e = layer.getElement && layer.getElement();
    if (e) e.setAttribute("aria-label", text);
  };
  layer.on("add", apply);
  return layer;
}

function info(props, fields) {
  const box = el("div", { class: "tip" });
  for (const [label, key] of fields) {
    const v = props[key];
    if (v === undefined || v === null || v === "") continue;
    box.appendChild(el("div", {}, el("b", {}, `${label}: `), Array.isArray(v) ? v.join(", ") : String(v)));
  }
  return box;
}

/** Load an agreement's geography; returns {name: layer} for the layers control. */
export async function baseLayers(map, agreement) {
  const out = {};
  const urls = agreement.layers || {};
  const fetchLayer = async (name) => {
    if (!urls[name]) return null;
    const r = await fetch(urls[name], { credentials: "omit" });
    return r.ok ? r.json() : null;
  };
  const [admin1, admin2, zones, routes, checkpoints] = await Promise.all(
    ["admin1", "admin2", "zones", "routes", "checkpoints"].map(fetchLayer),
  );
  const bounds = L.latLngBounds([]);
  if (admin1) {
    const layer = L.geoJSON(admin1, {
      style: { color: "#4a5568", weight: 1.2, fill: true, fillColor: "#f7fafc", fillOpacity: 0.6 },
      interactive: false,
    }).addTo(map);
    out["Governorates"] = layer;
    bounds.extend(layer.getBounds());
  }
  if (admin2) {
    out["Districts"] = L.geoJSON(admin2, {
      style: { color: "#a0aec0", weight: 0.6, fill: false, dashArray: "2 3" },
      interactive: false,
    });
  }
  if (zones) {
    const byType = {};
    for (const f of zones.features) {
      const t = (f.properties && f.properties.type) || "zone";
      (byType[t] = byType[t] || []).push(f);
    }
    for (const [type, features] of Object.entries(byType)) {
      const colour = ZONE_COLOURS[type] || "#4a5568";
      const layer = L.geoJSON({ type: "FeatureCollection", features }, {
        style: {
          color: colour,
          weight: type === "city" ? 1.5 : 1,
          dashArray: type === "city" ? "6 4" : null,
          fillColor: colour,
          fillOpacity: type === "city" ? 0.03 : 0.12,
        },
        onEachFeature: (f, l) => {
          named(l, `Zone ${f.properties.name || f.properties.id} (${type})`);
          l.bindTooltip(() => info(f.properties, [["Zone", "name"], ["Type", "type"], ["Id", "id"]]), { sticky: true });
        },
      }).addTo(map);
      out[`Zones: ${type}`] = layer;
    }
  }
  if (routes) {
    const layer = L.layerGroup();
    L.geoJSON(routes, {
      style: { color: "#d69e2e", weight: 4, opacity: 0.9 },
      onEachFeature: (f, l) => {
        named(l, `Route ${f.properties.name || f.properties.id}`);
        l.bindTooltip(() => info(f.properties, [["Route", "name"], ["Corridor (m)", "corridor_m"]]), { sticky: true });
      },
    }).addTo(layer);
    layer.addTo(map);
    out["Routes"] = layer;
  }
  if (checkpoints) {
    out["Checkpoints"] = L.geoJSON(checkpoints, {
      pointToLayer: (f, latlng) =>
        L.circleMarker(latlng, { radius: 5, color: "#1a202c", weight: 2, fillColor: "#faf089", fillOpacity: 1 }),
      onEachFeature: (f, l) => {
        named(l, `Checkpoint ${f.properties.name || f.properties.id}`);
        l.bindTooltip(() => info(f.properties, [["Checkpoint", "name"], ["Route", "route"], ["Operated by", "operated_by"], ["Monitored by", "monitored_by"]]));
      },
    }).addTo(map);
  }
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10] });
  return out;
}

/** The agreement's zone delineations (docs/delineation.md): agreed versions, and the
 * areas where the sides' proposals differ while none is agreed. Only signed-in users may
 * read them; for the public this is empty. Returns {name: layer} for the layers control. */
export async function delineationLayers(map, agreementId, me) {
  if (!me || me.role === "public" || !agreementId) return {};
  let body;
  try {
    body = await api(`/agreements/${encodeURIComponent(agreementId)}/delineations`);
  } catch (e) {
    return {};
  }
  const features = (body.layer && body.layer.features) || [];
  const out = {};
  const agreed = features.filter((f) => f.properties.kind === "agreed");
  const disputed = features.filter((f) => f.properties.kind === "disputed");
  if (agreed.length) {
    out["Delineation: agreed"] = L.geoJSON({ type: "FeatureCollection", features: agreed }, {
      style: { color: "#553c9a", weight: 2, fillColor: "#805ad5", fillOpacity: 0.15, className: "delineation-agreed" },
      onEachFeature: (f, l) => {
        l.bindTooltip(() => info(f.properties, [["Agreed delineation", "subject"], ["Version", "version"], ["Zone type", "zone_type"], ["Area", "name"]]), { sticky: true });
        named(l, `Agreed delineation ${f.properties.subject} v${f.properties.version}`);
      },
    }).addTo(map);
  }
  if (disputed.length) {
    out["Delineation: disputed"] = L.geoJSON({ type: "FeatureCollection", features: disputed }, {
      style: { color: "#c53030", weight: 2, dashArray: "5 4", fillColor: "#fc8181", fillOpacity: 0.35, className: "delineation-disputed" },
      onEachFeature: (f, l) => {
        l.bindTooltip(() => info(f.properties, [["Disputed delineation", "subject"], ["Zone type", "zone_type"], ["Proposals", "versions"], ["km²", "km2"]]), { sticky: true });
        named(l, `Disputed delineation ${f.properties.subject}: ${f.properties.km2} km²`);
      },
    }).addTo(map);
  }
  return out;
}

export const ROUTE_STATUS_COLOURS = { open: "#2f855a", closed: "#c53030", unknown: "#d69e2e" };

/** The routes coloured open / closed / unknown on `date` (GET /access/routes.geojson),
 * each with why in its tooltip. Returns the layer (added to the map), or null. */
export async function routeStatusLayer(map, agreementId, date) {
  if (!date) return null;
  const fc = await api("/access/routes.geojson", { params: { date, agreement: agreementId } });
  const layer = L.geoJSON(fc, {
    style: (f) => ({
      color: ROUTE_STATUS_COLOURS[f.properties.status] || "#4a5568",
      weight: 6,
      opacity: 0.95,
      className: `route-status route-${f.properties.status}`,
    }),
    onEachFeature: (f, l) => {
      l.bindTooltip(() => info(f.properties, [["Route", "name"], ["Status", "status"], ["On", "date"], ["Why", "why"]]), { sticky: true });
      named(l, `Route ${f.properties.name || f.id}: ${f.properties.status} on ${f.properties.date || date}`);
    },
  });
  layer.addTo(map);
  document.body.dataset.routeStatus = fc.features.map((f) => `${f.id}:${f.properties.status}`).join(" ");
  return layer;
}

/** Canvas renderers for many incidents: markers in a pane of their own above the zones,
 * their precision circles under them. One <canvas> each instead of two SVG paths per
 * incident: with thousands of single markers in view (a city at zoom 13 in a dense
 * store) SVG is what made each zoom take seconds. */
export function incidentRenderers(map) {
  map.createPane("incidents").style.zIndex = 450;
  map.createPane("precision").style.zIndex = 390;
  return {
    renderer: L.canvas({ pane: "incidents", padding: 0.3, tolerance: 2 }),
    areaRenderer: L.canvas({ pane: "precision", padding: 0.3 }),
  };
}

/** A point marker coloured by verdict that also draws, while it is on the map, a circle
 * of its location precision's radius (a town-level incident is a 5 km circle, not a pin).
 * Clustered markers draw nothing until the cluster opens. */
export const PrecisionMarker = L.CircleMarker.extend({
  onAdd(map) {
    L.CircleMarker.prototype.onAdd.call(this, map);
    if (this.options.label && this.getElement()) this.getElement().setAttribute("aria-label", this.options.label);
    const r = this.options.areaRadius;
    if (r && r > 0) {
      if (!this._area) {
        this._area = L.circle(this.getLatLng(), {
          ...(this.options.areaRenderer ? { renderer: this.options.areaRenderer } : {}),
          radius: r,
          interactive: false,
          color: this.options.color,
          weight: 1,
          dashArray: "3 3",
          fillColor: this.options.fillColor,
          fillOpacity: 0.08,
          className: "precision-area",
        });
      }
      map.addLayer(this._area);
    }
  },
  onRemove(map) {
    if (this._area) map.removeLayer(this._area);
    L.CircleMarker.prototype.onRemove.call(this, map);
  },
});

export function verdictLegend() {
  const box = el("ul", { class: "legend", "aria-label": "Marker colours" });
  for (const v of ["violation", "undetermined", "exempt", "not_applicable", "none"]) {
    box.appendChild(el("li", {}, el("span", { class: `swatch v-${v}`, "aria-hidden": "true" }), VERDICT_LABEL[v]));
  }
  box.appendChild(el("li", {}, el("span", { class: "swatch area", "aria-hidden": "true" }), "location precision (radius)"));
  return box;
}

