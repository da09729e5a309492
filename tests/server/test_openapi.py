"""The OpenAPI document validates, documents every route, and the API holds to it under
schemathesis (a bounded run: no 500, no response outside its documented schema)."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate

from ceasewatch.server import roles
from ceasewatch.server.app import create_app
from ceasewatch.server.settings import Settings
from tests.server.conftest import World


def test_openapi_document_validates_and_documents_every_route(tmp_path: Path) -> None:
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}"))
    doc = app.openapi()
    validate(doc)  # raises on an invalid document
    documented = {f"{m.upper()} {p}" for p, ops in doc["paths"].items() for m in ops}
    assert documented == set(roles.ROUTES)
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op.get("summary") or op.get("description"), f"{method} {path}"
            assert "422" in op["responses"] or method == "get", f"{method} {path}"
    app.state.engine.dispose()


CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
]


@pytest.mark.slow
@pytest.mark.parametrize("route", sorted(roles.ROUTES))
def test_api_conforms_to_its_openapi_document(sqlite_world: World, route: str) -> None:
    """A bounded schemathesis run per operation, as an admin (every route open; the role
    table's own test covers the other roles)."""
    method, path = route.split(" ", 1)
    schema = schemathesis.openapi.from_asgi("/openapi.json", sqlite_world.client.app)
    operation = schema[path][method]
    headers = sqlite_world.headers("admin")

    @given(case=operation.as_strategy())
    @settings(
        max_examples=5,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()


def test_every_route_is_in_the_api_doc() -> None:
    doc = (Path(__file__).parents[2] / "docs/api.md").read_text(encoding="utf-8")
    for route in roles.ROUTES:
        method, path = route.split(" ", 1)
        short = path.removeprefix(roles._P)
        assert short.split("{")[0].rstrip("/.") in doc, route
