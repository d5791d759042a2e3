"""``statuspage serve``: live preview that survives a broken incident file."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from test_build import make_site

GOOD_UPDATE = "## Identified · 2026-11-21 11:30 UTC"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def wait_for(predicate: object, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():  # type: ignore[operator]
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def test_serve_rebuilds_on_incident_changes_and_survives_errors(tmp_path: Path) -> None:
    config = make_site(tmp_path / "s")
    incident = config.parent / "incidents" / "2026-11-21-api-down.md"
    port = free_port()
    url = f"http://127.0.0.1:{port}/incidents/2026-11-21-api-down/"
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=config.parent,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=dict(os.environ, STATUSPAGE_NOW="2026-11-21 12:00 UTC"),
    )
    try:
        assert wait_for(lambda: "A bad deploy" in fetch(url)), "server did not start"
        text = incident.read_text(encoding="utf-8")
        incident.write_text(text.replace("impact: major", "impact: mayor"), encoding="utf-8")
        assert wait_for(lambda: "impact: 'mayor'" in Path(log.name).read_text())
        assert server.poll() is None, "a bad file must not stop the server"
        fixed = text.replace("A bad deploy.", "A bad deploy, now rolled back.")
        incident.write_text(fixed, encoding="utf-8")
        assert wait_for(lambda: "now rolled back" in fetch(url))
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
