"""``ceasewatch demo --open``: serve the dashboard on the demo's store and open it in a
browser. The demo's store gets a monitor user whose token is printed, so the monitors'
tools (review queue, entry form, overrides) can be tried at once."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
import urllib.request
import webbrowser

from ceasewatch.cli.base import err, out

DEMO_MONITOR = "demo-monitor"


def _port(preferred: int) -> int:
    """``preferred`` if it is free on 127.0.0.1, else one the system picks."""
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", preferred))
        except OSError:
            s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _open_when_up(base: str, page: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/api/v1/health", timeout=2) as r:
                if r.status == 200:
                    webbrowser.open(page)
                    return
        except OSError:
            time.sleep(0.2)
    err.print(f"the server did not answer; open {page} yourself", highlight=False)


def open_dashboard(db_url: str, *, port: int = 8000) -> None:
    """Serve the store at ``db_url`` on 127.0.0.1 and open the map; blocks until Ctrl-C."""
    import uvicorn

    from ceasewatch.cli.server import freeze_heap, local_user
    from ceasewatch.server.app import create_app
    from ceasewatch.server.settings import Settings
    from ceasewatch.store import db, users

    engine = db.open_store(db_url)
    _, token = users.add(
        engine, DEMO_MONITOR, "monitor", None, actor=local_user(), now=dt.datetime.now(dt.UTC)
    )
    chosen = _port(port)
    base = f"http://127.0.0.1:{chosen}"
    page = f"{base}/dashboard/"
    out.print(f"\n[bold]Dashboard:[/] {page}  (Ctrl-C stops the server)", soft_wrap=True)
    out.print(
        f"Monitor's token for this demo store (sign in at {base}/dashboard/signin):",
        highlight=False,
        soft_wrap=True,
    )
    print(token, flush=True)
    threading.Thread(target=_open_when_up, args=(base, page), daemon=True).start()
    app = create_app(Settings(db_url=db_url), engine=engine)
    freeze_heap()  # as `serve` does: no collection pauses over start-up's objects
    uvicorn.run(app, host="127.0.0.1", port=chosen, log_level="warning")
