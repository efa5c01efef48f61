"""The operation-count limit model reproduces PERF.md's figures (25 ns, 2 cores)."""

from __future__ import annotations

import pytest

from zkgov.bench.limit import DEFAULT_T_MUL_NS, best_window, limit_seconds, measure_t_mul, pippenger_additions


@pytest.mark.parametrize(("power", "expected"), [(14, 0.23), (16, 0.80), (20, 10.1)])
def test_limit_matches_perf_reference(power: int, expected: float) -> None:
    n = 1 << power
    assert limit_seconds(n, n, t_mul_ns=25.0, cores=2) == pytest.approx(expected, rel=0.02)


def test_limit_scales_with_t_mul_and_cores() -> None:
    base = limit_seconds(5000, 8192, t_mul_ns=25.0, cores=2)
    assert limit_seconds(5000, 8192, t_mul_ns=50.0, cores=2) == pytest.approx(2 * base)
    assert limit_seconds(5000, 8192, t_mul_ns=25.0, cores=1) == pytest.approx(2 * base)


def test_best_window_minimises_pippenger_additions() -> None:
    c, p = best_window(65536)
    assert c == 13 and p == pytest.approx(255 / 13 * (65536 + 8192) / 65536)
    assert all(pippenger_additions(65536, k) >= p for k in range(1, 31))
    # more points: a wider window, fewer additions per point
    assert best_window(1 << 20)[0] > best_window(1 << 12)[0]
    assert best_window(1 << 20)[1] < best_window(1 << 12)[1]


@pytest.mark.parametrize(("wires", "domain"), [(0, 1024), (1024, 1)])
def test_limit_rejects_empty_sizes(wires: int, domain: int) -> None:
    with pytest.raises(ValueError, match="wires must be"):
        limit_seconds(wires, domain)


def test_pippenger_rejects_non_positive_sizes() -> None:
    with pytest.raises(ValueError, match="n and c must be positive"):
        pippenger_additions(0, 4)


def test_t_mul_falls_back_to_the_perf_figure_and_says_so() -> None:
    t_mul, source = measure_t_mul()
    if "measured" in source:
        assert 1 < t_mul < 1000
    else:
        assert t_mul == DEFAULT_T_MUL_NS and "PERF.md" in source
