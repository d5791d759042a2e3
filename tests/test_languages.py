"""The generator's own words in every shipped language.

The catalogues are complete and compiled; the example site built in each
language carries no English word of the generator's outside incident and
configuration text, and says its language in ``<html lang>``.
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import icalendar
import pytest
import yaml
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from conftest import EXAMPLE, REPO, copy_site
from generator.core import i18n
from generator.core.config import read_mkdocs_yml
from generator.plugin import build_site

LOCALE_DIR = REPO / "generator" / "locale"
TRANSLATED = [locale for locale in i18n.LOCALES if locale != i18n.SOURCE]
#: theme.language as a site writes it, the locale it gets, its <html lang>.
LANGUAGES = [("ja", "ja", "ja"), ("zh", "zh_Hans", "zh-Hans"), ("de", "de", "de"),
             ("fr", "fr", "fr"), ("es", "es", "es")]  # fmt: skip
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
#: Names of formats and standards, the same in every language.
UNTRANSLATED = {"RSS", "Atom", "JSON Feed", "API", "iCalendar", "UTC"}
_FIELD = re.compile(r"\{[a-z_]*\}|%\([a-z_]+\)s")


def catalogue(locale: str):  # type: ignore[no-untyped-def]
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "statuspage.po").open("rb") as fp:
        return read_po(fp, locale=locale)


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("catalogues", REPO / "scripts" / "catalogues.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ids(cat) -> set[tuple[object, str | None]]:  # type: ignore[no-untyped-def]
    return {(m.id, m.context) for m in cat if m.id}


# --- the catalogues ------------------------------------------------------------------


def test_the_template_holds_every_message_of_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "statuspage.pot"
    _script().extract(fresh)
    with fresh.open("rb") as a, (LOCALE_DIR / "statuspage.pot").open("rb") as b:
        assert ids(read_po(a)) == ids(read_po(b)), "run: python scripts/catalogues.py all"


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_every_catalogue_has_every_message_and_no_other(locale: str) -> None:
    with (LOCALE_DIR / "statuspage.pot").open("rb") as fp:
        template = read_po(fp)
    assert ids(catalogue(locale)) == ids(template)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(locale: str) -> None:
    cat = catalogue(locale)
    untranslated = [m.id for m in cat if m.id and not all(_forms(m))]
    fuzzy = [m.id for m in cat if m.id and m.fuzzy]
    assert (untranslated, fuzzy) == ([], [])
    assert not cat.obsolete


def _forms(message) -> list[str]:  # type: ignore[no-untyped-def]
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


@pytest.mark.parametrize("locale", TRANSLATED)
def test_placeholders_are_the_same_in_msgid_and_msgstr(locale: str) -> None:
    cat = catalogue(locale)
    wrong = []
    for message in cat:
        if not message.id:
            continue
        source = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = sorted(_FIELD.findall(source[-1]))
        for form in _forms(message):
            if sorted(_FIELD.findall(form)) != expected:
                wrong.append((message.id, form))
    assert wrong == []
    assert cat.num_plurals == len(_forms(next(m for m in cat if m.pluralizable)))


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_the_compiled_catalogue_is_the_po_compiled(locale: str) -> None:
    """The shipped .mo is what compiling the .po gives: no stale translation ships."""
    out = io.BytesIO()
    write_mo(out, catalogue(locale))
    shipped = (LOCALE_DIR / locale / "LC_MESSAGES" / "statuspage.mo").read_bytes()
    assert shipped == out.getvalue(), "run: python scripts/catalogues.py compile"


@pytest.mark.parametrize(
    ("language", "locale"),
    [("ja-JP", "ja"), ("zh", "zh_Hans"), ("zh-Hans", "zh_Hans"), ("zh_CN", "zh_Hans"),
     ("zh-Hans-CN", "zh_Hans"), ("de-AT", "de"), ("FR", "fr"), ("es-419", "es"),
     ("en-GB", "en"), ("zh-Hant", None), ("zh-TW", None), ("pt-BR", None), ("", None)],
)  # fmt: skip
def test_theme_language_maps_to_a_shipped_locale(language: str, locale: str | None) -> None:
    assert i18n.locale_for(language) == locale
    assert i18n.resolve(language) == (locale or "en")


def test_an_unknown_language_is_english_with_a_lint_warning(tmp_path: Path) -> None:
    from generator.authoring.lint import lint

    config = _site(tmp_path, "pt-BR")
    problems = lint(read_mkdocs_yml(config), config.parent, NOW)
    said = [str(p) for p in problems if p.field == "theme.language"]
    assert said and said[0].startswith("mkdocs.yml: warning: theme.language: 'pt-BR'")
    site = build_site(config, site_dir=tmp_path / "site", now=NOW)
    assert "All Systems Operational" in (site / "badge.svg").read_text(encoding="utf-8")


def test_the_english_site_has_no_language_warning(tmp_path: Path) -> None:
    from generator.authoring.lint import lint

    config = _site(tmp_path, "en")
    assert not [p for p in lint(read_mkdocs_yml(config), config.parent, NOW) if p.field]


# --- the example site in each language ------------------------------------------------


def _site(root: Path, language: str) -> Path:
    """The example site with ``theme.language`` set and the nav's titles left to the pages."""
    config = copy_site(root / "src", EXAMPLE / "incidents")
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["theme"]["language"] = language
    data["nav"] = [next(iter(entry.values())) for entry in data["nav"]]
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return config


