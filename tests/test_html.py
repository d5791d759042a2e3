"""Incident Markdown to HTML: what reaches readers is sanitised."""

from __future__ import annotations

from generator.core.html import plain_text, render_markdown, sanitize


def test_scripts_and_event_handlers_are_removed() -> None:
    html = render_markdown('Hi <script>alert("x")</script><b onclick="steal()">there</b>')
    assert "<script" not in html and "alert" not in html
    assert "<b>there</b>" in html and "onclick" not in html


def test_javascript_and_data_links_lose_their_target() -> None:
    html = render_markdown(
        "[a](javascript:alert(1)) [b](data:text/html,x) [c](https://ok.example/)"
    )
    assert "javascript:" not in html and "data:" not in html
    assert 'href="https://ok.example/"' in html and 'rel="noopener noreferrer"' in html


def test_remote_images_are_dropped_whole_and_local_ones_kept() -> None:
    html = sanitize(
        '<img src="https://tracker.example/p.gif" alt="x"><img src="//cdn.example/i.png">'
    )
    assert html == ""
    kept = render_markdown("![Error rate graph](../../assets/errors.png)")
    assert '<img src="../../assets/errors.png" alt="Error rate graph">' in kept


def test_plain_text_of_markdown() -> None:
    assert plain_text("API <b>errors</b> & *timeouts*") == "API errors & timeouts"


def test_incident_markdown_reads_as_the_pull_request_preview_shows_it() -> None:
    """CommonMark with GitHub's tables and strikethrough, as GitHub renders the file."""
    html = render_markdown(
        "Affected regions:\n- EU\n- US-East\n\n~~Degraded~~ Back to normal.\n\n"
        "| Region | Errors |\n|---|---|\n| EU | 12 % |"
    )
    assert "<p>Affected regions:</p>\n<ul>\n<li>EU</li>\n<li>US-East</li>\n</ul>" in html
    assert "<del>Degraded</del> Back to normal." in html  # as GitHub writes it
    assert "<th>Region</th>" in html and "<td>12 %</td>" in html


def test_bare_links_become_links_as_on_github_and_unsafe_ones_do_not_run() -> None:
    html = render_markdown("See https://example.com/docs and www.example.org, not javascript:x.")
    assert '<a href="https://example.com/docs" rel="noopener noreferrer">' in html
    assert '<a href="http://www.example.org" rel="noopener noreferrer">' in html
    assert "javascript" not in html.replace("not javascript:x.", "")
    assert (
        render_markdown("[x](javascript:alert(1))") == '<p><a rel="noopener noreferrer">x</a></p>'
    )


def test_image_sources_a_browser_would_fetch_from_another_host_are_dropped() -> None:
    """Browsers read ``\\`` as ``/`` and skip tabs, newlines and leading spaces."""
    for src in [
        "/\\evil.example/p.png",
        " //evil.example/p.png",
        "\\\\evil.example/p.png",
        "/\t/evil.example/p.png",
        "\x01//evil.example/p.png",
        "https:evil.example/p",
    ]:
        assert sanitize(f'<img src="{src}" alt="x">') == "", repr(src)
    for src in ["../../assets/errors.png", "/status/assets/errors.png", "errors.png"]:
        assert f'src="{src}"' in sanitize(f'<img src="{src}" alt="x">'), src
