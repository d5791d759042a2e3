"""``statuspage ping-hub`` against a real local WebSub hub, with a subscriber behind it.

The hub is an HTTP server implementing the hub's side of publishing: it takes
a form-encoded ``hub.mode=publish`` with the topic in ``hub.url`` (or
``hub.topic``), answers 202, fetches the topic from the site's own server and
delivers it to its subscriber's callback with ``Link`` headers naming the
hub and the topic (W3C WebSub, content distribution).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from browser_support import Served, serve
from click.testing import CliRunner

from conftest import FIXTURES, NOW, copy_site
from generator.cli import main
from generator.plugin import build_site


@dataclass
class Hub:
    """What the hub and the subscriber saw; ``answer`` sets the hub's reply."""

    url: str = ""
    answer: int = 202
    delay: float = 0.0
    subscribers: dict[str, str] = field(default_factory=dict)  # topic -> callback URL
    published: list[dict[str, list[str]]] = field(default_factory=list)
    content_types: list[str] = field(default_factory=list)
    delivered: list[tuple[str, bytes, str]] = field(default_factory=list)  # topic, body, Link
    lock: threading.Lock = field(default_factory=threading.Lock)

    def topics(self) -> list[str]:
        with self.lock:
            return [form["hub.url"][0] for form in self.published]

    def wait_for_deliveries(self, count: int) -> None:
        deadline = time.monotonic() + 10
        while len(self.delivered) < count and time.monotonic() < deadline:
            time.sleep(0.02)


def _distribute(hub: Hub, topic: str) -> None:
    """Fetch the topic and POST it to its subscriber, as a hub does."""
    callback = hub.subscribers.get(topic)
    if callback is None:
        return
    with urllib.request.urlopen(topic, timeout=5) as response:
        body, kind = response.read(), response.headers["Content-Type"]
    links = f'<{hub.url}>; rel="hub", <{topic}>; rel="self"'
    request = urllib.request.Request(
        callback, data=body, headers={"Content-Type": kind, "Link": links}, method="POST"
    )
    urllib.request.urlopen(request, timeout=5).close()


def _hub_handler(hub: Hub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if self.path.startswith("/callback"):
                topic = self.path.split("?topic=", 1)[1]
                with hub.lock:
                    hub.delivered.append((topic, body, self.headers["Link"]))
                self._reply(200)
                return
            time.sleep(hub.delay)
            form = parse_qs(body.decode("ascii"), strict_parsing=True)
            topic = (form.get("hub.url") or form.get("hub.topic") or [""])[0]
            if form.get("hub.mode") != ["publish"] or not topic:
                self._reply(400)
                return
            with hub.lock:
                hub.published.append(form)
                hub.content_types.append(self.headers["Content-Type"])
            if hub.answer == 302:
                self.send_response(302)
                self.send_header("Location", hub.url + "elsewhere")
                self.end_headers()
                return
            self._reply(hub.answer)
            if hub.answer == 202:
                threading.Thread(target=_distribute, args=(hub, topic), daemon=True).start()

        def _reply(self, code: int) -> None:
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    return Handler


@pytest.fixture
def hub() -> Iterator[Hub]:
    state = Hub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _hub_handler(state))
    state.url = f"http://127.0.0.1:{server.server_port}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@dataclass
class Site:
    config: Path
    served: Served

    @property
    def site_dir(self) -> Path:
        return self.config.parent / "site"

    def build(self) -> None:
        build_site(self.config, now=NOW)

    def ping(self, *args: str) -> Any:
        return CliRunner().invoke(
            main, ["ping-hub", "--config", str(self.config), *args], catch_exceptions=False
        )


def _site(root: Path, hub: Hub | None) -> Iterator[Site]:
    config = copy_site(root, FIXTURES / "site" / "incidents")
    (root / "site").mkdir()
    with serve(root / "site") as served:
        text = config.read_text(encoding="utf-8")
        text = text.replace("site_url: https://status.example.com/", f"site_url: {served.base}")
        if hub is not None:
            text = text.replace(
                "      timezone: UTC\n", f"      timezone: UTC\n      websub_hub: {hub.url}\n"
            )
        config.write_text(text, encoding="utf-8")
        site = Site(config, served)
        site.build()
        yield site


@pytest.fixture
def site(tmp_path: Path, hub: Hub) -> Iterator[Site]:
    yield from _site(tmp_path, hub)


FEEDS = ("feed.rss", "feed.atom", "feed.json")
COMPONENTS = ("api", "dashboard", "auth", "db", "pipeline", "webhooks", "email")


def every_topic(base: str) -> list[str]:
    topics = [base + feed for feed in FEEDS]
    return topics + [f"{base}components/{c}/{feed}" for c in COMPONENTS for feed in FEEDS]


def test_round_trip_hub_fetches_and_the_subscriber_gets_the_feed(site: Site, hub: Hub):
    topic = site.served.url("feed.atom")
    hub.subscribers[topic] = f"{hub.url}callback?topic={topic}"
    atom = (site.site_dir / "feed.atom").read_bytes()
    assert f'<link href="{hub.url}" rel="hub"/>'.encode() in atom  # discovery, as built
    result = site.ping()
    assert result.exit_code == 0, result.output
    assert hub.topics() == every_topic(site.served.base)
    assert set(hub.content_types) == {"application/x-www-form-urlencoded"}
    assert all(form["hub.topic"] == form["hub.url"] for form in hub.published)
    assert "24 feed(s) notified, 0 unchanged." in result.output
    hub.wait_for_deliveries(1)
    assert hub.delivered == [
        (topic, atom, f'<{hub.url}>; rel="hub", <{topic}>; rel="self"'),
    ]