class _Text(HTMLParser):
    """The text nodes of a page, outside scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")
        for name, value in attrs:
            if name in ("title", "alt", "aria-label") and value:
                self.nodes.append(value)

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.nodes.append(" ".join(data.split()))


def _authored(site_src: Path) -> str:
    """Every text the site's authors wrote: incidents, configuration, their own pages."""
    parts = [p.read_text(encoding="utf-8") for p in (site_src.parent / "incidents").rglob("*.md")]
    parts += [(site_src.parent / "mkdocs.yml").read_text(encoding="utf-8")]
    parts += [p.read_text(encoding="utf-8") for p in site_src.rglob("*.md")]
    return " ".join(" ".join(parts).split())


def _english_phrases(locale: str) -> list[str]:
    """The English catalogue's messages as the fixed phrases a page would show,
    less those the language writes alike (``Maintenance`` in French)."""
    said = " ".join(form for m in catalogue(locale) if m.id for form in _forms(m))
    phrases = set()
    for message in catalogue("en"):
        for source in message.id if isinstance(message.id, tuple) else (message.id,):
            for piece in _FIELD.split(source or ""):
                piece = piece.strip(" :;,.()[]–·")
                if len(piece) >= 4 and piece not in UNTRANSLATED and re.search("[a-z]{2}", piece):
                    phrases.add(piece)
    phrases = {p for p in phrases if not re.search(rf"(?<!\w){re.escape(p)}(?!\w)", said, re.I)}
    return sorted(phrases, key=len, reverse=True)


def _english_left(nodes: list[str], authored: str, phrases: list[str]) -> list[tuple[str, str]]:
    found = []
    for node in nodes:
        node = re.sub(r"https?://\S+", "", node)
        if node in authored:
            continue
        for phrase in phrases:
            if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", node):
                found.append((phrase, node))
                break
    return found


@pytest.fixture(scope="module", params=LANGUAGES, ids=[lang for lang, _, _ in LANGUAGES])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    language, locale, lang = request.param
    work = tmp_path_factory.mktemp(f"site-{language}")
    config = _site(work, language)
    site = build_site(config, site_dir=work / "site", now=NOW)
    return site, work / "src" / "site_src", locale, lang


def test_every_page_says_its_language(built) -> None:  # type: ignore[no-untyped-def]
    site, _, _, lang = built
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        head = page.read_text(encoding="utf-8")[:500]
        assert f'<html lang="{lang}"' in head, page.relative_to(site)


def test_no_english_word_of_the_generator_is_left_on_the_pages(built) -> None:  # type: ignore[no-untyped-def]
    site, site_src, locale, _ = built
    authored, phrases = _authored(site_src), _english_phrases(locale)
    left = {}
    for page in sorted(site.rglob("*.html")):
        parser = _Text()
        parser.feed(page.read_text(encoding="utf-8"))
        found = _english_left(parser.nodes, authored, phrases)
        if found:
            left[page.relative_to(site).as_posix()] = found[:3]
    assert left == {}


