"""Where zkgov caches compiled circuits, dev powers-of-tau files and keys."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["cache_dir", "locked"]


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


@contextmanager
def locked(entry: Path) -> Iterator[None]:
    """Hold an exclusive lock on one cache entry (``<entry>.lock`` beside it) between processes:
    parallel test workers, CLI runs. Whoever gets it second finds the entry built."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    with open(entry.parent / f"{entry.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
