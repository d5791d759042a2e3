"""The reliability scorecard: exact metrics on crafted incidents, the command, the page."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, NOW, REPO, copy_site
from generator.cli import main
from generator.core.config import read_mkdocs_yml
from generator.core.loader import load_incidents
from generator.core.model import Impact
from generator.core.settings import SiteConfig
from generator.core.status import compute_status
from generator.plugin import build_site
from generator.report import (
    PostmortemState,
    Scorecard,
    build_scorecard,
    scorecard_tables,
    to_markdown,
)
from generator.report.charts import Bar, Layer, bar_chart, stacked_chart

SITE = FIXTURES / "report"
NOW_TEXT = "2026-11-21 12:00 UTC"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def site_config() -> SiteConfig:
    return read_mkdocs_yml(REPO / "mkdocs.yml")


def scorecard(config: SiteConfig, since: date | None = None) -> Scorecard:
    loaded = load_incidents(config, SITE, NOW)
    loaded.raise_for_errors()
    return build_scorecard(config, compute_status(config, loaded.incidents, NOW).views, NOW, since)


def minutes(value: float) -> timedelta:
    return timedelta(minutes=value)


def make_site(root: Path) -> Path:
    """The example site's configuration and theme with the crafted incidents."""
    return copy_site(root, SITE / "incidents")


def run(config_file: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main, ["report", "--config", str(config_file), "--now", NOW_TEXT, *args]
    )
    return result.exit_code, result.stdout, result.stderr


# metrics


def test_each_incident_is_scored_exactly(site_config: SiteConfig) -> None:
    scores = {s.incident.id: s for s in scorecard(site_config).incidents}
    expected = {
        # id: first update, (kept, gaps), resolve, postmortem, customer impact
        "2026-08-01-old": (0, (1, 1), 30, PostmortemState.NOT_REQUIRED, 0.5),
        "2026-09-10-on-cadence": (15, (3, 3), 240, PostmortemState.ON_TIME, 24.0),
        "2026-09-20-late-updates": (0, (1, 3), 240, PostmortemState.LATE, 8.0),
        "2026-10-05-promised": (30, (1, 2), 90, PostmortemState.NOT_REQUIRED, 1.5),
        "2026-10-20-no-postmortem": (0, (1, 1), 60, PostmortemState.LATE, 4.0),
        "2026-11-19-postmortem-due": (0, (1, 1), 45, PostmortemState.DUE, 1.5),
        "2026-11-21-open": (10, (1, 2), None, PostmortemState.DUE, 9.0),
    }
    assert set(scores) == set(expected)  # the maintenance window is not scored
    for incident_id, (first, cadence, resolve, postmortem, impact) in expected.items():
        item = scores[incident_id]
        assert item.first_update == minutes(first), incident_id
        assert (item.cadence.kept, item.cadence.gaps) == cadence, incident_id
        assert item.resolve == (None if resolve is None else minutes(resolve)), incident_id
        assert item.postmortem is postmortem, incident_id
        assert item.customer_impact == pytest.approx(impact), incident_id


def test_a_broken_promise_misses_even_within_the_policy(site_config: SiteConfig) -> None:
    # 09:50 promised 10:00; 10:30 is within the 60-minute policy but past the promise.
    item = next(s for s in scorecard(site_config).incidents if s.incident.id.endswith("promised"))
    assert item.cadence.share == pytest.approx(0.5)


def test_postmortem_deadline_is_counted_from_resolution(site_config: SiteConfig) -> None:
    scores = {s.incident.id: s for s in scorecard(site_config).incidents}
    late = scores["2026-09-20-late-updates"]
    assert late.postmortem_due is not None
    assert late.postmortem_due.isoformat() == "2026-09-25T12:00:00+00:00"


