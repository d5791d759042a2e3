"""What was delivered, per target: the delivery log, a JSON file in the repository.

The log is rewritten atomically after every successful delivery, so a run
that fails half-way never forgets what it did send, and a failed target is
retried on the next run without repeating the others.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..authoring.edit import write_atomic
from ..core.errors import display_path
from ..core.settings import SiteConfig
from .errors import AnnounceError
from .render import utc_timestamp

STATE_VERSION = 1


class StateError(AnnounceError):
    """The delivery log cannot be read or written."""


@dataclass
class DeliveryLog:
    """Per target, the ids delivered and when: ``{"delivered": {target: {id: time}}}``."""

    path: Path
    delivered: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> DeliveryLog:
        """The log at ``path``; an empty one when the file does not exist yet."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError) as exc:
            raise StateError(f"{display_path(path)}: cannot read the state file: {exc}") from None
        except RecursionError:  # JSON nested deeper than the parser's stack
            raise StateError(f"{display_path(path)}: the state file is nested too deeply") from None
        delivered = data.get("delivered") if isinstance(data, dict) else None
        if not isinstance(delivered, dict) or not all(
            isinstance(v, dict) for v in delivered.values()
        ):
            raise StateError(
                f"{display_path(path)}: delivered: expected {{target: {{update id: time}}}}"
            )
        return cls(path, {str(k): dict(v) for k, v in delivered.items()})

    def sent(self, target: str, announcement_id: str) -> bool:
        """Whether ``target`` has had the update ``announcement_id``."""
        return announcement_id in self.delivered.get(target, {})

    def record(self, target: str, announcement_id: str, at: datetime) -> None:
        """Remember one delivery and write the whole file atomically at once."""
        self.delivered.setdefault(target, {})[announcement_id] = utc_timestamp(at)
        document = {"version": STATE_VERSION, "delivered": self.delivered}
        try:
            write_atomic(self.path, json.dumps(document, indent=2, sort_keys=True) + "\n")
        except OSError as exc:
            raise StateError(
                f"{display_path(self.path)}: cannot write the state file: {exc}"
            ) from None


def state_path(config: SiteConfig, root: Path) -> Path:
    """Where the delivery log lives: ``announce: state_file`` under the site's root."""
    return root / config.announce.state_file
