"""Pages for agents and scripts (each incident's Markdown, ``llms.txt``) and ``_headers``.

The Markdown is read back by markdown-it with raw HTML switched on, as the
most permissive reader would read it: no tag may survive.
"""

from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from outputs_support import (
    ACTIVE,
    INCIDENTS,
    MAINTENANCE,
    POSTMORTEM,
    SUBPATH_URL,
    build,
    make_config,
    make_status,
)

from conftest import FIXTURES, NOW, copy_site
from generator.core.facts import LABELS, FactKind
from generator.core.html import safe_markdown
from generator.outputs.hosting import INCIDENT_PAGES, RULES
from generator.plugin import build_site

READER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def tokens(markdown: str) -> list[Any]:
    found, pending = [], list(READER.parse(markdown))
    while pending:
        token = pending.pop(0)
        found.append(token)
        pending.extend(token.children or ())
    return found


def raw_html(markdown: str) -> list[str]:
    return [t.content for t in tokens(markdown) if t.type in ("html_block", "html_inline")]


def links(markdown: str) -> list[str]:
    return [str(t.attrs["href"]) for t in tokens(markdown) if t.type == "link_open"]


@pytest.fixture(scope="module")
def outputs() -> dict[str, bytes]:
    return build()


def md(outputs: dict[str, bytes], incident_id: str) -> str:
    return outputs[f"incidents/{incident_id}/index.md"].decode("utf-8")


def test_every_incident_has_its_markdown(outputs: dict[str, bytes]):
    found = {p.split("/")[1] for p in outputs if p.endswith("/index.md")}
    assert found == set(INCIDENTS) | set(MAINTENANCE)


def test_the_markdown_says_what_the_page_says(outputs: dict[str, bytes]):
    text = md(outputs, ACTIVE)
    assert text.startswith("# Elevated error rates on the API\n\nMajor impact · Update\n")
    for kind in (FactKind.SCOPE, FactKind.WORKAROUND, FactKind.COMPONENTS, FactKind.BEGAN):
        assert f"- **{LABELS[kind]}:** " in text, kind
    assert "- **Next update:** 2026-11-21 12:30 UTC" in text
    headings = re.findall(r"^### (.+)$", text, flags=re.M)
    assert headings == [
        "Update · 2026-11-21 11:30 UTC",
        "Identified · 2026-11-21 10:40 UTC",
        "Investigating · 2026-11-21 10:15 UTC",
    ]
    assert text.rstrip().endswith(f"Page: <https://status.example.com/incidents/{ACTIVE}/>")


def test_a_resolved_incident_has_its_postmortem_and_no_advice(outputs: dict[str, bytes]):
    text = md(outputs, POSTMORTEM)
    assert "## Postmortem · 2026-11-12 15:00 UTC" in text
    assert "### What happened" in text
    assert "- **Resolved:** 2026-11-10 09:30 UTC (lasted 1 h 30 min)" in text
    assert LABELS[FactKind.WORKAROUND] not in text
    assert "Next update" not in text


@pytest.mark.parametrize("incident_id", [*INCIDENTS, *MAINTENANCE])
def test_no_raw_html_and_no_link_that_runs(outputs: dict[str, bytes], incident_id: str):
    text = md(outputs, incident_id)
    assert raw_html(text) == []
    assert all(not href.lower().startswith(("javascript:", "data:")) for href in links(text))
    rendered = READER.render(text)
    assert not re.search(r"<(script|img|svg)\b|\son\w+=\"", rendered), rendered


def test_the_hostile_update_shows_as_text(outputs: dict[str, bytes]):
    rendered = READER.render(md(outputs, ACTIVE))
    assert "&lt;script&gt;alert('xss')&lt;/script&gt;" in rendered.replace("&#x27;", "'")
    assert "the dashboard &lt;b&gt;works&lt;/b&gt;." in rendered  # a plain-text field


