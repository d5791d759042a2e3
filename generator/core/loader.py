"""Incident files to validated :class:`Incident` objects.

This is the only module that sees raw frontmatter. Every problem is collected
with its file, line and field, and all files are checked in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from .errors import Problem, Severity, ValidationError
from .frontmatter import TIME_FIELDS, FileContext, Frontmatter, suggest
from .model import (
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    Incident,
    Kind,
    Update,
    UpdateStatus,
)
from .parallel import MIN_JOBS, shared
from .placeholders import placeholder_problems
from .sections import split_frontmatter, split_heading, update_headings
from .settings import SiteConfig
from .sources import MAX_HTML_DEPTH, incident_files, markup_too_deep, read_incident_file
from .strictyaml import Document, YamlError, load_mapping
from .times import EARLIEST, LATEST, TimeFormatError, explained_time, parse_time

#: How far in the future an update may be dated (clock skew between editors).
FUTURE_TOLERANCE = timedelta(minutes=5)

ID_PATTERN = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)$")
_STATUS_NAMES = {
    Kind.INCIDENT: ", ".join(s.heading for s in INCIDENT_STATUSES),
    Kind.MAINTENANCE: ", ".join(s.heading for s in MAINTENANCE_STATUSES),
}
_UNCLOSED = "the '---' block opened here is never closed; add a '---' line after the last field"
_NO_FRONTMATTER = (
    "missing: the file must start with a '---' line, the YAML fields, and a closing '---' line"
)


@dataclass
class LoadResult:
    incidents: list[Incident]
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def raise_for_errors(self) -> None:
        """Errors stop a build; warnings are for ``lint`` and the build's log."""
        if self.errors:
            raise ValidationError(self.errors)


class FileCache:
    """Incidents already read, by file, for a preview that rebuilds on every save.

    Only files read without any problem are kept: those are valid at any
    later time too, while a problem (an update dated in the future) may pass
    as the clock moves on, so such files are read again each time. A file is
    read again when its size or modification time changes.
    """

    def __init__(self) -> None:
        self._files: dict[Path, tuple[tuple[int, int], Incident]] = {}

    def load(
        self, path: Path, config: SiteConfig, now: datetime | None, shown: str, root: Path
    ) -> tuple[Incident | None, list[Problem]]:
        try:
            stat = path.stat()
        except OSError:
            return load_file(path, config, now, shown, root)
        stamp = (stat.st_mtime_ns, stat.st_size)
        kept = self._files.get(path)
        if kept is not None and kept[0] == stamp:
            return kept[1], []
        incident, problems = load_file(path, config, now, shown, root)
        if incident is not None and not problems:
            self._files[path] = (stamp, incident)
        else:
            self._files.pop(path, None)
        return incident, problems


def load_incidents(
    config: SiteConfig, root: Path, now: datetime | None = None, cache: FileCache | None = None
) -> LoadResult:
    """Load every incident file under ``root / config.incidents_dir``.

    ``now`` enables the checks that need the clock (updates dated in the
    future); without it they are skipped. With a ``cache``, files unchanged
    since it read them are not read again; the result is the same.
    """
    root = root.resolve()
    directory = root / config.incidents_dir
    incidents: list[Incident] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    try:
        shown_dir = directory.relative_to(root).as_posix()
    except ValueError:  # incidents kept outside the site's folder
        shown_dir = directory.as_posix()
    files, near_misses = incident_files(directory)
    problems += [_not_read(_shown(shown_dir, relative)) for relative in near_misses]
    for (_, relative), (incident, found) in zip(
        files, _load_files(files, shown_dir, config, now, root, cache), strict=True
    ):
        shown = _shown(shown_dir, relative)
        problems.extend(found)
        if incident is None:
            continue
        if incident.id in seen:
            problems.append(_duplicate(shown, incident.id, seen[incident.id]))
            continue
        seen[incident.id] = shown
        incidents.append(incident)
    incidents.sort(key=lambda i: (i.began_at, i.id), reverse=True)
    return LoadResult(incidents, sorted(problems))


