"""The dashboard in headless Chromium against a real ``ceasewatch serve``.

Chromium comes from the machine (Debian's ``chromium``; tools/ci/chromium.sh installs it
under CI): tests skip and say so when it is absent, and fail under CI=true. The vendored
JavaScript libraries come from ``make vendor``: the same rule.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ceasewatch.dashboard import vendor
from tests.dashboard import site as site_mod
from tests.dashboard.cdp import Browser, find_chromium


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the dashboard tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> str:
    exe = find_chromium()
    if exe is None:
        _missing(
            "chromium is not installed: apt-get install chromium (tools/ci/chromium.sh), "
            "or set CEASEWATCH_CHROMIUM to its path"
        )
    assert exe is not None
    if vendor.manifest() is None:
        _missing("the dashboard's JavaScript libraries are not built: run `make vendor`")
    return exe


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> Iterator[site_mod.Site]:
    s = site_mod.make_site(tmp_path_factory.mktemp("dashboard"))
    yield s
    s.stop()


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    b = Browser(chromium)
    yield b
    b.close()


def sign_in(browser: Browser, site: site_mod.Site, who: str | None) -> None:
    """Put a user's token in the tab's sessionStorage (None: the public)."""
    browser.goto(f"{site.base}/dashboard/signin")
    if who is None:
        browser.eval("sessionStorage.removeItem('ceasewatch.token')")
    else:
        token = site.tokens[who]
        browser.eval(f"sessionStorage.setItem('ceasewatch.token', {token!r})")


MAP_READY = (
    "document.body.dataset.ready === '1' && window.ceasewatch && window.ceasewatch.loads > 0"
)
TIMELINE_READY = MAP_READY + " && document.body.dataset.timeline === '1'"
PANEL_READY = MAP_READY + " && document.getElementById('panel').dataset.ready === '1'"


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]
