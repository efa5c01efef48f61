"""zkgov.crypto.shamir: threshold recovery, Feldman verification, Lagrange coefficients, rejections."""

from __future__ import annotations

import dataclasses
import itertools
import random

import pytest

from zkgov.crypto import FIELD_MODULUS
from zkgov.crypto.babyjub import BASE8, SUBORDER, Point
from zkgov.crypto.shamir import Share, combine, lagrange_coefficients, split, verify_share
from zkgov.errors import InputError

SECRET = 123456789012345678901234567890
SHARES, COMMITMENTS = split(SECRET, threshold=3, shares=5, rng=random.Random(5))


def test_split_is_deterministic_with_a_seeded_rng() -> None:
    assert split(SECRET, 3, 5, random.Random(5)) == (SHARES, COMMITMENTS)
    assert [s.index for s in SHARES] == [1, 2, 3, 4, 5]
    assert len(COMMITMENTS) == 3
    assert COMMITMENTS[0] == BASE8 * SECRET


@pytest.mark.parametrize("subset", list(itertools.combinations(range(5), 3)))
def test_any_threshold_shares_recover_the_secret(subset: tuple[int, ...]) -> None:
    assert combine([SHARES[i] for i in subset], threshold=3) == SECRET


def test_more_than_threshold_shares_recover_the_secret() -> None:
    assert combine(SHARES, threshold=3) == SECRET
    assert combine(list(reversed(SHARES[1:])), threshold=3) == SECRET


@pytest.mark.parametrize("subset", list(itertools.combinations(range(5), 2)))
def test_fewer_than_threshold_shares_do_not_recover_the_secret(subset: tuple[int, ...]) -> None:
    shares = [SHARES[i] for i in subset]
    with pytest.raises(InputError, match="2 shares given, threshold = 3 are needed"):
        combine(shares, threshold=3)
    # Interpolating them anyway (a lie about the threshold) gives some other value.
    assert combine(shares, threshold=2) != SECRET


def test_combine_detects_inconsistent_extra_shares() -> None:
    tampered = [*SHARES[:3], Share(4, (SHARES[3].value + 1) % SUBORDER)]
    with pytest.raises(InputError, match="do not lie on one polynomial of degree below threshold = 3"):
        combine(tampered, threshold=3)


def test_threshold_one_shares_are_the_secret() -> None:
    shares, commitments = split(42, 1, 4, random.Random(0))
    assert [s.value for s in shares] == [42] * 4
    assert commitments == (BASE8 * 42,)
    assert combine(shares[2:3], threshold=1) == 42


def test_feldman_accepts_honest_shares() -> None:
    assert all(verify_share(share, COMMITMENTS) for share in SHARES)


def test_feldman_rejects_tampered_shares() -> None:
    assert not verify_share(Share(2, (SHARES[1].value + 1) % SUBORDER), COMMITMENTS)
    assert not verify_share(Share(3, SHARES[1].value), COMMITMENTS)  # a share moved to another index
    assert not verify_share(SHARES[0], (COMMITMENTS[0] + BASE8, *COMMITMENTS[1:]))
    assert not verify_share(SHARES[0], COMMITMENTS[:2])  # a commitment left out
    other_shares, other_commitments = split(SECRET, 3, 5, random.Random(6))
    assert not verify_share(other_shares[0], COMMITMENTS)
    assert verify_share(other_shares[0], other_commitments)


def test_feldman_rejects_malformed_commitments() -> None:
    order_2 = Point(0, FIELD_MODULUS - 1)
    with pytest.raises(InputError, match=r"verify_share: commitments\[1\] .* not in the prime-order subgroup"):
        verify_share(SHARES[0], (COMMITMENTS[0], COMMITMENTS[1] + order_2, COMMITMENTS[2]))
    with pytest.raises(InputError, match="non-empty"):
        verify_share(SHARES[0], ())
    with pytest.raises(InputError, match="must be a Share"):
        verify_share((1, 2), COMMITMENTS)  # type: ignore[arg-type]


def test_lagrange_coefficients_at_zero() -> None:
    # lambda_1 = 2*3/(1*2), lambda_2 = 1*3/((-1)*1), lambda_3 = 1*2/((-2)*(-1))
    assert lagrange_coefficients([1, 2, 3]) == {1: 3, 2: SUBORDER - 3, 3: 1}
    assert lagrange_coefficients([7]) == {7: 1}
    coefficients = lagrange_coefficients([2, 4, 5])
    assert sum(lam * SHARES[i - 1].value for i, lam in coefficients.items()) % SUBORDER == SECRET


@pytest.mark.parametrize(
    ("indices", "problem"), [([1, 2, 1], "duplicate indices"), ([0, 1], "out of range"), ([], "at least one"), ([True], "must be an int")]
)
def test_lagrange_coefficients_reject_bad_indices(indices: list[int], problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        lagrange_coefficients(indices)


def test_combine_rejects_duplicates_and_non_shares() -> None:
    with pytest.raises(InputError, match=r"duplicate indices \[1\]"):
        combine([SHARES[0], SHARES[0], SHARES[1]], threshold=3)
    with pytest.raises(InputError, match=r"shares\[1\] must be a Share"):
        combine([SHARES[0], (2, 3), SHARES[2]], threshold=3)  # type: ignore[list-item]
    with pytest.raises(InputError, match="threshold = 0 must be at least 1"):
        combine(SHARES, threshold=0)


@pytest.mark.parametrize(
    ("index", "value", "field"),
    [(0, 1, "index"), (SUBORDER, 1, "index"), (True, 1, "index"), (1, SUBORDER, "value"), (1, -1, "value"), (1, 1.0, "value")],
)
def test_share_validates_its_fields(index: object, value: object, field: str) -> None:
    with pytest.raises(InputError, match=f"Share: {field}"):
        Share(index, value)  # type: ignore[arg-type]


def test_share_repr_hides_the_value() -> None:
    assert repr(SHARES[0]) == "Share(index=1, value=<hidden>)"
    assert str(SHARES[0].value) not in repr(SHARES)
    assert dataclasses.replace(SHARES[0], value=5).value == 5


@pytest.mark.parametrize(
    ("secret", "threshold", "count", "problem"),
    [
        (SUBORDER, 2, 3, "split: secret"),
        (-1, 2, 3, "split: secret"),
        (1, 4, 3, "threshold = 4 must satisfy 1 <= threshold <= shares = 3"),
        (1, 0, 3, "threshold = 0"),
        (1, 1, 0, "shares = 0"),
        (1, True, 3, "split: threshold must be an int"),
        (1, 2, 3.0, "split: shares must be an int"),
    ],
)
def test_split_validates_its_arguments(secret: object, threshold: object, count: object, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        split(secret, threshold, count, random.Random(0))  # type: ignore[arg-type]
