"""Delivery: each announcement to each configured target (SMTP, webhooks) at most once.

Targets are independent: one that fails (missing secret, server error) is
reported and retried on the next run, while the delivery log records every
success at once.
"""

from __future__ import annotations

import http.client
import json
import smtplib
import ssl
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parseaddr
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from .. import __version__
from ..core.config import EMAIL_TARGET
from ..core.errors import display_path
from ..core.settings import SiteConfig, SmtpTarget, WebhookTarget
from .errors import AnnounceError, TargetError
from .render import PAYLOADS, email_message
from .select import Announcement
from .state import DeliveryLog, state_path

TIMEOUT = 30.0

#: Sends one announcement; returns what to add to the ``sent`` line.
Send = Callable[[Announcement], str]


@dataclass
class DeliveryOutcome:
    """What :func:`deliver` did: lines to show and the failures to report."""

    sent: list[str] = field(default_factory=list)
    already: int = 0
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


class _Sender(Protocol):
    """A target: opened once per run, then sends the pending updates one by one."""

    name: str

    def session(self, outcome: DeliveryOutcome) -> AbstractContextManager[Send]: ...


def target_names(config: SiteConfig) -> list[str]:
    """The configured targets: ``email`` first, then the webhooks by name."""
    names = [EMAIL_TARGET] if config.announce.smtp is not None else []
    return names + [w.name for w in config.announce.webhooks]


def deliver(
    announcements: Sequence[Announcement],
    config: SiteConfig,
    root: Path,
    env: Mapping[str, str],
    now: datetime,
) -> DeliveryOutcome:
    """Send each announcement to each configured target that has not had it yet.

    Within a target, updates go out oldest first and the first failure stops
    that target, so a chat never shows an update before the one it follows.
    """
    if not target_names(config):
        raise AnnounceError(
            "no targets: add announce: smtp or announce: webhooks to the statuspage plugin "
            "in mkdocs.yml"
        )
    log = DeliveryLog.load(state_path(config, root))
    outcome = DeliveryOutcome()
    smtp = config.announce.smtp
    if smtp is not None:
        _serve(EmailSender(smtp, root, env, now), announcements, log, now, outcome)
    for webhook in config.announce.webhooks:
        _serve(WebhookSender(webhook, env), announcements, log, now, outcome)
    return outcome


def _serve(
    sender: _Sender,
    announcements: Sequence[Announcement],
    log: DeliveryLog,
    now: datetime,
    outcome: DeliveryOutcome,
) -> None:
    name = sender.name
    pending = [a for a in announcements if not log.sent(name, a.id)]
    outcome.already += len(announcements) - len(pending)
    if not pending:
        return
    current = pending[0]
    try:
        with sender.session(outcome) as send:
            for current in pending:
                detail = send(current)
                log.record(name, current.id, now)
                outcome.sent.append(f"{name}: sent {current.id}{detail}")
    except (TargetError, OSError, smtplib.SMTPException) as exc:
        left = len(pending) - pending.index(current)
        outcome.failures.append(
            f"{name}: {current.id}: {_reason(exc)}; {left} update(s) not sent, "
            "retried on the next run"
        )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError) and 300 <= exc.code < 400:
        return f"HTTP {exc.code} {exc.reason}: a redirect, not followed; give the final URL"
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        return f"cannot connect: {exc.reason}"
    if isinstance(exc, http.client.HTTPException):
        return f"not an HTTP answer ({type(exc).__name__})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"SMTP {exc.smtp_code} {_decoded(exc.smtp_error)}"
    return str(exc) or type(exc).__name__


def _decoded(value: bytes | str) -> str:
    """An SMTP server's words, which smtplib hands over as bytes or text."""
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def _secret(env: Mapping[str, str], name: str, what: str) -> str:
    value = env.get(name, "")
    if not value:
        raise TargetError(f"environment variable {name} ({what}) is not set")
    return value


# --- e-mail ---------------------------------------------------------------------------


class EmailSender:
    """One SMTP connection per run; one message per update, subscribers in blind copy."""

    name = EMAIL_TARGET

    def __init__(
        self, target: SmtpTarget, root: Path, env: Mapping[str, str], now: datetime
    ) -> None:
        self.target, self.root, self.env, self.now = target, root, env, now

    @contextmanager
    def session(self, outcome: DeliveryOutcome) -> Iterator[Send]:
        """Connect and log in once; refused recipients become warnings, not failures."""
        target = self.target
        recipients = read_subscribers(self.root / target.subscribers)
        credentials = self._credentials()
        envelope_from = parseaddr(target.sender)[1] or target.sender
        with _connect(target) as smtp:
            if credentials is not None:
                smtp.login(*credentials)

            def send(a: Announcement) -> str:
                message = email_message(a, target.sender, self.now)
                refused = smtp.send_message(message, envelope_from, recipients)
                for address, (code, reason) in sorted(refused.items()):
                    outcome.warnings.append(
                        f"{self.name}: {a.id}: {address} refused: {code} {_decoded(reason)}"
                    )
                return f" to {len(recipients) - len(refused)} subscriber(s)"

            yield send

    def _credentials(self) -> tuple[str, str] | None:
        target = self.target
        if not target.username_env and not target.password_env:
            return None
        user = (
            _secret(self.env, target.username_env, "SMTP user name") if target.username_env else ""
        )
        password = _secret(self.env, target.password_env, "SMTP password")
        return user, password


