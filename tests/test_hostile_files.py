"""Hostile incident files: each is refused with its place, never read blindly.

Devices, pipes and links out of the repository are not read; oversized
files, control characters and times outside the years a page can show are
errors that ``lint`` reports and that stop the build the same way, so a green
check never hides a failing publish.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW, copy_site
from generator.cli import main
from generator.core.sources import MAX_FILE_BYTES
from generator.plugin import BuildError, build_site

GOOD = (
    "---\ntitle: API errors\nimpact: minor\ncomponents: [api]\n---\n\n"
    "## Investigating · 2026-11-21 11:00 UTC\n\nWe are looking into it.\n"
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy_site(tmp_path)
    return tmp_path


def lint(site: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["lint", "--config", str(site / "mkdocs.yml"), "--now", "2026-11-21 12:00 UTC"]
    )
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def refused_alike(site: Path, expected: str) -> None:
    """``lint`` fails naming ``expected``, and so does the build, keeping the old site."""
    code, output = lint(site)
    assert code == 1 and expected in output, output
    (site / "site").mkdir(exist_ok=True)
    (site / "site" / "kept.html").write_text("previous", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build_site(site / "mkdocs.yml", now=NOW)
    assert expected in str(caught.value)
    assert (site / "site" / "kept.html").read_text(encoding="utf-8") == "previous"


def test_a_link_to_a_device_is_not_read(site: Path) -> None:
    os.symlink("/dev/zero", site / "incidents" / "2026-11-21-zero.md")
    refused_alike(site, "incidents/2026-11-21-zero.md: is not a regular file")


def test_a_pipe_is_not_read_and_nothing_hangs(site: Path) -> None:
    os.mkfifo(site / "incidents" / "2026-11-21-pipe.md")
    refused_alike(site, "incidents/2026-11-21-pipe.md: is not a regular file")


def test_a_link_out_of_the_repository_is_refused_by_name(site: Path, tmp_path_factory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "secret.md"
    elsewhere.write_text(GOOD, encoding="utf-8")
    os.symlink(elsewhere, site / "incidents" / "2026-11-21-secret.md")
    refused_alike(site, "incidents/2026-11-21-secret.md: is a link to ")


def test_a_link_inside_the_repository_is_read(site: Path) -> None:
    (site / "drafts").mkdir()
    (site / "drafts" / "x.md").write_text(GOOD, encoding="utf-8")
    os.symlink(site / "drafts" / "x.md", site / "incidents" / "2026-11-21-linked.md")
    assert lint(site)[0] == 0


def test_an_oversized_file_is_refused(site: Path) -> None:
    padding = "x" * (MAX_FILE_BYTES + 1)
    (site / "incidents" / "2026-11-21-huge.md").write_text(GOOD + padding, encoding="utf-8")
    refused_alike(site, "incidents/2026-11-21-huge.md: is larger than 1024 KiB (max_file_kib)")


@pytest.mark.parametrize(
    ("text", "line", "code"),
    [
        (GOOD.replace("API errors", "API\x00errors"), 2, "U+0000"),
        (GOOD + "\n\x1b[31mERROR\x1b[0m from the log\n", 11, "U+001B"),
        (GOOD + "ding\x07\n", 10, "U+0007"),
        (GOOD + "\ufffe\n", 10, "U+FFFE"),
    ],
)
def test_control_characters_are_refused_with_their_line(
    site: Path, text: str, line: int, code: str
) -> None:
    (site / "incidents" / "2026-11-21-ctl.md").write_text(text, encoding="utf-8")
    refused_alike(site, f"incidents/2026-11-21-ctl.md:{line}: text: control character {code}")


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("2026-11-21-old", GOOD.replace("2026-11-21 11:00", "0001-01-01 00:00"), ":7: update: "),
        (
            "2026-11-21-start",
            GOOD.replace("impact:", "started: 0001-01-01 00:00 UTC\nimpact:"),
            ":3: started: ",
        ),
        (
            "2026-11-21-far",
            GOOD.replace("impact:", "next_update: 9999-12-31 23:59 UTC\nimpact:"),
            ":3: next_update: ",
        ),
    ],
)
def test_times_outside_the_years_a_page_can_show_are_refused(
    site: Path, name: str, text: str, expected: str
) -> None:
    (site / "incidents" / f"{name}.md").write_text(text, encoding="utf-8")
    refused_alike(site, f"incidents/{name}.md{expected}")


def test_a_file_named_in_year_one_is_refused(site: Path) -> None:
    (site / "incidents" / "0001-01-01-x.md").write_text(
        GOOD.replace("2026-11-21 11:00", "0001-01-02 00:00"), encoding="utf-8"
    )
    code, output = lint(site)
    assert code == 1 and "incidents/0001-01-01-x.md:" in output


def test_an_upper_case_extension_is_named_with_the_fix(site: Path) -> None:
    (site / "incidents" / "2026-11-21-shouting.MD").write_text(GOOD, encoding="utf-8")
    code, output = lint(site)
    assert code == 0
    assert "incidents/2026-11-21-shouting.MD: warning: is not read: rename it to " in output
    assert "2026-11-21-shouting.md" in output
    build_site(site / "mkdocs.yml", now=NOW, strict=True)  # a warning never fails the build


@pytest.mark.parametrize("where", [".", "..", "incidents", "site_src/docs", "incidents/out"])
def test_the_build_refuses_an_output_folder_that_holds_the_project(site: Path, where: str) -> None:
    (site / "incidents" / "2026-11-21-kept.md").write_text(GOOD, encoding="utf-8")
    before = sorted(p.relative_to(site.parent) for p in site.parent.rglob("*"))
    with pytest.raises(BuildError, match="site_dir: "):
        build_site(site / "mkdocs.yml", site_dir=site / where, now=NOW)
    assert sorted(p.relative_to(site.parent) for p in site.parent.rglob("*")) == before


@pytest.mark.parametrize("where", [".", "incidents"])
def test_mkdocs_build_refuses_it_too_before_cleaning(site: Path, where: str) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    (site / "incidents" / "2026-11-21-kept.md").write_text(GOOD, encoding="utf-8")
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    with pytest.raises(MkDocsException):  # MkDocs reports the plugin's error as an Abort
        build(load_config(str(site / "mkdocs.yml"), site_dir=str(site / where)))
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        (
            'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
            + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)),
            "expands to more than 10,000 values",
        ),
        ("nested: " + "[" * 500 + "]" * 500 + "\n", "nested more than 20 levels deep"),
        ("nested: " + "[" * 100_000 + "]" * 100_000 + "\n", "nesting depth"),
        ("number: " + "9" * 4301 + "\n", "a number of 4301 digits; quote it if it is text"),
    ],
    ids=["billion-laughs", "deep", "deeper", "huge-number"],
)
def test_frontmatter_past_the_bounds_is_an_error_not_a_crash(
    site: Path, front: str, expected: str
) -> None:
    text = GOOD.replace("title: API errors\n", f"title: API errors\n{front}")
    (site / "incidents" / "2026-11-21-bomb.md").write_text(text, encoding="utf-8")
    refused_alike(site, expected)


def test_deeply_nested_html_in_a_body_is_refused_quickly(site: Path) -> None:
    body = "<div>" * 50_000 + "x" + "</div>" * 50_000
    (site / "incidents" / "2026-11-21-divs.md").write_text(GOOD + body + "\n", encoding="utf-8")
    refused_alike(site, "incidents/2026-11-21-divs.md:10: text: HTML nested over 100 levels")


def test_ordinary_nested_html_is_fine(site: Path) -> None:
    body = "<details><summary>Log</summary><div><p><b>x</b></p></div></details>\n" * 50
    (site / "incidents" / "2026-11-21-html.md").write_text(GOOD + body, encoding="utf-8")
    assert lint(site)[0] == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-30", "-30 minutes must be between 1 and 527040"),
        ("0", "0 minutes must be between 1 and 527040"),
        ("99999999d", "'99999999d' is longer than a year"),
    ],
)
def test_a_policy_promise_must_be_a_real_duration(site: Path, value: str, expected: str) -> None:
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("update_every: 60m", f"update_every: {value}")
    config.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "update_every:" in row)
    refused_alike(site, f"mkdocs.yml:{line}: plugins.statuspage.policy.update_every: {expected}")


def test_a_promise_days_ahead_is_a_warning_not_an_error(site: Path) -> None:
    text = GOOD.replace("impact:", "next_update: 2026-11-30 11:00 UTC\nimpact:")
    (site / "incidents" / "2026-11-21-far.md").write_text(text, encoding="utf-8")
    code, output = lint(site)
    assert code == 0
    assert (
        "incidents/2026-11-21-far.md:3: warning: next_update: promises the next update 9 d "
        "after the last one" in output
    )


def test_a_maintenance_window_of_years_is_a_warning(site: Path) -> None:
    (site / "incidents" / "2026-11-30-long.md").write_text(
        "---\ntitle: Upgrade\nkind: maintenance\ncomponents: [api]\n"
        "start: 2026-11-30 06:00 UTC\nend: 2029-11-30 06:00 UTC\n---\n\n"
        "## Scheduled · 2026-11-21 11:00 UTC\n\nWe will upgrade.\n",
        encoding="utf-8",
    )
    code, output = lint(site)
    assert code == 0
    assert "incidents/2026-11-30-long.md:6: warning: end: the window lasts 1096 d" in output


@pytest.mark.parametrize(
    "breaks",
    ["generator.site.pages.SiteRenderer._reliability", "generator.site.making.build_outputs"],
)
def test_a_plain_mkdocs_build_that_fails_in_the_plugin_keeps_the_old_site(
    site: Path, breaks: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    (site / "site").mkdir()
    (site / "site" / "index.html").write_text("the previous site", encoding="utf-8")

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a page or a feed could not be made")

    monkeypatch.setattr(breaks, fail)
    with pytest.raises(RuntimeError):
        build(load_config(str(site / "mkdocs.yml")))
    assert (site / "site" / "index.html").read_text(encoding="utf-8") == "the previous site"
    assert not list(site.glob(".site-generated-*")), "the pages made beside the site stayed"


def test_the_file_size_limit_is_a_setting(site: Path) -> None:
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "      timezone: UTC\n", "      timezone: UTC\n      max_file_kib: 16\n"
    )
    config.write_text(text, encoding="utf-8")
    (site / "incidents" / "2026-11-21-long.md").write_text(GOOD + "x" * 20_000, "utf-8")
    refused_alike(site, "incidents/2026-11-21-long.md: is larger than 16 KiB (max_file_kib)")
