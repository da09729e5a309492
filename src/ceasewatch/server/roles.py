"""Who may call what: ONE table of route × role, read by the code and by the tests.

Each cell is what a role gets on a route:

- ``all``: the route, over everything;
- ``party``: a liaison's view — published incidents, its party's own submissions, and the
  incidents its party is asked about; writes act for its party only;
- ``published``: published incidents only, with sources' personal names withheld;
- ``no``: refused (401 without a token, 403 with one).

``authorize`` (server/auth.py) looks the route of every request up here; the test
``tests/server/test_roles.py`` makes one real HTTP call per cell; ``docs/roles.md`` is
generated from this table (``python -m ceasewatch.server.roles``).
"""

from __future__ import annotations

from typing import Final, Literal

Access = Literal["all", "party", "published", "no"]
ROLE_NAMES: Final = ("admin", "monitor", "analyst", "liaison", "public")

_P = "/api/v1"

#: "METHOD path" -> (admin, monitor, analyst, liaison, public), and what the route is for.
TABLE: Final[dict[str, tuple[tuple[Access, Access, Access, Access, Access], str]]] = {
    f"GET {_P}/health": (("all", "all", "all", "all", "all"), "liveness and store reachability"),
    f"GET {_P}/me": (("all", "all", "all", "all", "no"), "who the token belongs to"),
    f"GET {_P}/incidents": (
        ("all", "all", "all", "party", "published"),
        "search incidents",
    ),
    f"GET {_P}/map/incidents": (
        ("all", "all", "all", "party", "published"),
        "every matching incident for a map, as compact columns",
    ),
    f"POST {_P}/incidents": (("all", "all", "no", "party", "no"), "submit an incident.v1"),
    f"GET {_P}/incidents/{{incident_id}}": (
        ("all", "all", "all", "party", "published"),
        "one incident",
    ),
    f"PATCH {_P}/incidents/{{incident_id}}": (
        ("all", "all", "no", "no", "no"),
        "edit an incident, with a reason",
    ),
    f"GET {_P}/incidents/{{incident_id}}/history": (
        ("all", "all", "all", "no", "no"),
        "the audit entries of one incident",
    ),
    f"POST {_P}/incidents/{{incident_id}}/publish": (
        ("all", "all", "no", "no", "no"),
        "review: publish a proposed incident",
    ),
    f"POST {_P}/incidents/{{incident_id}}/reject": (
        ("all", "all", "no", "no", "no"),
        "review: reject an incident",
    ),
    f"GET {_P}/review": (("all", "all", "all", "no", "no"), "the review queue (proposed)"),
    f"POST {_P}/incidents/{{incident_id}}/evidence": (
        ("all", "all", "no", "party", "no"),
        "attach evidence (stored with its SHA-256)",
    ),
    f"GET {_P}/incidents/{{incident_id}}/evidence": (
        ("all", "all", "all", "party", "no"),
        "list an incident's evidence",
    ),
    f"GET {_P}/evidence/{{evidence_id}}": (
        ("all", "all", "all", "party", "no"),
        "download one attachment",
    ),
    f"GET {_P}/findings": (
        ("all", "all", "all", "party", "published"),
        "findings, with overrides beside the machine verdict",
    ),
    f"POST {_P}/findings/{{finding_id}}/override": (
        ("all", "all", "no", "no", "no"),
        "override a finding's verdict, with a reason",
    ),
    f"POST {_P}/incidents/{{incident_id}}/queries": (
        ("all", "all", "no", "no", "no"),
        "ask a party's liaison about an incident",
    ),
    f"GET {_P}/queries": (("all", "all", "all", "party", "no"), "queries and answers"),
    f"POST {_P}/queries/{{query_id}}/answer": (
        ("no", "no", "no", "party", "no"),
        "a liaison answers its party's query",
    ),
    f"GET {_P}/agreements": (("all", "all", "all", "all", "all"), "stored agreements"),
    f"POST {_P}/agreements": (
        ("all", "all", "no", "no", "no"),
        "upload a spec (validated as by `ceasewatch check`)",
    ),
    f"GET {_P}/agreements/{{agreement_id}}": (
        ("all", "all", "all", "all", "all"),
        "one agreement and its versions",
    ),
    f"POST {_P}/agreements/{{agreement_id}}/evaluate": (
        ("all", "all", "no", "no", "no"),
        "recompute an agreement's findings",
    ),
    f"GET {_P}/agreements/{{agreement_id}}/delineations": (
        ("all", "all", "all", "all", "no"),
        "zone delineations: every version, its status and signatures, disputed areas",
    ),
    f"POST {_P}/agreements/{{agreement_id}}/delineations": (
        ("all", "no", "no", "party", "no"),
        "propose a delineation (a liaison's counts as its party's signature)",
    ),
    f"GET {_P}/agreements/{{agreement_id}}/delineations/{{version}}": (
        ("all", "all", "all", "all", "no"),
        "one delineation version: polygons, signatures, audit entries",
    ),
    f"GET {_P}/agreements/{{agreement_id}}/delineations/{{version}}/diff": (
        ("all", "all", "all", "all", "no"),
        "where two delineation versions differ (km², GeoJSON)",
    ),
    f"POST {_P}/agreements/{{agreement_id}}/delineations/{{version}}/approve": (
        ("no", "no", "no", "party", "no"),
        "sign a delineation for the liaison's party (active when every approver signed)",
    ),
    f"GET {_P}/timeline": (
        ("all", "all", "all", "party", "published"),
        "violations per day × zone × party",
    ),
    f"GET {_P}/phases": (("all", "all", "all", "party", "published"), "phase and gate status"),
    f"GET {_P}/triggers": (("all", "all", "all", "party", "published"), "walk-away triggers"),
    f"POST {_P}/reports": (
        ("all", "all", "no", "party", "no"),
        "submit an article: its incidents come back proposed",
    ),
    f"GET {_P}/exports/incidents.{{fmt}}": (
        ("all", "all", "all", "party", "published"),
        "incidents as csv (ACLED columns), geojson or parquet, streamed",
    ),
    f"GET {_P}/audit/head": (("all", "all", "all", "all", "all"), "the audit chain's head"),
    f"GET {_P}/audit": (("all", "all", "all", "no", "no"), "audit entries"),
    f"GET {_P}/audit/verify": (("all", "no", "no", "no", "no"), "recompute the audit chain"),
    f"GET {_P}/users": (("all", "no", "no", "no", "no"), "users (never their tokens)"),
    f"GET {_P}/access/convoys": (
        ("all", "all", "all", "all", "no"),
        "convoys and their status history",
    ),
    f"POST {_P}/access/convoys": (("all", "all", "no", "no", "no"), "record a convoy"),
    f"POST {_P}/access/convoys/{{convoy_id}}/updates": (
        ("all", "all", "no", "party", "no"),
        "a convoy's status change, with its evidence (liaisons report)",
    ),
    f"GET {_P}/access/constraints": (
        ("all", "all", "all", "all", "no"),
        "access constraints (ACAPS categories)",
    ),
    f"POST {_P}/access/constraints": (
        ("all", "all", "no", "party", "no"),
        "record an access constraint (liaisons report)",
    ),
    f"GET {_P}/access/status": (
        ("all", "all", "all", "party", "published"),
        "each route and checkpoint open, closed or unknown on a day, with why",
    ),
    f"GET {_P}/access/routes.geojson": (
        ("all", "all", "all", "party", "published"),
        "routes with their status on a day (the dashboard's map layer)",
    ),
}

ROUTES: Final[dict[str, dict[str, Access]]] = {
    key: dict(zip(ROLE_NAMES, cells, strict=True)) for key, (cells, _) in TABLE.items()
}


def access(method: str, path: str, role: str) -> Access:
    """The cell for a route and role; a route missing from the table is refused.

    >>> access("GET", "/api/v1/incidents", "public")
    'published'
    >>> access("DELETE", "/api/v1/incidents", "admin")
    'no'
    """
    row = ROUTES.get(f"{method} {path}")
    return row[role] if row else "no"


def markdown() -> str:
    lines = [
        "| route | " + " | ".join(ROLE_NAMES) + " | what for |",
        "|---|" + "---|" * len(ROLE_NAMES) + "---|",
    ]
    for key, (cells, what) in TABLE.items():
        shown = ["—" if c == "no" else c for c in cells]
        lines.append(f"| `{key}` | " + " | ".join(shown) + f" | {what} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(markdown(), end="")
