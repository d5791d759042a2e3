"""What a pull request will show customers once merged: ``statuspage summary``.

For each incident file changed since a git revision (added, edited, renamed
or removed): the status it will show, its components with their status, the
next update customers are promised and what ``lint`` says about the file;
then the page's overall status. Written for a workflow's job summary
(``$GITHUB_STEP_SUMMARY``), so text from the files is escaped for Markdown.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..core.errors import ArgumentError, Problem, Severity
from ..core.loader import load_incidents
from ..core.model import Incident
from ..core.settings import SiteConfig
from ..core.status import IncidentView, SiteStatus, compute_status, next_update
from ..core.times import display_time
from ..core.urls import absolute, incident_path
from .lint import lint

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+!|~&])")
_CHANGE = {
    "A": "added",
    "M": "changed",
    "R": "renamed",
    "D": "removed",
    "C": "added",
    "T": "changed",
}


@dataclass(frozen=True)
class ChangedFile:
    path: str  # from the site's root, with '/'
    change: str  # added, changed, renamed or removed


def md(text: str) -> str:
    """Plain text as Markdown that shows it as written, on one line."""
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    except FileNotFoundError:
        raise ArgumentError("git is not installed; --since needs it", "--since") from None
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise ArgumentError(f"git {args[0]} failed: {detail[-1] if detail else ''}", "--since")
    return done.stdout.decode("utf-8", errors="replace")


def changed_files(root: Path, config: SiteConfig, ref: str) -> list[ChangedFile]:
    """Incident files that differ between ``ref`` and the working tree."""
    _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    folder = config.incidents_dir.as_posix()
    diff = _git(root, "diff", "--relative", "--name-status", "-M", "-z", ref, "--", folder)
    fields, found = diff.split("\0"), {}
    i = 0
    while i + 1 < len(fields):
        status = fields[i][:1]
        paths = fields[i + 1 : i + (3 if status in "RC" else 2)]
        i += 3 if status in "RC" else 2
        found[paths[-1]] = _CHANGE.get(status, "changed")
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", folder)
    found.update({path: "added" for path in untracked.split("\0") if path})
    return [ChangedFile(p, c) for p, c in sorted(found.items()) if p.endswith(".md")]


@dataclass(frozen=True)
class Summary:
    config: SiteConfig
    status: SiteStatus
    files: list[tuple[ChangedFile, IncidentView | None, list[Problem]]]


def summarise(config: SiteConfig, root: Path, ref: str, now: datetime) -> Summary:
    changed = changed_files(root, config, ref)
    incidents = load_incidents(config, root, now).incidents
    status = compute_status(config, incidents, now)
    problems = lint(config, root, now)
    by_path = {_shown(i, root): i for i in incidents}
    files = []
    for change in changed:
        incident = by_path.get(change.path)
        view = status.view(incident.id) if incident else None
        files.append((change, view, [p for p in problems if p.path == change.path]))
    return Summary(config, status, files)


def _shown(incident: Incident, root: Path) -> str:
    path = incident.path.resolve()
    base = root.resolve()
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)


def markdown(summary: Summary) -> str:
    config, status = summary.config, summary.status
    lines = ["## What the status page will show after this pull request", ""]
    built = display_time(status.now, config.timezone)
    lines += [f"**Overall: {md(status.description)}** (as of {built})", ""]
    if not summary.files:
        lines += ["No incident file changes in this pull request.", ""]
    for change, view, problems in summary.files:
        lines += _file_section(config, status, change, view, problems)
    return "\n".join(lines).rstrip() + "\n"


def _file_section(
    config: SiteConfig,
    status: SiteStatus,
    change: ChangedFile,
    view: IncidentView | None,
    problems: list[Problem],
) -> list[str]:
    if view is None:
        title = "Removed" if change.change == "removed" else "Not published: the file has errors"
        lines = [f"### {title}", "", f"`{change.path}` · {change.change}", ""]
    else:
        lines = [f"### {md(view.incident.title)}", "", f"`{change.path}` · {change.change}", ""]
        lines += ["| | |", "|---|---|", *_rows(config, status, view), ""]
    for problem in problems:
        mark = "❌ error" if problem.severity is Severity.ERROR else "⚠️ warning"
        where = f"line {problem.line}: " if problem.line else ""
        lines.append(f"- {mark}: {where}{md(problem.field)}: {md(problem.message)}")
    return [*lines, ""] if problems else lines


def _rows(config: SiteConfig, status: SiteStatus, view: IncidentView) -> list[str]:
    incident, tz = view.incident, config.timezone
    latest = incident.updates[-1] if incident.updates else None
    shown = view.status.label + (
        f" (latest update {display_time(latest.at, tz)})" if latest else ""
    )
    rows = [("Status after merge", shown), ("Impact", incident.impact.label)]
    components = "; ".join(
        f"{md(c.name)}: {s.label.lower()}" for c, s in incident.components.items()
    )
    rows.append(("Components", components or "none"))
    promise = next_update(view, config, status.now) if view.active else None
    if promise is None:
        rows.append(("Next update", "none promised (closed)" if not view.active else "none"))
    else:
        how = "promised" if promise.promised else "by the policy's cadence"
        late = " — **overdue**" if promise.overdue else ""
        rows.append(("Next update", f"by {display_time(promise.due, tz)} ({how}){late}"))
    rows.append(("Page (after merge)", absolute(config, incident_path(incident.id))))
    return [f"| {name} | {value} |" for name, value in rows]
