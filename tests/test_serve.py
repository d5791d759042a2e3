"""``statuspage serve``: live preview that survives a broken incident file."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
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


# --- serve keeps answering: the error page ---------------------------------------------

SERVE_COMMANDS = {
    "statuspage serve": ["-m", "generator", "serve", "--dev-addr"],
    "mkdocs serve": ["-m", "mkdocs", "serve", "-a"],
}
API = "2026-11-21-api-down.md"
DB = "2026-10-02-db-slow.md"


def answer(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def break_files(incidents: Path) -> dict[Path, str]:
    """Two files with an error each, one of them with markup in the bad value."""
    originals = {
        incidents / name: (incidents / name).read_text(encoding="utf-8") for name in (API, DB)
    }
    (incidents / API).write_text(
        originals[incidents / API].replace("impact: major", "impact: <b>mayor</b>"),
        encoding="utf-8",
    )
    lines = originals[incidents / DB].splitlines(keepends=True)
    heading = next(i for i, line in enumerate(lines) if line.startswith("## "))
    lines[heading] = "## Nonsense at some point\n"
    (incidents / DB).write_text("".join(lines), encoding="utf-8")
    return originals


def shows_errors(url: str) -> bool:
    code, body = answer(url)
    return code in (200, 500) and "cannot be built" in body


@pytest.mark.parametrize("command", sorted(SERVE_COMMANDS))
def test_serve_answers_every_page_with_the_errors_until_fixed(tmp_path: Path, command: str) -> None:
    config = make_site(tmp_path / "s")
    incidents = config.parent / "incidents"
    originals = break_files(incidents)  # broken before the server starts
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, *SERVE_COMMANDS[command], f"127.0.0.1:{port}"],
        cwd=config.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ, STATUSPAGE_NOW="2026-11-21 12:00 UTC"),
    )
    try:
        assert wait_for(lambda: shows_errors(base), 60), "no error page"
        for path in ("", "history/", "incidents/2026-11-21-api-down/", "no/such/page/"):
            code, body = answer(base + path)
            assert code in (200, 500) and "2 problem(s)" in body, path
            assert f"incidents/{API}:3: impact: " in body and "&lt;b&gt;mayor&lt;/b&gt;" in body
            assert "<b>mayor" not in body
            assert re.search(rf"incidents/{DB}:\d+: ", body), body
        assert answer(base + "feed.rss")[0] == 404  # files other than pages are not pages
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")
        assert wait_for(lambda: "A bad deploy" in fetch(base + "incidents/2026-11-21-api-down/"))
        assert not shows_errors(base) and answer(base + "feed.rss")[0] == 200
        break_files(incidents)
        assert wait_for(lambda: shows_errors(base + "incidents/2026-11-21-api-down/"))
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.parametrize("command", sorted(SERVE_COMMANDS))
def test_the_error_page_reloads_itself_in_a_browser(tmp_path: Path, command: str) -> None:
    from browser_support import chromium

    config = make_site(tmp_path / "s")
    originals = break_files(config.parent / "incidents")
    port = free_port()
    base = f"http://127.0.0.1:{port}/incidents/2026-11-21-api-down/"
    server = subprocess.Popen(
        [sys.executable, *SERVE_COMMANDS[command], f"127.0.0.1:{port}"],
        cwd=config.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ, STATUSPAGE_NOW="2026-11-21 12:00 UTC"),
    )
    try:
        assert wait_for(lambda: shows_errors(base), 60)
        with chromium() as browser:
            page = browser.new_page()
            page.goto(base)
            assert "cannot be built" in page.inner_text("body")
            for path, text in originals.items():
                path.write_text(text, encoding="utf-8")
            page.wait_for_function(  # no navigation by the test: the page reloads itself
                "() => document.body.innerText.includes('A bad deploy')", timeout=60_000
            )
            assert page.url == base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_now_fixes_the_clock(tmp_path: Path) -> None:
    config = make_site(tmp_path / "s")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "STATUSPAGE_NOW"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "serve",
            "--dev-addr",
            f"127.0.0.1:{port}",
            "--now",
            "2026-11-21 12:34 UTC",
        ],
        cwd=config.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        home = f"http://127.0.0.1:{port}/"
        assert wait_for(lambda: '<time datetime="2026-11-21T12:34:00+00:00"' in fetch(home), 60)
    finally:
        server.terminate()
        server.wait(timeout=10)
