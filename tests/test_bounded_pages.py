"""No page lists all of history: page sizes stay flat as history grows.

The same synthetic history is built at 1,000 and at 2,000 incidents (the
second is the first plus 1,000 older incidents). Every page and file that
both have keeps its size, bar a few links to the added months and years;
only the pages of the oldest, partly filled year at 1,000 may fill up.
Sizes are counted in bytes, never in seconds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scale_support import synthetic

from generator.core.config import read_mkdocs_yml
from generator.core.loader import load_incidents
from generator.core.status import compute_status
from generator.outputs import build_outputs
from generator.site.pages import SiteRenderer

#: What a page may gain from 1,000 more incidents: links to the added months or years.
SLACK = 2048
LARGEST_PAGE = 300 * 1024


def site_files(root: Path, count: int) -> dict[str, bytes]:
    """Every generated page (as our templates render it) and output file."""
    synthetic.make_site(root, count)
    config = read_mkdocs_yml(root / "mkdocs.yml")
    loaded = load_incidents(config, root, synthetic.NOW)
    loaded.raise_for_errors()
    status = compute_status(config, loaded.incidents, synthetic.NOW)
    pages = {spec.path: spec.render().encode() for spec in SiteRenderer(config, status).pages()}
    return {**pages, **build_outputs(config, status)}


@pytest.fixture(scope="module")
def histories(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], ...]:
    root = tmp_path_factory.mktemp("histories")
    return site_files(root / "1000", 1000), site_files(root / "2000", 2000)


def history_years(files: dict[str, bytes]) -> set[str]:
    return {m[1] for path in files if (m := re.fullmatch(r"history/(\d{4})-\d\d/", path))}


def oldest_year(files: dict[str, bytes]) -> str:
    return min(history_years(files))


def test_no_page_grows_with_history(histories: tuple[dict[str, bytes], ...]) -> None:
    small, large = histories
    partial = oldest_year(small)
    assert oldest_year(large) < partial  # the larger history reaches further back
    grown = {
        path: (len(data), len(large[path]))
        for path, data in small.items()
        if partial not in path and len(large[path]) > len(data) + SLACK
    }
    assert not grown


def test_largest_page_stays_the_same(histories: tuple[dict[str, bytes], ...]) -> None:
    small, large = ({p: d for p, d in h.items() if p.endswith("/")} for h in histories)
    assert max(map(len, large.values())) <= max(map(len, small.values())) + SLACK
    assert max(map(len, large.values())) <= LARGEST_PAGE


def incident_links(html: bytes) -> set[str]:
    return set(re.findall(r'href="(?:\.\./)+incidents/([^/"]+)/"', html.decode()))


def test_component_archives_hold_every_incident(histories: tuple[dict[str, bytes], ...]) -> None:
    files = histories[1]
    for component in synthetic.COMPONENTS:
        page = files[f"components/{component}/"].decode()
        years = re.findall(rf'href="../../components/{component}/(\d{{4}})/">\1</a>', page)
        assert years and years == sorted(years, reverse=True)
        archived = [incident_links(files[f"components/{component}/{y}/"]) for y in years]
        every = {
            path.split("/")[1]
            for path, html in files.items()
            if path.startswith("incidents/") and f"components/{component}/" in html.decode()
        }
        assert sum(map(len, archived)) == len(every) and set().union(*archived) == every
        listed = incident_links(page.split('id="incidents"', 1)[1].encode())  # not the day bars
        assert listed <= every
        assert len(listed) == 20


def test_reliability_covers_twelve_months_and_links_each_year(
    histories: tuple[dict[str, bytes], ...],
) -> None:
    files = histories[1]
    page = files["reliability/"].decode()
    months = list(dict.fromkeys(re.findall(r"<th scope=\"row\">(\w{3} \d{4})</th>", page)))
    assert months[0] == "Dec 2025" and months[-1] == "Nov 2026" and len(months) == 12
    years = re.findall(r'href="../reliability/(\d{4})/">\1</a>', page)
    assert years == sorted(history_years(files), reverse=True)
    for year in years:
        scored = incident_links(files[f"reliability/{year}/"])
        assert scored and all(name.startswith(year) or name[:4] < year for name in scored)
