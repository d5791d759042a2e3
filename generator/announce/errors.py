"""The two ways ``announce`` fails: as a whole, or for one target only."""

from __future__ import annotations

from ..core.errors import StatusPageError


class AnnounceError(StatusPageError):
    """A problem that stops ``announce`` as a whole (bad ref, unknown id, bad state)."""


class TargetError(StatusPageError):
    """A problem with one target only: the others are still served."""
