"""The dashboard's pages, its static files, and the little it serves that is not incident
data: the stored agreements in plain language, their GeoJSON layers, the vocabularies.

Every incident, finding, query or timeline the pages show comes from the JSON API under
/api/v1, called by the browser with the user's own token: the role table
(server/roles.py) decides what reaches the browser, and the HTML carries no data. What
is served here every role may read from the API too (agreements are ``all`` for every
role, the public included).
"""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape

from ceasewatch import __version__
from ceasewatch.dashboard import plain, vendor
from ceasewatch.dashboard.settings import DashboardSettings
from ceasewatch.errors import NotFound

BASE = "/dashboard"
Layer = Literal["admin1", "admin2", "zones", "routes", "checkpoints"]
LAYERS: tuple[str, ...] = ("admin1", "admin2", "zones", "routes", "checkpoints")

#: The pages: path under BASE -> (template, title, the role a page is for — shown in the
#: menu only to those; the API refuses the others whatever the page does).
PAGES: dict[str, tuple[str, str]] = {
    "/": ("map.html.j2", "Map"),
    "/agreement": ("agreement.html.j2", "Agreement"),
    "/review": ("review.html.j2", "Review"),
    "/signin": ("signin.html.j2", "Sign in"),
}

router = APIRouter(include_in_schema=False)


def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("ceasewatch.dashboard", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def csp(settings: DashboardSettings) -> str:
    """The pages' Content-Security-Policy: everything from the server itself; tiles from
    the tile server only when one is configured.

    >>> "https:" in csp(DashboardSettings())
    False
    """
    img = "'self' data:"
    if settings.tile_origin:
        img += f" {settings.tile_origin}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src {img}; connect-src 'self'; font-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def _page(request: Request, path: str) -> HTMLResponse:
    template, title = PAGES[path]
    settings: DashboardSettings = request.app.state.dashboard
    env: Environment = request.app.state.dashboard_templates
    built = vendor.manifest()
    html = env.get_template(template).render(
        title=title,
        base=BASE,
        api="/api/v1",
        page=path,
        pages=PAGES,
        version=__version__,
        vendor_ok=built is not None,
        vendor_missing=vendor.MISSING,
        tile_url=settings.tile_url or "",
        tile_attribution=settings.tile_attribution,
    )
    return HTMLResponse(
        html,
        headers={
            "Content-Security-Policy": csp(settings),
            "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY",
        },
    )


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse(f"{BASE}/", status_code=307)


@router.get(BASE)
def dashboard_bare() -> RedirectResponse:
    return RedirectResponse(f"{BASE}/", status_code=307)


def _page_route(path: str) -> Any:
    def page(request: Request) -> HTMLResponse:
        return _page(request, path)

    page.__name__ = f"page_{PAGES[path][0].split('.')[0]}"
    return page


for _path in PAGES:
    router.add_api_route(
        f"{BASE}{_path}", _page_route(_path), methods=["GET"], response_class=HTMLResponse
    )


def _json(data: Any) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        media_type="application/json",
    )


@router.get(f"{BASE}/data/agreements.json")
def agreements(request: Request) -> Response:
    """Every stored agreement (its current version) in plain language, with the
    geography layers its scenario has."""
    from ceasewatch.server.services import stored_agreements

    engine = request.app.state.engine
    with engine.connect() as conn:
        stored = stored_agreements.current_agreements(conn)
    out = []
    for x in stored:
        view = plain.agreement_view(stored_agreements.agreement_of(x), x.scenario_id)
        view["layers"] = {
            name: f"{BASE}/data/layers/{x.agreement_id}/{name}.geojson"
            for name in _geography(x.files)
        }
        out.append(view)
    return _json({"agreements": out})


def _geography(files: dict[str, str]) -> dict[str, str]:
    """Layer name -> relative file, from the stored scenario.yaml's ``geography:``."""
    import yaml

    from ceasewatch.agreement.loader import SCENARIO_FILE

    try:
        doc = yaml.safe_load(files.get(SCENARIO_FILE, "")) or {}
    except yaml.YAMLError:  # a stored spec was validated; this is belt and braces
        return {}
    geo = doc.get("geography") if isinstance(doc, dict) else None
    if not isinstance(geo, dict):
        return {}
    return {k: v for k, v in geo.items() if k in LAYERS and isinstance(v, str) and v in files}


@router.get(f"{BASE}/data/layers/{{agreement_id}}/{{layer}}.geojson")
def layer(request: Request, agreement_id: str, layer: Layer) -> Response:
    """One GeoJSON layer of the scenario an agreement belongs to, as stored."""
    from ceasewatch.server.services import stored_agreements

    engine = request.app.state.engine
    with engine.connect() as conn:
        stored = [
            x for x in stored_agreements.current_agreements(conn) if x.agreement_id == agreement_id
        ]
    if not stored:
        raise NotFound(f"no stored agreement {agreement_id!r}")
    files = stored[0].files
    rel = _geography(files).get(layer)
    if rel is None:
        raise NotFound(f"the scenario of {agreement_id!r} has no {layer} layer")
    return Response(files[rel], media_type="application/geo+json")


@router.get(f"{BASE}/data/vocab.json")
def vocab() -> Response:
    """The incident.v1 vocabularies the filters and the entry form offer."""
    from typing import get_args

    from ceasewatch.evaluate.finding import Verdict
    from ceasewatch.incidents import vocab as v
    from ceasewatch.incidents.model import EVENT_TYPES

    radii = {k: (None if r == float("inf") else r) for k, r in v.PRECISION_RADIUS_M.items()}
    return _json(
        {
            "event_types": {k: list(subs) for k, subs in EVENT_TYPES.items()},
            "methods": list(v.METHODS),
            "statuses": list(v.STATUSES),
            "confidences": list(v.CONFIDENCES),
            "attributions": list(v.ATTRIBUTIONS),
            "location_precisions": list(v.LOCATION_PRECISIONS),
            "date_precisions": list(v.DATE_PRECISIONS),
            "precision_radius_m": radii,
            "verdicts": list(get_args(Verdict)),
        }
    )


def mount(app: FastAPI, settings: DashboardSettings | None = None) -> None:
    """Add the dashboard to the server's app: pages under /dashboard/, static files
    under /dashboard/static/, and / redirecting to the map."""
    import os

    app.state.dashboard = settings or DashboardSettings.from_env(os.environ)
    app.state.dashboard_templates = _templates()
    app.include_router(router)
    app.mount(
        f"{BASE}/static",
        StaticFiles(directory=vendor.STATIC, check_dir=True),
        name="dashboard-static",
    )
