"""Edit to served: how long an edit to one incident takes to show in ``serve``.

Starts ``statuspage serve`` on a free port in a synthetic site, waits for the
first page, then edits the newest incident's text and polls the incident's
page over HTTP until the new text is there. The time runs from the write to
the first response that holds it.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from synthetic import NOW, incident

START_TIMEOUT = 900.0
EDIT_TIMEOUT = 120.0
POLL = 0.02
LOG = open(os.environ.get("BENCH_SERVE_LOG", os.devnull), "w")  # noqa: SIM115


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bytes(response.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, text: bytes, timeout: float) -> float:
    """Seconds until ``url`` answers with ``text`` in it."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        body = fetch(url)
        if body is not None and text in body:
            return time.perf_counter() - start
        time.sleep(POLL)
    raise SystemExit(f"{url} did not show {text!r} within {timeout:.0f} s")


def edit_to_served(site: Path, edits: int = 3) -> list[float]:
    """Seconds from each edit of incident 0 to its page showing the edit."""
    name, text = incident(0)
    path = site / "incidents" / f"{name}.md"
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", STATUSPAGE_NOW=NOW.isoformat())
    command = [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, cwd=site, env=env, stdout=subprocess.DEVNULL, stderr=LOG)
    page = f"http://127.0.0.1:{port}/incidents/{name}/"
    try:
        wait_for(page, b"Synthetic incident 0", START_TIMEOUT)
        times = []
        for n in range(edits):
            marker = f"edited for the benchmark, take {n}"
            start = time.perf_counter()
            path.write_text(text.replace("Update resolved", marker, 1), encoding="utf-8")
            wait_for(page, marker.encode(), EDIT_TIMEOUT)
            times.append(time.perf_counter() - start)
            time.sleep(1.0)  # let the server settle, as between two saves
        return times
    finally:
        server.terminate()
        try:
            server.wait(timeout=120)  # it removes its temporary site first
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        path.write_text(text, encoding="utf-8")


def summary(times: list[float]) -> str:
    return f"median {statistics.median(times):5.2f} s, worst {max(times):5.2f} s"
