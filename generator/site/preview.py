"""What a preview server (``statuspage serve``, ``mkdocs serve``) adds to a build.

While the files have errors, the build makes an error page
(:mod:`generator.site.errors`) in place of the site, and the server answers
every page request with it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from .errors import ERROR_PAGE

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass
class Preview:
    """What the rebuilds of one ``serve`` share.

    MkDocs makes new plugin instances for each rebuild, while ``on_startup``
    and ``on_serve`` reach only the first, so the preview's state lives here.
    """

    active: bool = False  # serving: a build with errors makes the error page
    failure: str = ""  # the current build's errors; the server answers with them


PREVIEW = Preview()


class WSGIServer(Protocol):
    """The part of MkDocs' live-reload server used here (a ``wsgiref`` server)."""

    mount_path: str

    def get_app(self) -> WSGIApp | None: ...

    def set_app(self, application: WSGIApp) -> None: ...


def answer_with_errors(server: WSGIServer) -> None:
    """While the build has errors, every page request gets the error page.

    The server still serves it as a file of the built site, so it waits for
    a rebuild in progress and adds its live reload: the browser shows the
    site again as soon as the files are fixed.
    """
    serve = server.get_app()
    assert serve is not None
    error_path = server.mount_path + ERROR_PAGE

    def answer(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO", ""))
        if PREVIEW.failure and path.startswith(server.mount_path) and is_page(path):
            environ = {**environ, "PATH_INFO": error_path}
        return serve(environ, start_response)

    server.set_app(answer)


def is_page(path: str) -> bool:
    """Whether a request path names a page (not a stylesheet, feed or image)."""
    return path.endswith(("/", ".html")) or "." not in posixpath.basename(path)
