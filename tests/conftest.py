"""Shared fixtures: a small site configuration and a fixed clock."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.core.config import site_config
from generator.core.settings import SiteConfig

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent
#: The tests' own copy of the example site, so that a fork may change the
#: repository's mkdocs.yml and incidents/ and keep the suite green.
EXAMPLE = FIXTURES / "example"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def copy_site(root: Path, incidents: Path | None = None, *, templates: bool = False) -> Path:
    """The example site's ``mkdocs.yml`` and pages in ``root``; its ``mkdocs.yml``.

    ``incidents/`` is a copy of the given folder, or empty; ``templates``
    makes the site's own ``templates/`` folder, empty as in the example (the
    built-in message templates are in the package).
    """
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(EXAMPLE / "site_src", root / "site_src")
    if templates:
        (root / "templates").mkdir()
    if incidents is None:
        (root / "incidents").mkdir()
    else:
        shutil.copytree(incidents, root / "incidents")
    return root / "mkdocs.yml"


COMPONENTS = [
    {"id": "api", "name": "REST API", "group": "Platform"},
    {"id": "dashboard", "name": "Dashboard", "group": "Platform"},
    {"id": "db", "name": "Databases", "group": "Data"},
    {"id": "email", "name": "E-mail"},
]


def make_config(timezone: str = "UTC", url: str = "https://status.example.com/") -> SiteConfig:
    return site_config(
        {"timezone": timezone, "components": COMPONENTS},
        site_name="Example Status",
        site_url=url,
    )


@pytest.fixture
def config() -> SiteConfig:
    return make_config()


@pytest.fixture
def now() -> datetime:
    return NOW
