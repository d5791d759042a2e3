"""announce: real SMTP (aiosmtpd), real HTTP webhooks, a real git repository."""

from __future__ import annotations

import email
import email.policy
import json
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session
from click.testing import CliRunner

from conftest import EXAMPLE, FIXTURES
from generator.announce import POST_LIMIT, post_weight, select, social_post
from generator.cli import main
from generator.core.config import read_mkdocs_yml
from generator.core.times import parse_time

NOW = "2026-11-20 15:00 UTC"
UTC_ZONE = ZoneInfo("UTC")
PAGE = "https://status.example.com/status/incidents/2026-11-20-api-errors/"
IDENTIFIED = "2026-11-20-api-errors/update-20261120T144000Z"
INVESTIGATING = "2026-11-20-api-errors/update-20261120T142000Z"
SUBSCRIBERS = ["ana@example.org", "bo@example.net", "chen@example.com"]
ENV_NAMES = {"slack": "TEST_SLACK_URL", "discord": "TEST_DISCORD_URL", "json": "TEST_JSON_URL"}
SCHEMA = json.loads((FIXTURES / "announce" / "webhook.schema.json").read_text(encoding="utf-8"))

INCIDENT = """\
---
title: Elevated error rates on the API
impact: major
components:
  api: partial_outage
  dashboard: degraded_performance
scope: Customers in the **EU region** calling the REST API
workaround: Retry with exponential back-off.
next_update: 2026-11-20 16:00 UTC
---

## Identified · 2026-11-20 14:40 UTC

A faulty configuration change on the **load balancers**. We are rolling it back.
<script>alert("x")</script>

## Investigating · 2026-11-20 14:20 UTC

We are investigating elevated error rates on the API.
"""


def config_text(smtp_port: int, *, starttls: bool = False, auth: bool = False) -> str:
    login = "          username_env: TEST_SMTP_USER\n          password_env: TEST_SMTP_PASSWORD\n"
    return f"""\
site_name: Example Status
site_url: https://status.example.com/status/
plugins:
  - statuspage:
      components:
        - {{id: api, name: REST API}}
        - {{id: dashboard, name: Dashboard}}
      announce:
        state_file: state/announced.json
        smtp:
          host: 127.0.0.1
          port: {smtp_port}
          starttls: {"true" if starttls else "false"}
          from: Example Status <status@example.com>
          subscribers: subscribers.txt
{login if auth else ""}\
        webhooks:
          - {{name: slack, format: slack, url_env: TEST_SLACK_URL}}
          - {{name: discord, format: discord, url_env: TEST_DISCORD_URL}}
          - {{name: json, format: json, url_env: TEST_JSON_URL}}
"""


# --- real servers ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Mailbox:
    """What a real SMTP server received: ``(mail from, recipients, message)``."""

    port: int
    received: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append((str(envelope.mail_from), list(envelope.rcpt_tos), message))
        return "250 OK"


def _start_smtp(mailbox: Mailbox, **kwargs: Any) -> Controller:
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port, **kwargs)
    controller.start()
    return controller


@pytest.fixture
def smtp() -> Iterator[Mailbox]:
    mailbox = Mailbox(free_port())
    controller = _start_smtp(mailbox)
    yield mailbox
    controller.stop()


@dataclass
class Hooks:
    """A real HTTP server recording JSON POSTs per path; some paths can fail."""

    url: str = ""
    received: dict[str, list[Any]] = field(default_factory=dict)
    failing: set[str] = field(default_factory=set)

    def env(self) -> dict[str, str]:
        return {var: f"{self.url}/{name}" for name, var in ENV_NAMES.items()}


@pytest.fixture
def hooks() -> Iterator[Hooks]:
    state = Hooks()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            name = self.path.strip("/")
            if name in state.failing:
                self.send_response(500)
                self.end_headers()
                return
            assert self.headers["Content-Type"].startswith("application/json")
            state.received.setdefault(name, []).append(json.loads(body))
            self.send_response(204 if name == "discord" else 200)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


