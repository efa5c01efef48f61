"""The operation-count limit for a Groth16 prove on this machine (the native-core issue's model).

A Groth16 prove is dominated by multi-scalar multiplications (MSMs) over the witness and by the FFTs
that compute ``H``. Counting base-field multiplications::

    T_limit ≈ [α·p·(6m + d) + 3·d·log2(d) + 5d] · t_mul / cores

* ``m``: wires (witness length), ``d``: the evaluation domain size;
* ``6m + d`` points: A, B1 and C in G1 (3m), B2 in G2 (≈ 3× a G1 addition: 3m), H in G1 (d);
* ``p(N) = (255/c)·(N + 2^c)/N``: Pippenger bucket additions per point with window ``c`` (255-bit
  scalars), at the ``c`` that minimises it; evaluated at ``N = m``;
* ``α = 6``: field multiplications per batch-affine bucket addition;
* ``3·d·log2(d) + 5d``: the three size-``d`` (i)FFT pairs of snarkjs's QAP and the pointwise work;
* ``t_mul``: one BN254 base-field Montgomery multiplication, measured by the native core when it
  exposes ``zkgov._native.fq_mul_ns()``, else the 25 ns of ``PERF.md`` (MULX/ADX, this machine).

With 25 ns and 2 cores this gives ≈ 0.23 s at 2^14 and 0.80 s at 2^16, the figures in ``PERF.md``.
"""

from __future__ import annotations

import math
import os

__all__ = [
    "ALPHA",
    "DEFAULT_T_MUL_NS",
    "pippenger_additions",
    "best_window",
    "limit_seconds",
    "measure_t_mul",
]

#: Field multiplications per batch-affine bucket addition.
ALPHA = 6.0
#: BN254 Fq Montgomery multiplication on this machine's CPU (PERF.md), used when none is measured.
DEFAULT_T_MUL_NS = 25.0
_SCALAR_BITS = 255


def pippenger_additions(n: int, c: int) -> float:
    """Bucket additions per point of an ``n``-point Pippenger MSM with window ``c`` bits."""
    if n < 1 or c < 1:
        raise ValueError(f"n and c must be positive, got n={n}, c={c}")
    # (255 / c) windows, each adding every point once plus ~2^c bucket-sum additions, per point
    return (_SCALAR_BITS / c) * (n + (1 << c)) / n


def best_window(n: int) -> tuple[int, float]:
    """The window ``c`` (1..30) minimising :func:`pippenger_additions` for ``n`` points, and ``p``."""
    best = min(range(1, 31), key=lambda c: pippenger_additions(n, c))
    return best, pippenger_additions(n, best)


def limit_seconds(
    wires: int, domain: int, *, t_mul_ns: float = DEFAULT_T_MUL_NS, cores: int | None = None, alpha: float = ALPHA
) -> float:
    """The operation-count limit ``T_limit`` in seconds.

    Args:
        wires: ``m``, the witness length.
        domain: ``d``, the evaluation domain size (a power of two).
        t_mul_ns: one base-field multiplication, nanoseconds.
        cores: cores proving in parallel (default: this machine's).
        alpha: field multiplications per bucket addition.

    Example:
        >>> round(limit_seconds(65536, 65536, t_mul_ns=25.0, cores=2), 2)
        0.8
    """
    if wires < 1 or domain < 2:
        raise ValueError(f"wires must be >= 1 and domain >= 2, got wires={wires}, domain={domain}")
    n_cores = cores if cores is not None else (os.cpu_count() or 1)
    _, p = best_window(wires)
    mults = alpha * p * (6 * wires + domain) + 3 * domain * math.log2(domain) + 5 * domain
    return mults * t_mul_ns * 1e-9 / n_cores


def measure_t_mul() -> tuple[float, str]:
    """``(t_mul in ns, where it came from)``: the native core's measurement if it offers one
    (``zkgov._native.fq_mul_ns()``), else :data:`DEFAULT_T_MUL_NS` from PERF.md."""
    try:
        from zkgov import _native
    except ImportError:
        return DEFAULT_T_MUL_NS, "assumed 25 ns (PERF.md; native core not built)"
    measure = getattr(_native, "fq_mul_ns", None)
    if measure is None:
        return DEFAULT_T_MUL_NS, "assumed 25 ns (PERF.md; native core exposes no fq_mul_ns)"
    return float(measure()), "measured by zkgov._native.fq_mul_ns"
