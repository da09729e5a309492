"""The API's routers, one module per subject."""

from __future__ import annotations

from ceasewatch.server.routes import (
    access,
    admin,
    agreements,
    analysis,
    delineations,
    evidence,
    exports,
    findings,
    incidents,
    map,
    queries,
    reports,
)

ALL_ROUTERS = (
    admin.router,
    incidents.router,
    map.router,
    evidence.router,
    findings.router,
    queries.router,
    agreements.router,
    delineations.router,
    analysis.router,
    reports.router,
    exports.router,
    access.router,
)
