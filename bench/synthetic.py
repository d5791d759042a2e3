"""Synthetic incidents and sites for the benchmarks and the scale tests.

Incident ``n`` is the same in every set: a set of 2,000 is the set of 1,000
plus 1,000 older incidents, so comparing the two shows what history adds.
"""

from __future__ import annotations

import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
COMPONENTS = ["api", "dashboard", "auth", "db", "pipeline", "webhooks", "email"]
STEPS = [("Investigating", 0), ("Identified", 25), ("Monitoring", 70), ("Resolved", 130)]
IMPACTS = ["minor", "major", "critical", "none"]
#: Every update's text differs (a real history repeats nothing), so no cache flatters us.
TEXT = (
    "Update {step} on incident {n}: some requests to the service fail or are slow. Our "
    "engineers are working on it and will post again within the hour. Customers in the "
    "**EU region** are affected; see [the docs](https://example.com/docs/{n}) for retries."
)


def incident(n: int) -> tuple[str, str]:
    """The file name and text of synthetic incident ``n`` (one every 17 hours)."""
    rng = random.Random(n)
    began = NOW - timedelta(hours=17 * (n + 1), minutes=rng.randrange(60))
    name = f"{began:%Y-%m-%d}-synthetic-incident-{n}"
    parts = [
        "---",
        f'title: "Synthetic incident {n}: elevated errors"',
        f"impact: {IMPACTS[n % len(IMPACTS)]}",
        f"components: [{', '.join(rng.sample(COMPONENTS, 2))}]",
        "scope: Customers in the EU region calling the REST API",
        "workaround: Retry with exponential back-off.",
        "---",
        "",
    ]
    for status, minutes in reversed(STEPS):
        at = began + timedelta(minutes=minutes)
        text = TEXT.format(step=status.lower(), n=n)
        parts += [f"## {status} · {at:%Y-%m-%d %H:%M} UTC", "", text, ""]
    return name, "\n".join(parts)


def make_site(root: Path, count: int) -> Path:
    """The example site with ``count`` synthetic incidents in ``root``; ``root``."""
    root.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "site_src", root / "site_src")
    incidents = root / "incidents"
    incidents.mkdir()
    for n in range(count):
        name, text = incident(n)
        (incidents / f"{name}.md").write_text(text, encoding="utf-8")
    return root


def make_bare(root: Path, count: int) -> Path:
    """A bare MkDocs + Material site of ``count`` plain pages with the same text."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\nA bare site.\n")
    for n in range(count):
        name, text = incident(n)
        body = text.split("---\n", 2)[2]
        (docs / f"{name}.md").write_text(f"# Synthetic incident {n}\n\n{body}", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: Bare\nsite_url: https://example.com/\n"
        "theme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n"
        "nav:\n  - Home: index.md\n"
        "not_in_nav: |\n  /*-synthetic-*.md\n",
        encoding="utf-8",
    )
    return root
