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
from multiprocessing.sharedctypes import Synchronized
from typing import TypeVar, cast

from .errors import StatusPageError

T = TypeVar("T")

#: Caps the processes a build uses; ``1`` renders everything in this process.
PROCESSES_VARIABLE = "STATUSPAGE_PROCESSES"
#: Below this many jobs a fork costs more than it saves.
MIN_JOBS = 400
#: Jobs per chunk at most: fewer round trips, and still an even share.
CHUNK = 64

# What the forked copies inherit for the jobs under way (see :func:`each_shared`).
_jobs: Sequence[Callable[[], object]] = ()
_chunks: list[range] = []
_next: Synchronized[int] | None = None
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
    work say so with a lower number). The jobs go in chunks to whoever asks
    first: this process and each copy take the next chunk from a counter they
    share, so none is run twice and nothing sent to a copy is ever taken back
    (a cancelled task can make Python 3.11's pool fail while it reports a
    copy that died: python/cpython#107219).
    """
    if len(jobs) < max(at_least, 2) or not can_fork():
        yield from ((number, job()) for number, job in enumerate(jobs))
        return
    global _jobs, _chunks, _next
    size = max(1, min(CHUNK, len(jobs) // (64 * processes())))  # the last chunks stay short
    context = multiprocessing.get_context("fork")
    _jobs, _next = jobs, context.Value("i", 0)  # the copies, forked next, inherit both
    _chunks = [range(start, min(start + size, len(jobs))) for start in range(0, len(jobs), size)]
    try:
        with ProcessPoolExecutor(processes() - 1, mp_context=context, initializer=_mark) as pool:
            asked = {pool.submit(_next_chunk) for _ in range(2 * (processes() - 1))}
            while (mine := _next_chunk()) is not None:
                yield from _typed(mine, jobs)
                for done in [future for future in asked if future.done()]:
                    asked.remove(done)
                    yield from _typed(done.result(), jobs)
                    asked.add(pool.submit(_next_chunk))  # a copy always has one more
            for future in asked:  # each holds one chunk at most: none is left to take
                yield from _typed(future.result(), jobs)
    except BrokenProcessPool:
        raise ProcessesError(
            "a build process ended before its work was done (out of memory?); "
            f"{PROCESSES_VARIABLE}=1 builds in one process"
        ) from None
    finally:
        _jobs, _chunks, _next = (), [], None


class ProcessesError(StatusPageError):
    """A forked copy of the build died (killed, out of memory)."""


def _mark() -> None:
    global _forked
    _forked = True


def _typed(
    found: list[tuple[int, object]] | None, _: Sequence[Callable[[], T]]
) -> list[tuple[int, T]]:
    """A chunk's results as the jobs' type (they come back as objects)."""
    return cast(list[tuple[int, T]], found or [])


def _next_chunk() -> list[tuple[int, object]] | None:
    """The results of the next chunk no process has taken; None when all are taken."""
    assert _next is not None
    with _next.get_lock():
        index = _next.value
        _next.value += 1
    if index >= len(_chunks):
        return None
    return [(number, _jobs[number]()) for number in _chunks[index]]
