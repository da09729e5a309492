"""A small driver for headless Chromium over the DevTools protocol (CDP), for the
dashboard's browser tests, ``tools/screenshots.py`` and ``benchmarks/dashboard.py``.

It starts the machine's Chromium (never a downloaded one) with a fresh profile, finds
the DevTools port from the profile's ``DevToolsActivePort`` file, and speaks CDP over one
WebSocket (the ``websockets`` package). Every wait is bounded: a timeout raises with what
the page said, it is a hang guard, not a timing assertion.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
    "--mute-audio",
    "--remote-debugging-port=0",
    "--remote-allow-origins=*",
)


def find_chromium() -> str | None:
    """``$CEASEWATCH_CHROMIUM``, else ``chromium`` / ``chromium-browser`` on the PATH."""
    named = os.environ.get("CEASEWATCH_CHROMIUM")
    if named:
        return named if Path(named).exists() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


class CDPError(RuntimeError):
    pass


class Browser:
    """One headless Chromium and one page (tab) in it."""

    def __init__(self, executable: str, *, width: int = 1400, height: int = 1000) -> None:
        from websockets.sync.client import connect

        self.profile = Path(tempfile.mkdtemp(prefix="ceasewatch-chromium-"))
        self.log = open(self.profile / "chromium.log", "wb")  # noqa: SIM115  (closed in close())
        self.proc = subprocess.Popen(
            [
                executable,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=self.log,
        )
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while True:
            if port_file.exists():
                lines = port_file.read_text().split("\n")
                if len(lines) >= 2 and lines[0].strip() and lines[1].strip():
                    break
            if self.proc.poll() is not None or time.monotonic() > deadline:
                tail = self._log_tail()
                self.close()
                raise CDPError(f"chromium did not start; its log: {tail}")
            time.sleep(0.05)
        port, path = lines[0].strip(), lines[1].strip()
        try:
            # entered by hand (what `with` does): the connection lives as long as the browser
            self._connection = connect(
                f"ws://127.0.0.1:{port}{path}", max_size=None, open_timeout=30
            )
            self.ws = self._connection.__enter__()
            self._start(width, height)
        except BaseException:
            self.close()
            raise

    def _start(self, width: int, height: int) -> None:
        self._ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []
        self.width, self.height = width, height
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable")
        self.call(
            "Network.enable",
            {"maxTotalBufferSize": 200_000_000, "maxResourceBufferSize": 50_000_000},
        )
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    # ---- protocol -----------------------------------------------------------------

    def send(
        self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None
    ) -> dict[str, Any]:
        msg_id = next(self._ids)
        msg: dict[str, Any] = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        deadline = time.monotonic() + 120
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CDPError(f"no answer to {method}")
            data = json.loads(self.ws.recv(timeout=left))
            if data.get("id") == msg_id:
                if "error" in data:
                    raise CDPError(f"{method}: {data['error']}")
                result: dict[str, Any] = data.get("result", {})
                return result
            if "method" in data:
                self.events.append(data)

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """A command to the page's session."""
        return self.send(method, params, session=self.session)

    def pump(self, seconds: float) -> None:
        """Read events for a while (to let the page's requests come in)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                data = json.loads(self.ws.recv(timeout=left))
            except TimeoutError:
                return
            if "method" in data:
                self.events.append(data)

    # ---- the page -----------------------------------------------------------------

    def goto(self, url: str, *, ready: str | None = "document.body.dataset.ready === '1'") -> None:
        """Open ``url`` and wait until ``ready`` (a JS expression) holds."""
        self.events.clear()
        out = self.call("Page.navigate", {"url": url})
        if out.get("errorText"):
            raise CDPError(f"{url}: {out['errorText']}")
        self.wait_for("document.readyState === 'complete'")
        if ready:
            self.wait_for(ready)

    def eval(self, expression: str) -> Any:
        """The value of a JS expression (promises awaited)."""
        out = self.call(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
        )
        if "exceptionDetails" in out:
            d = out["exceptionDetails"]
            text = d.get("exception", {}).get("description") or d.get("text")
            raise CDPError(f"{expression[:80]!r} threw: {text}")
        return out.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 60) -> Any:
        """Poll until the expression is truthy; its value."""
        deadline = time.monotonic() + timeout
        last = ""
        while True:
            try:
                value = self.eval(expression)
            except CDPError as e:  # e.g. the page is between two documents
                value, last = None, str(e)
            if value:
                return value
            if time.monotonic() > deadline:
                raise CDPError(
                    f"waited {timeout:.0f}s for {expression!r} ({last}); "
                    f"page errors: {self.errors()}"
                )
            self.pump(0.05)

    def click_at(self, x: float, y: float) -> None:
        """A real mouse click at page coordinates."""
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
            )

    #: key name -> (code, Windows virtual key code, text typed)
    KEYS: dict[str, tuple[str, int, str]] = {
        "Tab": ("Tab", 9, ""),
        "Enter": ("Enter", 13, "\r"),
        "Escape": ("Escape", 27, ""),
        "ArrowRight": ("ArrowRight", 39, ""),
        "ArrowDown": ("ArrowDown", 40, ""),
        "+": ("Equal", 187, "+"),
    }

    def press(self, key: str, *, shift: bool = False) -> None:
        """A real key press (down, then up) on whatever has the focus."""
        code, vk, text = self.KEYS[key]
        base = {
            "key": key,
            "code": code,
            "windowsVirtualKeyCode": vk,
            "modifiers": 8 if shift else 0,
        }
        self.call(
            "Input.dispatchKeyEvent",
            {"type": "keyDown", **base, **({"text": text} if text else {})},
        )
        self.call("Input.dispatchKeyEvent", {"type": "keyUp", **base})

    def click(self, selector: str) -> None:
        """Click the middle of the first element matching ``selector`` (scrolled into view)."""
        box = self.eval(
            f"""(() => {{
              const e = document.querySelector({json.dumps(selector)});
              if (!e) return null;
              e.scrollIntoView({{block: "center"}});
              const r = e.getBoundingClientRect();
              return [r.left + r.width / 2, r.top + r.height / 2];
            }})()"""
        )
        if not box:
            raise CDPError(f"nothing matches {selector!r}")
        self.click_at(*box)

    def fill(self, selector: str, value: str) -> None:
        """Focus a field and type into it (replacing what it held)."""
        self.eval(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.focus(); "
            "if (e.select) e.select(); })()"
        )
        self.call("Input.insertText", {"text": value})
        self.eval(
            f"document.querySelector({json.dumps(selector)})"
            ".dispatchEvent(new Event('change', {bubbles: true}))"
        )

    def set_value(self, selector: str, value: str) -> None:
        """Set a field's value as a picker would (date inputs take no typed text)."""
        self.select(selector, value)

    def select(self, selector: str, value: str) -> None:
        self.eval(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); "
            f"e.value = {json.dumps(value)}; "
            "e.dispatchEvent(new Event('change', {bubbles: true})); })()"
        )

    def screenshot(self, path: Path, *, full_page: bool = False) -> Path:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.eval(
                "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
            )
            params["clip"] = {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1}
            params["captureBeyondViewport"] = True
        data = self.call("Page.captureScreenshot", params)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    # ---- what the page did ---------------------------------------------------------

    def requested(self) -> list[str]:
        """URLs the page requested since the last ``goto``."""
        self.pump(0.05)
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def bodies(self, url_part: str = "/api/v1/") -> dict[str, str]:
        """Bodies of the responses (since the last ``goto``) whose URL holds ``url_part``."""
        self.pump(0.1)
        urls = {
            e["params"]["requestId"]: e["params"]["response"]["url"]
            for e in self.events
            if e.get("method") == "Network.responseReceived"
        }
        done = {
            e["params"]["requestId"]
            for e in self.events
            if e.get("method") == "Network.loadingFinished"
        }
        out: dict[str, str] = {}
        for rid, url in urls.items():
            if url_part not in url or rid not in done:
                continue
            try:
                got = self.call("Network.getResponseBody", {"requestId": rid})
            except CDPError as e:
                # Chrome may already have let go of a body (a request the page cancelled
                # or replaced); callers assert the responses they need are here
                if "No resource with given identifier" in str(e):
                    continue
                raise
            body = got["body"]
            if got.get("base64Encoded"):
                body = base64.b64decode(body).decode("utf-8", "replace")
            out[f"{url} #{rid}"] = body
        return out

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and policy violations since the last goto."""
        out: list[str] = []
        for e in self.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                out.append(d.get("exception", {}).get("description") or d.get("text", "?"))
            elif m == "Runtime.consoleAPICalled" and p.get("type") == "error":
                out.append(" ".join(str(a.get("value", a.get("description"))) for a in p["args"]))
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append(p["entry"].get("text", "?"))
        return out

    def close(self) -> None:
        ws = getattr(self, "ws", None)
        if ws is not None:
            try:
                self.send("Browser.close")
            except Exception:  # noqa: BLE001  (closing anyway)
                pass
            self._connection.__exit__(None, None, None)
            self.ws = None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _log_tail(self) -> str:
        try:
            self.log.flush()
            return (self.profile / "chromium.log").read_text(errors="replace")[-2000:]
        except OSError:
            return "(no log)"

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
