"""WebSub publishing: tell the hub which feeds changed since it was last told.

W3C WebSub leaves the publisher's notification to the hub; hubs take the
form that PubSubHubbub 0.4 set: a form-encoded POST of ``hub.mode=publish``
with the topic in ``hub.url`` (``hub.topic`` for hubs that read that name;
both are sent). The hub then fetches the topic and pushes it to subscribers.

What changed is known without a server: a state file (``websub_state_file``)
holds the SHA-256 of each feed as the hub last heard of it. ``ping_hub``
compares the built feeds with it, pings only those that differ, and records
each success at once, so a second run pings nothing and a run that fails
half-way is resumed by the next. Each POST is bounded like ``announce``'s
(:func:`generator.announce.delivery.post`: a deadline, no redirects, a capped
answer), and the first failure stops the run, so a hub that is down costs one
timeout, not one per feed.
"""

from __future__ import annotations

import hashlib
import http.client
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from filelock import FileLock, Timeout

from ..authoring.edit import write_atomic
from ..core.errors import display_path
from ..core.settings import SiteConfig
from ..core.urls import absolute
from ..outputs.feeds import feed_paths
from .delivery import failure_reason, post
from .errors import AnnounceError, TargetError
from .state import StateError

STATE_VERSION = 1
FORM = "application/x-www-form-urlencoded"
#: How long a second run waits for the first to finish with the state file.
LOCK_WAIT = 60.0
#: What to do with a state file that cannot be read: it only saves pings.
_RESET = "; delete it and the next run notifies the hub of every feed"


@dataclass
class HubState:
    """What the hub last heard of each feed: ``{"hub": url, "topics": {url: sha256}}``."""

    path: Path
    hub: str
    topics: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path, hub: str) -> HubState:
        """The state at ``path``; empty when missing or kept for another hub."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path, hub)
        except (OSError, ValueError, RecursionError) as exc:
            raise StateError(
                f"{display_path(path)}: cannot read the state file: {exc}{_RESET}"
            ) from None
        topics = data.get("topics") if isinstance(data, dict) else None
        if not isinstance(topics, dict) or not all(isinstance(v, str) for v in topics.values()):
            raise StateError(f"{display_path(path)}: topics: expected {{feed URL: sha256}}{_RESET}")
        if data.get("hub") != hub:  # a new hub has heard of nothing yet
            return cls(path, hub)
        return cls(path, hub, {str(k): v for k, v in topics.items()})

    def record(self, topic: str, digest: str) -> None:
        """Remember one notified feed; the whole file is rewritten atomically."""
        self.topics[topic] = digest
        document = {"version": STATE_VERSION, "hub": self.hub, "topics": self.topics}
        try:
            write_atomic(self.path, json.dumps(document, indent=2, sort_keys=True) + "\n")
        except OSError as exc:
            raise StateError(f"{display_path(self.path)}: cannot write: {exc}") from None


@dataclass
class PingOutcome:
    """What :func:`ping_hub` did: the feeds notified (or due), and a failure, if any."""

    hub: str
    pinged: list[str] = field(default_factory=list)
    unchanged: int = 0
    failure: str = ""


def built_feeds(config: SiteConfig, site_dir: Path) -> list[tuple[str, str]]:
    """``(feed URL, sha256 of the built file)`` of every feed, in a fixed order."""
    result = []
    for path in feed_paths(config):
        file = site_dir / path
        try:
            digest = hashlib.sha256(file.read_bytes()).hexdigest()
        except OSError as exc:
            raise AnnounceError(
                f"{display_path(file)}: {exc.strerror or exc}; build the site first "
                "(statuspage build) or give --site-dir"
            ) from None
        result.append((absolute(config, path), digest))
    return result


def ping_hub(
    config: SiteConfig, root: Path, site_dir: Path, *, dry_run: bool = False
) -> PingOutcome:
    """Notify ``websub_hub`` of every built feed that changed since it was last told."""
    hub = config.websub_hub
    if not hub:
        raise AnnounceError(
            "no hub: set websub_hub in the statuspage plugin of mkdocs.yml "
            "(e.g. websub_hub: https://pubsubhubbub.appspot.com/)"
        )
    feeds = built_feeds(config, site_dir)
    path = root / config.websub_state_file
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(str(path) + ".lock", timeout=LOCK_WAIT):
            return _notify(HubState.load(path, hub), feeds, dry_run)
    except Timeout:
        raise StateError(f"{display_path(path)}: another ping-hub holds it; try again") from None


def _notify(state: HubState, feeds: list[tuple[str, str]], dry_run: bool) -> PingOutcome:
    outcome = PingOutcome(state.hub)
    pending = [(topic, digest) for topic, digest in feeds if state.topics.get(topic) != digest]
    outcome.unchanged = len(feeds) - len(pending)
    for done, (topic, digest) in enumerate(pending):
        if not dry_run:
            try:
                notify(state.hub, topic)
            except (TargetError, OSError, http.client.HTTPException, ValueError) as exc:
                left = len(pending) - done
                outcome.failure = (
                    f"{topic}: {failure_reason(exc, state.hub)}; {left} feed(s) not "
                    "notified, retried on the next run"
                )
                break
            state.record(topic, digest)
        outcome.pinged.append(topic)
    return outcome


def notify(hub: str, topic: str) -> None:
    """One publish notification: the hub answers 2xx, or this raises."""
    form = urlencode({"hub.mode": "publish", "hub.url": topic, "hub.topic": topic})
    post(hub, form.encode("ascii"), FORM)
