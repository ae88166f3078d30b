"""Fixtures of the site tests: the built site served on loopback, and one headless Chromium.

``make test-site`` runs these after ``make site``. Every page is opened once at each width (a phone's
390 pixels, a desktop's 1280), in a session-wide browser, and the tests check what those visits found.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections import deque
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest

from .browser import Chromium, PageReport

ROOT = Path(__file__).resolve().parents[3]
SITE = ROOT / "build" / "site"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a download the browser cut short
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail("build/site/index.html is missing: run `make site` first")
    return SITE


@pytest.fixture(scope="session")
def base_url(site):
    """The site served over HTTP on 127.0.0.1 (a free port) for the whole session."""
    server = _Server(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    with Chromium() as chromium:
        yield chromium


WIDTHS = (390, 1280)


def _visit_all(site: Path, base_url: str, browser: Chromium) -> dict[str, PageReport]:
    pages = {path.relative_to(site).as_posix() for path in site.rglob("*.html")}
    queue = deque(["index.html"])
    reports: dict[str, PageReport] = {}
    while queue or pages - reports.keys():
        page = queue.popleft() if queue else sorted(pages - reports.keys())[0]
        if page in reports:
            continue
        report = reports[page] = browser.visit(base_url + page)
        for link in report.facts["links"]:
            address = urldefrag(link).url
            if address.startswith(base_url) and address.endswith(".html"):
                queue.append(urlparse(address).path.lstrip("/"))
    return reports


@pytest.fixture(scope="session")
def all_visits(site, base_url, browser) -> dict[int, dict[str, PageReport]]:
    """Every page visited at each width: those reached from the home page first, then any other."""
    found = {}
    for width in WIDTHS:
        browser.set_width(width)
        found[width] = _visit_all(site, base_url, browser)
    browser.set_width(1280)
    return found


@pytest.fixture(scope="session")
def visits(all_visits) -> dict[str, PageReport]:
    """The visits at the desktop width."""
    return all_visits[1280]
