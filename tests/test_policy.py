"""The communication policy: its configuration, its pages, and what lint holds us to."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_build import page, text_of

from conftest import EXAMPLE, FIXTURES, copy_site
from generator.authoring.policy import describe, human_duration
from generator.cli import main
from generator.core.config import read_mkdocs_yml, site_config
from generator.core.errors import ValidationError
from generator.core.model import Impact
from generator.plugin import build_site

POLICY = FIXTURES / "policy"
#: The clock of the policy fixtures: 14:30 on the day most of them happen.
NOW = "2026-11-21 14:30 UTC"
WARNINGS_ONLY = (
    "2026-11-21-promise-passed",
    "2026-11-21-quiet",
    "2026-11-21-monitoring",
    "2026-11-14-no-postmortem",
    "2026-11-19-minor-resolved",
    "2026-11-21-window-over",
    "2026-11-21-window-just-over",
)


def make_policy_site(root: Path, *names: str) -> Path:
    """The example site's configuration with the named policy fixtures as its incidents."""
    config_file = copy_site(root, templates=True)
    for name in names:
        shutil.copy(POLICY / "incidents" / f"{name}.md", root / "incidents")
    return config_file


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# the configuration and the policy in words


def test_policy_defaults_when_not_configured() -> None:
    policy = site_config({}, site_name="S", site_url="https://s.example/").policy
    assert policy.update_every == timedelta(minutes=60)
    assert policy.update_every_monitoring == timedelta(hours=4)
    assert policy.resolution_summary_within == timedelta(hours=24)
    assert policy.postmortem_within == timedelta(days=5)
    assert policy.postmortem_for == (Impact.MAJOR, Impact.CRITICAL)


def test_policy_is_read_from_mkdocs_yml() -> None:
    config = site_config(
        {
            "policy": {
                "update_every": "30m",
                "update_every_monitoring": 120,
                "resolution_summary_within": "12h",
                "postmortem_within": "3d",
                "postmortem_for": ["critical"],
            },
            "channels": [{"name": "Chat", "url": "https://x.example/chat", "use_for": "Help"}],
        },
        site_name="S",
        site_url="https://s.example/",
    )
    assert config.policy.update_every == timedelta(minutes=30)
    assert config.policy.update_every_monitoring == timedelta(hours=2)  # plain numbers: minutes
    assert config.policy.postmortem_for == (Impact.CRITICAL,)
    assert config.channels[0].use_for == "Help"
    words = describe(config)
    assert (words.update_every, words.update_every_monitoring) == ("30 minutes", "2 hours")
    assert (words.resolution_summary_within, words.postmortem_within) == ("12 hours", "3 days")
    assert words.postmortem_for == "critical"


def test_the_example_configures_the_policy_and_channels() -> None:
    config = read_mkdocs_yml(EXAMPLE / "mkdocs.yml")
    assert describe(config).postmortem_for == "major and critical"
    assert [c.name for c in config.channels] == ["Live chat", "E-mail", "Phone (24/7)"]
    assert all(c.use_for for c in config.channels)


@pytest.mark.parametrize(
    ("options", "field", "says"),
    [
        ({"update_every": "soon"}, "plugins.statuspage.policy.update_every", "'soon' is not a"),
        ({"postmortem_for": ["huge"]}, "plugins.statuspage.policy.postmortem_for.0", "none"),
        (
            {"update_evry": "1h"},
            "plugins.statuspage.policy.update_evry",
            "unknown setting; did you mean 'update_every'?",
        ),
    ],
)
def test_bad_policy_names_the_field(options: dict[str, object], field: str, says: str) -> None:
    with pytest.raises(ValidationError) as raised:
        site_config({"policy": options}, site_name="S", site_url="https://s.example/")
    (problem,) = raised.value.problems
    assert problem.field == field
    assert says in problem.message


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (1, "1 minute"),
        (90, "90 minutes"),
        (120, "2 hours"),
        (150, "2 hours and 30 minutes"),
        (24 * 60, "24 hours"),
        (5 * 24 * 60, "5 days"),
        (60 * 60, "2 days and 12 hours"),
    ],
)
def test_human_duration(minutes: int, words: str) -> None:
    assert human_duration(timedelta(minutes=minutes)) == words