def test_a_second_run_notifies_nothing(site: Site, hub: Hub):
    assert site.ping().exit_code == 0
    hub.published.clear()
    again = site.ping()
    assert again.exit_code == 0
    assert hub.published == []
    assert "0 feed(s) notified, 24 unchanged." in again.output


def test_only_the_feeds_that_changed_are_notified(site: Site, hub: Hub):
    assert site.ping().exit_code == 0
    hub.published.clear()
    incident = next((site.config.parent / "incidents").glob("*db-slow.md"))
    text = incident.read_text(encoding="utf-8").replace("slow", "very slow", 1)
    incident.write_text(text, encoding="utf-8")
    site.build()
    assert site.ping().exit_code == 0
    base = site.served.base
    assert hub.topics() == [base + f for f in FEEDS] + [f"{base}components/db/{f}" for f in FEEDS]


def test_a_failing_hub_stops_the_run_and_the_next_run_resumes(site: Site, hub: Hub):
    hub.answer = 500
    failed = site.ping()
    assert failed.exit_code == 1
    topic = site.served.url("feed.rss")
    assert (
        f"Error: {topic}: HTTP 500 Internal Server Error; 24 feed(s) not notified, "
        "retried on the next run"
    ) in failed.output
    assert hub.topics() == [topic]  # one timeout's worth, not one per feed
    hub.answer = 202
    hub.published.clear()
    assert site.ping().exit_code == 0
    assert len(hub.topics()) == 24


def test_a_redirect_is_a_failure_not_followed(site: Site, hub: Hub):
    hub.answer = 302
    result = site.ping()
    assert result.exit_code == 1
    assert "HTTP 302" in result.output and "a redirect, not followed" in result.output
    assert len(hub.published) == 1


def test_a_hub_that_never_answers_costs_one_deadline(
    site: Site, hub: Hub, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr("generator.announce.delivery.DEADLINE", 0.5)
    hub.delay = 3
    began = time.monotonic()
    result = site.ping()
    assert result.exit_code == 1
    assert "no complete answer within 0 s" in result.output or "within 1 s" in result.output
    assert time.monotonic() - began < 2.5


def test_dry_run_lists_the_changed_feeds_and_notifies_nothing(site: Site, hub: Hub):
    result = site.ping("--dry-run")
    assert result.exit_code == 0
    assert f"would notify {hub.url}: {site.served.url('feed.rss')}" in result.output
    assert hub.published == []
    assert not (site.config.parent / ".statuspage" / "websub.json").exists()


def test_the_state_names_the_hub_and_a_new_hub_hears_everything(site: Site, hub: Hub):
    assert site.ping().exit_code == 0
    state_file = site.config.parent / ".statuspage" / "websub.json"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    assert state["hub"] == hub.url and len(state["topics"]) == 24
    state["hub"] = "https://old-hub.example/"
    state_file.write_text(json.dumps(state), encoding="utf-8")
    hub.published.clear()
    assert site.ping().exit_code == 0
    assert len(hub.published) == 24


def test_a_damaged_state_file_is_an_error_line(site: Site):
    state_file = site.config.parent / ".statuspage" / "websub.json"
    state_file.parent.mkdir()
    state_file.write_text('{"topics": [1, 2]}', encoding="utf-8")
    result = site.ping()
    assert result.exit_code == 1
    assert "websub.json: topics: expected {feed URL: sha256}" in result.output
    assert "delete it and the next run notifies the hub of every feed" in result.output


def test_a_state_file_that_is_no_json_says_what_to_do(site: Site):
    state_file = site.config.parent / ".statuspage" / "websub.json"
    state_file.parent.mkdir()
    state_file.write_bytes(b'{"topics": {"https://status.example.com/feed.rss": "ab')  # killed
    result = site.ping()
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "cannot read the state file" in result.output
    assert "delete it and the next run notifies the hub of every feed" in result.output


def test_an_unbuilt_site_is_an_error_naming_the_file(site: Site, tmp_path: Path):
    result = site.ping("--site-dir", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert "feed.rss: No such file or directory; build the site first" in result.output


def test_without_a_hub_ping_hub_says_how_to_set_one(tmp_path: Path):
    site = next(_site(tmp_path, None))
    result = site.ping()
    assert result.exit_code == 1
    assert "Error: no hub: set websub_hub in the statuspage plugin of mkdocs.yml" in result.output
    assert b'rel="hub"' not in (site.site_dir / "feed.atom").read_bytes()


def test_a_bad_hub_is_named_with_its_line(tmp_path: Path):
    config = copy_site(tmp_path)
    text = config.read_text(encoding="utf-8")
    text = text.replace(
        "      timezone: UTC\n", "      timezone: UTC\n      websub_hub: hub.example\n"
    )
    config.write_text(text, encoding="utf-8")
    line = text.splitlines().index("      websub_hub: hub.example") + 1
    result = CliRunner().invoke(main, ["ping-hub", "--config", str(config)])
    assert result.exit_code == 1
    assert (
        f"mkdocs.yml:{line}: plugins.statuspage.websub_hub: 'hub.example' is not a web "
        "address; give the full https:// URL"
    ) in result.output