def test_feed_and_calendar_titles_are_translated(built) -> None:  # type: ignore[no-untyped-def]
    site, site_src, locale, _ = built
    authored, phrases = _authored(site_src), _english_phrases(locale)
    texts = []
    for name in ("feed.rss", "feed.atom", "components/api/feed.atom"):
        feed = feedparser.parse((site / name).read_bytes())
        texts += [feed.feed.get("title", ""), feed.feed.get("subtitle", "")]
        texts += [entry.title for entry in feed.entries]
    data = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    texts += [data["title"], data["description"], *(item["title"] for item in data["items"])]
    calendar = icalendar.Calendar.from_ical((site / "maintenance.ics").read_bytes())
    texts.append(str(calendar["X-WR-CALNAME"]))
    for event in calendar.walk("VEVENT"):
        texts += str(event["DESCRIPTION"]).split("\n")
    texts += [json.loads((site / "badge.json").read_text(encoding="utf-8"))["message"]]
    pieces = [p.strip() for text in texts for p in re.split(r"：|:\s", text) if p.strip()]
    assert _english_left(pieces, authored, phrases) == []


def test_the_history_search_speaks_the_language(built) -> None:  # type: ignore[no-untyped-def]
    site, _, locale, _ = built
    rows = json.loads((site / "search/incidents.json").read_text(encoding="utf-8"))["incidents"]
    with i18n.speaking(locale):
        from generator.core.model import UpdateStatus

        resolved = UpdateStatus.RESOLVED.label
    assert rows and all(" · " in row[2] for row in rows)
    assert any(row[2].endswith(f" · {resolved}") for row in rows)
    assert not any(row[2].endswith(" · Resolved") for row in rows)


def test_the_api_keeps_statuspage_vocabulary(built) -> None:  # type: ignore[no-untyped-def]
    site = built[0]
    status = json.loads((site / "api/v2/status.json").read_text(encoding="utf-8"))["status"]
    assert status["description"] in {
        "All Systems Operational", "Service Under Maintenance", "Minor Service Outage",
        "Partial System Outage", "Major System Outage",
    }  # fmt: skip


# --- announcements, the report and formats --------------------------------------------

ANNOUNCED = """\
---
title: Elevated error rates on the API
impact: major
components: [api]
scope: Customers in the EU region
workaround: Retry with back-off.
next_update: 2026-11-20 16:00 UTC
---

## Identified · 2026-11-20 14:40 UTC

A faulty configuration change. We are rolling it back.

## Investigating · 2026-11-20 14:20 UTC

We are investigating.
"""


def _announced(tmp_path: Path, language: str):  # type: ignore[no-untyped-def]
    from generator.announce import select
    from generator.core.times import parse_time

    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Example Status\nsite_url: https://status.example.com/\n"
        f"theme: {{name: material, language: {language}}}\n"
        "plugins:\n  - statuspage:\n      components:\n        - {id: api, name: REST API}\n",
        encoding="utf-8",
    )
    (tmp_path / "incidents").mkdir()
    (tmp_path / "incidents" / "2026-11-20-api-errors.md").write_text(ANNOUNCED, encoding="utf-8")
    config = read_mkdocs_yml(tmp_path / "mkdocs.yml")
    now = parse_time("2026-11-20 15:00 UTC", config.timezone)
    [item] = select(config, tmp_path, now, ["2026-11-20-api-errors"])
    return item


def test_announcements_speak_the_site_language(tmp_path: Path) -> None:
    from generator.announce import render

    a = _announced(tmp_path, "ja")
    assert render.email_subject(a) == "[ステータス] Elevated error rates on the API：原因特定"
    text = render.email_text(a)
    page = "https://status.example.com/incidents/2026-11-20-api-errors/"
    for said in (
        "ステータス：原因特定（2026/11/20 14:40 UTC）",
        "影響範囲：Customers in the EU region",
        "当面の回避策：Retry with back-off.",
        "次回の更新：2026/11/20 16:00 UTCまで",
        f"経緯の詳細：{page}",
    ):
        assert said in text
    assert '<html lang="ja">' in render.email_html(a)
    assert "<strong>影響範囲：</strong>" in render.email_html(a)
    assert render.social_post(a).startswith("Elevated error rates on the API：原因特定\n\n")
    slack = json.dumps(render.slack_payload(a), ensure_ascii=False)
    assert "*影響範囲：*" in slack and "で経緯の詳細を見る" in slack
    assert render.discord_payload(a)["embeds"][0]["fields"][0]["name"] == "ステータス"


