"""Where each page and file lives. Paths are relative to the site root, with
no leading slash, so they work under a ``site_url`` with a path."""

from __future__ import annotations

from .settings import SiteConfig


def incident_path(incident_id: str) -> str:
    return f"incidents/{incident_id}/"


def component_path(component_id: str) -> str:
    return f"components/{component_id}/"


def component_year_path(component_id: str, year: int) -> str:
    """A component's incidents of one year: ``components/api/2025/``."""
    return f"components/{component_id}/{year}/"


def reliability_path(year: int | None = None) -> str:
    """``reliability/`` (the last twelve months) or one year's, ``reliability/2025/``."""
    return f"reliability/{year}/" if year else "reliability/"


def history_path(month: str | None = None) -> str:
    """``history/`` or one month's page, ``history/2026-11/``."""
    return f"history/{month}/" if month else "history/"


def absolute(config: SiteConfig, path: str) -> str:
    """``path`` under the configured ``site_url`` (which ends with ``/``)."""
    return config.url + path.lstrip("/")
