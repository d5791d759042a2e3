"""Build and lint times at scale, next to a bare MkDocs + Material build.

Usage: python bench/bench.py [--incidents 1000] [--lint-incidents 5000] [--repeat 1]

Generates N synthetic incidents (4 updates each) in a temporary copy of the
example site, times ``statuspage build`` and ``statuspage lint`` as
subprocesses, and times a bare MkDocs + Material build of N plain pages with
the same Markdown text (kept out of the nav, as our incident pages are).
Targets: build within 1.3x of bare MkDocs at 1,000; lint of 5,000 under 1 s.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
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
    """The file name and text of synthetic incident ``n`` (spread over ~8 years)."""
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


def timed(command: list[str], cwd: Path, repeat: int) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", STATUSPAGE_NOW=NOW.isoformat())
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if result.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
        best = min(best, elapsed)
    return best


def in_process_lint(site: Path, repeat: int) -> float:
    """The lint itself, without Python's start-up (imports counted); best of ``repeat``."""
    code = (
        "import time; t=time.perf_counter();"
        "from pathlib import Path; from datetime import datetime, UTC;"
        "from generator.core.config import read_mkdocs_yml;"
        "from generator.authoring.lint import lint;"
        "c=read_mkdocs_yml(Path('mkdocs.yml'));"
        f"p=lint(c, Path('.'), datetime.fromisoformat('{NOW.isoformat()}'));"
        "print(time.perf_counter()-t)"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], cwd=site, capture_output=True, text=True, check=True
        )
        for _ in range(repeat)
    ]
    return min(float(run.stdout.strip()) for run in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1000)
    parser.add_argument("--lint-incidents", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    statuspage = [sys.executable, "-m", "generator"]
    mkdocs = [sys.executable, "-m", "mkdocs"]
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        site = make_site(root / "site", args.incidents)
        bare = make_bare(root / "bare", args.incidents)
        ours = timed([*statuspage, "build"], site, args.repeat)
        plain = timed([*mkdocs, "build", "-q"], bare, args.repeat)
        lint_site = make_site(root / "lint", args.lint_incidents)
        lint_cli = timed([*statuspage, "lint"], lint_site, args.repeat)
        lint_core = in_process_lint(lint_site, args.repeat)
    print(f"build, {args.incidents} incidents:        {ours:6.2f} s (statuspage build)")
    print(f"bare MkDocs + Material, {args.incidents} pages: {plain:6.2f} s")
    print(f"ratio:                              {ours / plain:6.2f}x (target <= 1.3x)")
    print(f"lint, {args.lint_incidents} incidents (command):   {lint_cli:6.2f} s")
    print(f"lint, {args.lint_incidents} incidents (in-process): {lint_core:6.2f} s (target < 1 s)")


if __name__ == "__main__":
    main()
