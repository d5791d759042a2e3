"""Announcing updates: an e-mail, a short social post and chat webhooks.

:func:`select` picks the updates (:mod:`.select`, with :mod:`.revisions` for
``--since``); :mod:`.render` turns each into every channel's text, purely;
:func:`deliver` sends each update to each configured target at most once
(:mod:`.delivery`), recording what went out in a :class:`DeliveryLog`
(:mod:`.state`); :func:`preview` and :func:`preview_text` show a dry run.
"""

from .delivery import deliver, target_names
from .preview import dry_run, preview, preview_text
from .render import POST_LIMIT, post_weight, social_post
from .select import select
from .state import DeliveryLog, state_path

__all__ = [
    "POST_LIMIT",
    "DeliveryLog",
    "deliver",
    "dry_run",
    "post_weight",
    "preview",
    "preview_text",
    "select",
    "social_post",
    "state_path",
    "target_names",
]
