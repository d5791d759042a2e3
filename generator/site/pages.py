"""The status site's pages as HTML fragments, from the computed status.

Each page is rendered lazily from a Jinja template that receives computed
objects only. Links are relative to the page, so the site works under any
``site_url`` path and on any static host. Incident text goes through
:mod:`generator.html` (sanitised) before it reaches a template.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime
from functools import cache, cached_property, partial
from typing import Any

from markupsafe import Markup, escape

from .. import report
from ..authoring.policy import describe
from ..core import urls
from ..core.facts import incident_facts
from ..core.i18n import _, html_lang, in_language, resolve, speaking, translations
from ..core.memo import Part
from ..core.model import WebhookFormat
from ..core.settings import Component, SiteConfig
from ..core.status import IncidentView, SiteStatus, next_update
from ..core.timeline import Month, Timeline, Year, build_timeline, reliability_window
from ..core.times import display_time, format_day, zone_name
from ..outputs import feed_links
from ..outputs.agents import markdown_part
from ..outputs.feeds import COMPONENT_FEEDS, SITE_FEEDS
from . import layout as assets
from .days import Day, component_days, component_groups, recent_days, timeline
from .layout import Chrome, Layout, edit_url
from .search import (
    SearchEntry,
    entries_part,
    fragment_text,
    history_row_part,
    incident_entries,
    incident_index,
    page_entry,
    paragraphs,
)
from .share import incident_head
from .spec import PageSpec
from .templating import environment

#: The badge snippet the Subscribe page offers for copying; the autoescaping
#: environment keeps a site name with quotes or ``&`` from breaking it.
EMBED_SNIPPET = '<a href="{{ home }}"><img src="{{ badge }}" alt="{{ name }}"></a>'
#: The banner script and the iframe, offered the same way.
EMBED_SCRIPT_SNIPPET = '<script src="{{ script }}" async></script>'
EMBED_FRAME_SNIPPET = (
    '<iframe src="{{ frame }}" title="{{ name }}" width="100%" height="160"'
    ' style="border:0"></iframe>'
)

#: Months shown in full on /history/; older months have a page each.
HISTORY_MONTHS_ON_INDEX = 3


class SiteRenderer:
    """Renders every generated page of one build."""

    def __init__(
        self,
        config: SiteConfig,
        status: SiteStatus,
        directory_urls: bool = True,
        layout: Layout | None = None,
    ):
        self.config = config
        self.status = status
        self.layout = layout or Layout()
        self.timeline: Timeline = build_timeline(config, status)
        self.directory_urls = directory_urls
        self._times: dict[str, Markup] = {}
        self._fragments: dict[str, str] = {}  # rendered content of pages the theme indexed
        self._headers: dict[tuple[str, str | None, bool], Markup] = {}
        self.env = environment()
        self.gettext = translations(config.language).gettext
        self.env.install_gettext_translations(  # type: ignore[attr-defined]
            translations(config.language), newstyle=True
        )
        self.env.filters["next_update"] = lambda view: next_update(view, config, status.now)
        self.env.filters["facts"] = lambda view: incident_facts(view, config.timezone)
        self.env.filters["events"] = lambda view: timeline(view, config.timezone, status.now)
        self.env.globals["day_label"] = cache(partial(format_day, locale=resolve(config.language)))

    def pages(self) -> Iterator[PageSpec]:
        """Every generated page: the listed pages, then months, components, incidents."""
        with speaking(self.config.language):
            specs = list(self._pages())
        language = self.config.language
        return iter([replace(spec, render=in_language(language, spec.render)) for spec in specs])

    def _pages(self) -> Iterator[PageSpec]:
        yield from self._listed_pages()
        for month in self.timeline.months:
            yield PageSpec(
                f"history/{month.key}/index.md",
                _("Incidents in {month}").format(month=month.label),
                False,
                partial(self._month, month),
                search=paragraphs(month.summary()),
            )
        yield from self._archive_pages()
        for component in self.config.components:
            yield PageSpec(
                f"components/{component.id}/index.md",
                component.name,
                False,
                partial(self._component, component),
                search=paragraphs(
                    component.description,
                    component.group or "",
                    _("Status, uptime and incidents of {component}.").format(
                        component=component.name
                    ),
                ),
            )
        for view in self.status.views:
            yield PageSpec(
                f"incidents/{view.incident.id}/index.md",
                view.incident.title,
                False,
                partial(self._incident, view),
                incident=view.incident,
            )

    def _archive_pages(self) -> Iterator[PageSpec]:
        """A reliability page per year, and per component a page per year."""
        for number in self.timeline.years:
            yield PageSpec(
                urls.reliability_path(number) + "index.md",
                f"Reliability in {number}",
                False,
                partial(self._reliability, number),
                search=paragraphs(f"The reliability scorecard of {number}."),
            )
        for component in self.config.components:
            years = self.timeline.component_years[component.id]
            for index, year in enumerate(years):
                yield PageSpec(
                    urls.component_year_path(component.id, year.year) + "index.md",
                    f"{component.name}: incidents in {year.year}",
                    False,
                    partial(self._component_year, component, years, index),
                    search=paragraphs(f"Incidents of {component.name} in {year.year}."),
                )

    def _listed_pages(self) -> Iterator[PageSpec]:
        """The pages in the navigation."""
        yield PageSpec("index.md", _("Status"), True, self._home)
        yield PageSpec(
            "history/index.md",
            _("History"),
            True,
            self._history_index,
            search=paragraphs(_("Every incident and maintenance window, newest first, by month.")),
        )
        yield PageSpec(
            "reliability/index.md",
            _("Reliability"),
            True,
            partial(self._reliability, None),
            search=paragraphs(
                _(
                    "How often our services had incidents, and how well we kept customers "
                    "informed: first update, updates on cadence, time to resolve, postmortems."
                )
            ),
        )
        yield PageSpec("policy/index.md", _("How we communicate"), True, self._policy)
        yield PageSpec("contact/index.md", _("Contact"), True, self._contact)
        yield PageSpec("subscribe/index.md", _("Subscribe"), True, self._subscribe)
        yield PageSpec("embed/index.md", _("Embed"), False, self._embed, indexed=False)

    def search_entries(self, specs: Iterable[PageSpec]) -> Iterator[SearchEntry]:
        """Search index entries of those ``specs`` the theme's search leaves to us
        (the pages built: a page of the same name in ``docs_dir`` wins)."""
        return (entry for group in self.search_groups(specs) for entry in group)

    def search_groups(self, specs: Iterable[PageSpec]) -> list[list[SearchEntry]]:
        """:meth:`search_entries` by page; an unchanged incident's list is the
        very list kept for it (:mod:`generator.core.memo`)."""
        with speaking(self.config.language):
            return list(self._search_groups(specs))

    def _search_groups(self, specs: Iterable[PageSpec]) -> Iterator[list[SearchEntry]]:
        specs = list(specs)
        views = {view.incident.id: view for view in self.status.views}
        wanted = [views[spec.incident.id] for spec in specs if spec.incident and spec.indexed]
        made = incident_entries(self.config, wanted, self.status.now, self.page_url)
        entries = {view.incident.id: found for view, found in zip(wanted, made, strict=True)}
        for spec in specs:
            if not spec.indexed:
                continue
            if spec.incident is not None:
                yield entries[spec.incident.id]
            elif spec.search is not None:
                yield [page_entry(self.page_url(spec.path), spec.title, spec.search)]
            elif spec.path in self._fragments:
                text = fragment_text(self._fragments[spec.path])
                yield [page_entry(self.page_url(spec.path), spec.title, text)]

    def incident_parts(self, theme: bool) -> list[Part[Any]]:
        """What each incident adds to the site's files besides its page: its
        Markdown, its History row and, with the theme's search (``theme``), its
        entries there; each kept per incident (:mod:`generator.core.memo`)."""
        parts: list[Part[Any]] = [
            markdown_part(self.config, self.status),
            history_row_part(self.config),
        ]
        if theme:
            parts.append(entries_part(self.config, self.page_url))
        return parts

    def search_index(self) -> bytes:
        """The History page's search index (:func:`search.incident_index`)."""
        with speaking(self.config.language):
            return incident_index(self.config, self.status.views, self.status.now)

    # pages

    def documents(self) -> Iterator[tuple[str, bytes]]:
        """Every generated page as ``(site path of the file, document)``."""
        for spec in self.pages():
            yield spec.dest, spec.render().encode("utf-8")

    def _home(self) -> str:
        status = self.status
        return self._render(
            "home.html",
            "",
            Chrome("", ""),
            active=status.active_incidents,
            maintenance=status.active_maintenance,
            upcoming=status.upcoming_maintenance,
            groups=component_groups(self.config, self.status),
            days=self._days,
            recent=recent_days(self.timeline.recent_days),
        )

    def _history_index(self) -> str:
        months = self.timeline.months
        return self._render(
            "history.html",
            "history/",
            Chrome(self.gettext("History"), "history/", scripts=(assets.SEARCH_SCRIPT,)),
            shown=months[:HISTORY_MONTHS_ON_INDEX],
            months=months,
        )

    def _month(self, month: Month) -> str:
        keys = [m.key for m in self.timeline.months]
        index = keys.index(month.key)
        newer = self.timeline.months[index - 1] if index > 0 else None
        older = self.timeline.months[index + 1] if index + 1 < len(keys) else None
        trail = ((self.gettext("Status"), ""), (self.gettext("History"), "history/"))
        return self._render(
            "month.html",
            urls.history_path(month.key),
            Chrome(month.label, "history/", trail),
            month=month,
            newer=newer,
            older=older,
        )

    def _component(self, component: Component) -> str:
        trail = ((self.gettext("Status"), ""),)
        return self._render(
            "component.html",
            urls.component_path(component.id),
            Chrome(component.name, "", trail),
            component=component,
            state=self.status.components[component.id],
            days=self._days[component.id],
            maintenance=[
                view
                for view in [*self.status.active_maintenance, *self.status.upcoming_maintenance]
                if component in view.incident.components
            ],
            views=self.timeline.recent_for(component.id),
            years=self.timeline.component_years[component.id],
        )

    def _component_year(self, component: Component, years: tuple[Year, ...], index: int) -> str:
        year = years[index]
        trail = ((self.gettext("Status"), ""), (component.name, urls.component_path(component.id)))
        return self._render(
            "component_year.html",
            urls.component_year_path(component.id, year.year),
            Chrome(f"{component.name}: {year.year}", "", trail),
            component=component,
            year=year,
            newer=years[index - 1] if index > 0 else None,
            older=years[index + 1] if index + 1 < len(years) else None,
        )

    def _incident(self, view: IncidentView) -> str:
        incident = view.incident
        return self._render(
            "incident.html",
            urls.incident_path(incident.id),
            self._incident_chrome(view),
            view=view,
            incident=incident,
            updates=timeline(view, self.config.timezone, self.status.now),
            next=next_update(view, self.config, self.status.now),
            facts=incident_facts(view, self.config.timezone),
            calendar=urls.incident_path(incident.id) + "event.ics"
            if incident.is_maintenance
            else None,
        )

    def _incident_chrome(self, view: IncidentView) -> Chrome:
        incident = view.incident
        month = incident.began_at.astimezone(self.config.timezone).strftime("%Y-%m")
        label = self._month_labels.get(month)
        trail = [(self.gettext("Status"), ""), (self.gettext("History"), "history/")]
        if label is not None:
            trail.append((label, urls.history_path(month)))
        config = self.config
        edit = edit_url(config.repo_url, config.edit_uri, self.layout.root, incident.path)
        url = urls.absolute(config, self.page_url(urls.incident_path(incident.id)))
        head = incident_head(config, view, url)
        return Chrome(incident.title, "history/", tuple(trail), head=head, edit_url=edit)

    def _reliability(self, year: int | None) -> str:
        """The last twelve months, or one year's (``year``) scorecard."""
        if year is None:
            today = self.status.now.astimezone(self.config.timezone).date()
            since, until = reliability_window(today, self.timeline.first_day), None
        else:
            since, until = date(year, 1, 1), date(year, 12, 31)
        card = report.build_scorecard(self.config, self.status.views, self.status.now, since, until)
        scored = card.total.incidents or card.total.maintenance
        figures = report.page_figures(card) if scored else []
        tables = report.scorecard_tables(card, self.config)
        path = urls.reliability_path(year)
        title = self.gettext("Reliability") + (f" {year}" if year else "")
        return self._render(
            "reliability.html",
            path,
            Chrome(title, "reliability/"),
            year=year,
            years=self.timeline.years,
            covers=report.heading(card, self.config)[1],
            figures=[replace(f, svg=Markup(f.svg)) for f in figures],
            figures_shown=bool(figures),
            tables=[t.for_page(lambda p: self._link("../" * path.count("/"), p)) for t in tables],
            postmortem_within=describe(self.config).postmortem_within,
        )

    def _policy(self) -> str:
        chats = [w for w in self.config.announce.webhooks if w.format is not WebhookFormat.JSON]
        return self._render(
            "policy.html",
            "policy/",
            Chrome(self.gettext("How we communicate"), "policy/"),
            text=describe(self.config),
            announce_email=self.config.announce.smtp is not None,
            announce_chat=", ".join(sorted({w.format.value.capitalize() for w in chats})),
        )

    def _contact(self) -> str:
        return self._render("contact.html", "contact/", Chrome(self.gettext("Contact"), "contact/"))

    def _embed(self) -> str:
        status = self.status
        return self._render(
            "embed.html",
            "embed/",
            Chrome(self.config.name, None),
            frame="embed_frame.html",
            views=[*status.active_incidents, *status.active_maintenance],
        )

    def _subscribe(self) -> str:
        config = self.config
        return self._render(
            "subscribe.html",
            "subscribe/",
            Chrome(self.gettext("Subscribe"), "subscribe/"),
            site_feeds=SITE_FEEDS,
            components=[
                (
                    c,
                    [
                        (mime, kind, urls.component_path(c.id) + href)
                        for mime, kind, href in COMPONENT_FEEDS
                    ],
                )
                for c in config.components
            ],
            absolute=lambda path: urls.absolute(config, path),
            embed=self._snippet(EMBED_SNIPPET),
            embed_script=self._snippet(EMBED_SCRIPT_SNIPPET),
            embed_frame=self._snippet(EMBED_FRAME_SNIPPET),
        )

    # helpers

    def _snippet(self, source: str) -> str:
        """One of the snippets the Subscribe page offers for copying, for this site."""
        config = self.config
        return self.env.from_string(source).render(
            home=urls.absolute(config, ""),
            badge=urls.absolute(config, "badge.svg"),
            script=urls.absolute(config, assets.EMBED_SCRIPT),
            frame=urls.absolute(config, "embed/"),
            name=config.name,
        )

    @cached_property
    def _month_labels(self) -> dict[str, str]:
        return {month.key: month.label for month in self.timeline.months}

    @cached_property
    def _days(self) -> dict[str, tuple[Day, ...]]:
        return component_days(self.status, self.config.timezone)

    def _render(
        self,
        template: str,
        path: str,
        chrome: Chrome,
        frame: str = "layout.html",
        **context: Any,
    ) -> str:
        """The page's template inside the layout: a complete document for site ``path``."""
        root = "../" * path.count("/")
        common = {
            "config": self.config,
            "status": self.status,
            "root": root,
            "path": path,
            "link": lambda target: self._link(root, target) or "./",
            "when": self._time,
            "lang": html_lang(self.config.language),
            "zone": zone_name(self.config.timezone, self.status.now),
        }
        content = self.env.get_template(template).render(**common, **context)
        if path.count("/") <= 1:  # listed pages: their text is their index entry
            self._fragments[path] = content
        return self.env.get_template(frame).render(
            **common,
            content=Markup(content),
            header=self._header(common, chrome.tab),
            chrome=chrome,
            layout=self.layout,
            asset=assets,
            canonical=urls.absolute(self.config, self.page_url(path)),
            feeds=feed_links(self.config),
        )

    def _header(self, common: dict[str, Any], active: str | None) -> Markup:
        """The frame's brand bar and tabs (``_header.html``), rendered once for
        each depth and active tab: thousands of incident pages share one."""
        key = (common["root"], active, active == common["path"])
        header = self._headers.get(key)
        if header is None:
            page = self.env.get_template("_header.html")
            header = Markup(page.render(**common, layout=self.layout, active=active, here=key[2]))
            self._headers[key] = header
        return header

    def page_url(self, path: str) -> str:
        """A site path as MkDocs writes page URLs (``use_directory_urls`` or not)."""
        return self._link("", path)

    def _link(self, root: str, path: str) -> str:
        if (path.endswith("/") or not path) and not self.directory_urls:
            path += "index.html"
        return root + path

    def _time(self, moment: datetime | None, rel: bool = False) -> Markup:
        """``<time>`` in the site's zone; with ``rel``, the script adds "12 min ago".

        Memoised, as lists repeat the same times.
        """
        if moment is None:
            return Markup("")
        key = f"{moment.isoformat()} {rel}"
        cached = self._times.get(key)
        if cached is None:
            shown = escape(display_time(moment, self.config.timezone))
            rel_attribute = " data-rel" if rel else ""
            cached = Markup(f'<time datetime="{moment.isoformat()}"{rel_attribute}>{shown}</time>')
            self._times[key] = cached
        return cached