@contextmanager
def _connect(target: SmtpTarget) -> Iterator[smtplib.SMTP]:
    """Port 465 speaks TLS from the start; elsewhere STARTTLS when configured."""
    if target.port == 465:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            target.host, target.port, timeout=TIMEOUT, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(target.host, target.port, timeout=TIMEOUT)
    with smtp:
        if target.starttls and target.port != 465:
            smtp.starttls(context=ssl.create_default_context())
        yield smtp


def read_subscribers(path: Path) -> list[str]:
    """Addresses, one a line (``Name <address>`` too); blank lines and ``#`` comments skipped."""
    shown = display_path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise TargetError(f"{shown}: cannot read the subscribers file: {exc.strerror}") from None
    addresses = []
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        address = parseaddr(text)[1]
        named = text.endswith(f"<{address}>")  # Ana Lima <ana@example.org>
        if "@" not in address or " " in address or (text != address and not named):
            raise TargetError(f"{shown}:{number}: '{text}' is not an e-mail address")
        addresses.append(address)
    if not addresses:
        raise TargetError(f"{shown}: no subscribers")
    return list(dict.fromkeys(addresses))


# --- webhooks -------------------------------------------------------------------------


class WebhookSender:
    """POSTs the target's JSON format to the URL held in an environment variable."""

    def __init__(self, target: WebhookTarget, env: Mapping[str, str]) -> None:
        self.target, self.env = target, env
        self.name = target.name

    @contextmanager
    def session(self, outcome: DeliveryOutcome) -> Iterator[Send]:
        """Check the URL once; each update is then one POST."""
        url = _secret(self.env, self.target.url_env, "webhook URL")
        if urlsplit(url).scheme not in ("http", "https"):
            raise TargetError(f"{self.target.url_env} must hold an http(s) URL")
        build = PAYLOADS[self.target.format]

        def send(a: Announcement) -> str:
            try:
                post_json(url, build(a))
            except (OSError, http.client.HTTPException, ValueError) as exc:
                # A webhook URL is a secret: never let it reach the log, even in part.
                raise TargetError(_without(_reason(exc), url)) from None
            return ""

        yield send


#: The most one POST may take, connecting and answering together: a server that
#: drips its answer a byte at a time must not hold up the other targets.
DEADLINE = 30.0
#: How much of an answer is read; a webhook's answer is a few bytes.
MAX_ANSWER = 64 * 1024


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is a failure: urllib would turn the POST into a GET to another
    address and report success without the update ever arriving."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def post_json(url: str, payload: Mapping[str, Any]) -> None:
    """POST ``payload`` as JSON within :data:`DEADLINE` seconds; an HTTP error
    status (a redirect included) raises ``HTTPError``."""
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    post(url, data, "application/json; charset=utf-8")


def post(url: str, data: bytes, content_type: str, deadline: float | None = None) -> None:
    """POST ``data`` within ``deadline`` seconds (default :data:`DEADLINE`), never
    following a redirect; an HTTP error status raises ``HTTPError``."""
    limit = DEADLINE if deadline is None else deadline
    request = urllib.request.Request(
        url,
        data=data,
        headers={"Content-Type": content_type, "User-Agent": f"statuspage/{__version__}"},
        method="POST",
    )
    failed: list[BaseException] = []

    def attempt() -> None:
        try:
            with _OPENER.open(request, timeout=min(TIMEOUT, limit)) as response:
                response.read(MAX_ANSWER)
        except BaseException as exc:  # handed to the caller's thread
            failed.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)  # abandoned past the deadline
    worker.start()
    worker.join(limit)
    if worker.is_alive():
        raise TargetError(f"no complete answer within {limit:.0f} s")
    if failed:
        raise failed[0]


def failure_reason(exc: BaseException, secret_url: str) -> str:
    """Why a POST to ``secret_url`` failed, without the URL's path or query."""
    return _without(_reason(exc), secret_url)


def _without(text: str, url: str) -> str:
    """``text`` with ``url``, its path and its query replaced by ``…``."""
    parts = urlsplit(url)
    for secret in sorted({url, parts.path, parts.query} - {"", "/"}, key=len, reverse=True):
        text = text.replace(secret, "…")
    return text
