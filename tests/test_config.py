"""Configuration: one schema, mkdocs.yml read as MkDocs reads it, every error at once.

The same broken ``mkdocs.yml`` goes through ``statuspage lint``, ``statuspage
build``, the real ``mkdocs build`` (in-process) and ``statuspage announce``;
each must print the same lines, in our words.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from conftest import REPO
from generator.cli import main
from generator.core.config import read_mkdocs_yml, site_config
from generator.core.errors import ValidationError
from generator.core.model import Impact, WebhookFormat
from generator.core.settings import Component
from generator.plugin import FAILURE_PREFIX, BuildError, StatusPagePlugin, build_site

NOW = "2026-11-20 15:00 UTC"
HEADER = """\
site_name: Example Status
site_url: https://status.example.com/
theme:
  name: material
  language: en
docs_dir: site_src/docs
"""
# Line numbers below are those of HEADER followed by BROKEN.
BROKEN = """\
plugins:
  - statuspage:
      timezon: UTC
      timezone: berlin
      feed_size: 0
      components:
        - id: API
          name: REST API
          position: 3
        - id: db
      policy:
        postmortem_for: [mayor]
        update_every: soon
      announce:
        webhooks:
          - {name: chat, format: Slak, url_env: CHAT_URL}
"""
EXPECTED = [
    "mkdocs.yml:9: plugins.statuspage.timezon: unknown setting; did you mean 'timezone'?",
    "mkdocs.yml:10: plugins.statuspage.timezone: 'berlin' is not an IANA time zone;"
    " did you mean 'Europe/Berlin'?",
    "mkdocs.yml:11: plugins.statuspage.feed_size: 0 is out of range: it must be at least 1",
    "mkdocs.yml:13: plugins.statuspage.components.0.id: 'API' must be lower-case letters,"
    " digits, '-' or '_' (used in URLs)",
    "mkdocs.yml:15: plugins.statuspage.components.0.position: unknown setting;"
    " known here: description, group, id, name",
    "mkdocs.yml:16: plugins.statuspage.components.1.name: missing; this setting is required here",
    "mkdocs.yml:18: plugins.statuspage.policy.postmortem_for.0: 'mayor' is not one of none,"
    " minor, major, critical, maintenance; did you mean 'major'?",
    "mkdocs.yml:19: plugins.statuspage.policy.update_every: 'soon' is not a duration;"
    " write it as 30 (minutes), 30m, 1h, 2h30m or 1d",
    "mkdocs.yml:22: plugins.statuspage.announce.webhooks.0.format: 'Slak' is not one of"
    " slack, discord, json; did you mean 'slack'?",
]
GOOD = """\
plugins:
  - statuspage:
      components:
        - {id: api, name: REST API}
"""
INCIDENT = """\
---
title: Elevated error rates on the API
impact: major
components: [api]
---

## Investigating · 2026-11-20 14:20 UTC

We are investigating elevated error rates on the API.
"""


def write_site(root: Path, text: str, *, name: str = "mkdocs.yml") -> Path:
    """A site in ``root`` with the example's theme and ``text`` as its config file."""
    if not (root / "site_src").exists():
        shutil.copytree(REPO / "site_src", root / "site_src")
        (root / "incidents").mkdir()
    path = root / name
    path.write_text(text, encoding="utf-8")
    return path


def lint(config_file: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["lint", "--config", str(config_file), "--now", NOW])
    return result.exit_code, result.output.splitlines()


def config_error(config_file: Path) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        read_mkdocs_yml(config_file)
    return [str(p) for p in raised.value.problems]


# every error at once, the same from every command


def test_lint_lists_every_error_with_its_line(tmp_path: Path) -> None:
    code, lines = lint(write_site(tmp_path, HEADER + BROKEN))
    assert code == 1
    assert lines == [*EXPECTED, f"Error: {len(EXPECTED)} error(s), 0 warning(s)"]


def test_statuspage_build_lists_the_same_errors(tmp_path: Path) -> None:
    config_file = write_site(tmp_path, HEADER + BROKEN)
    with pytest.raises(BuildError) as raised:
        build_site(config_file)
    assert str(raised.value).splitlines()[:-1] == EXPECTED


def test_mkdocs_build_raises_one_plugin_error_with_the_same_errors(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = load_config(str(write_site(tmp_path, HEADER + BROKEN)))
    with pytest.raises(Abort, match="BuildError"):  # MkDocs' answer to our PluginError
        build(config)
    (logged,) = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert logged.splitlines() == [FAILURE_PREFIX, *EXPECTED]


def test_announce_refuses_the_same_errors(tmp_path: Path) -> None:
    config_file = write_site(tmp_path, HEADER + BROKEN)
    result = CliRunner().invoke(main, ["announce", "--config", str(config_file), "--now", NOW])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        *EXPECTED,
        f"Error: {len(EXPECTED)} error(s), 0 warning(s)",
    ]


