"""The preview's incremental rebuild makes the clean build's site, file by file.

A site is built once, then changed the ways an editor changes it (an edit,
a new incident in a new year, a deletion, a rename); after each change the
incremental update is compared with a clean build of the same files. Only
the sitemap may differ: the theme writes it, with the build's date.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from scale_support import synthetic

from conftest import EXAMPLE
from generator.core import loader
from generator.plugin import build_live, build_site
from generator.site.live import LiveSite

NOW = synthetic.NOW
SKIPPED = ("sitemap.xml", "sitemap.xml.gz")


def files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name not in SKIPPED
    }


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The incident files read from disk, by name."""
    read: list[str] = []
    real = loader.load_file

    def counting(path: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        read.append(path.name)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "load_file", counting)
    yield read


def same_as_clean(live: LiveSite, work: Path, step: str) -> None:
    clean = build_site(live.root / "mkdocs.yml", site_dir=work / f"clean-{step}", now=NOW)
    ours, theirs = files(live.site_dir), files(clean)
    assert sorted(ours) == sorted(theirs), step
    assert [f for f in theirs if ours[f] != theirs[f]] == [], step


def test_incremental_rebuilds_match_clean_builds(tmp_path: Path, reads: list[str]) -> None:
    root = synthetic.make_site(tmp_path / "src", 150)
    shutil.copytree(EXAMPLE / "incidents", root / "incidents", dirs_exist_ok=True)  # maintenance
    incidents = root / "incidents"
    live = build_live(root / "mkdocs.yml", tmp_path / "live", NOW)
    assert live.update(NOW) == 0  # the first update finds the build's own files
    reads.clear()

    name, text = synthetic.incident(3)
    edited = text.replace("Update resolved", "Fixed: it was DNS").replace(
        "impact: none", "impact: critical"
    )
    (incidents / f"{name}.md").write_text(edited.replace(": elevated errors", ": DNS"))
    assert live.update(NOW) > 0
    assert reads == [f"{name}.md"]  # only the changed file is read again
    assert "Fixed: it was DNS" in (live.site_dir / f"incidents/{name}/index.html").read_text()
    same_as_clean(live, tmp_path, "edit")

    old = synthetic.incident(0)[1].replace("2026-", "2019-")  # a new year: new archives
    (incidents / "2019-11-20-long-ago.md").write_text(old)
    live.update(NOW)
    assert (live.site_dir / "reliability/2019/index.html").is_file()
    same_as_clean(live, tmp_path, "add")

    (incidents / "2019-11-20-long-ago.md").unlink()
    (incidents / f"{name}.md").unlink()
    live.update(NOW)
    assert not (live.site_dir / "reliability/2019").exists()
    assert not (live.site_dir / f"incidents/{name}").exists()
    same_as_clean(live, tmp_path, "delete")

    other = synthetic.incident(7)[0]
    (incidents / f"{other}.md").rename(incidents / f"{other}-renamed.md")
    live.update(NOW)
    assert (live.site_dir / f"incidents/{other}-renamed/index.html").is_file()
    same_as_clean(live, tmp_path, "rename")
