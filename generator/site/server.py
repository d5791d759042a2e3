"""``statuspage serve``: a preview that rebuilds only what an edit changed.

A full build first (``build``), then a watcher: a change to an incident file
updates the site incrementally (:class:`~generator.site.live.LiveSite`); a
change to ``mkdocs.yml``, ``docs_dir``, the theme's ``custom_dir`` or
``templates/`` builds the whole site again. Pages carry a small script that
waits for the next change and reloads. While the files have errors, every
page request is answered with them (:mod:`generator.site.errors`), and the
site comes back when they are fixed. The site is served from ``/``.
"""

from __future__ import annotations

import gc
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from ..core.errors import StatusPageError
from ..core.mkdocs_yml import read_mkdocs_yml_file
from .errors import error_page
from .live import LiveSite
from .preview import is_page

POLL_SECONDS = 0.1
#: Seconds between two looks at the files when the file system tells of changes.
IDLE_SECONDS = 2.0
#: Seconds without a change before the preview collects its garbage.
SETTLE_AFTER = 0.5
RELOAD_PATH = "/.statuspage/reload"
#: Asks the server for the next change, then reloads the page (first-party, preview only).
RELOAD_SCRIPT = (
    "<script>(function r(v){fetch('%s?since='+v).then(function(a){return a.text()})"
    ".then(function(n){if(+n>v){location.reload()}else{r(v)}},function(){setTimeout("
    "function(){r(v)},1000)})})(%d)</script>"
)

BUILDING = "<!doctype html><title>Building</title><p>The site is being built.</p>"
#: The last line of a failed build's message, which the preview does not need.
KEPT = "The build failed;"

Build = Callable[[Path], LiveSite]


class Preview:
    """The served site, its state, and the version that live reload waits on."""

    def __init__(self, build: Build, config_file: Path, clock: Callable[[], datetime]) -> None:
        self.build, self.config_file, self.now = build, config_file, clock
        self.work = Path(tempfile.mkdtemp(prefix="statuspage-serve-"))
        self.live: LiveSite | None = None
        self.site_dir = self.work / "empty"
        self.site_dir.mkdir()
        self.failure = ""
        self.version = 0
        self.changed = threading.Condition()
        self.builds = 0
        self.unsettled, self.changed_at = False, 0.0

    def rebuild(self) -> None:
        """A full build into a new folder, served once it is complete."""
        self.builds += 1
        target = self.work / f"site-{self.builds}"
        try:
            live = self.build(target)
        except StatusPageError as exc:
            self._done(str(exc))
            return
        old, self.live, self.site_dir = self.site_dir, live, target
        settle()  # before the first save: after a build the collector has the most to walk
        self._done("")
        self.unsettled = False
        shutil.rmtree(old, ignore_errors=True)

    def update(self) -> None:
        """The incidents changed: update the site in place."""
        if self.live is None:
            self.rebuild()
            return
        try:
            self.live.update(self.now())
        except StatusPageError as exc:
            self._done(str(exc))
            return
        self._done("")

    def settle_when_idle(self) -> None:
        """After a build or an update, once no file has changed for a while,
        collect garbage and freeze what lives (:func:`settle`); not at once, as
        the collector holds up the server while the browser reloads."""
        if self.unsettled and time.monotonic() - self.changed_at >= SETTLE_AFTER:
            settle()
            self.unsettled = False

    def _done(self, failure: str) -> None:
        lines = [line for line in failure.splitlines() if not line.startswith(KEPT)]
        if lines:
            print(
                "\n".join(["statuspage: the preview shows these errors:", *lines]), file=sys.stderr
            )
        with self.changed:
            self.failure = "\n".join(lines)
            self.version += 1
            self.changed.notify_all()
        self.unsettled, self.changed_at = True, time.monotonic()

    def wait(self, since: int, timeout: float = 25.0) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version > since, timeout=timeout)
            return self.version

    def close(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)