def test_site_keys_keep_their_checks_beside_the_plugins(tmp_path: Path) -> None:
    text = HEADER.replace("https://status.example.com/", "ftp://status.example.com/")
    text += "repo_url: javascript:alert(1)\n" + GOOD + "      timezone: Mars\n"
    assert config_error(write_site(tmp_path, text)) == [
        "mkdocs.yml:2: site_url: 'ftp://status.example.com/' must start with https: or http:",
        "mkdocs.yml:7: repo_url: 'javascript:alert(1)' must start with https: or http:",
        "mkdocs.yml:12: plugins.statuspage.timezone: 'Mars' is not an IANA time zone,"
        " e.g. Europe/Paris",
    ]


@pytest.mark.parametrize(
    ("options", "field", "message"),
    [
        ({"feed_size": "many"}, "feed_size", "must be a whole number, not 'many'"),
        ({"feed_size": 20000}, "feed_size", "20000 is out of range: it must be at most 10000"),
        ({"description": 42}, "description", "must be text, not 42"),
        ({"policy": "hourly"}, "policy", "must be a mapping of settings, not 'hourly'"),
        ({"components": "api"}, "components", "must be a list, not 'api'"),
        ({"announce": {"smtp": {"host": "h", "from": "f", "subscribers": "s", "starttls": "x"}}},
         "announce.smtp.starttls", "must be true or false, not 'x'"),
        ({"announce": {"smtp": {"host": "h", "from": "f", "subscribers": "s", "port": 0}}},
         "announce.smtp.port", "0 is out of range: it must be at least 1"),
        ({"announce": {"smpt": {}}}, "announce.smpt", "unknown setting; did you mean 'smtp'?"),
        ({"announce": {"smtp": {"host": "h", "from": "f", "subscribers": "s", "form": "f"}}},
         "announce.smtp.form", "unknown setting; did you mean 'from'?"),
        ({"timezone": "europe/paris"}, "timezone",
         "'europe/paris' is not an IANA time zone; did you mean 'Europe/Paris'?"),
        ({"timezone": "New York"}, "timezone",
         "'New York' is not an IANA time zone; did you mean 'America/New_York'?"),
        ({"policy": {"postmortem_for": ["CRITICAL"]}}, "policy.postmortem_for.0",
         "'CRITICAL' is not one of none, minor, major, critical, maintenance;"
         " did you mean 'critical'?"),
        ({"components": [{"id": "a", "name": "A"}, {"id": "a", "name": "B"}]}, "components",
         "component ids must be unique: a"),
        ({"announce": {"webhooks": [{"name": "email", "url_env": "X"}]}}, "announce.webhooks",
         "webhook names may not be 'email' (reserved)"),
    ],
)  # fmt: skip
def test_each_kind_of_error_in_our_words(
    options: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        site_config(options, site_name="S", site_url="https://s.example/")
    (problem,) = raised.value.problems
    assert (problem.field, problem.message) == (f"plugins.statuspage.{field}", message)
    for pydantic_words in ("Input should", "Extra inputs", "Value error", "Field required"):
        assert pydantic_words not in problem.message


def test_a_plugin_block_that_is_not_a_mapping(tmp_path: Path) -> None:
    text = HEADER + "plugins:\n  - statuspage: [timezone]\n"
    assert config_error(write_site(tmp_path, text)) == [
        "mkdocs.yml:8: plugins.statuspage: must be a mapping of settings, not ['timezone']"
    ]


# !ENV and INHERIT, as MkDocs reads them


ENV_URL = (
    "site_name: S\nsite_url: !ENV [STATUS_TEST_URL, 'https://fallback.example/']\n"
    "docs_dir: site_src/docs\n"
)


def test_env_tags_are_resolved_as_mkdocs_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file = write_site(tmp_path, ENV_URL + GOOD)
    monkeypatch.delenv("STATUS_TEST_URL", raising=False)
    assert read_mkdocs_yml(config_file).url == "https://fallback.example/"
    monkeypatch.setenv("STATUS_TEST_URL", "https://status.acme.example/sub")
    assert read_mkdocs_yml(config_file).url == "https://status.acme.example/sub/"
    assert load_config(str(config_file)).site_url == "https://status.acme.example/sub/"


def test_an_env_tag_of_an_unset_variable_means_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STATUS_TEST_ZONE", raising=False)
    text = "site_name: S\n" + GOOD + "      timezone: !ENV STATUS_TEST_ZONE\n"
    assert read_mkdocs_yml(write_site(tmp_path, text)).timezone.key == "UTC"
    monkeypatch.setenv("STATUS_TEST_ZONE", "Asia/Tokyo")
    assert read_mkdocs_yml(tmp_path / "mkdocs.yml").timezone.key == "Asia/Tokyo"
    monkeypatch.setenv("STATUS_TEST_ZONE", "Tokio")
    assert config_error(tmp_path / "mkdocs.yml") == [
        "mkdocs.yml:6: plugins.statuspage.timezone: 'Tokio' is not an IANA time zone;"
        " did you mean 'Asia/Tokyo'?"
    ]


@pytest.mark.parametrize("output", ["json", "text"])
def test_announce_links_to_the_site_url_given_by_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output: str
) -> None:
    config_file = write_site(tmp_path, ENV_URL + GOOD)
    (tmp_path / "incidents" / "2026-11-20-api-errors.md").write_text(INCIDENT, encoding="utf-8")
    monkeypatch.setenv("STATUS_TEST_URL", "https://status.acme.example/")
    args = ["announce", "--config", str(config_file), "--now", NOW, "--format", output]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    page = "https://status.acme.example/incidents/2026-11-20-api-errors/"
    if output == "json":
        (shown,) = json.loads(result.output)
        assert page in shown["email"]["text"] and page in shown["post"]
    else:
        assert page in result.output
    assert "localhost" not in result.output and "fallback" not in result.output


