"""Two Python Statuspage clients, as published on PyPI, read the built example site over HTTP.

- ``statuspage-prometheus-exporter`` (in the test extra) checks a page's
  ``summary.json`` into the values it exports as Prometheus gauges.
- ``statuscheck`` reads ``summary.json`` with strict lookups (a component
  status outside Statuspage's five raises ``KeyError``). It pins click 7 and
  attrs 20, so it runs from its own environment (``tests/clients/``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from browser_support import Served, missing_tool, serve

from conftest import EXAMPLE, REPO, copy_site
from generator.plugin import build_site

CLIENTS = Path(__file__).parent / "clients"
STATUSCHECK_VENV = REPO / ".venv-statuscheck"
#: The example site during its network maintenance, with an incident open too.
NOW = datetime(2026, 12, 5, 7, 30, tzinfo=UTC)
OPEN_INCIDENT = """\
---
title: Slow exports
impact: minor
components: [pipeline, email]
scope: Scheduled exports
---

## Investigating · 2026-12-05 07:10 UTC

Exports are slow; we are looking into it.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("clients")
    config = copy_site(root, EXAMPLE / "incidents")
    (root / "incidents" / "2026-12-05-slow-exports.md").write_text(OPEN_INCIDENT, encoding="utf-8")
    target = build_site(config, now=NOW)
    with serve(target) as served:
        yield served


def published(site: Served, path: str) -> Any:
    return json.loads((site.root / "api" / "v2" / path).read_text(encoding="utf-8"))


def test_prometheus_exporter_reads_status_components_incidents_and_maintenance(
    site: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    url = site.url("api/v2/summary.json")
    services = tmp_path / "services.json"
    services.write_text(json.dumps({"acme": {"url": url, "name": "Acme"}}), encoding="utf-8")
    monkeypatch.setenv("SERVICES_JSON_PATH", str(services))
    monkeypatch.chdir(tmp_path)  # it keeps a cache/ folder in the working directory
    from statuspage_prometheus_exporter.service_checker import check_service_status

    result = check_service_status("acme", {"url": url, "name": "Acme"})
    summary = published(site, "summary.json")
    assert result["success"] is True, result
    assert result["raw_status"] == summary["status"]["indicator"] != "none"
    assert result["status"] == 0
    components = {c["name"]: c["status"] for c in result["component_metadata"]}
    assert components == {c["name"]: c["status"] for c in summary["components"]}
    incidents = [m["id"] for m in result["incident_metadata"]]
    assert incidents == [i["id"] for i in summary["incidents"]] and incidents
    for meta in result["incident_metadata"]:
        assert meta["status"] in ("investigating", "identified", "monitoring")
        assert meta["impact"] in ("minor", "major", "critical")
    windows = [m["id"] for m in result["maintenance_metadata"]]
    assert windows == [m["id"] for m in summary["scheduled_maintenances"]]
    assert (site.root / "api" / "v2" / "summary.json").is_file()
    assert ("/api/v2/summary.json", 200) in site.log.entries


def statuscheck_python() -> Path:
    """statuscheck's own environment: made once (tests/run.sh makes it too)."""
    python = STATUSCHECK_VENV / "bin" / "python"
    marker = STATUSCHECK_VENV / ".installed"
    requirements = CLIENTS / "statuscheck.txt"
    if (
        python.exists()
        and marker.exists()
        and marker.stat().st_mtime >= requirements.stat().st_mtime
    ):
        return python
    try:
        subprocess.run([sys.executable, "-m", "venv", str(STATUSCHECK_VENV)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "-r",
                str(requirements),
            ],
            check=True,
            timeout=300,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        missing_tool(f"cannot install statuscheck (tests/clients/statuscheck.txt): {exc}")
    marker.touch()
    return python


def test_statuscheck_reads_the_summary_from_a_base_url(site: Served):
    python = statuscheck_python()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run(
        [str(python), str(CLIENTS / "statuscheck_local.py"), site.base],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    text, _, data = run.stdout.partition("---\n")
    understood = json.loads(data)
    summary = published(site, "summary.json")
    assert understood["indicator"] == summary["status"]["indicator"]
    assert understood["is_ok"] is False
    assert [c[0] for c in understood["components"]] == [c["id"] for c in summary["components"]]
    open_items = summary["incidents"] + summary["scheduled_maintenances"]
    assert [i[0] for i in understood["incidents"]] == [i["id"] for i in open_items]
    assert [i[2] for i in understood["incidents"]] == [
        [c["id"] for c in i["components"]] for i in open_items
    ]
    assert f"Current Local status page status: {understood['name']}" in text
    for item in open_items:
        assert f"- [{item['status']}] {item['name']}" in text


def test_every_endpoint_of_the_served_site_matches_its_schema(site: Served):
    from outputs_support import errors
    from test_api import ENDPOINTS

    for path, schema in ENDPOINTS.items():
        with urllib.request.urlopen(site.url("api/v2/" + path), timeout=10) as response:
            body = json.loads(response.read())
        assert errors(f"api/{schema}", body) == [], path
