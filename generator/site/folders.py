"""How a build writes its files, and how a newly built site replaces the previous one.

The generated pages and files are written before MkDocs empties its output
folder, into a folder of the build's own beside it (:func:`side_folder`), as
the build goes on (:func:`write_file`); once MkDocs has emptied
``site_dir`` they are moved in (:func:`move_into`), a rename per top-level folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path


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


def write_file(top: Path, relative: str, content: str | bytes) -> None:
    """Write ``content`` at site path ``relative`` under ``top``, making its folder."""
    path = os.path.join(top, relative)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        _write(path, data)
    except FileNotFoundError:  # a folder not made yet: one look for most files
        os.makedirs(os.path.dirname(path), exist_ok=True)
        _write(path, data)


def _write(path: str, data: bytes) -> None:
    # Unbuffered: a whole file in one call, without the checks a stream makes.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
    finally:
        os.close(descriptor)


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
