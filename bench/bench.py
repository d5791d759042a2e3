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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import NOW, make_bare, make_site


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