def _load_files(
    files: list[tuple[Path, str]],
    shown_dir: str,
    config: SiteConfig,
    now: datetime | None,
    root: Path,
    cache: FileCache | None,
) -> Iterator[tuple[Incident | None, list[Problem]]]:
    """Each file loaded, in order. Without a cache (a cold build), batches of
    files are shared among the cores (:func:`~generator.core.parallel.shared`).
    A batch is read by one thread: the files of a fresh clone are in memory,
    and threads reading beside it only took turns with it for Python's lock."""
    if cache is not None:
        for path, relative in files:
            yield cache.load(path, config, now, _shown(shown_dir, relative), root)
        return
    named = [(path, _shown(shown_dir, relative)) for path, relative in files]
    batches = [named[start : start + LOAD_BATCH] for start in range(0, len(named), LOAD_BATCH)]
    jobs = [partial(_load_batch, batch, config, now, root) for batch in batches]
    for loaded in shared(jobs, at_least=MIN_JOBS // LOAD_BATCH):
        yield from loaded


#: Files per job when a cold build loads them in several processes.
LOAD_BATCH = 64


def _load_batch(
    batch: list[tuple[Path, str]], config: SiteConfig, now: datetime | None, root: Path
) -> list[tuple[Incident | None, list[Problem]]]:
    return [load_file(path, config, now, shown, root) for path, shown in batch]


def _duplicate(shown: str, incident_id: str, other: str) -> Problem:
    return Problem(
        shown,
        1,
        "id",
        f"'{incident_id}' is also the id of {other}; incident ids (file names) must be unique",
    )


def _shown(shown_dir: str, relative: str) -> str:
    return f"{shown_dir}/{relative}" if shown_dir != "." else relative


def _not_read(shown: str) -> Problem:
    fixed = shown.rsplit("/", 1)[-1][:-3] + ".md"
    return Problem(shown, 0, "", f"is not read: rename it to {fixed}", Severity.WARNING)


def load_file(
    path: Path,
    config: SiteConfig,
    now: datetime | None = None,
    shown: str | None = None,
    root: Path | None = None,
) -> tuple[Incident | None, list[Problem]]:
    """Read and check one file; the incident is None when it has errors.

    Only a regular file of at most ``max_file_kib`` is read, and with
    ``root`` only one inside it: a link to a device, a pipe or a file
    elsewhere on the machine is refused, never read.
    """
    ctx = FileContext(shown or path.as_posix(), config, now)
    text = read_incident_file(path, root, ctx, config.max_file_kib * 1024)
    if text is None:
        return None, ctx.problems
    incident = parse_incident(path, text, ctx)
    return (incident if not ctx.problems else None), sorted(ctx.problems)


def parse_text(
    path: Path,
    text: str,
    config: SiteConfig,
    now: datetime | None = None,
    shown: str | None = None,
) -> tuple[Incident | None, list[Problem]]:
    """Check incident text as if it were the file at ``path``."""
    ctx = FileContext(shown or path.as_posix(), config, now)
    incident = parse_incident(path, text, ctx)
    return (incident if not ctx.problems else None), sorted(ctx.problems)


def parse_incident(path: Path, text: str, ctx: FileContext) -> Incident | None:
    id_match = _check_id(path, ctx)
    text = text.removeprefix("\ufeff")
    doc, body, body_line = _frontmatter(text, ctx)
    if doc is None:
        return None
    fields = Frontmatter(doc.data, ctx)
    kind = fields.kind()
    summary, updates, postmortem = _parse_body(body, body_line, kind, ctx)
    impact = fields.impact(kind)
    title = fields.text("title", required=True, one_line=True)
    components = fields.components(impact)
    times = {name: fields.time(name) for name in TIME_FIELDS}
    fields.unknown()
    _check_kind_fields(kind, times, updates, ctx)
    _check_update_times(id_match, kind, times["started"], updates, postmortem, ctx)
    deep = markup_too_deep(body)
    if deep:
        ctx.error(body_line + deep - 1, "text", f"HTML nested over {MAX_HTML_DEPTH} levels deep")
    # A half-filled message template must never reach customers.
    for line, name, message in placeholder_problems(text):
        ctx.error(line, name, message)
    if ctx.problems:
        return None
    return Incident(
        id=path.stem,
        path=path,
        kind=kind,
        title=title,
        impact=impact,
        components=components,
        updates=tuple(updates),
        summary=summary,
        scope=fields.text("scope"),
        workaround=fields.text("workaround"),
        postmortem=postmortem,
        lines=dict(doc.lines),
        **times,
    )


def _check_id(path: Path, ctx: FileContext) -> re.Match[str] | None:
    """The file name's parts; an error if it is not ``YYYY-MM-DD-slug.md``."""
    id_match = ID_PATTERN.match(path.stem)
    if not id_match:
        ctx.error(
            1,
            "id",
            f"file name '{path.name}' must be YYYY-MM-DD-slug.md "
            "(lower-case letters, digits and hyphens), e.g. 2026-11-20-api-errors.md",
        )
        return None
    try:
        day = datetime.fromisoformat(id_match["date"]).replace(tzinfo=UTC)
    except ValueError:
        ctx.error(1, "id", f"file name date {id_match['date']} is not a date")
        return None
    if not EARLIEST <= day < LATEST:
        years = f"{EARLIEST.year}–{LATEST.year - 1}"
        ctx.error(1, "id", f"file name date {id_match['date']} is outside the years {years}")
        return None
    return id_match


def _frontmatter(text: str, ctx: FileContext) -> tuple[Document | None, str, int]:
    """The frontmatter's mapping (None on errors), the body and its first line."""
    parts = split_frontmatter(text)
    if parts is None:
        unclosed = (
            "the '---' block opened here is never closed; add a '---' line after the last field"
        )
        ctx.error(1, "frontmatter", unclosed if text.startswith("---") else _NO_FRONTMATTER)
        return None, "", 0
    front, front_line, body, body_line = parts
    try:
        doc = load_mapping(front, front_line)
    except YamlError as exc:
        ctx.error(exc.line, "frontmatter", str(exc))
        return None, "", 0
    ctx.lines = doc.lines
    for key, line in doc.duplicates:
        ctx.error(line, key, "appears twice; keep one (YAML would silently use the last)")
    return doc, body, body_line


def _parse_body(
    body: str, first_line: int, kind: Kind, ctx: FileContext
) -> tuple[str, list[Update], Update | None]:
    """Split the body at level-2 headings into summary, updates and postmortem."""
    lines = body.splitlines()
    headings = update_headings(lines)
    ends = [offset for offset, _ in headings[1:]] + [len(lines)]  # one more when none
    sections = [
        (first_line + offset, text, lines[offset + 1 : end])
        for (offset, text), end in zip(headings, ends, strict=False)
    ]
    summary = lines[: headings[0][0]] if headings else lines
    updates: list[Update] = []
    postmortem: Update | None = None
    for at_line, text, lines in sections:
        update = _parse_heading(at_line, text, "\n".join(lines).strip(), kind, ctx)
        if update is None:
            continue
        if update.status is UpdateStatus.POSTMORTEM:
            if postmortem is not None:
                ctx.error(
                    at_line,
                    "postmortem",
                    f"a second postmortem (the first is on line {postmortem.line}); keep one",
                )
            postmortem = update
        else:
            updates.append(update)
    updates.sort(key=lambda u: (u.at, u.line))
    return "\n".join(summary).strip(), updates, postmortem


def _parse_heading(
    line: int, heading: str, body: str, kind: Kind, ctx: FileContext
) -> Update | None:
    allowed = INCIDENT_STATUSES if kind is Kind.INCIDENT else MAINTENANCE_STATUSES
    names = _STATUS_NAMES[kind]
    parts = split_heading(heading)
    if parts is None:
        ctx.error(
            line,
            "update",
            f"heading '## {heading}' is not '## <Status> · <time>', "
            f"e.g. '## Investigating · 2026-11-20 14:20 UTC' (statuses: {names})",
        )
        return None
    word, when = parts
    status = UpdateStatus.parse(word)
    if status is None or (status not in allowed and status is not UpdateStatus.POSTMORTEM):
        what = "an incident" if kind is Kind.INCIDENT else "a maintenance"
        ctx.error(
            line,
            "update",
            f"'{word}' is not a status of {what}; "
            f"use one of {names}{suggest(word, [s.heading for s in allowed])}",
        )
        return None
    try:
        at = parse_time(when, ctx.config.timezone)
    except TimeFormatError as exc:
        ctx.error(line, "update", str(exc))
        return None
    if not body and status is not UpdateStatus.POSTMORTEM:
        ctx.error(
            line,
            "update",
            f"'{word}' update has no text; say what is happening, even if there is no news",
        )
    return Update(status=status, at=at, body=body, line=line)


def _check_kind_fields(
    kind: Kind, times: dict[str, datetime | None], updates: list[Update], ctx: FileContext
) -> None:
    if kind is Kind.MAINTENANCE:
        start, end = times["start"], times["end"]
        for name, value in (("start", start), ("end", end)):
            if value is None and name not in ctx.lines:
                ctx.error(1, name, f"missing; a maintenance needs '{name}:' (YYYY-MM-DD HH:MM UTC)")
        if start is not None and end is not None and end <= start:
            ctx.field_error("end", "must be after start")
        return
    for name in ("start", "end"):
        if name in ctx.lines:
            ctx.field_error(
                name, "only a maintenance has a window; add 'kind: maintenance' or remove the field"
            )
    if not updates and not any(p.field == "update" for p in ctx.problems):
        ctx.error(
            1,
            "update",
            "an incident needs at least one update, e.g. "
            "'## Investigating · 2026-11-20 14:20 UTC' and a line of text",
        )


def _check_update_times(
    id_match: re.Match[str] | None,
    kind: Kind,
    started: datetime | None,
    updates: Iterable[Update],
    postmortem: Update | None,
    ctx: FileContext,
) -> None:
    everything = [*updates, *([postmortem] if postmortem else [])]
    floor, why = _earliest_allowed(id_match, kind, started, ctx)
    tz = ctx.config.timezone
    for update in everything:
        if floor is not None and update.at < floor:
            ctx.error(
                update.line,
                "update",
                f"dated {explained_time(update.at, tz)}, before the incident started ({why})",
            )
        if ctx.now is not None and update.at > ctx.now + FUTURE_TOLERANCE:
            ctx.error(
                update.line,
                "update",
                f"dated {explained_time(update.at, tz)}, in the future "
                f"(now is {explained_time(ctx.now.replace(second=0, microsecond=0), tz)})",
            )


def _earliest_allowed(
    id_match: re.Match[str] | None, kind: Kind, started: datetime | None, ctx: FileContext
) -> tuple[datetime | None, str]:
    if started is not None:
        return started, f"started: {explained_time(started, ctx.config.timezone)}"
    if kind is Kind.MAINTENANCE or id_match is None:
        return None, ""  # maintenance is announced before its window
    day = datetime.fromisoformat(id_match["date"]).replace(tzinfo=ctx.config.timezone)
    return day - timedelta(days=1), f"the file name says {id_match['date']}"
