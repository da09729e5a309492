"""Webhook notifications: a trigger fires, a phase gate passes or fails, a query is
answered.

Events go to the ``notifications`` table first (an outbox), then to the configured URL
in the background; a failed call is kept with its error. Gate and trigger changes are
found by comparing the statuses with the last ones seen (``watch_state``).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import BackgroundTasks, FastAPI
from sqlalchemy import Engine, select

from ceasewatch.server.services.analysis import outcomes
from ceasewatch.server.services.callers import Caller
from ceasewatch.store import audit
from ceasewatch.store import tables as t

log = logging.getLogger("ceasewatch.server")
WATCHER = Caller("system:watch", "admin")


def queue(app: FastAPI, tasks: BackgroundTasks, kind: str, payload: dict[str, Any]) -> None:
    if app.state.settings.webhook_url:
        tasks.add_task(_emit, app, [(kind, payload)])


def queue_watch(app: FastAPI, tasks: BackgroundTasks) -> None:
    if app.state.settings.webhook_url:
        tasks.add_task(watch, app)


def changes(engine: Engine) -> list[tuple[str, dict[str, Any]]]:
    """Gate and trigger statuses that differ from the last ones seen (and remember them)."""
    events: list[tuple[str, dict[str, Any]]] = []
    try:
        outs = outcomes(engine, WATCHER, None, None)
    except Exception:  # no incidents or agreements yet: nothing to watch
        return []
    seen: dict[str, str] = {}
    for o in outs:
        for p in o.phases:
            if p.gate is not None and p.gate.status in ("met", "not_met"):
                seen[f"gate:{p.agreement_id}:{p.phase_id}"] = p.gate.status
        for tr in o.triggers:
            seen[f"trigger:{tr.agreement_id}:{tr.trigger_id}"] = "fired" if tr.fired else "quiet"
    with engine.begin() as conn:
        old = {r.key: r.value for r in conn.execute(select(t.watch_state))}
        for key, value in seen.items():
            if old.get(key) == value:
                continue
            if key in old:
                conn.execute(
                    t.watch_state.update().where(t.watch_state.c.key == key).values(value=value)
                )
            else:
                conn.execute(t.watch_state.insert().values(key=key, value=value))
            kind, agreement, item = key.split(":", 2)
            if kind == "gate":
                events.append(
                    (
                        f"gate.{'passed' if value == 'met' else 'failed'}",
                        {"agreement_id": agreement, "phase_id": item},
                    )
                )
            elif value == "fired":
                events.append(("trigger.fired", {"agreement_id": agreement, "trigger_id": item}))
    return events


def watch(app: FastAPI) -> None:
    _emit(app, changes(app.state.engine))


def _emit(app: FastAPI, events: list[tuple[str, dict[str, Any]]]) -> None:
    import httpx

    settings = app.state.settings
    engine: Engine = app.state.engine
    for kind, payload in events:
        now = settings.clock()
        body = {"event": kind, "at": audit.now_text(now), **payload}
        with engine.begin() as conn:
            key = conn.execute(
                t.notifications.insert().values(
                    at=audit.now_text(now), kind=kind, payload_json=json.dumps(body)
                )
            ).inserted_primary_key
        assert key is not None
        nid = key[0]
        delivered, error = None, None
        try:
            r = httpx.post(settings.webhook_url, json=body, timeout=5.0)
            r.raise_for_status()
            delivered = audit.now_text(settings.clock())
        except httpx.HTTPError as e:
            error = str(e)[:500]
            log.warning("webhook %s failed: %s", kind, error)
        with engine.begin() as conn:
            conn.execute(
                t.notifications.update()
                .where(t.notifications.c.id == nid)
                .values(delivered_at=delivered, error=error)
            )
