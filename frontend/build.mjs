// Copy the dashboard's JavaScript libraries from node_modules (installed by
// `npm ci --ignore-scripts` from the npm registry) into the Python package, so that
// `ceasewatch serve` ships them and nothing loads from a CDN at run time.
// The copies are build outputs: git ignores them; the package build includes them.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "ceasewatch", "dashboard", "static", "vendor");

// package -> [file in the package, name under vendor/]
const FILES = {
  leaflet: [
    ["dist/leaflet.js", "leaflet/leaflet.js"],
    ["dist/leaflet.css", "leaflet/leaflet.css"],
    ["dist/images/layers.png", "leaflet/images/layers.png"],
    ["dist/images/layers-2x.png", "leaflet/images/layers-2x.png"],
    ["dist/images/marker-icon.png", "leaflet/images/marker-icon.png"],
    ["LICENSE", "leaflet/LICENSE"],
  ],
  "leaflet.markercluster": [
    ["dist/leaflet.markercluster.js", "markercluster/leaflet.markercluster.js"],
    ["dist/MarkerCluster.css", "markercluster/MarkerCluster.css"],
    ["dist/MarkerCluster.Default.css", "markercluster/MarkerCluster.Default.css"],
    ["MIT-LICENCE.txt", "markercluster/LICENSE"],
  ],
};

rmSync(out, { recursive: true, force: true });
const manifest = {};
for (const [pkg, files] of Object.entries(FILES)) {
  const root = join(here, "node_modules", pkg);
  const meta = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  manifest[pkg] = { version: meta.version, license: meta.license, files: files.map((f) => f[1]) };
  for (const [from, to] of files) {
    mkdirSync(dirname(join(out, to)), { recursive: true });
    copyFileSync(join(root, from), join(out, to));
  }
}
writeFileSync(join(out, "VENDOR.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(`vendored ${Object.keys(manifest).map((p) => `${p} ${manifest[p].version}`).join(", ")} into ${out}`);
