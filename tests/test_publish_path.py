"""The publishing path without GitHub: the workflows' own commands, run for real.

The steps are read from the workflow files and run as subprocesses in a copy of
the example site, in the workflow's order (only installing is left out), with
the clock fixed. The built site is then served by a plain static server (no
directory listings, no rewrites) under a /status/ prefix, the way project
pages and most static hosts serve it, and crawled.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from conftest import EXAMPLE, REPO

NOW = "2026-11-23 12:00 UTC"
PUBLIC_BASE = "https://example.org/status/"
BAD_INCIDENT = (
    "---\ntitle: API errors\nimpact: severe\ncomponents: [api]\n---\n\n"
    "## Investigating · 2026-11-23 11:40 UTC\n\nWe are investigating elevated error rates.\n"
)
INSTALL_PREFIXES = ("python -m pip install", "npm ci", "npx ")
TIMINGS: dict[str, float] = {}


@pytest.fixture
def workspace() -> Iterator[Path]:
    """A copy of the example site, readable by other users.

    linkchecker run as root drops to 'nobody', which cannot enter pytest's
    private temporary folders; the Pages artifact needs world-readable files too.
    """
    root = Path(tempfile.mkdtemp(prefix="statuspage-publish-"))
    root.chmod(0o755)
    try:
        shutil.copy2(EXAMPLE / "mkdocs.yml", root / "mkdocs.yml")
        for name in ("action.yml", ".pre-commit-hooks.yaml"):
            shutil.copy2(REPO / name, root / name)
        for name in ("site_src", "incidents"):
            shutil.copytree(EXAMPLE / name, root / name)
        shutil.copytree(REPO / ".github", root / ".github")
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def job_steps(workflow: str, job: str) -> tuple[dict[str, str], list[dict[str, Any]]]:
    data = yaml.safe_load((REPO / ".github" / "workflows" / workflow).read_text(encoding="utf-8"))
    return data.get("env", {}), data["jobs"][job]["steps"]


def run_script(
    script: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a step's script with bash -e as Actions does, this interpreter's tools
    first on PATH and ``statuspage`` acting at the fixed time ``NOW``."""
    bindir = str(Path(sys.executable).parent)
    prelude = 'statuspage() { "$PYTHON" -m generator "$@" --now "$STATUSPAGE_TEST_NOW"; }\n'
    full_env = {
        **os.environ,
        "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
        "PYTHON": sys.executable,
        "STATUSPAGE_TEST_NOW": NOW,
        **(env or {}),
    }
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", prelude + script],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )


def run_job(workflow: str, job: str, cwd: Path) -> list[str]:
    """Run every step of a job that is not an install step; return the commands."""
    env, steps = job_steps(workflow, job)
    ran = []
    for step in steps:
        script = step.get("run")
        if script is None or script.startswith(INSTALL_PREFIXES):
            continue
        started = time.perf_counter()
        result = run_script(script, cwd, {**env, **step.get("env", {})})
        TIMINGS[f"{workflow} {step['name']}"] = time.perf_counter() - started
        assert result.returncode == 0, f"{step['name']}:\n{result.stdout}\n{result.stderr}"
        ran.append(" ".join(script.split()[:2]))
    return ran