PARENT = """\
site_name: Parent Status
site_url: https://parent.example/
plugins:
  - statuspage:
      timezone: Europe/Paris
      description: From the parent
      feed_size: zero
      components:
        - {id: api, name: REST API}
"""


def test_inherit_merges_a_parent_and_names_its_lines(tmp_path: Path) -> None:
    write_site(tmp_path / "shared", PARENT, name="base.yml")
    child = write_site(tmp_path / "site", "INHERIT: ../shared/base.yml\nsite_name: Child\n")
    assert lint(child) == (
        1,
        [
            "../shared/base.yml:7: plugins.statuspage.feed_size: must be a whole number,"
            " not 'zero'",
            "Error: 1 error(s), 0 warning(s)",
        ],
    )
    (tmp_path / "shared" / "base.yml").write_text(PARENT.replace("zero", "5"), "utf-8")
    config = read_mkdocs_yml(child)
    assert (config.name, config.url, config.feed_size) == ("Child", "https://parent.example/", 5)
    assert config.timezone.key == "Europe/Paris" and config.description == "From the parent"


def test_inherit_merges_mappings_and_replaces_lists_like_mkdocs(tmp_path: Path) -> None:
    write_site(tmp_path, HEADER + "extra:\n  a: 1\n  b: {c: 2}\n" + GOOD, name="base.yml")
    child = "INHERIT: base.yml\nextra:\n  b: {d: 3}\n" + GOOD.replace(
        "api, name: REST", "db, name: DB"
    )
    config_file = write_site(tmp_path, child)
    ours = read_mkdocs_yml(config_file)
    assert [c.id for c in ours.components] == ["db"]
    theirs = load_config(str(config_file))
    assert theirs.extra == {"a": 1, "b": {"c": 2, "d": 3}}
    assert theirs.site_url == ours.url


def test_a_missing_or_circular_parent_is_an_error(tmp_path: Path) -> None:
    config_file = write_site(tmp_path, "site_name: S\nINHERIT: nowhere.yml\n")
    assert config_error(config_file) == [
        "mkdocs.yml:2: INHERIT: 'nowhere.yml' does not exist"
        f" (looked for {tmp_path / 'nowhere.yml'})"
    ]
    write_site(tmp_path, "INHERIT: mkdocs.yml\n", name="base.yml")
    config_file.write_text("INHERIT: base.yml\n", encoding="utf-8")
    assert config_error(config_file) == [
        "base.yml:1: INHERIT: 'mkdocs.yml' inherits from this file again"
    ]


# one definition


def test_the_plugin_declares_no_options_of_its_own() -> None:
    assert StatusPagePlugin.config_scheme == ()
    plugin = StatusPagePlugin()
    assert plugin.load_config({"timezon": "UTC", "feed_size": "x"}) == ([], [])
    assert plugin.options == {"timezon": "UTC", "feed_size": "x"}


def test_components_are_numbered_frozen_and_hashable() -> None:
    config = site_config(
        {"components": [{"id": "api", "name": "API"}, {"id": "db", "name": "DB", "group": "Data"}]},
        site_name="S",
        site_url="https://s.example",
    )
    api, db = config.components
    assert (api.position, db.position) == (1, 2)
    assert {api: "up", db: "down"}[config.component("db")] == "down"
    assert config.groups == ("Data",) and config.url == "https://s.example/"
    with pytest.raises((AttributeError, ValueError), match="frozen"):
        api.name = "Changed"  # type: ignore[misc]
    assert isinstance(api, Component)


def test_closed_values_become_enums() -> None:
    config = site_config(
        {
            "policy": {"postmortem_for": ["critical"]},
            "announce": {"webhooks": [{"name": "chat", "format": "slack", "url_env": "CHAT"}]},
        },
        site_name="S",
        site_url="https://s.example/",
    )
    assert config.policy.postmortem_for == (Impact.CRITICAL,)
    assert config.announce.webhooks[0].format is WebhookFormat.SLACK


@pytest.mark.parametrize(
    ("theme", "language"), [("", "en"), ("theme:\n  name: material\n  language: ja\n", "ja")]
)
def test_the_language_is_theme_language_as_mkdocs_reads_it(
    tmp_path: Path, theme: str, language: str
) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: S\n{theme}plugins:\n  - statuspage\n", encoding="utf-8")
    assert read_mkdocs_yml(config).language == language
