"""Headless Chromium driven over the DevTools protocol on a pipe, with axe-core injected.

No Python dependency and no driver binary: Chromium is started with
``--remote-debugging-pipe``, reads protocol commands (JSON, each ending in a NUL byte) on file
descriptor 3 and writes responses and events on file descriptor 4. The tests open each page,
inject ``node_modules/axe-core/axe.min.js`` and run it; :mod:`tests.visual.screenshots` takes
full-page screenshots with it. Network access is blocked in the
browser as well as by the flags that stop Chromium's own background requests, so a page that
needs the network fails rather than hangs.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["AXE_JS", "AXE_TAGS", "BrowserError", "Chromium", "find_chromium"]

ROOT = Path(__file__).resolve().parents[2]

#: axe-core as installed by ``make browser-deps`` (``npm ci``).
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

#: The rule sets run: WCAG 2.0 and 2.1, levels A and AA.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

#: Chromium's flags: headless, and none of its background requests (they hang on a closed
#: network).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
    "--remote-debugging-pipe",
)


class BrowserError(RuntimeError):
    """The browser failed, timed out or answered a command with an error."""


def find_chromium() -> str | None:
    """Return the Chromium executable: ``$WRES_CHROMIUM``, else the first on ``PATH``."""
    configured = os.environ.get("WRES_CHROMIUM")
    if configured:
        return configured if shutil.which(configured) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _high_fd(fd: int) -> int:
    """A duplicate of ``fd`` numbered 10 or more, so moving it to 3 or 4 cannot clobber it."""
    return fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)


class Chromium:
    """One headless Chromium with one tab; use as a context manager.

    Parameters
    ----------
    executable
        The Chromium binary or launcher script.
    timeout
        Seconds to wait for any one command or page load.
    """

    def __init__(self, executable: str, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="wres-chromium-")
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()
        child_in, child_out = _high_fd(to_browser_r), _high_fd(from_browser_w)
        for fd in (to_browser_r, from_browser_w):
            os.close(fd)

        def _pipes_on_3_and_4() -> None:  # runs in the child, before exec
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        self._process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self._profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_pipes_on_3_and_4,  # noqa: PLW1509 - the only way to place fds 3 and 4
            pass_fds=(3, 4),
        )
        os.close(child_in)
        os.close(child_out)
        self._write = to_browser_w
        self._read = from_browser_r
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        self._session: str | None = None
        try:
            target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            self._session = self.send(
                "Target.attachToTarget", {"targetId": target, "flatten": True}
            )["sessionId"]
            self.send("Page.enable")
            self.send("Network.enable")
            self.send("Network.setBlockedURLs", {"urls": ["http://*", "https://*"]})
        except BaseException:
            self.close()
            raise

    # -- protocol -------------------------------------------------------------------------

    def _message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError(f"Chromium did not answer within {self.timeout:.0f} s")
            ready, _, _ = select.select([self._read], [], [], left)
            if ready:
                chunk = os.read(self._read, 1 << 20)
                if not chunk:
                    raise BrowserError(f"Chromium exited (code {self._process.poll()})")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send a command (to the tab once attached) and return its result."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self._session and not method.startswith("Target."):
            message["sessionId"] = self._session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._write, data) :]
        deadline = time.monotonic() + self.timeout
        while True:
            answer = self._message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            if "method" in answer:
                self._events.append(answer)

    def _wait_for(self, event: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while True:
            for i, seen in enumerate(self._events):
                if seen["method"] == event:
                    return self._events.pop(i)
            self._events.append(self._message(deadline))

    # -- what the tests use ---------------------------------------------------------------

    def open(self, url: str) -> list[str]:
        """Load ``url`` and wait for its load event; return every URL the page requested."""
        self._events.clear()
        answer = self.send("Page.navigate", {"url": url})
        if answer.get("errorText"):
            raise BrowserError(f"{url}: {answer['errorText']}")
        self._wait_for("Page.loadEventFired")
        return [
            e["params"]["request"]["url"]
            for e in self._events
            if e["method"] == "Network.requestWillBeSent"
        ]

    def evaluate(self, expression: str) -> Any:
        """Evaluate JavaScript in the page (awaiting a promise) and return its JSON value."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"JavaScript error: {text}")
        return result["result"].get("value")

    def axe(self, tags: tuple[str, ...] = AXE_TAGS) -> list[dict[str, Any]]:
        """Run axe-core on the open page for ``tags``; return its violations."""
        self.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;true")
        options = json.dumps({"runOnly": {"type": "tag", "values": list(tags)}})
        return self.evaluate(
            f"axe.run(document, {options}).then(r => r.violations.map(v => ({{"
            "id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,"
            "nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))"
            "})))"
        )

    def viewport(self, width: int, height: int) -> None:
        """Lay the page out as in a window ``width`` by ``height`` CSS pixels (a phone's
        width, say), at one device pixel per CSS pixel."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def screenshot(self, width: int, *, max_height: int = 30000) -> bytes:
        """A PNG of the whole open page laid out ``width`` CSS pixels wide: as tall as the
        page (up to ``max_height``), not just the window."""
        import base64

        self.viewport(width, 800)
        height = int(self.evaluate("Math.ceil(document.documentElement.scrollHeight)") or 800)
        height = max(1, min(height, max_height))
        self.viewport(width, height)
        shot = self.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
        )
        return base64.b64decode(shot["data"])

    def close(self) -> None:
        """Stop the browser and remove its profile."""
        if self._process.poll() is None:
            try:
                os.write(self._write, json.dumps({"id": 0, "method": "Browser.close"}).encode())
                os.write(self._write, b"\0")
                self._process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self._process.kill()
                self._process.wait()
        for fd in (self._write, self._read):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
