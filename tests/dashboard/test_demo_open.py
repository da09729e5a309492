"""``ceasewatch demo --open`` serves the dashboard on the demo's store and opens it: the
browser is a stand-in (``$BROWSER``) that writes down the address it was given."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from ceasewatch.store import db, users
from tests.dashboard.site import serve_command


def test_demo_open_serves_the_dashboard_and_opens_it(tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    env = {
        **os.environ,
        "BROWSER": f"sh -c 'echo \"$0\" > {opened}' %s",
        "CEASEWATCH_USER": "tester",
    }
    proc = subprocess.Popen(
        [*serve_command(), "demo", "--out", str(tmp_path / "demo"), "--open"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 120  # a hang guard, not a timing assertion
        while not (opened.exists() and opened.read_text().strip()):
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            assert time.monotonic() < deadline, "the browser was never opened"
            time.sleep(0.1)
        url = opened.read_text().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/dashboard/")
        with urllib.request.urlopen(url, timeout=30) as r:
            page = r.read().decode()
        assert r.status == 200 and 'id="map"' in page
        base = url.removesuffix("/dashboard/")
        with urllib.request.urlopen(f"{base}/api/v1/incidents?limit=1", timeout=30) as r:
            assert json.loads(r.read())["count"] == 1
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            output, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
    text = output.decode()
    assert proc.returncode == 0, text
    # the monitor's token printed for the demo works on the demo's store
    lines = text.splitlines()
    token = lines[[i for i, line in enumerate(lines) if "Monitor's token" in line][0] + 1].strip()
    engine = db.open_store(f"sqlite:///{tmp_path / 'demo' / 'ceasewatch.db'}")
    try:
        with engine.connect() as conn:
            state, user = users.by_token(conn, token, dt.datetime.now(dt.UTC))
    finally:
        engine.dispose()
    assert state == "ok" and user is not None and user.role == "monitor"