def test_announcements_in_english_are_as_before(tmp_path: Path) -> None:
    from generator.announce import render

    a = _announced(tmp_path, "en")
    assert render.email_subject(a) == "[Status] Elevated error rates on the API: Identified"
    assert "Next update: by 2026-11-20 16:00 UTC" in render.email_text(a)
    assert "What you can do meanwhile: Retry with back-off." in render.email_text(a)


def test_the_report_speaks_the_site_language(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    config = _site(tmp_path, "de")
    args = ["report", "--config", str(config), "--now", "2026-11-23 09:00 UTC"]
    text = CliRunner().invoke(main, args, catch_exceptions=False).stdout
    assert text.startswith("Zuverlässigkeitsbilanz von Acme Cloud Status: Juni 2026 bis Nov. 2026")
    for said in ("8 Störungen; 1 Wartungsfenster nicht bewertet.", "Pro Monat", "Nach Komponente",
                 "Erste Meldung (Median / Mittel)", "Gesamt"):  # fmt: skip
        assert said in text
    markdown = CliRunner().invoke(main, [*args, "--format", "markdown"]).stdout
    assert "## Pro Störung" in markdown
    data = json.loads(CliRunner().invoke(main, [*args, "--format", "json"]).stdout)
    assert data["incidents"][0]["impact"] in ("minor", "major", "critical", "none")


@pytest.mark.parametrize(
    ("locale", "time", "duration", "day", "month"),
    [
        ("en", "2026-11-20 14:05 CET", "2 h 5 min", "Friday 20 November 2026", "November 2026"),
        ("ja", "2026/11/20 14:05 CET", "2 時間 5 分", "2026年11月20日金曜日", "2026年11月"),
        ("zh_Hans", "2026/11/20 14:05 CET", "2小时5分钟", "2026年11月20日星期五", "2026年11月"),
        ("de", "20.11.2026 14:05 CET", "2 Std., 5 Min.", "Freitag, 20. November 2026",
         "November 2026"),
        ("fr", "20/11/2026 14:05 CET", "2 h et 5 min", "vendredi 20 novembre 2026",
         "novembre 2026"),
        ("es", "20/11/2026 14:05 CET", "2 h 5 min", "viernes, 20 de noviembre de 2026",
         "noviembre de 2026"),
    ],
)  # fmt: skip
def test_times_and_durations_follow_cldr(
    locale: str, time: str, duration: str, day: str, month: str
) -> None:
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from generator.core.times import display_time, format_day, format_duration, format_month

    moment = datetime(2026, 11, 20, 13, 5, tzinfo=UTC)
    with i18n.speaking(locale):
        assert display_time(moment, ZoneInfo("Europe/Paris")) == time
        said = format_duration(timedelta(hours=2, minutes=5))
        assert said.replace("\u202f", " ").replace("\xa0", " ") == duration
        assert format_day(moment.date()) == day
        assert format_month(moment.date()) == month
    assert display_time(moment, ZoneInfo("UTC")) == "2026-11-20 13:05 UTC"  # English outside


def test_a_language_spoken_in_one_thread_stays_there() -> None:
    import threading

    from generator.core.model import UpdateStatus

    seen: list[str] = []
    with i18n.speaking("de"):
        worker = threading.Thread(target=lambda: seen.append(UpdateStatus.RESOLVED.label))
        worker.start()
        worker.join()
        assert UpdateStatus.RESOLVED.label == "Behoben"
    assert seen == ["Resolved"]
    assert UpdateStatus.RESOLVED.heading == "Resolved"


def test_the_same_instant_in_two_zones_is_two_times() -> None:
    from zoneinfo import ZoneInfo

    from generator.core.times import display_time

    moment = datetime(2026, 11, 20, 13, 5, tzinfo=UTC)
    with i18n.speaking("de"):
        paris = display_time(moment, ZoneInfo("Europe/Paris"))
        tokyo = display_time(moment, ZoneInfo("Asia/Tokyo"))
    assert (paris, tokyo) == ("20.11.2026 14:05 CET", "20.11.2026 22:05 JST")
