"""The six figures of scale, each side by side with bare MkDocs, in one run.

Usage: python bench/bench.py [--incidents 5000] [--preview 1000,5000] [--repeat 5]

1. preview: an edit to one incident, from the write until ``statuspage serve``
   answers with it, at each ``--preview`` size (targets 1 s at 1,000, 2 s at 5,000);
2. cold build: ``statuspage build`` of N synthetic incidents (4 updates each)
   against ``mkdocs build`` of a bare MkDocs + Material site of N plain pages
   with the same text, kept out of the nav as our incident pages are
   (target: at most 0.6x);
3. the largest HTML page at N (target: at most 300 KB);
4. install + lint + build from a fresh virtual environment (``bench/install.py``);
5. peak memory of the build at N, its forked processes included (target: at most
   300 MB; see :func:`run`);
6. platform: ProperDocs builds the example with the same files as MkDocs.

Every command runs as a child process; times are wall-clock. The two cold
builds take turns, ``--repeat`` times each, so that a slow minute of a shared
machine falls on both; the figure is each one's median and the ratio of the
medians. Every run starts with no ``site/`` and a flushed disk (``os.sync``):
the previous run's site is moved aside, not deleted, because ext4 checks
every inode freed in the last half minute before it reuses one
(``recently_deleted``), which made each build after a deletion of 15,000
files pay several seconds of system time, more with every turn. The machine's load
average is printed with the figures: times are only as good as its quiet.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from statistics import median

from preview import edit_to_served, summary
from synthetic import NOW, REPO, make_bare, make_site

MB = 1024 * 1024
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", STATUSPAGE_NOW=NOW.isoformat())
STATUSPAGE = [sys.executable, "-m", "generator"]
MKDOCS = [sys.executable, "-m", "mkdocs"]


def run(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock seconds and peak memory (MB) of ``command`` as a child process,
    run in ``cwd`` without its ``site/`` (moved aside: see the module's doc) and once
    the disk has written what it holds.

    The memory is the largest sum, sampled every 50 ms, of the proportional set
    size (``Pss``) of the process and every process it forked: forked copies
    share their parent's pages until they write to them, and Pss counts a
    shared page once, split among those sharing it. Without ``/proc`` it is the
    largest single process's resident set (``ru_maxrss``).
    """
    if (cwd / "site").exists():
        aside = Path(tempfile.mkdtemp(prefix="old-site-", dir=cwd.parent))
        (cwd / "site").rename(aside / "site")
    os.sync()
    start = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = [0.0]
    done = threading.Event()
    sampler = threading.Thread(target=_sample, args=(child.pid, peak, done), daemon=True)
    sampler.start()
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{errors.decode()[-3000:]}")
    return elapsed, peak[0] or usage.ru_maxrss * 1024 / MB  # ru_maxrss is in KiB on Linux


def _sample(pid: int, peak: list[float], done: threading.Event) -> None:
    while not done.wait(0.05):
        total = sum(_pss_kb(p) for p in _tree(pid))
        peak[0] = max(peak[0], total * 1024 / MB)


def _tree(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending += [int(n) for n in children.read().split()]
        except OSError:
            continue
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def in_turns(
    ours: tuple[list[str], Path], theirs: tuple[list[str], Path], repeat: int
) -> tuple[list[float], float, list[float], float]:
    """Each command's times, ``repeat`` runs taking turns, and its peak memory."""
    times: tuple[list[float], list[float]] = ([], [])
    memory = [0.0, 0.0]
    for _ in range(repeat):
        for number, (command, cwd) in enumerate((ours, theirs)):
            elapsed, peak = run(command, cwd)
            times[number].append(elapsed)
            memory[number] = max(memory[number], peak)
    return times[0], memory[0], times[1], memory[1]


def spread(times: list[float]) -> str:
    return f"median {median(times):.2f} s (runs {', '.join(f'{t:.1f}' for t in times)})"


def largest(site: Path, suffix: str = "") -> tuple[int, str]:
    return max(
        (p.stat().st_size, p.relative_to(site).as_posix())
        for p in site.rglob(f"*{suffix}")
        if p.is_file()
    )


def install_figure() -> str:
    script = REPO / "bench" / "install.py"
    if not script.exists():
        return "not measured (bench/install.py is not there)"
    result = subprocess.run(
        [sys.executable, str(script)], env=ENV, capture_output=True, text=True, check=False
    )
    lines = (result.stdout or result.stderr).strip().splitlines()
    return lines[-1] if lines else f"bench/install.py exited {result.returncode}"


def platform_figure(root: Path) -> str:
    """Build the example with MkDocs and ProperDocs and compare the files."""
    sys.path.insert(0, str(REPO / "tests"))
    from test_properdocs import build, comparable  # the test's own comparison

    site = root / "example"
    site.mkdir()
    for name in ("mkdocs.yml", "site_src", "incidents"):
        subprocess.run(["cp", "-r", str(REPO / name), str(site / name)], check=True)
    properdocs = Path(sys.executable).with_name("properdocs")
    if not properdocs.exists():
        return "not measured (properdocs is not installed)"
    ours = build(MKDOCS, site, root / "with-mkdocs")
    theirs = build([str(properdocs)], site, root / "with-properdocs")
    files = sorted(set(ours) - {"sitemap.xml.gz"})
    same = files == sorted(set(theirs) - {"sitemap.xml.gz"}) and all(
        comparable(f, ours[f]) == comparable(f, theirs[f]) for f in files
    )
    verdict = "identical apart from the generator tag" if same else "DIFFERENT"
    return f"ProperDocs builds the example: {len(files)} files, {verdict}"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=5000)
    parser.add_argument("--preview", default="1000,5000", help="sizes, or '' to skip")
    parser.add_argument("--repeat", type=int, default=5, help="cold builds of each")
    args = parser.parse_args()
    n = args.incidents
    print(f"before: {load()}", flush=True)
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        previews = []
        for size in (int(s) for s in args.preview.split(",") if s):
            previews.append((size, edit_to_served(make_site(root / f"preview-{size}", size))))
            print(f"   preview at {size:,}: {summary(previews[-1][1])}; {load()}", flush=True)
        site = make_site(root / "site", n)
        bare = make_bare(root / "bare", n)
        builds = ([*STATUSPAGE, "build"], site), ([*MKDOCS, "build", "-q"], bare)
        ours, our_memory, plain, plain_memory = in_turns(*builds, args.repeat)
        page = largest(site / "site", ".html")
        biggest = largest(site / "site")
        install = install_figure()
        platform = platform_figure(root)
    print(f"after:  {load()}")
    for size, times in previews:
        target = 1 if size <= 1000 else 2
        print(
            f"1. preview, {size:,} incidents, edit to served: {summary(times)} (target {target} s)"
        )
    print(
        f"2. cold build, {n:,}: {spread(ours)}; bare MkDocs + Material, {n:,} plain pages: "
        f"{spread(plain)}; ratio {median(ours) / median(plain):.2f}x (target <= 0.6x)"
    )
    print(f"3. largest HTML page at {n:,}: {page[0] / 1024:.0f} KB, {page[1]} (target <= 300 KB)")
    print(f"   largest file: {biggest[0] / 1024:.0f} KB, {biggest[1]}")
    print(f"4. install + lint + build: {install}")
    print(
        f"5. peak memory at {n:,}: {our_memory:.0f} MB (target <= 300 MB); "
        f"bare MkDocs: {plain_memory:.0f} MB"
    )
    print(f"6. platform: {platform}")


if __name__ == "__main__":
    main()
