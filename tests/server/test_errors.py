"""Bad input gets a 4xx in one shape, never a 500; a store that is down gets 503."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine

from ceasewatch.server.app import create_app
from ceasewatch.server.settings import Settings
from ceasewatch.store import users
from tests.server.conftest import NOW, World, make_client, minimal_files, minimal_incidents

P = "/api/v1"
SHAPE = {"ok", "error", "errors", "status"}


def shaped(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body: dict[str, Any] = r.json()
    assert SHAPE <= set(body) and body["ok"] is False and body["status"] == status
    return body


def test_malformed_json_is_422(sqlite_world: World) -> None:
    r = sqlite_world.client.post(
        f"{P}/incidents",
        content=b'{"event_type": "Battles",',
        headers={**sqlite_world.headers("monitor"), "content-type": "application/json"},
    )
    assert "not valid JSON" in " ".join(shaped(r, 422)["errors"])


def test_a_caller_the_route_refuses_hears_401_or_403_before_any_422(sqlite_world: World) -> None:
    bad = {"content": b'{"event_type": ', "headers": {"content-type": "application/json"}}
    r = sqlite_world.client.post(f"{P}/incidents", **bad)
    assert shaped(r, 401)["error"].startswith("this needs a token")
    assert r.headers["www-authenticate"] == "Bearer"
    as_analyst = {**bad, "headers": {**bad["headers"], **sqlite_world.headers("analyst")}}
    shaped(sqlite_world.client.post(f"{P}/incidents", **as_analyst), 403)
    wrong = sqlite_world.call("public", "PATCH", f"{P}/incidents/ex-day-one", json={"reason": 5})
    shaped(wrong, 401)


def test_wrong_types_are_422_naming_the_field(sqlite_world: World) -> None:
    r = sqlite_world.call(
        "monitor", "PATCH", f"{P}/incidents/ex-day-one", json={"reason": 5, "changes": []}
    )
    errors = " ".join(shaped(r, 422)["errors"])
    assert "reason" in errors and "changes" in errors
    r = sqlite_world.call("public", "GET", f"{P}/incidents", params={"limit": "many"})
    assert "limit" in " ".join(shaped(r, 422)["errors"])
    r = sqlite_world.call("public", "GET", f"{P}/incidents", params={"bbox": "1,2,3"})
    assert "bbox" in " ".join(shaped(r, 422)["errors"])
    r = sqlite_world.call("public", "GET", f"{P}/incidents", params={"bbox": "nan,0,1,1"})
    shaped(r, 422)


def test_an_oversize_body_is_413_before_it_is_read(sqlite_world: World) -> None:
    big = {"reason": "x" * 2_000_000, "changes": {}}
    r = sqlite_world.call("monitor", "PATCH", f"{P}/incidents/ex-day-one", json=big)
    shaped(r, 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield b'{"reason": "'
        for _ in range(300):
            yield b"y" * 10_000
        yield b'", "changes": {}}'

    r = sqlite_world.client.patch(
        f"{P}/incidents/ex-day-one",
        content=chunks(),
        headers={**sqlite_world.headers("monitor"), "content-type": "application/json"},
    )
    shaped(r, 413)


def test_an_oversize_attachment_is_413(sqlite_store: Any) -> None:
    w = World(sqlite_store)
    client = make_client(sqlite_store, max_evidence_bytes=2048)
    r = client.post(
        f"{P}/incidents/ex-day-one/evidence",
        files={"file": ("big.bin", b"0" * 5000, "application/octet-stream")},
        headers=w.headers("monitor"),
    )
    shaped(r, 413)


def test_unknown_ids_and_routes_are_404(sqlite_world: World) -> None:
    for url in (
        f"{P}/incidents/no-such",
        f"{P}/agreements/no-such",
        f"{P}/evidence/no-such",
        f"{P}/no-such-route",
    ):
        shaped(sqlite_world.call("admin", "GET", url), 404)
    r = sqlite_world.call(
        "admin", "POST", f"{P}/findings/no-such/override", json={"verdict": "exempt", "reason": "x"}
    )
    shaped(r, 404)
    shaped(sqlite_world.call("lia", "POST", f"{P}/queries/999/answer", json={"answer": "x"}), 404)


def test_wrong_expired_and_revoked_tokens_are_401(sqlite_world: World) -> None:
    w = sqlite_world
    r = w.client.get(f"{P}/me", headers={"Authorization": "Bearer cw_not-a-token"})
    assert "unknown token" in shaped(r, 401)["error"]
    assert r.headers["www-authenticate"] == "Bearer"
    r = w.client.get(f"{P}/me", headers={"Authorization": "Basic abc"})
    shaped(r, 401)
    _, token = users.add(w.engine, "shortlived", "analyst", None, actor="cli:t", now=NOW, days=1)
    late = make_client(w.engine)
    late.app.state.settings = Settings(  # type: ignore[attr-defined]
        db_url="x", clock=lambda: NOW + dt.timedelta(days=2)
    )
    r = late.get(f"{P}/me", headers={"Authorization": f"Bearer {token}"})
    assert "expired" in shaped(r, 401)["error"]
    users.revoke(w.engine, "ana", actor="cli:t", now=NOW)
    r = w.call("analyst", "GET", f"{P}/me")
    assert "revoked" in shaped(r, 401)["error"]


def test_a_store_that_is_down_gives_503_in_the_error_shape(tmp_path: Any) -> None:
    dead = create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none", pool_pre_ping=False)
    app = create_app(Settings(db_url="postgresql+psycopg://nobody@127.0.0.1:9/none"), engine=dead)
    from fastapi.testclient import TestClient

    client = TestClient(app)
    body = shaped(client.get(f"{P}/health"), 503)
    assert "unavailable" in body["error"]
    shaped(client.get(f"{P}/incidents"), 503)


class _Hook(http.server.BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802
        size = int(self.headers["content-length"])
        _Hook.received.append(json.loads(self.rfile.read(size)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[str]:
    _Hook.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def test_a_webhook_hears_answers_and_gate_changes(sqlite_store: Any, webhook: str) -> None:
    w = World(sqlite_store)
    client = make_client(sqlite_store, webhook_url=webhook)
    h = w.headers
    r = client.post(
        f"{P}/incidents/ex-air-town/queries",
        json={"party": "gov", "question": "Whose jets?"},
        headers=h("monitor"),
    )
    qid = r.json()["id"]
    client.post(f"{P}/queries/{qid}/answer", json={"answer": "Not ours."}, headers=h("lia"))
    assert [e["event"] for e in _Hook.received] == ["query.answered"]
    assert _Hook.received[0]["answer"] == "Not ours."
    client.post(f"{P}/agreements/valley-truce/evaluate", headers=h("monitor"))
    assert not {"gate.failed", "gate.passed"} & {e["event"] for e in _Hook.received}  # pending
    late = dict(minimal_incidents()[1], id="after-deadline", status="published")
    late["occurred"] = {"start": "2024-05-20", "end": "2024-05-20"}
    client.post(f"{P}/incidents", json=late, headers=h("monitor"))
    # evidence up to 20 May: 6–8 May were three quiet days, so the truce's gate passed
    passed = [e for e in _Hook.received if e["event"] == "gate.passed"]
    assert [(e["agreement_id"], e["phase_id"]) for e in passed] == [("valley-truce", "truce")]


def test_a_webhook_hears_a_gate_fail_and_a_trigger_fire(sqlite_store: Any, webhook: str) -> None:
    """Version 2 of the example truce: the gate's deadline falls before three quiet days
    could pass, and the walk-away trigger needs only one day of government-side
    violations in its window — both happen in the seeded incidents."""
    w = World(sqlite_store)
    client = make_client(sqlite_store, webhook_url=webhook)
    client.app.state.settings.clock.now += dt.timedelta(days=1)  # after the seeding's clock
    files = minimal_files()
    text = files["truce.yaml"].replace("version: 1", "version: 2")
    text = text.replace(
        "deadline: 2024-05-15T00:00:00-01:00", "deadline: 2024-05-03T00:00:00-01:00"
    )
    text = text.replace(
        "      - violation_days: {min_days: 3, parties: [gov-side]}\n"
        "      - route_closed_days: {route: river-road, min_days: 2}\n",
        "      - violation_days: {min_days: 1, parties: [gov-side]}\n",
    )
    assert text.count("version: 2") == 1 and "min_days: 1" in text and "05-03T00" in text
    files["truce.yaml"] = text
    r = client.post(f"{P}/agreements", json={"files": files}, headers=w.headers("monitor"))
    assert r.status_code == 201, r.text
    events = {e["event"]: e for e in _Hook.received}
    assert events["gate.failed"]["agreement_id"] == "valley-truce"
    assert events["gate.failed"]["phase_id"] == "truce"
    assert events["trigger.fired"]["trigger_id"] == "collapse"
    assert "gate.passed" not in events
    # told once: a change that moves neither sends neither again
    n = len(_Hook.received)
    client.post(f"{P}/agreements/valley-truce/evaluate", headers=w.headers("monitor"))
    assert len(_Hook.received) == n
