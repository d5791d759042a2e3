"""How a build writes its files, and how a newly built site replaces the previous one.

The generated pages and files are written before MkDocs empties its output
folder, into a folder of the build's own beside it (:func:`side_folder`), by
threads (:class:`Writer`) while the build goes on; once MkDocs has emptied
``site_dir`` they are moved in (:func:`move_into`), a rename per top-level folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

#: Threads writing a build's files. Creating a file waits on the file system
#: far more than on Python, so a few threads write thousands of small files
#: several times faster than one.
WRITERS = 8


def side_folder(site_dir: Path) -> Path:
    """A new, empty folder beside ``site_dir`` (the same file system: moves are renames)."""
    parent = site_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-generated-", dir=parent))


def digest(data: bytes) -> bytes:
    """What the preview compares to know whether a file changed."""
    return hashlib.blake2b(data, digest_size=16).digest()


def move_into(source: Path, target: Path) -> None:
    """Move everything in ``source`` into ``target``, then remove ``source``.

    A folder ``target`` lacks moves whole; one it has is merged, and a file
    replaces a file of the same name (a build that does not clean first).
    """
    target.mkdir(parents=True, exist_ok=True)  # MkDocs makes site_dir on its first write
    for entry in os.scandir(source):
        there = target / entry.name
        if entry.is_dir(follow_symlinks=False) and there.is_dir() and not there.is_symlink():
            move_into(Path(entry.path), there)
        else:
            os.replace(entry.path, there)
    source.rmdir()


class Writer:
    """Writes files under a folder of the build's own, in threads, while the
    build goes on; leaving the ``with`` block waits for them (and raises the
    first error)."""

    def __init__(self, top: Path) -> None:
        self.top = str(top)
        self.pool = ThreadPoolExecutor(WRITERS)
        self.pending: list[Future[None]] = []

    def write(self, files: Iterable[tuple[str, str | bytes]]) -> None:
        """Write each ``(site path, content)``; one task per folder: each made once."""
        folders: dict[str, list[tuple[str, str | bytes]]] = {}
        for relative, content in files:
            folders.setdefault(os.path.dirname(relative), []).append((relative, content))
        for folder, contents in folders.items():
            self.pending.append(self.pool.submit(_write_folder, self.top, folder, contents))

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            for future in self.pending:
                future.result()
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _write_folder(top: str, folder: str, files: list[tuple[str, str | bytes]]) -> None:
    os.makedirs(os.path.join(top, folder), exist_ok=True)
    for relative, content in files:
        data = content.encode("utf-8") if isinstance(content, str) else content
        with open(os.path.join(top, relative), "wb") as written:
            written.write(data)


def swap_in(staging: Path, target: Path) -> None:
    """Put the complete site in ``staging`` at ``target``; the previous site
    stays in place until the new one is there, then is removed."""
    staging.chmod(0o755)
    if not target.exists():
        staging.rename(target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def unsafe_target(target: Path, config_file: Path, incidents: str, docs_dir: Path) -> str:
    """Why building into ``target`` would destroy what the build did not make.

    A build replaces its output folder whole, so the folder must not be, or
    hold, the project, its configuration, its incidents or its own pages.
    """
    config_file = config_file.resolve()
    root = config_file.parent
    protected = {
        "the project's folder": root,
        "the configuration file": config_file,
        "the incidents": (root / incidents).resolve(),
        "docs_dir": docs_dir.resolve(),
    }
    for what, path in protected.items():
        if path == target or path.is_relative_to(target):
            return f"{target} is or holds {what} ({path}); the build would delete it"
        if what == "the incidents" and target.is_relative_to(path):
            return f"{target} is inside the incidents ({path}); build elsewhere"
    return ""
