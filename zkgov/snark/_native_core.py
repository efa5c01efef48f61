"""The one place that looks for the optional Rust core (``zkgov._native``, built from native/)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

__all__ = ["native_function"]


def native_function(name: str) -> Callable[..., Any] | None:
    """``zkgov._native.<name>`` if the core is built and has it, else ``None`` (a pure-Python or
    snarkjs path is used instead; an older build may lack newer functions)."""
    try:
        module = importlib.import_module("zkgov._native")
    except ImportError:
        return None
    function = getattr(module, name, None)
    return function if callable(function) else None
