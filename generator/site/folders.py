"""How a newly built site replaces the previous one."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


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