# the pages, from a real build


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("policy-site")
    config = make_policy_site(root, "2026-11-21-promise-passed", "2026-11-10-partial-postmortem")
    text = config.read_text(encoding="utf-8").replace("update_every: 60m", "update_every: 30m")
    config.write_text(text, encoding="utf-8")
    return build_site(config, strict=True, now=datetime(2026, 11, 21, 12, 50, tzinfo=UTC))


def test_policy_page_says_what_is_configured(built: Path) -> None:
    text = text_of(page(built, "policy"))
    assert "How we communicate during incidents" in text
    assert "we post an update at least every 30 minutes , even when there is no news" in text
    assert "at least every 4 hours" in text
    assert "Within 24 hours of resolving an incident" in text
    assert "After major and critical incidents we publish a postmortem" in text
    assert "within 5 days : an apology, what happened, why it happened" in text
    assert "which channel for what" in text


def test_contact_page_lists_each_channel_and_what_it_is_for(built: Path) -> None:
    html = page(built, "contact")
    rows = re.findall(r'<tr><td><a href="([^"]+)">([^<]+)</a></td><td>([^<]+)</td></tr>', html)
    assert rows == [
        (
            "https://example.com/support/chat",
            "Live chat",
            "Technical problems and questions about an ongoing incident",
        ),
        (
            "mailto:support@example.com",
            "E-mail",
            "Billing, accounts and anything that is not urgent",
        ),
        (
            "tel:+18005550100",
            "Phone (24/7)",
            "Emergencies affecting production for Enterprise customers",
        ),
    ]
    assert '<a href="../policy/">How we communicate during incidents</a>' in html


def test_every_incident_page_says_how_to_reach_us(built: Path) -> None:
    for incident in ("2026-11-21-promise-passed", "2026-11-10-partial-postmortem"):
        html = page(built, f"incidents/{incident}")
        block = html.split('<section class="sp-contact" id="contact">', 1)[1].split("</section>")[0]
        assert "<h2>How to reach us</h2>" in block
        assert '<a href="tel:+18005550100">Phone (24/7)</a>: Emergencies affecting' in block
        assert '<a href="../../policy/">How we communicate during incidents</a>' in block


def test_policy_and_contact_are_in_the_navigation(built: Path) -> None:
    home = page(built, "")
    assert re.search(r'href="policy/"[^>]*>\s*How we communicate', home)
    assert re.search(r'href="contact/"[^>]*>\s*Contact', home)


# lint: the clock-based warnings and the placeholder errors


def test_lint_golden(site: Path) -> None:
    """Every policy check over every fixture, at once: the exact report."""
    names = sorted(p.stem for p in (POLICY / "incidents").glob("*.md"))
    make_policy_site(site, *names)
    code, out, err = run("lint", "--now", NOW)
    assert out == (POLICY / "lint.expected.txt").read_text(encoding="utf-8")
    assert code == 1
    assert err == "Error: 2 error(s), 5 warning(s)\n"


def test_overdue_promise_names_the_incident_and_how_late(site: Path) -> None:
    make_policy_site(site, "2026-11-21-promise-passed")
    code, out, err = run("lint", "--now", NOW)
    assert (code, err) == (0, "OK: 0 error(s), 1 warning(s)\n")
    assert out.startswith(
        "incidents/2026-11-21-promise-passed.md:6: warning: next_update: the next update was "
        "promised by 2026-11-21 13:00 UTC and is 1 h 30 min late"
    )
    assert "statuspage update 2026-11-21-promise-passed" in out


def test_promise_not_yet_due_is_no_warning(site: Path) -> None:
    make_policy_site(site, "2026-11-21-promise-passed")
    assert run("lint", "--now", "2026-11-21 13:00 UTC") == (0, "", "OK: 0 error(s), 0 warning(s)\n")


