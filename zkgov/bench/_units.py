"""Human-readable seconds, sizes and percentages for the benchmark tables."""

from __future__ import annotations

__all__ = ["pct", "seconds", "size"]


def seconds(value: float) -> str:
    """Seconds with 3 significant digits; milliseconds below 1 s, microseconds below 1 ms."""
    if value >= 1:
        return f"{value:.3g} s"
    if value >= 1e-3:
        return f"{value * 1e3:.3g} ms"
    return f"{value * 1e6:.3g} µs"


def size(n: float) -> str:
    """Bytes as B, KiB or MiB."""
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MiB"
    if n >= 1 << 10:
        return f"{n / (1 << 10):.0f} KiB"
    return f"{n:.0f} B"


def pct(fraction: float) -> str:
    """A percentage, one decimal below 1 %."""
    return f"{fraction:.1%}" if fraction < 0.01 else f"{fraction:.0%}"
