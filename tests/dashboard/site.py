"""A running dashboard to test and photograph: the demo's store (built as ``ceasewatch
demo`` builds it), users of each role, a few incidents of our own made through the API,
and ``ceasewatch serve`` on a free port in a child process.

Used by tests/dashboard, tools/screenshots.py and benchmarks/dashboard.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NOW = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
SUKKARI = "seed-2016-09-07-al-sukkari"

#: Our own source text (written for the tests; no news text) and the passage cited in it.
CITED_TEXT = (
    "Field note, monitoring team B, 17 September 2016.\n"
    "Residents reported heavy shelling in the early afternoon. "
    "Two mortar rounds struck the market square of the test neighbourhood at about 14:00, "
    "damaging three shops; no casualties were confirmed by the clinic.\n"
    "The team could not reach the site before dark."
)
CITED = "Two mortar rounds struck the market square of the test neighbourhood at about 14:00"

#: Text with HTML and script in it: it must show as text everywhere.
XSS_NAME = '<img src=x onerror="window.__xss=1">Market<script>window.__xss=2</script>'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _record(
    rid: str, *, lat: float, lon: float, name: str, day: str, **extra: Any
) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "id": rid,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "occurred": {"start": day, "end": day},
        "location": {"lat": lat, "lon": lon, "precision": "neighbourhood", "name": name},
        "method": ["shelling"],
        "perpetrator": {"text": None, "actor": None, "attribution": "unknown"},
        "sources": [{"document_id": f"{rid}-src", "publisher": "Test monitors"}],
        "confidence": "fair",
    }
    rec.update(extra)
    return rec


@dataclass
class Site:
    """A served store: ``base`` is http://127.0.0.1:PORT; ``tokens`` by user name."""

    root: Path
    db_url: str
    base: str
    tokens: dict[str, str]
    proc: subprocess.Popen[bytes]
    ids: dict[str, str] = field(default_factory=dict)

    def call(
        self,
        method: str,
        path: str,
        who: str | None = None,
        body: Any = None,
        *,
        raw: bytes | None = None,
        content_type: str | None = None,
    ) -> tuple[int, Any]:
        """One HTTP call to the server; (status, parsed JSON body)."""
        headers = {"Accept": "application/json"}
        if who:
            headers["Authorization"] = f"Bearer {self.tokens[who]}"
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif content_type:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def ok(self, method: str, path: str, who: str | None = None, body: Any = None) -> Any:
        status, out = self.call(method, path, who, body)
        if status >= 300:
            raise AssertionError(f"{method} {path} as {who}: {status} {out}")
        return out

    def all_incidents(self, who: str | None = None, **params: str) -> list[dict[str, Any]]:
        from urllib.parse import urlencode

        out: list[dict[str, Any]] = []
        offset = 0
        while True:
            q = urlencode({**params, "limit": 1000, "offset": offset})
            page = self.ok("GET", f"/api/v1/incidents?{q}", who)
            out.extend(page["data"])
            if page["next_offset"] is None:
                return out
            offset = page["next_offset"]

    def attach(self, incident_id: str, who: str, filename: str, text: str) -> Any:
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{filename}"\r\nContent-Type: text/plain\r\n\r\n'
            ).encode()
            + text.encode()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        status, out = self.call(
            "POST",
            f"/api/v1/incidents/{incident_id}/evidence",
            who,
            raw=body,
            content_type=f"multipart/form-data; boundary={boundary}",
        )
        if status >= 300:
            raise AssertionError(f"evidence upload: {status} {out}")
        return out

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def build_store(root: Path) -> str:
    """The demo's store under ``root`` (as ``ceasewatch demo`` makes it); its URL."""
    from ceasewatch import services

    _, url, _ = services.demo(root / "demo", NOW)
    return url


def add_users(db_url: str) -> dict[str, str]:
    from ceasewatch.store import db, users

    engine = db.open_store(db_url)
    tokens: dict[str, str] = {}
    try:
        for name, role, party in (
            ("mona", "monitor", None),
            ("ana", "analyst", None),
            ("gov", "liaison", "sy-gov"),
            ("opp", "liaison", "opposition"),
        ):
            _, tokens[name] = users.add(engine, name, role, party, actor="cli:test", now=NOW)
    finally:
        engine.dispose()
    return tokens


def serve_command() -> list[str]:
    script = Path(sys.executable).parent / "ceasewatch"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from ceasewatch.cli import main; main()"]


def start(
    db_url: str, root: Path, tokens: dict[str, str], env: dict[str, str] | None = None
) -> Site:
    """``ceasewatch serve`` on a free port; returns when /api/v1/health answers."""
    port = free_port()
    log = open(root / "serve.log", "wb")  # noqa: SIM115  (the child holds it)
    proc = subprocess.Popen(
        [*serve_command(), "serve", "--db", db_url, "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    log.close()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/api/v1/health", timeout=5) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(
                "ceasewatch serve did not start:\n" + (root / "serve.log").read_text()[-3000:]
            )
        time.sleep(0.1)
    return Site(root, db_url, base, tokens, proc)


def seed(site: Site) -> None:
    """Our incidents, made through the API as each role would."""
    ids = site.ids
    # each party's liaison proposes one (stored proposed, owned by its party)
    for who, rid, name in (
        ("gov", "dash-gov-unpublished", "Gov liaison claim place"),
        ("opp", "dash-opp-unpublished", "Opp liaison claim place"),
    ):
        out = site.ok(
            "POST",
            "/api/v1/incidents",
            who,
            _record(rid, lat=36.21, lon=37.16, name=name, day="2016-09-17"),
        )
        assert out["status"] == "proposed", out
        ids[who] = rid
    # a monitor's proposed incident, for the review queue
    site.ok(
        "POST",
        "/api/v1/incidents",
        "mona",
        _record(
            "dash-mon-proposed",
            lat=36.19,
            lon=37.12,
            name="Queue test place",
            day="2016-09-18",
            status="proposed",
        ),
    )
    ids["queue"] = "dash-mon-proposed"
    # published, with HTML and script in its text fields
    site.ok(
        "POST",
        "/api/v1/incidents",
        "mona",
        _record(
            "dash-xss",
            lat=36.2,
            lon=37.13,
            name=XSS_NAME,
            day="2016-09-16",
            status="published",
            perpetrator={"text": XSS_NAME, "actor": None, "attribution": "unknown"},
        ),
    )
    ids["xss"] = "dash-xss"
    # published, citing characters of a source whose text is held as evidence
    start = CITED_TEXT.index(CITED)
    site.ok(
        "POST",
        "/api/v1/incidents",
        "mona",
        _record(
            "dash-cited",
            lat=36.18,
            lon=37.17,
            name="Cited place",
            day="2016-09-17",
            status="published",
            sources=[
                {
                    "document_id": "note:team-b-0917",
                    "publisher": "Monitoring team B",
                    "start": start,
                    "end": start + len(CITED),
                }
            ],
        ),
    )
    site.attach("dash-cited", "mona", "note_team-b-0917.txt", CITED_TEXT)
    ids["cited"] = "dash-cited"


def make_site(root: Path, env: dict[str, str] | None = None) -> Site:
    root.mkdir(parents=True, exist_ok=True)
    url = build_store(root)
    tokens = add_users(url)
    site = start(url, root, tokens, env)
    try:
        seed(site)
    except BaseException:
        site.stop()
        raise
    return site


def remove(site: Site) -> None:
    site.stop()
    shutil.rmtree(site.root, ignore_errors=True)