def test_an_update_after_the_promise_replaces_it_with_the_cadence(site: Path) -> None:
    make_policy_site(site, "2026-11-21-promise-passed")
    run(
        "update",
        "2026-11-21-promise-passed",
        "--status",
        "update",
        "-m",
        "Still rolling back.",
        "--now",
        "2026-11-21 13:10 UTC",
    )
    assert run("lint", "--now", "2026-11-21 14:10 UTC")[1] == ""
    code, out, _ = run("lint", "--now", "2026-11-21 14:30 UTC")
    assert code == 0
    assert (
        "no update for 1 h 20 min while Update; the policy promises one every 60 minutes, " in out
    )
    assert "so it is 20 min late" in out


def test_open_incident_quiet_longer_than_the_cadence(site: Path) -> None:
    make_policy_site(site, "2026-11-21-quiet")
    assert run("lint", "--now", "2026-11-21 14:00 UTC")[1] == ""  # exactly on time
    code, out, _ = run("lint", "--now", NOW)
    assert code == 0
    assert out == (
        "incidents/2026-11-21-quiet.md:7: warning: update: no update for 1 h 30 min while "
        "Identified; the policy promises one every 60 minutes, so it is 30 min late "
        "(statuspage update 2026-11-21-quiet --status … --next 30m)\n"
    )


def test_monitoring_has_its_own_slower_cadence(site: Path) -> None:
    make_policy_site(site, "2026-11-21-monitoring")
    assert run("lint", "--now", "2026-11-21 15:00 UTC")[1] == ""  # 4 h after Monitoring
    out = run("lint", "--now", "2026-11-21 15:10 UTC")[1]
    assert "while Monitoring; the policy promises one every 4 hours, so it is 10 min late" in out


def test_the_cadence_follows_the_config(site: Path) -> None:
    config = make_policy_site(site, "2026-11-21-quiet")
    text = config.read_text(encoding="utf-8").replace("update_every: 60m", "update_every: 2h")
    config.write_text(text, encoding="utf-8")
    assert run("lint", "--now", NOW)[1] == ""
    assert "every 2 hours, so it is 30 min late" in run("lint", "--now", "2026-11-21 15:30 UTC")[1]


def test_postmortem_due_only_for_major_and_critical(site: Path) -> None:
    make_policy_site(site, "2026-11-14-no-postmortem", "2026-11-19-minor-resolved")
    assert run("lint", "--now", "2026-11-19 10:00 UTC")[1] == ""  # due, not late
    out = run("lint", "--now", NOW)[1]
    assert out == (
        "incidents/2026-11-14-no-postmortem.md:7: warning: postmortem: a critical incident "
        "needs a postmortem within 5 days of being resolved: it was due by 2026-11-19 10:00 UTC "
        "and is 2 d 4 h late (statuspage postmortem 2026-11-14-no-postmortem)\n"
    )


def test_a_published_postmortem_ends_the_warning(site: Path) -> None:
    make_policy_site(site, "2026-11-14-no-postmortem")
    sets = [
        "apology=Sorry.",
        "why=A bad deploy.",
        "what_we_did=Rolled back.",
        "what_we_are_changing=Canaries.",
    ]
    args = [x for s in sets for x in ("--set", s)]
    assert run("postmortem", "2026-11-14-no-postmortem", *args, "--now", NOW)[0] == 0
    assert run("lint", "--now", NOW) == (0, "", "OK: 0 error(s), 0 warning(s)\n")


def test_maintenance_without_completed_an_hour_after_its_window(site: Path) -> None:
    make_policy_site(site, "2026-11-21-window-over", "2026-11-21-window-just-over")
    assert run("lint", "--now", "2026-11-21 14:00 UTC")[1] == ""  # one hour of grace
    out = run("lint", "--now", NOW)[1]
    assert out == (
        "incidents/2026-11-21-window-over.md:6: warning: end: the window ended 1 h 30 min ago "
        "(2026-11-21 13:00 UTC) and no Completed update tells customers how it went "
        "(statuspage update 2026-11-21-window-over --status completed -m …)\n"
    )
    run("update", "2026-11-21-window-over", "--status", "completed", "-m", "Done.", "--now", NOW)
    assert run("lint", "--now", NOW)[1] == ""


