"""``statuspage init``: a new repository that is a team's own status page.

The files come from the templates in ``generator/init/templates/``; this
repository's own workflows are the same templates rendered for the demo
(:func:`render_workflows` with ``demo=True``), so both install, check and
publish alike. Writing is all or nothing: files go into a staging folder
beside the target, are checked (the configuration read as every command
reads it), and only then moved into place; nothing is overwritten without
``force``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from jinja2 import Environment, StrictUndefined

from ..core.errors import ArgumentError
from .source import source_url

DISTRIBUTION = "gitstatus-generator"
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

#: Template name -> path in the new repository.
FILES = {
    "mkdocs.yml": "mkdocs.yml",
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "dependabot.yml": ".github/dependabot.yml",
    "workflows/check.yml": ".github/workflows/check.yml",
    "workflows/publish.yml": ".github/workflows/publish.yml",
    "requirements/publish.txt": "requirements/publish.txt",
    "requirements/check.txt": "requirements/check.txt",
    "requirements/uv.txt": "requirements/uv.txt",
}
INSTALL = "python -m uv pip install --system --no-deps --no-build-isolation"
KEEP = "incidents/.gitkeep"


@dataclass(frozen=True)
class ComponentSpec:
    id: str
    name: str
    group: str = ""


@dataclass(frozen=True)
class InitOptions:
    """What ``init`` asks for; checked by :func:`check_options`."""

    name: str
    url: str
    timezone: str
    components: tuple[ComponentSpec, ...]
    requirement: str


def parse_component(text: str) -> ComponentSpec:
    """``api:"Public API"`` (the shell has removed the quotes) -> a component."""
    ident, sep, name = text.partition(":")
    ident, name = ident.strip(), name.strip()
    if not sep or not name:
        raise ArgumentError(f'{text!r} is not id:Name, e.g. api:"Public API"', "--component")
    if not _ID.match(ident):
        raise ArgumentError(
            f"{ident!r} must be lower-case letters, digits, '-' or '_' (used in URLs)",
            "--component",
        )
    return ComponentSpec(ident, name)


def apply_groups(
    components: tuple[ComponentSpec, ...], groups: tuple[str, ...]
) -> tuple[ComponentSpec, ...]:
    """``--group "Platform:api,web"``: put the named components in that group."""
    by_id = {c.id: c for c in components}
    for text in groups:
        title, sep, members = text.partition(":")
        ids = [m.strip() for m in members.split(",") if m.strip()]
        if not sep or not title.strip() or not ids:
            raise ArgumentError(f"{text!r} is not Name:id,id, e.g. Platform:api,web", "--group")
        for ident in ids:
            if ident not in by_id:
                known = ", ".join(by_id) or "none"
                raise ArgumentError(f"{ident!r} is not a --component id ({known})", "--group")
            by_id[ident] = ComponentSpec(ident, by_id[ident].name, title.strip())
    return tuple(by_id[c.id] for c in components)


def check_options(options: InitOptions) -> None:
    """Refuse what would make a broken site, naming the option."""
    if not options.name.strip() or any(ord(ch) < 32 for ch in options.name):
        raise ArgumentError("the site's name must be one line of text", "--name")
    if not re.match(r"^https?://[^/\s]+(/\S*)?/$", options.url):
        raise ArgumentError(
            f"{options.url!r} is not an https:// (or http://) address ending in '/'", "--url"
        )
    check_timezone(options.timezone)
    ids = [c.id for c in options.components]
    if not ids:
        raise ArgumentError(
            'name at least one component: --component api:"Public API"', "--component"
        )
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ArgumentError(f"component id {duplicates[0]!r} is given twice", "--component")


def check_timezone(name: str) -> None:
    try:
        if (name and "/" in name) or name == "UTC":
            ZoneInfo(name)
            return
    except (ZoneInfoNotFoundError, ValueError):
        pass
    close = sorted(z for z in available_timezones() if z.lower().endswith("/" + name.lower()))
    hint = f"; did you mean {close[0]!r}?" if close else " (e.g. Europe/Berlin or UTC)"
    raise ArgumentError(f"{name!r} is not an IANA time zone{hint}", "--timezone")


def _environment() -> Environment:
    """Jinja with ``[[ ]]`` and ``[% %]``, so GitHub's ``${{ }}`` stays text."""
    env = Environment(
        variable_start_string="[[",
        variable_end_string="]]",
        block_start_string="[%",
        block_end_string="%]",
        keep_trailing_newline=True,
        undefined=StrictUndefined,
        autoescape=False,
    )
    env.filters["yaml"] = yaml_quoted
    return env


def yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar: JSON's escapes, which YAML reads alike,
    with every character that is not printable escaped too."""
    quoted = json.dumps(text, ensure_ascii=False)
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in quoted)


def _escape(ch: str) -> str:
    return f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}"


def template_text(name: str) -> str:
    return (resources.files("generator.init") / "templates" / name).read_text(encoding="utf-8")


def render(template: str, **values: object) -> str:
    """A template filled in; lock files are copied as they are."""
    if template.startswith("requirements/"):
        return template_text(template)
    return _environment().from_string(template_text(template)).render(**values)


def render_workflows(*, demo: bool, requirement: str = "") -> dict[str, str]:
    """``check.yml`` and ``publish.yml``: for the demo (installed from its own
    checkout) or for a new repository (the exact package it was made by)."""
    install = f"{INSTALL} -e ." if demo else f"{INSTALL} -r requirements/statuspage.txt"
    values = {"demo": demo, "install_package": install, "version": version(DISTRIBUTION)}
    return {
        FILES[name]: render(name, **values)
        for name in ("workflows/check.yml", "workflows/publish.yml")
    }


def repository_files(options: InitOptions) -> dict[str, str]:
    """Every file of the new repository: its path -> its text."""
    values = {
        "name": options.name,
        "url": options.url,
        "timezone": options.timezone,
        "components": options.components,
        "component_ids": ", ".join(c.id for c in options.components),
        "first_component": options.components[0].id,
        "version": version(DISTRIBUTION),
        "package_link": _link(DISTRIBUTION, source_url(options.requirement)),
    }
    files = {
        path: render(name, **values)
        for name, path in FILES.items()
        if not name.startswith("workflows/")
    }
    files.update(render_workflows(demo=False))
    files["requirements/statuspage.txt"] = (
        "# The exact gitstatus-generator the workflows install (made by statuspage init).\n"
        f"{options.requirement}\n"
    )
    files[KEEP] = ""
    return files


def _link(text: str, url: str) -> str:
    return f"[{text}]({url})" if url else text


def existing(target: Path, files: dict[str, str]) -> list[str]:
    return sorted(p for p in files if (target / p).exists() or (target / p).is_symlink())


def write_repository(
    target: Path, files: dict[str, str], *, force: bool, now: datetime
) -> list[str]:
    """Write ``files`` under ``target``, all or nothing; the paths written.

    They are staged and checked in a folder beside ``target`` first, so a
    failure leaves ``target`` as it was (and no new ``target`` at all).
    """
    clash = existing(target, files)
    if clash and not force:
        shown = ", ".join(clash[:5]) + (", …" if len(clash) > 5 else "")
        raise ArgumentError(f"{target}: {shown} already exist; pass --force to overwrite them")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-init-", dir=target.parent))
    try:
        for path, text in files.items():
            (staging / path).parent.mkdir(parents=True, exist_ok=True)
            (staging / path).write_text(text, encoding="utf-8")
        _check_staged(staging, now)
        staging.chmod(0o755)
        _move_in(staging, target, files)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(files)


def _check_staged(staging: Path, now: datetime) -> None:
    from ..core.config import read_mkdocs_yml
    from ..core.loader import load_incidents

    site = read_mkdocs_yml(staging / "mkdocs.yml")
    load_incidents(site, staging, now).raise_for_errors()


def _move_in(staging: Path, target: Path, files: dict[str, str]) -> None:
    if not target.exists():
        staging.rename(target)
        staging.mkdir()  # for the caller's clean-up
        return
    created = [p for p in files if not (target / p).exists()]
    try:
        for path in files:  # each rename is atomic; a new target got the whole folder above
            (target / path).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / path, target / path)
    except OSError:
        for path in created:  # what was there stays; what was new goes again
            (target / path).unlink(missing_ok=True)
        raise
