"""A build shares its pages among the cores, and the site is the same as one
process makes; each incident's parts are kept and remade only when it changes."""

from __future__ import annotations

import copy
import os
import sys
import threading
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from scale_support import synthetic

from generator.core import loader, memo, parallel
from generator.core.config import read_mkdocs_yml
from generator.core.loader import load_incidents
from generator.core.status import compute_status
from generator.plugin import build_site

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="forks only on Linux")


@pytest.fixture
def two_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two processes whatever the machine has: a one-core runner forks too."""
    monkeypatch.delenv(parallel.PROCESSES_VARIABLE, raising=False)
    monkeypatch.setattr(parallel, "processes", lambda: 2)


def _pid_of(number: int) -> tuple[int, int]:
    time.sleep(0.002)  # work enough that a copy, once started, takes its share
    return number, os.getpid()


def jobs(count: int) -> list[object]:
    return [lambda n=n: _pid_of(n) for n in range(count)]


def test_shared_jobs_run_in_two_processes_and_come_back_in_order(two_processes: None):
    results = parallel.shared(jobs(parallel.MIN_JOBS * 2))  # type: ignore[arg-type]
    assert [n for n, _ in results] == list(range(parallel.MIN_JOBS * 2))
    assert {pid for _, pid in results} - {os.getpid()}, "no job ran in another process"


def test_a_failing_job_fails_the_whole(two_processes: None):
    def boom() -> None:
        raise ValueError("job 450 failed")

    work = [lambda: None] * 450 + [boom] + [lambda: None] * 100
    with pytest.raises(ValueError, match="job 450 failed"):
        parallel.shared(work)


def test_no_fork_while_another_thread_runs(two_processes: None):
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)  # as the preview's server runs beside
    server.start()
    try:
        assert {pid for _, pid in parallel.shared(jobs(500))} == {os.getpid()}  # type: ignore[arg-type]
    finally:
        stop.set()
        server.join()


def test_one_process_when_told(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(parallel.PROCESSES_VARIABLE, "1")
    assert parallel.processes() == 1
    assert {pid for _, pid in parallel.shared(jobs(500))} == {os.getpid()}  # type: ignore[arg-type]
    monkeypatch.setenv(parallel.PROCESSES_VARIABLE, "many")  # not a number: the cores
    assert parallel.processes() == len(os.sched_getaffinity(0))


def site_files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and not p.name.startswith("sitemap.xml")
    }


def test_a_shared_build_is_the_one_process_build_file_by_file(
    tmp_path: Path, two_processes: None, monkeypatch: pytest.MonkeyPatch
):
    site = synthetic.make_site(tmp_path / "site", 450)  # above MIN_JOBS pages
    forks: list[bool] = []
    real = parallel.each_shared

    def counted(work, *, at_least):  # type: ignore[no-untyped-def]
        forks.append(len(work) >= at_least and parallel.can_fork())
        return real(work, at_least=at_least)

    monkeypatch.setattr("generator.site.making.each_shared", counted)
    shared_site = build_site(site / "mkdocs.yml", site_dir=tmp_path / "shared", now=synthetic.NOW)
    assert any(forks), "the build did not share its pages"
    monkeypatch.setenv(parallel.PROCESSES_VARIABLE, "1")
    monkeypatch.setattr(parallel, "processes", lambda: 1)
    memo._kept.clear()  # nothing carried over from the first build
    alone = build_site(site / "mkdocs.yml", site_dir=tmp_path / "alone", now=synthetic.NOW)
    ours, theirs = site_files(shared_site), site_files(alone)
    assert ours.keys() == theirs.keys()
    assert [name for name in ours if ours[name] != theirs[name]] == []
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "a folder left behind"


@pytest.fixture
def loaded(tmp_path: Path):  # type: ignore[no-untyped-def]
    site = synthetic.make_site(tmp_path / "site", 3)
    config = read_mkdocs_yml(site / "mkdocs.yml")
    incidents = load_incidents(config, site, synthetic.NOW).incidents
    return config, compute_status(config, incidents, synthetic.NOW)


def test_parts_are_kept_until_the_incident_the_site_or_the_clock_changes(loaded) -> None:  # type: ignore[no-untyped-def]
    config, status = loaded
    made: list[str] = []

    def make(view) -> str:  # type: ignore[no-untyped-def]
        made.append(view.incident.id)
        return view.incident.title

    part = memo.Part("test part", make)
    views = status.views
    first = memo.each_incident(part, views, config, status.now)
    assert first == [v.incident.title for v in views] and len(made) == 3
    later = status.now + timedelta(hours=1)
    assert memo.each_incident(part, views, config, later) == first
    assert len(made) == 3, "a resolved incident's part does not change with the clock"
    edited = replace(views[0], incident=replace(views[0].incident, title="Edited"))
    assert memo.each_incident(part, [edited, *views[1:]], config, later)[0] == "Edited"
    assert made[3:] == [views[0].incident.id]
    other = copy.copy(config)  # an equal configuration, but another site's: made anew
    memo.each_incident(part, views[1:], other, later)
    assert made[4:] == [v.incident.id for v in views[1:]]
    opened = replace(views[1], status=views[1].incident.updates[0].status)
    assert opened.active
    memo.each_incident(part, [opened], other, later)
    memo.each_incident(part, [opened], other, later + timedelta(minutes=1))
    assert made[6:] == [opened.incident.id] * 2, "an open incident's part follows the clock"


def test_a_build_that_fails_half_way_leaves_no_folder_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The pages are written beside the site before the feeds are made: a failure
    then removes them, and the previous site stays."""
    site = synthetic.make_site(tmp_path / "site", 3)
    out = build_site(site / "mkdocs.yml", site_dir=tmp_path / "out", now=synthetic.NOW)
    before = site_files(out)

    def full_disk(*_: object, **__: object) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr("generator.site.making.build_outputs", full_disk)
    with pytest.raises(OSError, match="No space left"):
        build_site(site / "mkdocs.yml", site_dir=out, now=synthetic.NOW)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]
    assert site_files(out) == before


