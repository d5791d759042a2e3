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
