"""The fixture site of the output tests (feeds, calendar, API, badges).

``tests/fixtures/outputs``: a small configuration and one incident of each
kind the outputs treat differently, loaded by the real loader at a fixed
``now``. Shared by test_feeds, test_ical, test_api and test_badge.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from generator.core.config import site_config
from generator.core.loader import load_incidents
from generator.core.model import Incident
from generator.core.settings import SiteConfig
from generator.core.status import SiteStatus, compute_status
from generator.outputs import build_outputs

ROOT = Path(__file__).parent / "fixtures" / "outputs"
SCHEMAS = Path(__file__).parent / "schemas"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
SUBPATH_URL = "https://example.org/status/"

# Incident ids of the fixture, by what they exercise.
ACTIVE = "2026-11-21-api-errors"  # open, major, raw <script> in a body, an "Update"
POSTMORTEM = "2026-11-10-login-outage"  # resolved, critical, with a postmortem
STATUS_MAP = "2026-11-15-db-latency"  # components given as a map
JAPANESE = "2026-11-18-pipeline-ja"  # Japanese title and text, +09:00 times
UPCOMING = "2026-12-01-db-upgrade"  # maintenance announced, not started
IN_PROGRESS = "2026-11-21-network-maintenance"  # started by the clock at 11:00
COMPLETED = "2026-11-05-email-maintenance"  # ended by the clock at 23:00
UNANNOUNCED = "2026-12-10-dns-maintenance"  # maintenance file without any update
MAINTENANCE = (UPCOMING, IN_PROGRESS, COMPLETED, UNANNOUNCED)
INCIDENTS = (ACTIVE, POSTMORTEM, STATUS_MAP, JAPANESE)


def options() -> dict[str, Any]:
    raw = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    plugin: dict[str, Any] = raw["plugins"][0]["statuspage"]
    return {"site_name": raw["site_name"], "site_url": raw["site_url"], "options": plugin}


def make_config(url: str | None = None, **overrides: Any) -> SiteConfig:
    """The fixture's configuration; ``overrides`` replace plugin options."""
    loaded = options()
    return site_config(
        {**loaded["options"], **overrides},
        site_name=loaded["site_name"],
        site_url=url or loaded["site_url"],
    )


def load(config: SiteConfig) -> list[Incident]:
    result = load_incidents(config, ROOT, NOW)
    result.raise_for_errors()
    return result.incidents


def make_status(
    config: SiteConfig, incidents: list[Incident] | None = None, now: datetime = NOW
) -> SiteStatus:
    return compute_status(config, load(config) if incidents is None else incidents, now)


def build(url: str | None = None, **overrides: Any) -> dict[str, bytes]:
    config = make_config(url, **overrides)
    return build_outputs(config, make_status(config))


def incident(incidents: list[Incident], incident_id: str) -> Incident:
    return next(i for i in incidents if i.id == incident_id)


def replaced(incidents: list[Incident], incident_id: str, **changes: Any) -> list[Incident]:
    """``incidents`` with one of them changed (a new update, a new title, ...)."""
    return [replace(i, **changes) if i.id == incident_id else i for i in incidents]


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted(SCHEMAS.rglob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


def validator(name: str) -> Draft202012Validator:
    """A strict validator for ``tests/schemas/<name>`` (refs resolved locally)."""
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


def errors(name: str, document: object) -> list[str]:
    found = validator(name).iter_errors(document)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found]
