"""The incident files as they were at a git revision.

``announce --since`` compares the updates the files have now with those they
had at a revision; this module only reads git, the comparison is
:func:`generator.announce.select.select`'s.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from ..core.loader import parse_text
from ..core.model import Incident
from ..core.settings import SiteConfig
from .errors import AnnounceError


def incidents_at(
    config: SiteConfig, root: Path, ref: str, incidents: Sequence[Incident]
) -> dict[str, Incident]:
    """For each incident id, the incident as its file was at ``ref``.

    Files whose content is unchanged are not parsed again (the current
    :class:`Incident` stands for itself); the changed ones are read in one
    ``git cat-file --batch`` rather than one ``git show`` each. A file that did
    not exist (or did not load) at ``ref`` is left out.
    """
    _git(
        root, ["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], f"'{ref}' is not a commit"
    )
    tree = _tree(root, ref, config.incidents_dir)
    present = [i for i in incidents if i.id in tree]
    blobs_now = _hash_files(root, [i.path for i in present])
    before: dict[str, Incident] = {}
    changed: list[tuple[str, str]] = []
    for incident, blob in zip(present, blobs_now, strict=True):
        path, old_blob = tree[incident.id]
        if blob == old_blob:
            before[incident.id] = incident
        else:
            changed.append((path, old_blob))
    texts = _read_blobs(root, [blob for _, blob in changed])
    for (path, _), text in zip(changed, texts, strict=True):
        old, _problems = parse_text(root / path, text, config)
        if old is not None:
            before[old.id] = old
    return before


def _git(root: Path, args: list[str], what: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, input=stdin, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise AnnounceError("git is not installed; --since needs it") from None
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip()
        raise AnnounceError(f"--since: {what}" + (f" ({detail})" if detail else ""))
    return done.stdout


def _tree(root: Path, ref: str, directory: Path) -> dict[str, tuple[str, str]]:
    """``{incident id: (path, blob)}`` of the Markdown files under ``directory`` at ``ref``."""
    out = _git(root, ["ls-tree", "-r", "-z", ref, "--", directory.as_posix()], "git ls-tree failed")
    tree = {}
    for record in out.decode().split("\0"):
        meta, _, path = record.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and path.endswith(".md"):
            tree[Path(path).stem] = (path, parts[2])
    return tree


def _hash_files(root: Path, paths: Sequence[Path]) -> list[str]:
    if not paths:
        return []
    names = "".join(f"{p}\n" for p in paths).encode()
    out = _git(root, ["hash-object", "--stdin-paths"], "git hash-object failed", names)
    return out.decode().split()


def _read_blobs(root: Path, blobs: Sequence[str]) -> list[str]:
    if not blobs:
        return []
    out = _git(
        root,
        ["cat-file", "--batch"],
        "git cat-file failed",
        "".join(f"{b}\n" for b in blobs).encode(),
    )
    texts, position = [], 0
    for _ in blobs:
        header_end = out.index(b"\n", position)
        size = int(out[position:header_end].split()[2])
        start = header_end + 1
        texts.append(out[start : start + size].decode("utf-8", errors="replace"))
        position = start + size + 1
    return texts
