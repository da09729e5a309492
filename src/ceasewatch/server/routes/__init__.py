"""The API's routers, one module per subject."""

from __future__ import annotations

from ceasewatch.server.routes import (
    admin,
    agreements,
    analysis,
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
    analysis.router,
    reports.router,
    exports.router,
)