def test_loading_in_two_processes_reads_what_one_reads(
    tmp_path: Path, two_processes: None, monkeypatch: pytest.MonkeyPatch
):
    """Incidents and problems alike, in the same order; the components are the site's."""
    site = synthetic.make_site(tmp_path / "site", 450)
    (site / "incidents" / "2026-11-01-broken.md").write_text("---\ntitle: [\n---\n", "utf-8")
    config = read_mkdocs_yml(site / "mkdocs.yml")
    loaders = tmp_path / "loaders"
    loaders.mkdir()
    real = loader._load_batch

    def spied(*args):  # type: ignore[no-untyped-def]
        (loaders / str(os.getpid())).touch()  # seen from every process
        return real(*args)

    monkeypatch.setattr(loader, "_load_batch", spied)
    forked = load_incidents(config, site, synthetic.NOW)
    assert len(list(loaders.iterdir())) == 2, "the files were not loaded in two processes"
    monkeypatch.setattr(parallel, "processes", lambda: 1)
    alone = load_incidents(config, site, synthetic.NOW)
    assert len(forked.incidents) == 450 and forked.incidents == alone.incidents
    assert forked.problems == alone.problems and forked.problems
    components = {c.id: c for c in config.components}
    assert all(components[c.id] == c for i in forked.incidents for c in i.components)


def _dies_in_a_copy() -> None:
    if parallel._forked:
        os._exit(9)  # as the kernel's out-of-memory killer ends a process
    time.sleep(0.002)  # this process leaves work for the copy to take


def test_a_copy_that_dies_fails_the_build_with_a_way_forward(two_processes: None):
    with pytest.raises(parallel.ProcessesError, match="STATUSPAGE_PROCESSES=1"):
        parallel.shared([_dies_in_a_copy] * 1000)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_parts_made_with_the_pages_are_used_not_made_again(
    tmp_path: Path, two_processes: None, monkeypatch: pytest.MonkeyPatch, language: str
):
    site = synthetic.make_site(tmp_path / "site", 450)
    config_file = site / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8").replace("language: en", f"language: {language}")
    config_file.write_text(text, encoding="utf-8")
    made_again: list[int] = []
    real = memo.shared

    def counted(work):  # type: ignore[no-untyped-def]
        made_again.append(len(work))
        return real(work)

    monkeypatch.setattr(memo, "shared", counted)
    memo._kept.clear()
    build_site(config_file, site_dir=tmp_path / "out", now=synthetic.NOW)
    assert made_again and max(made_again) == 0, "parts were made twice"