ATTACKS = [
    "Hello <script>alert(1)</script>",
    '<div onclick="x">\nblock\n</div>',
    "<!-- -->\n    <script>alert(1)</script>",  # escaping turns the code block into text
    "\\`<script>\\`",  # an escaped backtick opens no code span
    "<https://a`b> <script>`",  # an autolink outranks a code span
    "<javascript:alert(1)>",
    "[Details](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "- item <img src=x onerror=alert(1)>",
    "<!DOCTYPE html> <?php ?> <![CDATA[ x ]]>",
    "> quote <svg onload=alert(1)>",
    "| a | b |\n|---|---|\n| <b>x</b> | `<i>` |",
    "\\<b>escaped</b> by hand, then \\\\<img src=x onerror=alert(1)>",  # a backslash before
    "<!-- -->\n    <i>x</i> \\<img src=x onerror=alert(1)>",  # the same, in the fallback
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_safe_markdown_leaves_no_tag_and_no_running_link(attack: str):
    text = safe_markdown(attack)
    assert raw_html(text) == [], text
    assert all(not href.lower().startswith("javascript:") for href in links(text)), text
    rendered = READER.render(text)
    assert not re.search(r"<(script|div|img|svg|b)\b", rendered), rendered


#: A CommonMark reader that follows every link target, as some renderers do.
TRUSTING = MarkdownIt("commonmark", {"html": True})
TRUSTING.validateLink = lambda url: True  # type: ignore[method-assign]


def in_one_document(*parts: str) -> str:
    """The parts as the incident's Markdown joins them: each under its own heading."""
    return "\n\n".join(f"### Update {n}\n\n{safe_markdown(p)}" for n, p in enumerate(parts))


def test_a_link_definition_in_one_update_is_no_link_in_the_next():
    text = in_one_document("Noted.\n\n[r]: javascript:alert(1)", "Details: [here][r]")
    assert "javascript" not in "".join(str(t.attrs.get("href", "")) for t in tokens(text))
    assert 'href="javascript' not in TRUSTING.render(text)


@pytest.mark.parametrize(
    "body",
    [
        "## Timeline\n\n### Resolved · 2026-11-20 17:05 UTC\n\nAll fine.",
        "# Not the title",
        "All fine\n---",
        "All fine\n===",
        "> ### quoted",
        "- ### in a list",
    ],
)
def test_an_update_cannot_add_headings_of_the_documents_own_levels(body: str):
    rendered = READER.render(in_one_document(body, "The next update."))
    assert re.findall(r"<h(\d)>", rendered) == ["3", "3"], rendered


@pytest.mark.parametrize("fence", ["```", "~~~~", "````"])
def test_a_code_block_left_open_does_not_swallow_the_next_update(fence: str):
    rendered = READER.render(in_one_document(f"Log:\n\n{fence}\nerror 500", "Fixed."))
    assert "<h3>Update 1</h3>" in rendered and "<p>Fixed.</p>" in rendered
    assert "<code>error 500\n</code>" in rendered


def test_a_deeper_heading_and_a_closed_block_stay_as_written():
    text = "#### Cause\n\n```\nx\n```"
    assert safe_markdown(text) == text


def test_safe_markdown_keeps_ordinary_markdown():
    text = "A **fix** is [deployed](https://example.com/x).\n\n```\n<kept>\n```\n\nUse `<b>` or <https://ok.example/>."
    assert safe_markdown(text) == text


def test_llms_txt_lists_the_page_the_api_the_feeds_and_open_incidents(outputs: dict[str, bytes]):
    text = outputs["llms.txt"].decode("utf-8")
    assert text.startswith("# Example Cloud Status\n\n> ")
    sections = re.findall(r"^## (.+)$", text, flags=re.M)
    assert sections == [
        "Status page",
        "Open incidents and maintenance",
        "API (Atlassian Statuspage v2)",
        "Feeds",
    ]
    hrefs = links(text)
    base = "https://status.example.com/"
    assert all(h.startswith(base) for h in hrefs)
    published = {h.removeprefix(base) for h in hrefs}
    assert {p for p in published if not p.endswith("/") and p} <= set(outputs)
    assert {"", "history/", "components/api/"} <= published
    summary = json.loads(outputs["api/v2/summary.json"])
    open_ids = {i["id"] for i in summary["incidents"] + summary["scheduled_maintenances"]}
    listed = {h.split("/")[-2] for h in hrefs if h.startswith(base + "incidents/")}
    assert listed == open_ids
    for incident_id in open_ids:
        assert f"<{base}incidents/{incident_id}/index.md>" in text
    assert raw_html(text) == []


def test_llms_txt_under_a_subpath_and_with_nothing_open():
    config = make_config(SUBPATH_URL)
    from generator.outputs.agents import llms_txt

    text = llms_txt(config, make_status(config, incidents=[]))
    assert "## Open incidents and maintenance\n\n- None.\n" in text
    assert all(h.startswith(SUBPATH_URL) for h in links(text))


def headers(data: bytes) -> dict[str, dict[str, str]]:
    """Netlify's and Cloudflare's ``_headers``: a path, then indented ``Name: value`` lines."""
    rules: dict[str, dict[str, str]] = {}
    current = ""
    for line in data.decode("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("  "):
            name, value = line.strip().split(": ", 1)
            rules[current][name] = value
        else:
            assert line.startswith("/") and current != line
            current = line
            rules[current] = {}
    return rules


def test_headers_give_cors_and_short_caching(outputs: dict[str, bytes]):
    rules = headers(outputs["_headers"])
    assert rules.pop(INCIDENT_PAGES) == {
        "Link": '<index.md>; rel="alternate"; type="text/markdown"'
    }
    assert list(rules) == [pattern for pattern, _ in RULES]
    for pattern, values in rules.items():
        assert values["Access-Control-Allow-Origin"] == "*", pattern
        age = int(re.findall(r"max-age=(\d+)", values["Cache-Control"])[0])
        assert 0 < age <= 300, pattern
    assert "max-age=60," in rules["/api/v2/*"]["Cache-Control"]
    for pattern in rules:  # every rule matches something the build publishes
        assert any(fnmatch.fnmatch("/" + path, pattern) for path in outputs), pattern
    covered = ("api/v2/", "feed.", "badge.", "llms.txt", "index.md", ".ics")
    for path in outputs:
        if any(part in path for part in covered):
            assert any(fnmatch.fnmatch("/" + path, p) for p in rules), path


def test_the_built_site_serves_the_markdown_beside_the_page(tmp_path: Path):
    config = copy_site(tmp_path, FIXTURES / "site" / "incidents")
    site = build_site(config, strict=True, now=NOW)
    for page in (site / "incidents").glob("*/index.html"):
        markdown = page.parent / "index.md"
        assert markdown.is_file(), page
        assert markdown.read_text(encoding="utf-8").startswith("# ")
        # Named by the Link header instead: the theme fetches a sitemap.xml
        # beside every <link rel="alternate">, and there is none beside this page.
        assert "text/markdown" not in page.read_text(encoding="utf-8")
    assert (site / "llms.txt").is_file() and (site / "_headers").is_file()
    assert not (site / "_statuspage_outputs").exists()


PROSE = [
    "All requests succeed again.",
    "A **fix** is [deployed](https://example.com/x), see www.example.org or https://a.example/b.",
    "- EU\n- US-East\n\n1. first\n2. second",
    "Errors ~~rose~~ fell; *emphasis* and _more_ and `code`.",
    "[Details](javascript:alert(1))",  # a link that would run: the full reading
    "[Details](&#106;avascript:alert(1))",  # the same, behind an entity
    "[x](JaVaScRiPt:alert(1)) and ![y](data:text/html,x)",
    "Noted.\n\n[r]: javascript:alert(1)",
    "> [r]: javascript:alert(1)\n\n[here][r]",
    "# Not the title",
    "All fine\n---",
    "All fine\n===",
    "> ### quoted",
    "- ### in a list",
    "#### Cause\n\nThe disk.",
    "Log:\n\n```\nerror 500",
    "    indented code",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "a | b\n--- | ---",
    "Line one\\\nline two  \nline three",
    "\\# not a heading, \\[not\\] a link",
    "Mail [us](mailto:ops@example.com) or call [us](tel:+1-555-0100).",
]


@pytest.mark.parametrize("text", PROSE + ATTACKS)
def test_the_quick_reading_of_plain_prose_agrees_with_the_full_one(
    text: str, monkeypatch: pytest.MonkeyPatch
):
    """Prose skips markdown-it (``_plainly_safe``); the result must be the same."""
    import generator.core.html as html_module

    quick = html_module._safe_markdown(text, 3)
    monkeypatch.setattr(html_module, "_plainly_safe", lambda source: False)
    assert quick == html_module._safe_markdown(text, 3)


def test_plain_prose_takes_the_quick_reading():
    from generator.core.html import _plainly_safe

    assert _plainly_safe(PROSE[1]) and _plainly_safe(PROSE[2])
    assert not _plainly_safe(PROSE[4]) and not _plainly_safe(PROSE[5])
    assert not _plainly_safe("# Not the title") and not _plainly_safe("```\nx\n```")
