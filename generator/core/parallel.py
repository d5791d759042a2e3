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
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from .errors import StatusPageError

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
    """Every job's result, in order; run by this process and forked copies of it."""
    found = dict(each_shared(jobs, at_least=at_least))
    return [found[number] for number in range(len(jobs))]


def each_shared(
    jobs: Sequence[Callable[[], T]], *, at_least: int = MIN_JOBS
) -> Iterator[tuple[int, T]]:
    """``(job's number, result)`` of every job, as each is done, in no set order;
    the jobs run by this process and forked copies of it.

    Fewer than ``at_least`` jobs run here alone (jobs that each do a batch of
    work say so with a lower number). A chunk of jobs goes to whoever takes it
    first: a copy, or this process, which runs each chunk it can still cancel
    (not yet sent) and hands on the copies' results between its own.
    """
    if len(jobs) < max(at_least, 2) or not can_fork():
        yield from ((number, job()) for number, job in enumerate(jobs))
        return
    global _jobs
    _jobs = jobs
    # Enough chunks to even out: the last ones, which no one can take over, stay short.
    size = max(1, min(CHUNK, len(jobs) // (64 * processes())))
    chunks = [range(start, min(start + size, len(jobs))) for start in range(0, len(jobs), size)]
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(processes() - 1, mp_context=context, initializer=_mark) as pool:
            pending = {index: pool.submit(_run, chunks[index]) for index in range(len(chunks))}
            for index in range(len(chunks)):
                for done in [i for i, future in pending.items() if future.done()]:
                    yield from zip(chunks[done], pending.pop(done).result(), strict=True)
                if index in pending and pending[index].cancel():
                    del pending[index]
                    yield from ((number, jobs[number]()) for number in chunks[index])
            for index, future in pending.items():
                yield from zip(chunks[index], future.result(), strict=True)
    except BrokenProcessPool:
        raise ProcessesError(
            "a build process ended before its work was done (out of memory?); "
            f"{PROCESSES_VARIABLE}=1 builds in one process"
        ) from None
    finally:
        _jobs = ()


class ProcessesError(StatusPageError):
    """A forked copy of the build died (killed, out of memory)."""


def _mark() -> None:
    global _forked
    _forked = True


def _run(numbers: range) -> list[object]:
    return [_jobs[n]() for n in numbers]