# --- the site -------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smtp: Mailbox) -> Path:
    (tmp_path / "mkdocs.yml").write_text(config_text(smtp.port), encoding="utf-8")
    (tmp_path / "incidents").mkdir()
    (tmp_path / "incidents" / "2026-11-20-api-errors.md").write_text(INCIDENT, encoding="utf-8")
    (tmp_path / "subscribers.txt").write_text(
        "# customers who asked for e-mail\n\n" + "\n".join(SUBSCRIBERS) + "  # trailing note\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main, ["announce", "--now", NOW, *args], env=env or {}, catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def state(site: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site / "state" / "announced.json").read_text("utf-8"))
    return data


def positions(text: str, needles: list[str]) -> list[int]:
    found = [text.find(n) for n in needles]
    assert -1 not in found, (needles, text)
    return found


# --- dry run --------------------------------------------------------------------------


def test_dry_run_prints_the_email_and_post_and_keeps_no_state(site: Path, smtp: Mailbox) -> None:
    code, out, err = run()
    assert code == 0, err
    assert f"=== {IDENTIFIED} ===" in out
    assert "Targets: email (pending), slack (pending), discord (pending), json (pending)" in out
    assert "Subject: [Status] Elevated error rates on the API: Identified" in out
    order = positions(
        out,
        [
            "Status: Identified (2026-11-20 14:40 UTC)",
            "Affected components: REST API (partial outage), Dashboard (degraded performance)",
            "Who is affected: Customers in the **EU region** calling the REST API",  # as written
            "What you can do meanwhile: Retry with exponential back-off.",
            "Next update: by 2026-11-20 16:00 UTC",
            "A faulty configuration change on the load balancers.",
            f"Full timeline: {PAGE}#update-20261120T144000Z",
            "--- Post (",
        ],
    )
    assert order == sorted(order)
    assert "<script>" not in out and "alert" not in out
    assert not (site / "state").exists()
    assert smtp.received == []


def test_json_format_holds_every_rendering(site: Path) -> None:
    code, out, _ = run("--format", "json", "2026-11-20-api-errors")
    assert code == 0
    [item] = json.loads(out)
    assert item["id"] == IDENTIFIED
    assert item["email"]["subject"] == "[Status] Elevated error rates on the API: Identified"
    assert item["post"].endswith(PAGE)
    assert item["targets"] == dict.fromkeys(["email", "slack", "discord", "json"], "pending")
    jsonschema.validate(item["webhook"], SCHEMA)


def test_email_html_shows_configuration_and_incident_text_as_text(site: Path) -> None:
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("site_name: Example Status", "site_name: Ex <b>Status</b> & 'co'")
    text = text.replace("name: REST API}", "name: 'REST <i>API</i>'}")
    config.write_text(text, encoding="utf-8")
    path = site / "incidents" / "2026-11-20-api-errors.md"
    title = "Errors & 'retries' > 5 % <script>x</script>"
    path.write_text(INCIDENT.replace("Elevated error rates on the API", title), encoding="utf-8")
    code, out, err = run("--format", "json", "2026-11-20-api-errors")
    assert code == 0, err
    markup = json.loads(out)[0]["email"]["html"]
    assert "Ex &lt;b&gt;Status&lt;/b&gt; &amp; &#39;co&#39;</a>" in markup
    assert "REST &lt;i&gt;API&lt;/i&gt; (partial outage)" in markup
    # The title is plain text: its markup reads as written, escaped, never dropped.
    assert (
        "<h3>Errors &amp; &#39;retries&#39; &gt; 5 % &lt;script&gt;x&lt;/script&gt;: "
        "Identified</h3>" in markup
    )
    assert "<b>" not in markup and "<i>" not in markup and "<script" not in markup
    # Scope is plain text, as written: its asterisks are not Markdown.
    assert "Customers in the **EU region** calling the REST API" in markup


def test_unknown_incident_is_an_error(site: Path) -> None:
    code, _, err = run("2026-11-20-nope")
    assert code == 1
    assert err == (
        "Error: no incident '2026-11-20-nope': give the file name without .md, "
        "e.g. 2026-11-20-api-errors\n"
    )


def test_ids_and_since_together_are_refused(site: Path) -> None:
    code, _, err = run("--since", "HEAD", "2026-11-20-api-errors")
    assert (code, err) == (1, "Error: give incident IDs or --since, not both\n")


def test_nothing_active_prints_nothing(site: Path) -> None:
    resolved = "## Resolved · 2026-11-20 14:50 UTC\n\nFixed.\n\n## Identified"
    path = site / "incidents" / "2026-11-20-api-errors.md"
    path.write_text(INCIDENT.replace("## Identified", resolved), encoding="utf-8")
    assert run() == (0, "", "Nothing to announce.\n")


# --- sending --------------------------------------------------------------------------


def test_send_mails_subscribers_in_blind_copy_with_key_points_first(
    site: Path, smtp: Mailbox, hooks: Hooks
) -> None:
    code, out, err = run("--send", env=hooks.env())
    assert code == 0, err
    assert "email: sent 2026-11-20-api-errors/update-20261120T144000Z to 3 subscriber(s)" in out
    [(sender, recipients, message)] = smtp.received
    assert sender == "status@example.com"
    assert recipients == SUBSCRIBERS
    assert message["To"] == "Example Status <status@example.com>"
    assert message["Subject"] == "[Status] Elevated error rates on the API: Identified"
    assert (
        message["Message-ID"]
        == "<2026-11-20-api-errors.update-20261120T144000Z@status.example.com>"
    )
    assert not any(s in str(message) for s in SUBSCRIBERS)  # nobody sees another's address
    plain = message.get_body(("plain",))
    rich = message.get_body(("html",))
    assert plain is not None and rich is not None
    text, markup = plain.get_content(), rich.get_content()
    keys = [
        "Status:",
        "Affected components:",
        "Who is affected:",
        "What you can do meanwhile:",
        "Next update:",
    ]
    order = positions(text, [*keys, "A faulty configuration", f"{PAGE}#update-20261120T144000Z"])
    assert order == sorted(order)
    assert not text.lower().startswith(("hello", "dear", "hi"))
    order = positions(markup, [f"<strong>{k}</strong>" for k in keys] + ["<strong>load balancers"])
    assert order == sorted(order)
    assert "**EU region**" in markup and "<strong>EU region</strong>" not in markup
    assert f'href="{PAGE}#update-20261120T144000Z"' in markup
    assert "<script" not in markup and "alert" not in markup


def test_a_japanese_title_and_named_subscribers_arrive_intact(site: Path, smtp: Mailbox) -> None:
    path = site / "incidents" / "2026-11-20-api-errors.md"
    title = "API エラーの増加（東京リージョン）"
    path.write_text(INCIDENT.replace("Elevated error rates on the API", title), encoding="utf-8")
    (site / "subscribers.txt").write_text("Ana Lima <ana@example.org>\nana@example.org\n")
    code, _, err = run("--send", "2026-11-20-api-errors", "2026-11-20-api-errors")
    assert code == 1  # the webhooks have no URL in this test; e-mail is independent
    [(_, recipients, message)] = smtp.received
    assert recipients == ["ana@example.org"]
    assert message["Subject"] == f"[Status] {title}: Identified"
    rich = message.get_body(("html",))
    assert rich is not None and f"<h3>{title}: Identified</h3>" in rich.get_content()
    assert "email: sent" not in err


def test_send_posts_slack_discord_and_json_payloads(site: Path, hooks: Hooks) -> None:
    code, _, err = run("--send", env=hooks.env())
    assert code == 0, err
    [slack] = hooks.received["slack"]
    assert (
        slack["text"]
        == f"Elevated error rates on the API: Identified {PAGE}#update-20261120T144000Z"
    )
    kinds = [b["type"] for b in slack["blocks"]]
    assert kinds == ["header", "section", "section", "context"]
    assert slack["blocks"][1]["text"]["type"] == "mrkdwn"
    assert slack["blocks"][1]["text"]["text"].startswith("*Status:* Identified")
    assert "&lt;script&gt;" not in json.dumps(slack) and "<script>" not in json.dumps(slack)
    assert slack["blocks"][3]["elements"][0]["text"].startswith(f"<{PAGE}#update-")

    [discord] = hooks.received["discord"]
    assert len(discord["content"]) <= 2000
    assert discord["allowed_mentions"] == {"parse": []}
    [embed] = discord["embeds"]
    assert embed["url"] == f"{PAGE}#update-20261120T144000Z"
    assert embed["timestamp"] == "2026-11-20T14:40:00Z"
    assert [f["name"] for f in embed["fields"]][:2] == ["Status", "Affected components"]

    [generic] = hooks.received["json"]
    jsonschema.validate(generic, SCHEMA)
    assert generic == generic | {
        "id": IDENTIFIED,
        "incident_id": "2026-11-20-api-errors",
        "title": "Elevated error rates on the API",
        "status": "identified",
        "impact": "major",
        "url": f"{PAGE}#update-20261120T144000Z",
        "time": "2026-11-20T14:40:00Z",
        "next_update": "2026-11-20T16:00:00Z",
    }
    assert generic["components"][0] == {"id": "api", "name": "REST API", "status": "partial_outage"}


def test_a_second_run_sends_nothing(site: Path, smtp: Mailbox, hooks: Hooks) -> None:
    assert run("--send", env=hooks.env())[0] == 0
    first = state(site)
    assert set(first["delivered"]) == {"email", "slack", "discord", "json"}
    code, out, err = run("--send", env=hooks.env())
    assert (code, out) == (0, "")
    assert err == "Sent 0, already sent 4, failed 0 target(s).\n"
    assert len(smtp.received) == 1
    assert {k: len(v) for k, v in hooks.received.items()} == {"slack": 1, "discord": 1, "json": 1}
    assert state(site) == first
    code, out, _ = run()  # the dry run says what was delivered
    assert "Targets: email (already sent), slack (already sent)" in out


def test_a_failing_target_is_retried_and_the_others_are_not_repeated(
    site: Path, smtp: Mailbox, hooks: Hooks
) -> None:
    hooks.failing.add("json")
    code, out, err = run("--send", env=hooks.env())
    assert code == 1
    assert (
        f"json: {IDENTIFIED}: HTTP 500 Internal Server Error; 1 update(s) not sent, "
        "retried on the next run\n"
    ) in err
    assert err.endswith("Error: 1 target(s) failed; run again to retry\n")
    assert set(state(site)["delivered"]) == {"email", "slack", "discord"}

    hooks.failing.clear()
    code, out, err = run("--send", env=hooks.env())
    assert code == 0, err
    assert out == f"json: sent {IDENTIFIED}\n"
    assert len(smtp.received) == 1
    assert {k: len(v) for k, v in hooks.received.items()} == {"slack": 1, "discord": 1, "json": 1}


def test_a_missing_secret_fails_that_target_only(site: Path, smtp: Mailbox, hooks: Hooks) -> None:
    env = hooks.env()
    del env["TEST_DISCORD_URL"]
    code, _, err = run("--send", env=env)
    assert code == 1
    assert (
        f"discord: {IDENTIFIED}: environment variable TEST_DISCORD_URL (webhook URL) is not set"
    ) in err
    assert set(state(site)["delivered"]) == {"email", "slack", "json"}
    assert len(smtp.received) == 1


def test_a_bad_subscriber_line_fails_e_mail_only(site: Path, smtp: Mailbox, hooks: Hooks) -> None:
    with (site / "subscribers.txt").open("a", encoding="utf-8") as handle:
        handle.write("not an address\n")
    code, _, err = run("--send", env=hooks.env())
    assert code == 1
    assert "email: " + IDENTIFIED + ": subscribers.txt:6: 'not an address' is not an e-mail" in err
    assert smtp.received == []
    assert set(state(site)["delivered"]) == {"slack", "discord", "json"}


def test_state_survives_a_failure_and_is_never_half_written(
    site: Path, smtp: Mailbox, hooks: Hooks
) -> None:
    assert run("--send", env=hooks.env())[0] == 0
    before = (site / "state" / "announced.json").read_bytes()
    (site / "incidents" / "2026-11-20-api-errors.md").write_text(
        INCIDENT.replace(
            "## Identified", "## Monitoring · 2026-11-20 14:55 UTC\n\nRolled back.\n\n## Identified"
        ),
        encoding="utf-8",
    )
    hooks.failing.update(["slack", "discord", "json"])
    (site / "subscribers.txt").unlink()
    code, _, err = run("--send", env=hooks.env())
    assert code == 1
    assert err.count("not sent, retried on the next run") == 4
    assert (site / "state" / "announced.json").read_bytes() == before
    assert sorted(p.name for p in (site / "state").iterdir()) == ["announced.json"]


def test_a_corrupt_state_file_stops_before_sending(site: Path, smtp: Mailbox, hooks: Hooks) -> None:
    (site / "state").mkdir()
    (site / "state" / "announced.json").write_text('{"delivered": [1]}', encoding="utf-8")
    code, _, err = run("--send", env=hooks.env())
    assert code == 1
    assert err == ("Error: state/announced.json: delivered: expected {target: {update id: time}}\n")
    assert smtp.received == [] and hooks.received == {}


def test_send_without_targets_is_an_error(site: Path) -> None:
    (site / "mkdocs.yml").write_text(
        "site_name: S\nsite_url: https://s.example.com/\nplugins:\n  - statuspage:\n"
        "      components: [{id: api, name: API}, {id: dashboard, name: Dashboard}]\n",
        encoding="utf-8",
    )
    code, _, err = run("--send")
    assert code == 1
    assert err.startswith("Error: no targets: add announce: smtp or announce: webhooks")


# --- SMTP authentication and TLS ------------------------------------------------------


def _authenticator(
    server: SMTPServer, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    good = isinstance(data, LoginPassword) and (data.login, data.password) == (b"ops", b"s3cret")
    return AuthResult(success=good, handled=False)  # handled=False: the server answers 535


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_login_with_credentials_from_the_environment(site: Path, hooks: Hooks) -> None:
    mailbox = Mailbox(free_port())
    controller = _start_smtp(
        mailbox, authenticator=_authenticator, auth_required=True, auth_require_tls=False
    )
    try:
        (site / "mkdocs.yml").write_text(config_text(mailbox.port, auth=True), encoding="utf-8")
        env = hooks.env() | {"TEST_SMTP_USER": "ops", "TEST_SMTP_PASSWORD": "wrong"}
        code, _, err = run("--send", env=env)
        assert code == 1
        assert f"email: {IDENTIFIED}: SMTP 535 5.7.8 Authentication credentials invalid" in err
        assert mailbox.received == []
        code, out, err = run("--send", env=env | {"TEST_SMTP_PASSWORD": "s3cret"})
        assert code == 0, err
        assert out == f"email: sent {IDENTIFIED} to 3 subscriber(s)\n"
        assert len(mailbox.received) == 1
    finally:
        controller.stop()


def _self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_starttls_then_login(
    site: Path,
    hooks: Hooks,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cert, key = _self_signed(tmp_path_factory.mktemp("tls"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    mailbox = Mailbox(free_port())
    controller = _start_smtp(
        mailbox, tls_context=context, require_starttls=True, authenticator=_authenticator
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust the test's own certificate
    try:
        yml = config_text(mailbox.port, starttls=True, auth=True)
        (site / "mkdocs.yml").write_text(yml, encoding="utf-8")
        env = hooks.env() | {"TEST_SMTP_USER": "ops", "TEST_SMTP_PASSWORD": "s3cret"}
        code, _, err = run("--send", env=env)
        assert code == 0, err
        assert len(mailbox.received) == 1
    finally:
        controller.stop()


def test_starttls_required_but_not_offered_sends_nothing(
    site: Path, smtp: Mailbox, hooks: Hooks
) -> None:
    (site / "mkdocs.yml").write_text(config_text(smtp.port, starttls=True), encoding="utf-8")
    code, _, err = run("--send", env=hooks.env())
    assert code == 1
    assert f"email: {IDENTIFIED}: STARTTLS extension not supported by server." in err
    assert smtp.received == []


# --- --since with a real git repository -----------------------------------------------


def git(site: Path, *args: str) -> str:
    env = os.environ | {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    done = subprocess.run(
        ["git", *args], cwd=site, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


NEW_INCIDENT = """\
---
title: Sign-in failures
impact: minor
components: [dashboard]
---

## Investigating · 2026-11-20 14:50 UTC

Some sign-ins fail.
"""

POSTMORTEM = "\n## Postmortem · 2026-11-20 14:58 UTC\n\nWhat happened, why, and what we change.\n"


@pytest.fixture
def repo(site: Path) -> Path:
    git(site, "init", "-q", "-b", "main")
    (site / "unchanged.md").write_text("x", encoding="utf-8")
    git(site, "add", ".")
    git(site, "commit", "-q", "-m", "first")
    return site


def test_since_announces_exactly_the_new_updates(repo: Path) -> None:
    before = git(repo, "rev-parse", "HEAD")
    code, out, err = run("--since", before)
    assert (code, out, err) == (0, "", "Nothing to announce.\n")

    path = repo / "incidents" / "2026-11-20-api-errors.md"
    monitoring = "## Monitoring · 2026-11-20 14:55 UTC\n\nRolled back; watching.\n\n"
    path.write_text(INCIDENT.replace("## Identified", monitoring + "## Identified") + POSTMORTEM)
    (repo / "incidents" / "2026").mkdir()
    (repo / "incidents" / "2026" / "2026-11-20-sign-in.md").write_text(NEW_INCIDENT)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "updates")

    code, out, err = run("--since", before, "--format", "json")
    assert code == 0, err
    assert [item["id"] for item in json.loads(out)] == [
        "2026-11-20-sign-in/update-20261120T145000Z",
        "2026-11-20-api-errors/update-20261120T145500Z",
        "2026-11-20-api-errors/postmortem-20261120T145800Z",
    ]
    code, out, err = run("--since", "HEAD")
    assert (code, out, err) == (0, "", "Nothing to announce.\n")


def test_since_ignores_a_moved_file_and_counts_uncommitted_work(repo: Path) -> None:
    (repo / "incidents" / "2026").mkdir()
    git(repo, "mv", "incidents/2026-11-20-api-errors.md", "incidents/2026/")
    git(repo, "commit", "-q", "-m", "file by year")
    assert run("--since", "HEAD~1")[1:] == ("", "Nothing to announce.\n")
    path = repo / "incidents" / "2026" / "2026-11-20-api-errors.md"
    path.write_text(path.read_text() + POSTMORTEM)  # not committed yet: the working tree counts
    _, out, _ = run("--since", "HEAD~1", "--format", "json")
    assert [i["id"] for i in json.loads(out)] == [
        "2026-11-20-api-errors/postmortem-20261120T145800Z"
    ]


def test_since_an_unknown_revision_is_a_clear_error(repo: Path) -> None:
    code, _, err = run("--since", "no-such-ref")
    assert code == 1
    assert err == "Error: --since: 'no-such-ref' is not a commit\n"


# --- the social post ------------------------------------------------------------------


def the_post(site: Path) -> str:
    config = read_mkdocs_yml(site / "mkdocs.yml")
    [item] = select(config, site, parse_time(NOW, UTC_ZONE), ["2026-11-20-api-errors"])
    return social_post(item)


@pytest.mark.parametrize(
    "message",
    [
        " ".join(["The load balancers dropped healthy backends again."] * 20),
        "東京リージョンで API エラーが増加しています。" * 10,  # X counts these twice
        "x" * 1000,
    ],
)
def test_social_post_fits_280_and_keeps_the_link(site: Path, message: str) -> None:
    text = INCIDENT.replace("A faulty configuration change on the **load balancers**.", message)
    (site / "incidents" / "2026-11-20-api-errors.md").write_text(text, encoding="utf-8")
    post = the_post(site)
    assert post_weight(post, [PAGE]) <= POST_LIMIT
    assert len(post) <= POST_LIMIT
    assert post.startswith("Elevated error rates on the API: Identified\n\n")
    assert post.endswith("…\n\n" + PAGE)
    assert len(post) > 120  # shortened, not dropped


def test_post_weight_counts_as_x_does() -> None:
    assert post_weight("API down") == 8
    assert post_weight("東京リージョン") == 14  # CJK counts twice
    assert post_weight("a — b") == 5  # general punctuation counts once
    assert post_weight("see https://s.co/x", ["https://s.co/x"]) == 4 + 23  # a link is 23
    long_url = "https://status.example.com/" + "x" * 40
    assert post_weight(long_url, [long_url]) == len(long_url)  # never less than its length


def test_a_japanese_post_stops_at_half_the_characters(site: Path) -> None:
    message = "東京リージョンで API エラーが増加しています。" * 10
    text = INCIDENT.replace("A faulty configuration change on the **load balancers**.", message)
    (site / "incidents" / "2026-11-20-api-errors.md").write_text(text, encoding="utf-8")
    post = the_post(site)
    weight = post_weight(post, [PAGE])
    assert 250 <= weight <= POST_LIMIT
    assert len(post) < weight - 60  # the Japanese text counted twice


def test_a_huge_title_is_cut_but_the_link_never(site: Path) -> None:
    text = INCIDENT.replace("Elevated error rates on the API", "Outage " * 80)
    (site / "incidents" / "2026-11-20-api-errors.md").write_text(text, encoding="utf-8")
    post = the_post(site)
    assert post_weight(post, [PAGE]) <= POST_LIMIT
    assert post.endswith("…\n\n" + PAGE)


def test_a_short_post_is_left_whole(site: Path) -> None:
    assert the_post(site) == (
        "Elevated error rates on the API: Identified\n\n"
        "A faulty configuration change on the load balancers. We are rolling it back."
        f"\n\n{PAGE}"
    )


def test_example_site_prints_without_targets() -> None:
    args = ["announce", "2026-11-20-api-errors", "--now", "2027-01-01 00:00 UTC"]
    result = CliRunner().invoke(
        main, [*args, "--config", str(EXAMPLE / "mkdocs.yml")], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    assert "=== 2026-11-20-api-errors/" in result.stdout
    assert "Targets:" not in result.stdout


# --- hostile webhook servers ----------------------------------------------------------


@contextmanager
def raw_server(answer: Callable[[socket.socket], None]) -> Iterator[str]:
    """A TCP server on 127.0.0.1 that reads a request and answers with ``answer``."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(5)
                try:
                    connection.recv(65536)
                    answer(connection)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()


def _drip(connection: socket.socket) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok":
        connection.sendall(bytes([byte]))
        time.sleep(0.5)


def _garbage(connection: socket.socket) -> None:
    connection.sendall(b"\x00\xffnot http at all\r\n\r\n")


def _redirect(connection: socket.socket) -> None:
    connection.sendall(
        b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:9/elsewhere\r\nContent-Length: 0\r\n\r\n"
    )


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (_redirect, "HTTP 302 Found: a redirect, not followed; give the final URL"),
        (_garbage, "not an HTTP answer"),
        (_drip, "no complete answer within 1 s"),
    ],
    ids=["redirect", "garbage", "drip"],
)
def test_a_hostile_webhook_fails_alone_and_within_its_deadline(
    site: Path,
    smtp: Mailbox,
    hooks: Hooks,
    monkeypatch: pytest.MonkeyPatch,
    answer: Callable[[socket.socket], None],
    reason: str,
) -> None:
    monkeypatch.setattr("generator.announce.delivery.DEADLINE", 1.0)
    with raw_server(answer) as url:
        env = {**hooks.env(), "TEST_SLACK_URL": f"{url}/secret-token-123"}
        started = time.monotonic()
        code, _, err = run("--send", env=env)
    assert time.monotonic() - started < 10
    assert code == 1
    assert f"slack: {IDENTIFIED}: {reason}" in err
    assert "secret-token-123" not in err
    assert set(state(site)["delivered"]) == {"email", "discord", "json"}


def test_a_webhook_url_with_a_space_never_shows_its_secret(site: Path, hooks: Hooks) -> None:
    env = {**hooks.env(), "TEST_JSON_URL": f"{hooks.url}/T0 B1/secret-token-456?key=abc"}
    code, out, err = run("--send", env=env)
    assert code == 1
    assert "secret-token-456" not in out + err and "key=abc" not in out + err
    assert f"json: {IDENTIFIED}: " in err


def test_a_state_file_nested_100000_deep_is_an_error(site: Path, hooks: Hooks) -> None:
    (site / "state").mkdir(exist_ok=True)
    (site / "state" / "announced.json").write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    result = CliRunner().invoke(main, ["announce", "--now", NOW, "--send"], env=hooks.env())
    assert result.exit_code == 1
    assert "the state file is nested too deeply" in result.output
    assert "Traceback" not in result.output