def test_check_workflow_commands_pass_in_order(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on a pull request's merge commit: its first parent is the base branch.
    git(workspace, "init", "-q")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-qm", "base")
    incident = next((workspace / "incidents").rglob("*dashboard-slow.md"))
    incident.write_text(incident.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(workspace, "commit", "-qam", "pull request")
    summary = workspace.parent / f"{workspace.name}-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    ran = run_job("check.yml", "check", workspace)
    text = summary.read_text(encoding="utf-8")
    summary.unlink()
    assert "### Slow page loads on the web dashboard" in text
    assert ran == [
        "statuspage summary",
        "statuspage lint",
        "statuspage build",
        "linkchecker --no-warnings",
        "zizmor --offline",
    ]
    assert (workspace / "site" / "index.html").exists()


def test_publish_build_job_produces_the_pages_artifact(workspace: Path) -> None:
    started = time.perf_counter()
    ran = run_job("publish.yml", "build", workspace)
    elapsed = time.perf_counter() - started
    assert ran == ["statuspage lint", "statuspage build"]
    _, steps = job_steps("publish.yml", "build")
    (upload,) = (s for s in steps if "upload-pages-artifact" in s.get("uses", ""))
    site = workspace / upload["with"]["path"]
    assert (site / "index.html").exists() and (site / "404.html").exists()
    # GitHub Pages and most web servers read the files as another user.
    for path in site.rglob("*"):
        mode = path.stat().st_mode
        assert mode & 0o004 and (not path.is_dir() or mode & 0o001), path
    # No symlinks or hard links: deploy-pages rejects artifacts that contain them.
    assert not [p for p in site.rglob("*") if p.is_symlink()]
    assert not [p for p in site.rglob("*") if p.is_file() and p.stat().st_nlink > 1]
    print(f"publish build job (lint + strict build): {elapsed:.1f} s; {TIMINGS}")


def test_a_bad_incident_fails_the_check_with_an_annotation(workspace: Path) -> None:
    (workspace / "incidents" / "2026-11-23-api.md").write_text(BAD_INCIDENT, encoding="utf-8")
    _, steps = job_steps("check.yml", "check")
    lint, build = (
        next(s["run"] for s in steps if s.get("name") == n)
        for n in ("Lint incidents", "Build the site")
    )
    result = run_script(lint, workspace)
    assert result.returncode == 1
    assert (
        "::error file=incidents/2026-11-23-api.md,line=3::"
        "impact: 'severe' is not one of none, minor, major, critical"
    ) in result.stdout.splitlines()
    assert "Error: 1 error(s)" in result.stderr
    result = run_script(build, workspace)
    assert result.returncode == 1
    assert not (workspace / "site").exists()


# --- the composite action, run step by step ------------------------------------


def action_script(name: str) -> tuple[str, dict[str, str]]:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    step = next(s for s in action["runs"]["steps"] if s.get("name") == name)
    return step["run"], step["env"]


def run_action(cwd: Path, **inputs: str) -> tuple[subprocess.CompletedProcess[str], str]:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    values = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    values.update({k.replace("_", "-"): v for k, v in inputs.items()})
    output = cwd / "github_output"
    output.write_text("")
    result: subprocess.CompletedProcess[str] | None = None
    for name in ("Lint incidents", "Build the site"):
        script, env = action_script(name)
        resolved = {
            key: re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: values[m.group(1)], value)
            for key, value in env.items()
        }
        result = run_script(script, cwd, {**resolved, "GITHUB_OUTPUT": str(output)})
        if result.returncode:
            break
    assert result is not None
    return result, output.read_text()


def test_action_builds_into_the_configured_site_dir_and_says_where(workspace: Path) -> None:
    result, output = run_action(workspace)
    assert result.returncode == 0, result.stderr
    assert output == f"site-dir={(workspace / 'site').resolve()}\n"
    result, output = run_action(workspace, site_dir="public/status")
    assert result.returncode == 0, result.stderr
    assert output == f"site-dir={(workspace / 'public' / 'status').resolve()}\n"
    assert (workspace / "public" / "status" / "index.html").exists()


def test_action_annotations_name_files_from_the_repository_root(workspace: Path) -> None:
    sub = workspace / "status"
    sub.mkdir()
    for name in ("mkdocs.yml", "site_src", "incidents"):
        (workspace / name).rename(sub / name)
    (sub / "incidents" / "2026-11-23-api.md").write_text(BAD_INCIDENT, encoding="utf-8")
    result, output = run_action(workspace, config="status/mkdocs.yml")
    assert result.returncode == 1
    assert (
        "::error file=status/incidents/2026-11-23-api.md,line=3::"
        "impact: 'severe' is not one of none, minor, major, critical"
    ) in result.stdout.splitlines()
    assert output == ""


def test_action_inputs_cannot_inject_commands(workspace: Path) -> None:
    result, _ = run_action(workspace, strict="true; touch injected")
    assert result.returncode == 1
    assert "::error::input 'strict' must be 'true' or 'false'" in result.stdout
    result, _ = run_action(workspace, config='mkdocs.yml"; touch injected; "')
    assert result.returncode != 0
    assert not (workspace / "injected").exists()


# --- announcing: which commits the announce step compares ----------------------


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def announce_since(repo: Path, before: str, *, remembered: bool = False) -> tuple[str | None, str]:
    """Run the Announce step with ``statuspage`` recording its arguments.

    Without ``remembered`` the cache is empty, as on a first run.
    """
    if not remembered:
        shutil.rmtree(repo / ".statuspage", ignore_errors=True)
    _, steps = job_steps("publish.yml", "announce")
    script = next(s["run"] for s in steps if s.get("name") == "Announce")
    record = repo / "called"
    record.unlink(missing_ok=True)
    stub = f'statuspage() {{ printf "%s\\n" "$*" > {record}; }}\n'
    result = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", stub + script],
        cwd=repo,
        env={**os.environ, "BEFORE": before},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    if not record.exists():
        return None, result.stdout
    args = record.read_text().split()
    assert args[0] == "announce" and args[-1] == "--send"
    return args[args.index("--since") + 1], result.stdout


def test_announce_compares_with_the_right_commit(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "commit", "-q", "--allow-empty", "-m", "first")
    zeros = "0" * 40
    since, said = announce_since(repo, zeros)
    assert since is None and "nothing to announce" in said

    first = git(repo, "rev-parse", "HEAD")
    git(repo, "commit", "-q", "--allow-empty", "-m", "second")
    second = git(repo, "rev-parse", "HEAD")
    assert announce_since(repo, first)[0] == first
    # a new branch: no "before", only the pushed commit counts
    since, said = announce_since(repo, zeros)
    assert since == first and "last commit" in said
    # a force-push: "before" is gone from the history
    assert announce_since(repo, "1" * 40)[0] == first
    # a run remembers the commit it announced up to ...
    assert announce_since(repo, first)[0] == first
    assert (repo / ".statuspage" / "announced-commit").read_text().strip() == second
    # ... so a push whose queued run was replaced by a newer one is not skipped
    git(repo, "commit", "-q", "--allow-empty", "-m", "third")
    third = git(repo, "rev-parse", "HEAD")
    git(repo, "commit", "-q", "--allow-empty", "-m", "fourth")
    assert announce_since(repo, third, remembered=True)[0] == second
    # a remembered commit that is not in this history (a force-push) is ignored
    (repo / ".statuspage" / "announced-commit").write_text("2" * 40 + "\n")
    assert announce_since(repo, third, remembered=True)[0] == third


# --- a plain static host under a subpath --------------------------------------


class StaticHost(SimpleHTTPRequestHandler):
    """Files only: no directory listings, no rewrites; 404.html for misses."""

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(404)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "status" / "404.html"
        if code != 404 or not page.exists():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        # Lets linkchecker lift its 10-requests-a-second limit for this host.
        self.send_header("LinkChecker", "local test host")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []  # (tag, rel, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for attr in ("href", "src"):
            if values.get(attr):
                self.found.append((tag, values.get("rel") or "", values[attr] or ""))


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """The example site built for https://example.org/status/, served at /status/."""
    root = Path(tempfile.mkdtemp(prefix="statuspage-host-"))
    root.chmod(0o755)
    project = root / "project"
    project.mkdir()
    text = (EXAMPLE / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        re.sub(r"(?m)^site_url: .*$", f"site_url: {PUBLIC_BASE}", text), encoding="utf-8"
    )
    shutil.copytree(EXAMPLE / "site_src", project / "site_src")
    shutil.copytree(EXAMPLE / "incidents", project / "incidents")
    public = root / "public"
    result = run_script(f"statuspage build --strict --site-dir {public / 'status'}", project)
    assert result.returncode == 0, result.stderr
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(StaticHost, directory=str(public)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/status/"
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(root, ignore_errors=True)


def fetch(url: str) -> tuple[int, str, bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request("GET", parts.path or "/")
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


def local(url: str, base: str) -> str | None:
    """The local URL of a link into the site (relative or https://example.org/status/…)."""
    url = url.split("#", 1)[0].split("?", 1)[0]
    if url.startswith(PUBLIC_BASE):
        return base + url.removeprefix(PUBLIC_BASE)
    parts, host = urlsplit(url), urlsplit(base)
    if parts.netloc == host.netloc:
        assert parts.path.startswith(host.path), f"{url} leaves the site's subpath"
        return url
    return None


def crawl(base: str) -> tuple[set[str], set[str]]:
    """Every page reachable from the home page; every URL they point at."""
    pages, targets, queue = set(), set(), [base]
    while queue:
        url = queue.pop()
        if url in pages:
            continue
        pages.add(url)
        status, kind, body = fetch(url)
        assert status == 200, f"{url}: HTTP {status}"
        if not kind.startswith("text/html"):
            continue
        parser = Links()
        parser.feed(body.decode("utf-8"))
        for tag, rel, link in parser.found:
            if link.startswith(("mailto:", "tel:", "#")):
                continue
            target = local(urljoin(url, link), base)
            if target is None:
                assert tag == "a", f"{url}: <{tag} rel={rel}> loads {link} from another host"
                continue
            targets.add(target)
            if target.endswith("/") or target.endswith(".html"):
                queue.append(target)
    return pages, targets


def test_every_link_resolves_on_a_plain_static_host_under_a_subpath(served: str) -> None:
    pages, targets = crawl(served)
    assert len(pages) > 20
    assert any("/incidents/" in page for page in pages)
    assert any("/components/" in page for page in pages)
    for target in sorted(targets):
        status, _, _ = fetch(target)
        assert status == 200, f"{target}: HTTP {status} (a static host does no rewrites)"


def test_absolute_links_in_sitemap_feeds_and_api_resolve(served: str) -> None:
    _, _, sitemap = fetch(served + "sitemap.xml")
    urls = re.findall(r"<loc>([^<]+)</loc>", sitemap.decode("utf-8"))
    _, _, feed = fetch(served + "feed.json")
    items = json.loads(feed)["items"]
    urls += [item["url"] for item in items] + [json.loads(feed)["home_page_url"]]
    _, _, summary = fetch(served + "api/v2/summary.json")
    urls += [json.loads(summary)["page"]["url"]]
    urls += [i["shortlink"] for i in json.loads(summary)["incidents"] if i.get("shortlink")]
    assert len(urls) > 20
    for url in urls:
        assert url.startswith(PUBLIC_BASE), url
        target = local(url, served)
        assert target is not None
        status, _, _ = fetch(target)
        assert status == 200, f"{url}: HTTP {status}"


def test_not_found_page_works_at_any_depth(served: str) -> None:
    missing = served + "incidents/no-such-incident/deeper/"
    status, _, body = fetch(missing)
    assert status == 404
    parser = Links()
    parser.feed(body.decode("utf-8"))
    assets = [u for tag, rel, u in parser.found if tag in ("script", "img") or "stylesheet" in rel]
    assert len(assets) >= 3
    for asset in assets:
        target = local(urljoin(missing, asset), served)
        assert target is not None and fetch(target)[0] == 200, asset


def test_linkchecker_over_http_finds_no_broken_link(served: str, tmp_path: Path) -> None:
    exe = shutil.which("linkchecker") or str(Path(sys.executable).parent / "linkchecker")
    rc = tmp_path / "linkcheckerrc"
    rc.write_text("[checking]\nmaxrequestspersecond=1000\n", encoding="utf-8")
    rc.chmod(0o644)
    result = subprocess.run(
        [exe, "--config", str(rc), "--no-warnings", "--no-status", served],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    checked = re.search(
        r"(\d+) links in \d+ URLs checked\. 0 warnings found\. 0 errors", result.stdout
    )
    assert checked and int(checked.group(1)) > 100, result.stdout
