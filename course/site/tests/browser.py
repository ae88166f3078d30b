"""A small client of headless Chromium over the DevTools protocol, for the site's tests.

It starts Debian's ``/usr/bin/chromium`` headless with a fresh profile and no background
networking, opens pages, and reports what a reader would meet: console errors, failed or
off-site requests, the text on screen (outside code), links, images, formulas. It also takes
screenshots. It speaks the protocol over a WebSocket (``websocket-client``), so no browser
download is needed.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import websocket

CHROMIUM = "/usr/bin/chromium"
#: The flags for a headless run on a machine without a display or network beyond loopback.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
]

#: What a page shows, gathered in the page itself once it has loaded.
_PAGE_FACTS = r"""
(() => {
  const skip = "pre, code, math, script, style, annotation, .math-error, .search-results";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const prose = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip)) continue;  // folded solutions count: they are read too
    prose.push(node.textContent);
  }
  const box = (element) => { const r = element.getBoundingClientRect(); return [r.width, r.height]; };
  return {
    title: document.title,
    prose: prose.join(" "),  // the text outside code and formulas
    text: document.body.innerText,
    links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
    images: [...document.images].map((i) => (
      {src: i.currentSrc || i.src, complete: i.complete, width: i.naturalWidth, alt: i.alt})),
    ids: [...document.querySelectorAll("[id]")].map((e) => e.id),
    math: [...document.querySelectorAll("math")].map(box),
    mathText: [...document.querySelectorAll("math")].map((m) => {
      const copy = m.cloneNode(true);
      copy.querySelectorAll("annotation").forEach((a) => a.remove());
      return copy.textContent;
    }),
    mathErrors: document.querySelectorAll(".math-error").length,
    outputs: document.querySelectorAll(".outputs .output").length,
    figures: document.querySelectorAll(".output img, .output svg").length,
    errors: [...document.querySelectorAll("pre.output.error")].map((e) => e.textContent.trim().split("\n").pop()),
    runNote: (document.querySelector(".run-note") || {innerText: ""}).innerText,
    // The page is wider than the window when it scrolls sideways; then, the widest culprits.
    pageWidth: document.documentElement.scrollWidth,
    windowWidth: document.documentElement.clientWidth,
    tooWide: [...document.querySelectorAll("body *")].filter((e) => {
        const r = e.getBoundingClientRect();
        return r.right > document.documentElement.clientWidth + 1 && !e.closest(".scroll, pre, .math-display");
      }).slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className} `
                                + `(${Math.round(e.getBoundingClientRect().right)} px)`),
    sidebar: [...document.querySelectorAll(".sidebar a")].map((a) => a.href),
  };
})()
"""

_IMAGES_SETTLED = """
Promise.all([...document.images].map((i) => i.complete ? null :
  new Promise((done) => { i.addEventListener("load", done); i.addEventListener("error", done); })))
  .then(() => document.fonts ? document.fonts.ready : null).then(() => true)
"""


class DevToolsError(RuntimeError):
    """Chromium answered a command with an error, or did not answer in time."""


@dataclass
class PageReport:
    """What one visit of a page found."""

    url: str
    facts: dict = field(default_factory=dict)
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)


class Chromium:
    """Headless Chromium driven over the DevTools protocol; use as a context manager."""

    def __init__(self, executable: str = CHROMIUM, width: int = 1280, height: int = 900, timeout: float = 30.0):
        if not Path(executable).exists():
            raise FileNotFoundError(f"{executable} is missing: install Debian's chromium (apt-get install chromium)")
        self.timeout = timeout
        self.width, self.height = width, height
        self.profile = Path(tempfile.mkdtemp(prefix="course-site-chromium-"))
        command = [
            executable,
            *FLAGS,
            f"--user-data-dir={self.profile}",
            "--remote-debugging-port=0",
            f"--window-size={width},{height}",
            "about:blank",
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.events: list[dict] = []
        self._next_id = 0
        try:
            self.socket = websocket.create_connection(self._page_socket(), timeout=timeout, suppress_origin=True)
            for domain in ("Page", "Runtime", "Log", "Network"):
                self.send(f"{domain}.enable")
            self.send("Network.setCacheDisabled", cacheDisabled=True)
        except Exception:
            self.close()
            raise

    def _page_socket(self) -> str:
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while not port_file.exists() or not port_file.read_text().strip():
            if self.process.poll() is not None:
                raise DevToolsError(f"chromium exited at start with status {self.process.returncode}")
            if time.monotonic() > deadline:
                raise DevToolsError("chromium did not open its DevTools port in time")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        while True:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=self.timeout) as answer:
                targets = json.load(answer)
            pages = [target for target in targets if target.get("type") == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
            if time.monotonic() > deadline:
                raise DevToolsError("chromium opened no page")
            time.sleep(0.1)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the browser and delete its profile."""
        socket = getattr(self, "socket", None)
        if socket is not None:
            try:
                self.send("Browser.close")
            except Exception:  # already gone
                pass
            socket.close()
            self.socket = None
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    # Protocol -----------------------------------------------------------------------------

    def _receive(self, deadline: float) -> dict:
        self.socket.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            return json.loads(self.socket.recv())
        except websocket.WebSocketTimeoutException:
            raise DevToolsError("chromium did not answer in time") from None

    def send(self, method: str, **params) -> dict:
        """Send one command and return its result (events that arrive meanwhile are kept)."""
        self._next_id += 1
        ident = self._next_id
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._receive(deadline)
            if message.get("id") == ident:
                if "error" in message:
                    raise DevToolsError(f"{method}: {message['error'].get('message')}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for(self, event: str) -> dict:
        """Wait for an event (one that already arrived counts)."""
        deadline = time.monotonic() + self.timeout
        while True:
            for index, message in enumerate(self.events):
                if message["method"] == event:
                    return self.events.pop(index)
            message = self._receive(deadline)
            if "method" in message:
                self.events.append(message)

    def evaluate(self, expression: str, await_promise: bool = False):
        """The value of a JavaScript expression in the page."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=await_promise)
        if "exceptionDetails" in result:
            raise DevToolsError(f"script failed: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    # Pages --------------------------------------------------------------------------------

    def visit(self, url: str) -> PageReport:
        """Open ``url``, wait until it and its images have loaded, and report what it shows."""
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        self.evaluate(_IMAGES_SETTLED, await_promise=True)
        report = PageReport(url=url, facts=self.evaluate(_PAGE_FACTS))
        self.send("Runtime.evaluate", expression="1")  # collect the events still in flight
        for message in self.events:
            method, params = message["method"], message.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", []))
                report.console_errors.append(f"console.{params['type']}: {text}")
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                report.console_errors.append(f"exception: {details.get('text')} {details.get('exception', {})}")
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                entry = params["entry"]
                report.console_errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}")
            elif method == "Network.requestWillBeSent":
                report.requests.append(params["request"]["url"])
            elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
                report.failed_requests.append(f"{params['response']['status']} {params['response']['url']}")
            elif method == "Network.loadingFailed" and not params.get("canceled"):
                report.failed_requests.append(f"{params.get('errorText')} (request {params.get('requestId')})")
        self.events.clear()
        return report

    def set_width(self, width: int, height: int = 900) -> None:
        """Lay pages out for a window ``width`` CSS pixels wide (a phone's 390 is drawn as a phone)."""
        self.width, self.height = width, height
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                  mobile=width < 600)

    def screenshot(self, url: str, path: Path, max_height: int = 2400) -> Path:
        """A PNG of the top of a page (its whole width, at most ``max_height`` pixels high)."""
        self.visit(url)
        metrics = self.send("Page.getLayoutMetrics")
        height = min(max_height, int(metrics["cssContentSize"]["height"]))
        clip = {"x": 0, "y": 0, "width": self.width, "height": max(height, 1), "scale": 1}
        shot = self.send("Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path