def test_months_sum_their_incidents(site_config: SiteConfig) -> None:
    report = scorecard(site_config)
    months = {m.key: m for m in report.months}
    assert list(months) == ["2026-08", "2026-09", "2026-10", "2026-11"]
    september = months["2026-09"]
    assert september.incidents == 2
    assert september.by_impact == {
        Impact.NONE: 0,
        Impact.MINOR: 0,
        Impact.MAJOR: 1,
        Impact.CRITICAL: 1,
    }
    assert september.first_update_median == minutes(7.5)
    assert (september.cadence.kept, september.cadence.gaps) == (4, 6)
    assert september.resolve_median == minutes(240)
    assert september.postmortems[PostmortemState.ON_TIME] == 1
    assert september.postmortems[PostmortemState.LATE] == 1
    assert months["2026-10"].maintenance == 1 and months["2026-10"].incidents == 2
    assert months["2026-11"].postmortems[PostmortemState.DUE] == 2
    total = report.total
    assert (total.incidents, total.maintenance) == (7, 1)
    assert (total.cadence.kept, total.cadence.gaps) == (9, 13)
    assert total.first_update_mean == minutes(55 / 7)
    assert total.resolve_median == minutes(75)
    assert total.customer_impact == pytest.approx(48.5)


def test_components_and_impacts(site_config: SiteConfig) -> None:
    report = scorecard(site_config)
    components = {r.component.id: r for r in report.components}
    assert components["api"].incidents == 3
    assert components["api"].affected == minutes(240 + 240 + 180)  # the open one until now
    assert components["api"].customer_impact == pytest.approx(12 + 8 + 9)
    assert components["db"].customer_impact == pytest.approx(12 + 2)
    assert components["webhooks"].incidents == 0
    impacts = {r.impact: r for r in report.impacts}
    assert impacts[Impact.CRITICAL].incidents == 2
    assert impacts[Impact.CRITICAL].resolve_median == minutes(240)  # the open one has none
    assert impacts[Impact.MAJOR].resolve_median == minutes(60)


def test_since_keeps_later_incidents_and_fills_empty_months(site_config: SiteConfig) -> None:
    report = scorecard(site_config, since=date(2026, 7, 1))
    assert [m.key for m in report.months] == ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    assert report.months[0].incidents == 0 and report.months[0].first_update_median is None
    later = scorecard(site_config, since=date(2026, 9, 15))
    assert later.incidents[0].incident.id == "2026-09-20-late-updates"
    assert later.total.incidents == 5


# command


