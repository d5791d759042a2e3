"""The generator's settings: the ``statuspage`` plugin block of ``mkdocs.yml``.

The schema is declared once, as the configuration models of
:mod:`generator.core.model`; this module validates the plugin's options with
it and turns every problem into ``mkdocs.yml:LINE: plugins.statuspage.FIELD:
message`` in our own words, all of them in one run. The CLI reads
``mkdocs.yml`` as MkDocs does (:mod:`generator.core.mkdocs_yml`); the MkDocs
plugin passes the options MkDocs read to :func:`site_config`.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic import ValidationError as PydanticError
from pydantic_core import ErrorDetails

from .config_types import did_you_mean
from .errors import Problem, ValidationError
from .links import link_scheme
from .mkdocs_yml import PLUGIN_NAME, ConfigLines, read_mkdocs_yml_file
from .settings import EMAIL_TARGET as EMAIL_TARGET
from .settings import SiteConfig, StatusPageOptions
from .sources import unpublishable

#: The site's address when ``mkdocs.yml`` gives none (``mkdocs serve``'s).
LOCAL_URL = "http://localhost:8000/"


def site_config(
    options: object,
    *,
    site_name: str,
    site_url: str,
    repo_url: str = "",
    edit_uri: str = "",
    language: str = "en",
    source: str = "mkdocs.yml",
    lines: ConfigLines | None = None,
) -> SiteConfig:
    """Validate the plugin ``options`` into a :class:`SiteConfig`.

    Raises :class:`ValidationError` with every problem found; ``lines`` says
    where each option stands (in ``source`` or a file it inherits from).
    """
    lines = lines or ConfigLines.unknown(source)
    problems = _site_problems(lines, site_name, site_url, repo_url)
    if isinstance(options, dict):
        # An empty value (``timezone:``, an ``!ENV`` of an unset variable) means
        # the default, as it does for MkDocs' own options.
        options = {key: value for key, value in options.items() if value is not None}
    try:
        parsed = StatusPageOptions.model_validate(options or {})
    except PydanticError as exc:
        problems += [_problem(error, lines) for error in exc.errors()]
    if problems:
        raise ValidationError(problems)
    site = {
        "name": site_name,
        "url": site_url,
        "repo_url": repo_url,
        "edit_uri": edit_uri,
        "language": language,
    }
    return SiteConfig.model_validate({**dict(parsed), **site})


def _site_problems(lines: ConfigLines, name: str, url: str, repo_url: str) -> list[Problem]:
    """What is wrong with the MkDocs keys the generator uses."""
    problems = [
        Problem(*lines.where(key), key, f"{value!r} must start with https: or http:")
        for key, value in (("site_url", url), ("repo_url", repo_url))
        if value and link_scheme(value) not in ("https", "http")
    ]
    code = unpublishable(name)
    if code:
        message = f"control character {code} cannot be published"
        problems.append(Problem(*lines.where("site_name"), "site_name", message))
    return problems


def read_mkdocs_yml(path: Path) -> SiteConfig:
    """The :class:`SiteConfig` of ``path``, read as MkDocs reads it (``!ENV``, ``INHERIT``)."""
    data, lines = read_mkdocs_yml_file(path)
    options = _plugin_options(data.get("plugins"))
    if options is None:
        raise ValidationError(
            [Problem(*lines.where("plugins"), "plugins", f"no '{PLUGIN_NAME}' plugin configured")]
        )
    return site_config(
        options,
        site_name=str(data.get("site_name") or "Status"),
        site_url=str(data.get("site_url") or LOCAL_URL),
        repo_url=str(data.get("repo_url") or ""),
        edit_uri=str(data.get("edit_uri") or ""),
        language=_theme_language(data.get("theme")),
        source=path.name,
        lines=lines,
    )


def _theme_language(theme: object) -> str:
    """``theme.language``, as MkDocs reads it (``en`` when not set)."""
    if isinstance(theme, dict):
        return str(theme.get("language") or "en")
    return "en"


def _plugin_options(plugins: object) -> object | None:
    entries: list[Any] = []
    if isinstance(plugins, dict):
        entries = [{k: v} for k, v in plugins.items()]
    elif isinstance(plugins, list):
        entries = plugins
    for entry in entries:
        if entry == PLUGIN_NAME:
            return {}
        if isinstance(entry, dict) and PLUGIN_NAME in entry:
            return entry[PLUGIN_NAME] or {}  # site_config refuses what is not a mapping
    return None


def _problem(error: ErrorDetails, lines: ConfigLines) -> Problem:
    loc = tuple(error["loc"])
    field = ".".join(map(str, ("plugins", PLUGIN_NAME, *loc)))
    return Problem(*lines.where(PLUGIN_NAME, *loc), field, _message(error))


def _message(error: ErrorDetails) -> str:
    """What is wrong, in our words: never pydantic's ("Input should be …")."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", ""))
    if kind == "extra_forbidden":
        return _unknown_key(tuple(error["loc"]))
    if kind == "missing":
        return "missing; this setting is required here"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = "at least" if kind == "greater_than_equal" else "at most"
        return f"{value!r} is out of range: it must be {bound} {ctx.get('ge', ctx.get('le'))}"
    expected = _EXPECTED.get(kind.split("_", 1)[0], "a different value")
    return f"must be {expected}, not {value!r}"


#: What a setting must be, by the first word of pydantic's error type
#: (``string_type``, ``int_parsing``, ``model_attributes_type``…).
_EXPECTED = {
    "string": "text",
    "int": "a whole number",
    "bool": "true or false",
    "tuple": "a list",
    "list": "a list",
    "model": "a mapping of settings",
    "dict": "a mapping of settings",
    "path": "a path",
}


def _unknown_key(loc: tuple[str | int, ...]) -> str:
    known = sorted(_keys(StatusPageOptions, loc[:-1]))
    hint = did_you_mean(str(loc[-1]), known)
    return f"unknown setting{hint}" if hint else f"unknown setting; known here: {', '.join(known)}"


def _keys(model: type[BaseModel], loc: tuple[str | int, ...]) -> Iterator[str]:
    """The keys the schema accepts inside ``loc`` of ``model``."""
    for part in loc:
        if isinstance(part, int):
            continue  # an item of a list: the same model as the list's
        field = next(f for name, f in model.model_fields.items() if part in (name, f.alias))
        model = _model_in(field.annotation)
    return (field.alias or name for name, field in model.model_fields.items())


def _model_in(annotation: object) -> type[BaseModel]:
    """The model inside an annotation such as ``tuple[Component, ...]`` or ``X | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        if argument is not types.NoneType and argument is not Ellipsis:
            return _model_in(argument)
    raise LookupError(f"no model in {annotation!r}")
