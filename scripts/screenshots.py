"""Screenshots of the example site for the README, in Debian's Chromium.

    python scripts/screenshots.py [--out docs/screenshots]

Builds the repository's example (mkdocs.yml and incidents/) into a temporary
folder with a fixed clock, plus one open incident so the pictures show what
readers see during an outage, serves it on 127.0.0.1 and takes the home page
at 1,280 and 390 px wide in the light and the dark scheme, and an incident
page. No browser is downloaded: Playwright drives /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from browser_support import chromium, serve  # noqa: E402

from generator.plugin import build_site  # noqa: E402

NOW = datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
OPEN_INCIDENT = """\
---
title: Delayed webhook deliveries
impact: major
components: {webhooks: partial_outage, api: degraded_performance}
scope: Customers with webhooks to endpoints in the EU; events are queued, none are lost.
workaround: Poll the events API for anything urgent until deliveries catch up.
next_update: 2026-11-24 11:00 UTC
---

## Identified · 2026-11-24 10:15 UTC

A queue consumer stopped after a configuration change. We are rolling it back and
deliveries are starting to catch up.

## Investigating · 2026-11-24 09:50 UTC

We are sorry: webhook deliveries to EU endpoints are delayed by up to 20 minutes.
We are investigating.
"""
SHOTS = [
    ("home-1280-light", "", 1280, 860, "light"),
    ("home-1280-dark", "", 1280, 860, "dark"),
    ("home-390-light", "", 390, 844, "light"),
    ("home-390-dark", "", 390, 844, "dark"),
    ("incident-1280-light", "incidents/2026-11-24-webhooks/", 1280, 860, "light"),
]


def build(work: Path) -> Path:
    shutil.copy(REPO / "mkdocs.yml", work / "mkdocs.yml")
    shutil.copytree(REPO / "site_src", work / "site_src")
    shutil.copytree(REPO / "incidents", work / "incidents")
    (work / "incidents" / "2026-11-24-webhooks.md").write_text(OPEN_INCIDENT, encoding="utf-8")
    return build_site(work / "mkdocs.yml", site_dir=work / "site", strict=True, now=NOW)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    out: Path = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        site = build(Path(temporary))
        with serve(site) as served, chromium() as browser:
            for name, path, width, height, scheme in SHOTS:
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    color_scheme=scheme,
                    timezone_id="Europe/Berlin",
                    locale="en-GB",
                )
                context.clock.set_fixed_time(NOW.timestamp() + 120)
                page = context.new_page()
                page.goto(served.url(path), wait_until="networkidle")
                page.screenshot(path=str(out / f"{name}.png"))
                context.close()
                print(out / f"{name}.png")


if __name__ == "__main__":
    main()
