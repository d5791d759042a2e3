"""The invariant: ``lint`` passes ⇒ ``build`` passes; every failure is ours, with a place.

Hypothesis writes incident files and site configurations from a grammar that
includes hostile strings (markup, control characters, huge numbers, extreme
dates, deep nesting) and runs the real ``statuspage lint`` and the real build
on each. A green pull-request check must never hide a failing publish, and
neither command may let any other exception escape.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from conftest import copy_site
from generator.cli import main
from generator.core.errors import StatusPageError
from generator.plugin import build_site

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    "\x1b[31mred\x1b[0m",
    "\x00",
    "9" * 4400,
    "[" * 60 + "]" * 60,
    "{{ placeholder }}",
    "{cause}",
    "&amp; & < > \" '",
    "東京リージョン",
    "\u202eevil",
    " ",
    "",
]
TIMES = [
    "2026-11-21 11:00 UTC",
    "2026-11-21 11:00",
    "2026-11-21T11:00:00+09:00",
    "2026-11-21 11:00 Asia/Tokyo",
    "2026-03-29 02:30 Europe/Berlin",
    "0001-01-01 00:00 UTC",
    "9999-12-31 23:59 UTC",
    "1000-01-01 00:00 UTC",
    "2026-13-40 25:61 UTC",
    "yesterday",
]
text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40),
    st.sampled_from(HOSTILE),
)
quoted = text.map(json.dumps)  # any text, as a quoted YAML string: legal, if hostile
scalar = st.one_of(
    st.sampled_from(["yes", "NO", "0777", "12:30", "~", "1e999", "-30", "[]", "{}", "*x"]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
GOOD_TIMES = TIMES[:4]


def mostly(good: list[str], bad: list[str]) -> st.SearchStrategy[str]:
    """Usually one of ``good``, sometimes one of ``bad``: most files pass lint."""
    return st.sampled_from(good * 6 + bad)  # hypothesis leans to the first elements


def usually(common: st.SearchStrategy[str], rare: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``common`` about five times in six, else ``rare``."""
    return st.sampled_from([True] * 5 + [False]).flatmap(lambda c: common if c else rare)


@st.composite
def incident_file(draw: st.DrawFn) -> str:
    maintenance = draw(st.integers(0, 3)) == 0
    fields = {
        "title": draw(usually(quoted, scalar)),
        "impact": draw(mostly(["minor", "major", "critical", "none"], ["Major", "mayor", "7"])),
        "components": draw(
            mostly(
                ["[api]", "[api, db]", "{api: major_outage}", "[]"],
                ["web", "[nope]", "{api: down}"],
            )
        ),
        "scope": draw(usually(quoted, scalar)),
        "workaround": draw(usually(quoted, scalar)),
    }
    if draw(st.booleans()):
        fields["next_update"] = json.dumps(draw(mostly(GOOD_TIMES, TIMES[4:])))
    if maintenance:
        del fields["impact"]
        fields["kind"] = "maintenance"
        fields["start"] = json.dumps(draw(mostly(["2026-11-30 06:00 UTC"], TIMES)))
        fields["end"] = json.dumps(draw(mostly(["2026-11-30 08:00 UTC"], TIMES)))
    front = "".join(f"{key}: {value}\n" for key, value in fields.items())
    statuses = ["Scheduled"] if maintenance else ["Investigating", "Identified", "Resolved"]
    status = draw(mostly(statuses, ["Bogus", "Completed", "Investigating"]))
    when = draw(mostly(["2026-11-21 11:00 UTC", "2026-11-21 11:30 Asia/Tokyo"], TIMES))
    body = draw(usually(text, st.sampled_from(["<div>" * 200 + "x", "```\nopen", "###"])))
    return f"---\n{front}---\n\n## {status} · {when}\n\n{body}\n"


site_names = st.sampled_from(["Acme Status", "<b>Acme</b> & co", "\x07bell", "9" * 5000])
timezones = mostly(["UTC", "Asia/Tokyo", "Europe/Berlin"], ["Berlin", "Mars/Olympus"])


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@example(  # legal, and hostile in every field a reader sees
    files=[
        '---\ntitle: "<img src=x onerror=alert(1)> & \\"v2\\""\nimpact: major\n'
        'components: {api: major_outage}\nscope: "</title><script>alert(1)</script>"\n'
        'workaround: "東京 \\u202e(cause)"\nnext_update: 2026-11-21 13:00 Asia/Tokyo\n---\n\n'
        "## Identified · 2026-11-21 11:00 UTC\n\n<details><summary>log</summary>"
        "<script>alert(2)</script></details> `<b>` [x](javascript:alert(3))\n"
    ],
    site_name="<b>Acme</b> & co",
    timezone="Asia/Tokyo",
)
@given(
    files=st.lists(incident_file(), min_size=1, max_size=2),
    site_name=site_names,
    timezone=timezones,
)
def test_lint_passing_means_build_passing(files: list[str], site_name: str, timezone: str) -> None:
    root = Path(tempfile.mkdtemp(prefix="lint-build-"))
    try:
        config = copy_site(root)
        text = config.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^site_name: .*$", lambda _: f"site_name: {json.dumps(site_name)}", text)
        text = re.sub(r"(?m)^(\s+timezone: ).*$", lambda m: m[1] + timezone, text)
        config.write_text(text, encoding="utf-8")
        for number, content in enumerate(files):
            (root / "incidents" / f"2026-11-2{number}-case.md").write_text(content, "utf-8")
        lint = CliRunner().invoke(
            main, ["lint", "--config", str(config), "--now", "2026-11-21 12:00 UTC"]
        )
        assert lint.exception is None or isinstance(lint.exception, SystemExit), lint.output
        assert "Traceback" not in lint.output
        assert lint.exit_code in (0, 1), lint.output
        if lint.exit_code == 1:
            assert re.search(r"^\S+?(:\d+)?: ", lint.output, re.M), lint.output  # a place
        try:
            build_site(config, site_dir=root / "site", now=NOW)
            built = True
        except StatusPageError as exc:  # ours, and it says where
            assert re.search(r"\S+(:\d+)?: ", str(exc)), str(exc)
            built = False
        event(f"lint {'passed' if lint.exit_code == 0 else 'failed'}, build {built}")
        if lint.exit_code == 0:
            assert built, f"lint passed but the build failed:\n{lint.output}"
    finally:
        shutil.rmtree(root, ignore_errors=True)
