"""Where zkgov caches compiled circuits, dev powers-of-tau files and keys."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["cache_dir"]


def cache_dir(*parts: str) -> Path:
    """A folder under zkgov's cache, created on demand.

    The cache root is ``ZKGOV_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/zkgov``, else
    ``~/.cache/zkgov``. Everything in it can be deleted; it is rebuilt when needed.
    """
    root = os.environ.get("ZKGOV_CACHE_DIR")
    if root:
        base = Path(root)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "zkgov"
    folder = base.joinpath(*parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