def settle() -> None:
    """Collect garbage, then have the collector leave what is alive alone
    (``gc.freeze``): the site's incidents, pages' parts and digests live until
    the next full build, and walking them on every save made an update at
    5,000 incidents a third slower."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def watched(config_file: Path) -> tuple[list[Path], list[Path]]:
    """The incidents folder, and what else a build reads."""
    root = config_file.resolve().parent
    try:
        raw, _ = read_mkdocs_yml_file(config_file)
    except (OSError, StatusPageError):
        raw = {}
    plugins = [p for p in raw.get("plugins") or [] if isinstance(p, dict) and "statuspage" in p]
    options = plugins[0]["statuspage"] if plugins else None
    incidents = str((options if isinstance(options, dict) else {}).get("incidents_dir") or "")
    theme = raw["theme"] if isinstance(raw.get("theme"), dict) else {}
    others = [config_file, root / str(raw.get("docs_dir") or "docs"), root / "templates"]
    if theme.get("custom_dir"):
        others.append(root / str(theme["custom_dir"]))
    return [root / (incidents or "incidents")], others


def snapshot(paths: list[Path]) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under ``paths``."""
    found: dict[str, tuple[int, int]] = {}
    for top in paths:
        if top.is_file():
            stat = top.stat()
            found[str(top)] = (stat.st_mtime_ns, stat.st_size)
            continue
        for folder, _, names in os.walk(top):
            for name in names:
                try:
                    stat = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                found[os.path.join(folder, name)] = (stat.st_mtime_ns, stat.st_size)
    return found


def watch(preview: Preview, stop: threading.Event) -> None:
    """Build, then rebuild or update on every change (seen from before the build on).

    The file system says when something changed (watchdog: inotify on Linux),
    so an edit is seen at once; the folders are also compared every
    :data:`IDLE_SECONDS` in case a notice was missed (and every
    :data:`POLL_SECONDS` where none come).
    """
    incidents, others = watched(preview.config_file)
    seen = (snapshot(incidents), snapshot(others))
    woken = threading.Event()
    observer = _observe([*incidents, *others], woken)  # before the build: no edit unheard
    try:
        preview.rebuild()
        while not stop.is_set():
            idle = SETTLE_AFTER if preview.unsettled else IDLE_SECONDS
            woken.wait(POLL_SECONDS if observer is None else idle)
            woken.clear()
            now = (snapshot(incidents), snapshot(others))
            if now == seen:
                preview.settle_when_idle()
                continue
            if now[1] != seen[1]:
                incidents, others = watched(preview.config_file)
                preview.rebuild()
            else:
                preview.update()
            seen = now
    finally:
        if observer is not None:
            observer.stop()


def _observe(paths: list[Path], woken: threading.Event) -> BaseObserver | None:
    """An observer that sets ``woken`` on any change under ``paths`` (a file's
    folder, for a file); None where the file system cannot tell."""

    class Wake(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            woken.set()

    observer = Observer()
    folders = {path if path.is_dir() else path.parent for path in paths}
    try:
        for folder in sorted(f for f in folders if f.is_dir()):
            observer.schedule(Wake(), str(folder), recursive=folder in paths)
        observer.start()
    except OSError:  # no inotify watches left, or a folder gone
        return None
    return observer


class PreviewHandler(SimpleHTTPRequestHandler):
    """Files of the served site; pages with the reload script, or the errors."""

    preview: Preview

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=str(self.preview.site_dir), **kwargs)

    def do_GET(self) -> None:
        preview, path = self.preview, self.path.split("?", 1)[0]
        reload = RELOAD_SCRIPT % (RELOAD_PATH, preview.version)
        if path == RELOAD_PATH:
            since = self.path.partition("since=")[2]
            self._send(str(preview.wait(int(since) if since.isdigit() else 0)), "text/plain")
        elif is_page(path) and preview.failure:
            self._send(error_page(self._site_name(), preview.failure) + reload, "text/html")
        elif is_page(path) and preview.live is None:
            self._send(BUILDING + reload, "text/html")
        elif is_page(path) and os.path.isfile(self._page_file(path)):
            with open(self._page_file(path), encoding="utf-8") as page_file:
                html = page_file.read()
            head, tail = html.rsplit("</body>", 1) if "</body>" in html else (html, "")
            self._send(f"{head}{reload}</body>{tail}", "text/html")
        else:
            super().do_GET()

    def _page_file(self, path: str) -> str:
        local = self.translate_path(path)
        return os.path.join(local, "index.html") if path.endswith("/") else local

    def _site_name(self) -> str:
        live = self.preview.live
        return live.config.name if live else self.preview.config_file.parent.name

    def _send(self, text: str, kind: str) -> None:
        body = text.encode("utf-8")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(build: Build, config_file: Path, dev_addr: str, clock: Callable[[], datetime]) -> None:
    """Serve the preview on ``dev_addr`` (``host:port``) until interrupted."""
    host, _, port = dev_addr.rpartition(":")
    preview = Preview(build, config_file, clock)
    handler = type("Handler", (PreviewHandler,), {"preview": preview})
    server = ThreadingHTTPServer((host or "127.0.0.1", int(port)), handler)
    server.daemon_threads = True
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # clean up when stopped
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        watch(preview, stop)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.shutdown()
        preview.close()
