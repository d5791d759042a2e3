"""The dry run: what ``announce`` would send, for a person or for a script."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.settings import SiteConfig
from .delivery import target_names
from .render import (
    POST_LIMIT,
    email_html,
    email_subject,
    email_text,
    json_payload,
    post_weight,
    social_post,
)
from .select import Announcement
from .state import DeliveryLog, state_path


def preview(a: Announcement, log: DeliveryLog, targets: Sequence[str]) -> dict[str, Any]:
    """Everything ``announce`` would send for ``a``, and to which targets."""
    return {
        "id": a.id,
        "targets": {t: "sent" if log.sent(t, a.id) else "pending" for t in targets},
        "email": {"subject": email_subject(a), "text": email_text(a), "html": email_html(a)},
        "post": social_post(a),
        "webhook": json_payload(a),
    }


def preview_text(a: Announcement, log: DeliveryLog, targets: Sequence[str]) -> str:
    """The e-mail and the post as a person reads them."""
    lines = [f"=== {a.id} ==="]
    if targets:
        marks = [f"{t} ({'already sent' if log.sent(t, a.id) else 'pending'})" for t in targets]
        lines.append("Targets: " + ", ".join(marks))
    post = social_post(a)
    lines += [
        f"Subject: {email_subject(a)}",
        "",
        email_text(a).rstrip("\n"),
        "",
        f"--- Post ({post_weight(post, [a.page_url])}/{POST_LIMIT}) ---",
        post,
        "",
    ]
    return "\n".join(lines)


def dry_run(items: Sequence[Announcement], config: SiteConfig, root: Path, *, as_json: bool) -> str:
    """What ``announce`` without ``--send`` prints: each item and its targets' state."""
    log = DeliveryLog.load(state_path(config, root))
    targets = target_names(config)
    if as_json:
        shown = [preview(a, log, targets) for a in items]
        return json.dumps(shown, indent=2, ensure_ascii=False) + "\n"
    return "\n".join(preview_text(a, log, targets) for a in items)
