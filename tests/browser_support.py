"""A built site served over local HTTP and driven by Debian's Chromium.

No browser is downloaded: Playwright launches the system ``chromium``
(tests/run.sh installs it). The server records every request it answers, so a
test can show that a page asked for nothing outside the site and that nothing
it asked for was missing.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from conftest import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Types as a typical static host (GitHub Pages, nginx's mime.types) sends them;
# Python's own table says application/x-rss+xml.
STATIC_HOST_TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/json",
    ".ics": "text/calendar",
    ".svg": "image/svg+xml",
}


def missing_tool(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where a missing tool is a broken setup."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must install it", pytrace=False)
    pytest.skip(reason)


def playwright_sync_api() -> Any:
    """Playwright's sync API, or skip (fail in CI) when it is not installed."""
    try:
        from playwright import sync_api
    except ImportError:
        missing_tool("playwright is not installed (tests/run.sh installs the browser extra)")
    return sync_api


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, headless, closed afterwards."""
    sync_api = playwright_sync_api()
    executable = chromium_executable()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=LAUNCH_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def chromium_executable() -> str:
    """The system Chromium, or skip (fail in CI) with the reason."""
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).exists():
        missing_tool("chromium is not installed (tests/run.sh installs Debian's chromium)")
    return found


@dataclass
class ServerLog:
    """What the server answered: (path, status) in order."""

    entries: list[tuple[str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, status: int) -> None:
        with self.lock:
            self.entries.append((path, status))

    def errors(self) -> list[tuple[str, int]]:
        with self.lock:
            return [(path, status) for path, status in self.entries if status >= 400]

    def paths(self) -> set[str]:
        with self.lock:
            return {path for path, _ in self.entries}


class _Handler(SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        **STATIC_HOST_TYPES,
    }
    server_log: ServerLog

    def end_headers(self) -> None:
        # As GitHub Pages does: the site's files may be read from other sites
        # (embed.js reads the API from the page it is embedded in).
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.server_log.add(self.path, int(code) if isinstance(code, int) else 0)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the log is kept in ``server_log``."""


@dataclass
class Served:
    """A folder served over HTTP; ``base`` is the site's URL on it."""

    root: Path
    origin: str
    base: str
    log: ServerLog

    def url(self, path: str = "") -> str:
        return self.base + path


@contextmanager
def serve(root: Path, prefix: str = "/") -> Iterator[Served]:
    """Serve ``root`` on 127.0.0.1 at a free port, in a thread."""
    log = ServerLog()
    handler = type("Handler", (_Handler,), {"server_log": log})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        origin = f"http://127.0.0.1:{server.server_port}"
        yield Served(root=root, origin=origin, base=origin + prefix, log=log)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page as it is."""
    if not AXE.exists():
        missing_tool("node_modules/axe-core is missing (tests/run.sh runs npm ci)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violating element, readable in a failed assertion."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            summary = " ".join(str(node.get("failureSummary", "")).split())
            lines.append(f"{violation['id']}: {node['target']}: {summary[:200]}")
    return "\n".join(lines)