def test_warnings_pass_unless_strict(site: Path) -> None:
    make_policy_site(site, *WARNINGS_ONLY)
    code, out, err = run("lint", "--now", NOW)
    assert (code, err) == (0, "OK: 0 error(s), 4 warning(s)\n")
    assert len(out.splitlines()) == 4
    code, out, err = run("lint", "--strict", "--now", NOW)
    assert (code, err) == (1, "Error: 0 error(s), 4 warning(s)\n")


def test_github_annotations_for_warnings(site: Path) -> None:
    make_policy_site(site, "2026-11-21-promise-passed", "2026-11-12-placeholders")
    code, out, _ = run("lint", "--format", "github", "--now", NOW)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (
        "::error file=incidents/2026-11-12-placeholders.md,line=5::workaround: unfilled "
        "placeholder {workaround}: write what it stands for (or '\\{workaround}' for literal "
        "braces)"
    )
    assert lines[2].startswith(
        "::warning file=incidents/2026-11-21-promise-passed.md,line=6::next_update: the next "
        "update was promised by 2026-11-21 13:00 UTC and is 1 h 30 min late"
    )


def test_placeholders_are_errors_without_strict(site: Path) -> None:
    make_policy_site(site, "2026-11-12-placeholders")
    code, out, err = run("lint", "--now", NOW)
    assert code == 1
    assert [line.split(": ", 2)[:2] for line in out.splitlines()] == [
        ["incidents/2026-11-12-placeholders.md:5", "workaround"],
        ["incidents/2026-11-12-placeholders.md:10", "update"],
    ]  # not {event} in a code span, nor the escaped \{braces}
    assert "{cause}" in out
    assert err == "Error: 2 error(s), 0 warning(s)\n"


def test_postmortem_missing_parts(site: Path) -> None:
    make_policy_site(site, "2026-11-10-partial-postmortem")
    assert run("lint", "--now", NOW)[1] == (
        "incidents/2026-11-10-partial-postmortem.md:15: warning: postmortem: missing Why it "
        "happened and What we are changing; add '### Why it happened', "
        "'### What we are changing'\n"
    )


# the promise on the page


def test_update_next_sets_the_promise_and_the_page_shows_it(site: Path) -> None:
    config = make_policy_site(site, "2026-11-21-quiet")
    code, _, _ = run(
        "update",
        "2026-11-21-quiet",
        "--status",
        "identified",
        "--next",
        "30m",
        "-m",
        "Still replacing the node.",
        "--now",
        "2026-11-21 13:30 UTC",
    )
    assert code == 0
    text = (site / "incidents" / "2026-11-21-quiet.md").read_text(encoding="utf-8")
    assert "\nnext_update: 2026-11-21 14:00 UTC\n---\n" in text
    on_time = build_site(config, now=datetime(2026, 11, 21, 13, 45, tzinfo=UTC))
    for html in (page(on_time, ""), page(on_time, "incidents/2026-11-21-quiet")):
        assert "Next update by 2026-11-21 14:00 UTC" in text_of(html)
        assert "sp-overdue" not in html
    late = build_site(config, now=datetime(2026, 11, 21, 14, 25, tzinfo=UTC))
    for html in (page(late, ""), page(late, "incidents/2026-11-21-quiet")):
        assert "Next update was due by 2026-11-21 14:00 UTC" in text_of(html)
        assert 'class="sp-next sp-overdue"' in html
        # how late is said by the reader's clock, in the browser; never frozen at build
        assert "min ago" not in text_of(html)
        assert '<time datetime="2026-11-21T14:00:00+00:00" data-rel>' in html


# the example site


def test_the_example_lints_clean_at_its_own_date() -> None:
    code, out, err = _lint_example("2026-11-23 09:00 UTC")
    assert (code, out, err) == (0, "", "OK: 0 error(s), 0 warning(s)\n")


def test_the_example_has_no_errors_today() -> None:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    code, out, _ = _lint_example(now)
    assert code == 0
    assert not [line for line in out.splitlines() if ": warning: " not in line]


def _lint_example(now: str) -> tuple[int, str, str]:
    return run("lint", "--config", str(EXAMPLE / "mkdocs.yml"), "--now", now)
