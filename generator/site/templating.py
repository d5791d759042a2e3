"""The autoescaping Jinja environment of the status pages, compiled once per process."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from jinja2 import BytecodeCache, Environment, PackageLoader, StrictUndefined, select_autoescape
from jinja2.bccache import Bucket
from markupsafe import Markup

from .. import report
from ..core import urls
from ..core.facts import pills
from ..core.html import render_markdown
from ..core.i18n import spoken
from ..core.model import ComponentStatus, Impact, UpdateStatus
from ..core.status import IncidentView
from ..core.times import format_duration
from .days import ACTIVE_CARDS, SHOWN_PER_DAY, quote


class _CompiledTemplates(BytecodeCache):
    """Templates compiled once per process: a preview makes a renderer per save."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator.site", "templates"),
        bytecode_cache=_COMPILED,
        auto_reload=False,  # the package's templates do not change under a build
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.filters.update(
        markdown=lambda text: Markup(render_markdown(text)),
        duration=format_duration,
        minutes=lambda n: format_duration(timedelta(minutes=n)),
        quote=quote,
        percent=lambda share: report.percent(share, 2),
    )
    env.globals.update(
        urls=urls,
        Impact=Impact,
        UpdateStatus=UpdateStatus,
        ComponentStatus=ComponentStatus,
        status_class=status_class,
        shown_per_day=SHOWN_PER_DAY,
        active_cards=ACTIVE_CARDS,
    )
    env.filters["pills"] = pills
    env.globals.update(pill=pill, pills=pill_row)
    return env


def pill(value: Impact | UpdateStatus | ComponentStatus, label: str | None = None) -> Markup:
    """A status in words, coloured by its class: ``<span class="sp-pill …">Major</span>``."""
    return _pill(value, label, spoken())


@lru_cache(maxsize=4096)  # a page shows a dozen; a build, thousands of the same
def _pill(value: Impact | UpdateStatus | ComponentStatus, label: str | None, _: str) -> Markup:
    return Markup('<span class="sp-pill {}">{}</span>').format(
        status_class(value), label or value.label
    )


def pill_row(view: IncidentView) -> Markup:
    """An incident's pills (impact, status...), as :func:`generator.core.facts.pills` lists them."""
    return Markup(" ").join(pill(value, label) for value, label in pills(view))


def status_class(value: Impact | UpdateStatus | ComponentStatus) -> str:
    """CSS class for a status; colour always comes with the status in words."""
    return f"sp-{type(value).__name__.lower()}-{value.value}"
