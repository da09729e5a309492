"""PostgreSQL goes away under load: the API answers 503 in the error shape, recovers when
it is back, and loses no write it acknowledged. The outage is a TCP proxy between the app
and the real server that drops every connection and refuses new ones for a while."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url

from ceasewatch.store import db
from ceasewatch.store import tables as t
from tests.engines import fresh_pg, pg_url_or_skip
from tests.server.conftest import World, make_client, minimal_incidents

P = "/api/v1"


class Proxy:
    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.down = threading.Event()
        self.stopped = threading.Event()
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.down.is_set():
                client.close()
                continue
            try:
                server = socket.create_connection(self.upstream)
            except OSError:  # pragma: no cover - the real server is up in this test
                client.close()
                continue
            with self.lock:
                self.open += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def cut(self) -> None:
        self.down.set()
        with self.lock:
            for s in self.open:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
                except OSError:
                    pass
            self.open = []

    def restore(self) -> None:
        self.down.clear()

    def stop(self) -> None:
        self.stopped.set()
        self.cut()
        self.listener.close()


def test_postgresql_outage_gives_503_then_recovers_without_losing_acknowledged_writes(
    worker_id: str,
) -> None:
    base = pg_url_or_skip()
    url = make_url(fresh_pg(base, f"{make_url(base).database}_{worker_id}_fault"))
    direct = db.open_store(url.render_as_string(hide_password=False))
    world = World(direct)  # seed over a direct connection
    proxy = Proxy(url.host or "127.0.0.1", url.port or 5432)
    via = db.connect(
        url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    )
    client = make_client(via)
    headers = world.headers("monitor")
    acknowledged: list[str] = []
    statuses: list[int] = []
    template = minimal_incidents()[1]
    try:
        for n in range(60):
            if n == 20:
                proxy.cut()
            if n == 35:
                proxy.restore()
            rec = dict(template, id=f"load-{n}", status="published")
            r = client.post(f"{P}/incidents", json=rec, headers=headers)
            statuses.append(r.status_code)
            if r.status_code == 201:
                acknowledged.append(rec["id"])
            else:
                body: dict[str, Any] = r.json()
                assert r.status_code == 503, r.text
                assert body["ok"] is False and body["status"] == 503
            time.sleep(0.01)
        assert 503 in statuses[20:35]  # the outage was seen as 503, never 500
        assert statuses[-5:] == [201] * 5  # and it recovered
        assert client.get(f"{P}/health").status_code == 200
        with direct.connect() as conn:
            stored = set(conn.execute(select(t.incidents.c.id)).scalars())
        assert set(acknowledged) <= stored  # no acknowledged write lost
        assert len(acknowledged) >= 40
    finally:
        proxy.stop()
        via.dispose()
        direct.dispose()