def test_text_lists_months_incidents_components_and_impacts(tmp_path: Path) -> None:
    code, out, _ = run(make_site(tmp_path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "Reliability scorecard of Acme Cloud Status: Aug 2026 to Nov 2026 "
        "(as of 2026-11-21 12:00 UTC)"
    )
    header = next(line for line in lines if line.startswith("Month "))
    september = next(line for line in lines if line.startswith("Sep 2026"))
    assert " ".join(september.split()) == (
        "Sep 2026 2 0 1 1 8 min / 8 min 67 % (4/6) 4 h / 4 h 1/2 32.0"
    )
    # aligned: each number ends where its column's header ends
    assert september.index("(4/6)") + 5 == header.index("Cadence kept") + len("Cadence kept")
    assert "Total             7" in out
    assert re.search(r"  Still open +Critical +10 min +50 % \(1/2\) +open +due", out)
    assert "Nov 2026" in out and "2 due" in out
    for title in ("Per month", "Per incident", "By component", "By impact"):
        assert title in lines


def test_json_has_the_documented_shape(tmp_path: Path) -> None:
    code, out, _ = run(make_site(tmp_path), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {
        "site",
        "generated_at",
        "since",
        "timezone",
        "policy",
        "impact_weights",
        "total",
        "months",
        "incidents",
        "by_component",
        "by_impact",
    }
    assert data["generated_at"] == "2026-11-21T12:00:00+00:00"
    assert data["impact_weights"] == {"none": 0, "minor": 1, "major": 2, "critical": 3}
    assert data["policy"]["update_every_minutes"] == 60
    september = data["months"][1]
    assert september["month"] == "2026-09"
    assert september["cadence"] == {"kept": 4, "gaps": 6, "share": 0.6667}
    assert september["first_update_minutes"] == {"median": 7.5, "mean": 7.5}
    assert september["postmortems"] == {"not required": 0, "on time": 1, "late": 1, "due": 0}
    incident = next(i for i in data["incidents"] if i["id"] == "2026-11-21-open")
    assert incident["resolved_at"] is None and incident["resolve_minutes"] is None
    assert incident["postmortem"] == "due" and incident["customer_impact"] == 9.0
    assert data["total"]["customer_impact"] == 48.5
    api = next(c for c in data["by_component"] if c["id"] == "api")
    assert api == {
        "id": "api",
        "name": "REST API",
        "incidents": 3,
        "affected_minutes": 660.0,
        "customer_impact": 29.0,
    }


def test_since_filters_the_command(tmp_path: Path) -> None:
    code, out, _ = run(make_site(tmp_path), "--format", "json", "--since", "2026-10-01")
    assert code == 0
    data = json.loads(out)
    assert data["since"] == "2026-10-01"
    assert [m["month"] for m in data["months"]] == ["2026-10", "2026-11"]
    assert data["incidents"][0]["id"] == "2026-10-05-promised"
    assert data["total"]["incidents"] == 4


def test_markdown_tables(tmp_path: Path) -> None:
    code, out, _ = run(make_site(tmp_path), "--format", "markdown")
    assert code == 0
    assert out.startswith("# Reliability scorecard of Acme Cloud Status")
    assert "## Per incident\n\n| Began | Incident | Impact |" in out
    assert (
        "| 2026-09-20 08:00 UTC | Late updates | Major | 0 min | 33 % (1/3) | 4 h | late | 8.0 |"
        in (out)
    )
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert all(line.endswith(" |") for line in rows)


def test_markdown_and_the_page_show_the_same_tables(site_config: SiteConfig) -> None:
    card = scorecard(site_config)
    tables = scorecard_tables(card, site_config)
    markdown = to_markdown(card, site_config)
    assert [t.title for t in tables] == ["Per month", "Per incident", "By component", "By impact"]
    for table in tables:
        assert f"| {' | '.join(table.columns)} |" in markdown
        assert all(f"| {' | '.join(row)} |" in markdown for row in table.rows)
    incidents = tables[1]
    page = incidents.for_page(lambda path: f"../{path}")
    assert page.columns[:3] == ["Incident", "Began", "Impact"]
    assert [row[:2] for row in page.rows] == [[row[1], row[0]] for row in incidents.rows]
    assert page.links[0] == f"../incidents/{card.incidents[0].incident.id}/"


def test_bad_incident_file_is_named_with_its_line(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    broken = tmp_path / "incidents" / "2026-10-20-no-postmortem.md"
    broken.write_text(broken.read_text().replace("impact: major", "impact: mayor"))
    code, out, err = run(config)
    assert code == 1 and out == ""
    assert "incidents/2026-10-20-no-postmortem.md:3: impact: 'mayor' is not one of" in err


def test_bad_since_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run(make_site(tmp_path), "--since", "last week")
    assert code == 2 and "--since" in err


# charts and the page


def test_chart_text_is_escaped_and_parses() -> None:
    svg = bar_chart(
        "c", "A <b> & title", "desc", [Bar("<x>", 3.0, "3 & more"), Bar("y", None, "–")]
    )
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.findtext(f"{SVG}title") == "A <b> & title"
    assert [t.text for t in root.iter(f"{SVG}text")] == ["3 & more", "<x>", "–", "y"]
    assert len(root.findall(f"{SVG}rect")) == 1  # no bar where there is no data


def test_stacked_chart_layers_differ_by_pattern_and_carry_counts() -> None:
    svg = stacked_chart(
        "s",
        "t",
        "d",
        ["Jan", "Feb"],
        [
            Layer("minor", "Minor", [1, 0], "#7a5200", "dots"),
            Layer("major", "Major", [2, 1], "#a33d00", "hatch"),
        ],
    )
    root = ET.fromstring(svg)
    patterns = root.findall(f"{SVG}defs/{SVG}pattern")
    assert [p.get("id") for p in patterns] == ["s-minor", "s-major"]
    assert [p[1].tag for p in patterns] == [f"{SVG}circle", f"{SVG}path"]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["Minor", "Major", "1", "2", "3", "Jan", "1", "1", "Feb"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(make_site(tmp_path_factory.mktemp("report")), strict=True, now=NOW)


def reliability(site: Path) -> str:
    html = (site / "reliability" / "index.html").read_text(encoding="utf-8")
    return html.split('<main id="main"', 1)[1]


def test_page_is_in_the_nav_and_has_no_script(built: Path) -> None:
    home = (built / "index.html").read_text(encoding="utf-8")
    nav = home.split('class="sp-tabs', 1)[1].split("</nav>", 1)[0]
    assert 'href="reliability/"' in nav and "Reliability" in nav
    content = reliability(built).split("</main>", 1)[0]
    assert "<script" not in content and "<img" not in content and "<iframe" not in content
    assert not re.search(r'(?:src|href)="(?:https?:)?//', content)  # nothing from elsewhere


def page_figures(site: Path) -> list[tuple[ET.Element, list[list[str]]]]:
    """Each chart of the page with the body rows of the table after it."""
    content = reliability(site)
    found = []
    for section in re.findall(r'<section class="sp-figure".*?</section>', content, re.S):
        svg = ET.fromstring(re.search(r"<svg.*?</svg>", section, re.S).group(0))  # type: ignore[union-attr]
        table = ET.fromstring(re.search(r"<table.*?</table>", section, re.S).group(0))  # type: ignore[union-attr]
        assert table.find("caption") is not None
        assert {th.get("scope") for th in table.iter("th")} == {"col", "row"}
        rows = [
            ["".join(cell.itertext()).strip() for cell in tr] for tr in table.find("tbody") or []
        ]
        found.append((svg, rows))
    return found


def test_every_chart_is_accessible_svg(built: Path) -> None:
    figures = page_figures(built)
    assert len(figures) == 4
    for svg, _ in figures:
        assert svg.get("role") == "img"
        labelled = (svg.get("aria-labelledby") or "").split()
        ids = {svg.find(f"{SVG}title").get("id"), svg.find(f"{SVG}desc").get("id")}  # type: ignore[union-attr]
        assert set(labelled) == ids and svg.findtext(f"{SVG}title")


def test_chart_numbers_match_their_tables(built: Path) -> None:
    (incidents, counts), (first, firsts), (cadence, shares), (resolve, resolves) = page_figures(
        built
    )
    months = ["Aug 2026", "Sep 2026", "Oct 2026", "Nov 2026"]
    assert [row[0] for row in counts] == months
    # stacked: the total above each bar and the month below it
    totals = [t.text for t in incidents.iter(f"{SVG}text") if t.get("class") == "sp-chart-value"]
    assert totals == [row[-1] for row in counts] == ["1", "2", "2", "2"]
    for svg, rows, column in ((first, firsts, 2), (cadence, shares, 3), (resolve, resolves, 1)):
        values = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "sp-chart-value"]
        axis = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "sp-chart-axis"]
        assert values == [row[column] for row in rows]
        assert axis == months
    assert [row[3] for row in shares] == ["100 %", "67 %", "67 %", "67 %"]
    assert [row[1] for row in resolves] == ["30 min", "4 h", "1 h 15 min", "45 min"]


def test_scorecard_tables_on_the_page(built: Path) -> None:
    content = reliability(built)
    assert "<caption>Scorecard per incident</caption>" in content
    assert '<a href="../incidents/2026-09-20-late-updates/">Late updates</a>' in content
    row = re.search(r"Late updates</a></th>(.*?)</tr>", content, re.S)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(1))
    assert cells == ["2026-09-20 08:00 UTC", "Major", "0 min", "33 % (1/3)", "4 h", "late", "8.0"]
