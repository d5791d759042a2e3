"""Share a build's independent jobs (pages, incidents' Markdown) among the cores.

A cold build of thousands of incidents spends most of its time rendering
pages that do not depend on one another. :func:`shared` runs a list of jobs,
each a function without arguments, in this process and in forked copies of
it, and returns the results in the jobs' order: the same as running them one
by one. A forked copy starts with everything already loaded (the incidents,
the computed status, the templates), so only the results travel back, pickled.

It runs the jobs one by one, in this process, when forking is not safe or
not worth it: off Linux (macOS and Windows do not fork safely, or at all);
while another thread runs (the preview's server: a fork copies no thread,
and a lock one of them held would stay locked); inside a forked copy; for
few jobs; or when ``STATUSPAGE_PROCESSES`` is ``1``. That variable also caps
the number of processes, which is otherwise the number of usable cores.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")

#: Caps the processes a build uses; ``1`` renders everything in this process.
PROCESSES_VARIABLE = "STATUSPAGE_PROCESSES"
#: Below this many jobs a fork costs more than it saves.
MIN_JOBS = 400
#: Jobs per task sent to a forked copy: fewer round trips, an even share.
CHUNK = 64

_jobs: Sequence[Callable[[], object]] = ()
_forked = False


def processes() -> int:
    """How many processes a build may use: usable cores, capped by the variable."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    wanted = os.environ.get(PROCESSES_VARIABLE, "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return min(int(wanted), cores)
    return cores


def can_fork() -> bool:
    """Whether jobs may go to forked copies of this process now."""
    return (
        sys.platform == "linux"
        and not _forked
        and threading.active_count() == 1
        and processes() > 1
    )


def shared(jobs: Sequence[Callable[[], T]], *, at_least: int = MIN_JOBS) -> list[T]:
    """Every job's result, in order; run by this process and forked copies of it.

    Fewer than ``at_least`` jobs run here alone (jobs that each do a batch of
    work say so with a lower number).
    """
    if len(jobs) < max(at_least, 2) or not can_fork():
        return [job() for job in jobs]
    global _jobs
    _jobs = jobs
    size = max(1, min(CHUNK, len(jobs) // (4 * processes())))  # a few chunks each at least
    chunks = [range(start, min(start + size, len(jobs))) for start in range(0, len(jobs), size)]
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(processes() - 1, mp_context=context, initializer=_mark) as pool:
            # A chunk goes to whoever takes it first: a copy, or this process,
            # which runs every chunk it can still cancel (not yet sent).
            futures = {index: pool.submit(_run, chunks[index]) for index in range(len(chunks))}
            results: dict[int, list[T]] = {}
            for index in range(len(chunks)):
                if futures[index].cancel():
                    results[index] = [jobs[n]() for n in chunks[index]]
            for index, future in futures.items():
                if index not in results:
                    results[index] = future.result()  # type: ignore[assignment]
    finally:
        _jobs = ()
    return [result for index in range(len(chunks)) for result in results[index]]


def _mark() -> None:
    global _forked
    _forked = True


def _run(numbers: range) -> list[object]:
    return [_jobs[n]() for n in numbers]
