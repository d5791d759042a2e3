"""Install, lint and build the example from a fresh virtual environment, as the
publish workflow does: uv installs the hashed lock (requirements/publish.txt)
and then this package without its dependencies.

The first round fills uv's cache (as a runner's restored cache would be);
the rounds after it are timed with that warm cache, each in a new, empty
virtual environment, and (as the workflows do on an exact cache hit) without
asking the package index again; ``--online`` asks it. The target is at most
10 s on a quiet machine.

    python bench/install.py [--rounds 3] [--online] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "tests" / "fixtures" / "example"
NOW = "2026-11-23 09:18 UTC"


def uv() -> list[str]:
    found = shutil.which("uv")
    return [found] if found else [sys.executable, "-m", "uv"]


def run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    subprocess.run([str(a) for a in args], cwd=cwd, env=env, check=True, capture_output=True)


def timed(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    run(*args, cwd=cwd, env=env)
    return time.perf_counter() - started


def one_round(work: Path, *, offline: bool) -> dict[str, float]:
    """Seconds for each step, from nothing to a built site.

    ``offline`` as the workflows on an exact cache hit: uv does not ask the
    package index again about the locked packages.
    """
    venv, site = work / "venv", work / "site"
    shutil.copy(EXAMPLE / "mkdocs.yml", site / "mkdocs.yml")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", VIRTUAL_ENV=str(venv))
    python = venv / "bin" / "python"
    install = [*uv(), "pip", "install", "-q", "--python", str(python)]
    lock = REPO / "requirements" / "publish.txt"
    steps = {"venv": timed(*uv(), "venv", "-q", "--python", sys.executable, venv)}
    offline_flag = ["--offline"] if offline else []
    steps["locked"] = timed(*install, *offline_flag, "--require-hashes", "-r", lock)
    steps["package"] = timed(*install, "--no-deps", "--no-build-isolation", REPO)
    statuspage = venv / "bin" / "statuspage"
    steps["lint"] = timed(statuspage, "lint", "--now", NOW, cwd=site, env=env)
    steps["build"] = timed(statuspage, "build", "--strict", "--now", NOW, cwd=site, env=env)
    steps["total"] = sum(steps.values())
    return steps


def fresh(base: Path, n: int) -> Path:
    work = base / f"round-{n}"
    (work / "site").mkdir(parents=True)
    for name in ("incidents", "site_src"):
        shutil.copytree(EXAMPLE / name, work / "site" / name)
    return work


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds after the warm-up")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--online", action="store_true", help="let uv ask the index again, as on a partial hit"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="statuspage-install-") as tmp:
        base = Path(tmp)
        warmup = one_round(fresh(base, 0), offline=False)
        offline = not args.online
        rounds = [one_round(fresh(base, n), offline=offline) for n in range(1, args.rounds + 1)]
    median = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    if args.json:
        print(json.dumps({"warm_up": warmup, "median_warm": median, "rounds": rounds}, indent=2))
        return
    mode = "online" if args.online else "offline"
    print(f"install + lint + build of the example: fresh venv, warm uv cache ({mode})")
    print(f"{'step':<8} {'warm-up':>8} {'median of ' + str(args.rounds):>13}")
    for key, value in median.items():
        print(f"{key:<8} {warmup[key]:>7.2f}s {value:>12.2f}s")
    verdict = "met" if median["total"] <= 10 else "missed"
    print(f"target: total <= 10 s with a warm cache: {verdict}")


if __name__ == "__main__":
    main()
