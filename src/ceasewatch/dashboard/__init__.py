"""The dashboard: a map, a timeline, the incident panel, the agreement page and the
monitors' review queue, served by ``ceasewatch serve`` beside the API (docs/dashboard.md).

The pages are static HTML and JavaScript; everything about incidents comes from the API
under /api/v1 with the user's own token, so the server's role table decides what reaches
the browser. Leaflet and Leaflet.markercluster come from the npm registry at build time
(``make vendor``) and ship inside the package: nothing loads from a CDN.
"""
