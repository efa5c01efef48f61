"""zkgov.crypto.elgamal: round trips, the homomorphic tally, discrete-log bounds, rejections."""

from __future__ import annotations

import random

import pytest

from zkgov.crypto import FIELD_MODULUS
from zkgov.crypto.babyjub import BASE8, IDENTITY, SUBORDER, Point
from zkgov.crypto.elgamal import (
    MAX_DISCRETE_LOG,
    Ciphertext,
    add_vectors,
    decrypt,
    decrypt_point,
    discrete_log,
    encrypt,
    encrypt_vector,
    generate_keypair,
)
from zkgov.errors import InputError

R = FIELD_MODULUS
#: (0, -1): the point of order 2, on the curve but outside the prime-order subgroup.
ORDER_2 = Point(0, R - 1)
MIXED = BASE8 + ORDER_2
SECRET, PUBLIC = generate_keypair(random.Random(2024))


def test_keypair_is_deterministic_with_a_seeded_rng() -> None:
    assert generate_keypair(random.Random(2024)) == (SECRET, PUBLIC)
    assert 1 <= SECRET < SUBORDER
    assert PUBLIC == BASE8 * SECRET and PUBLIC.in_subgroup()
    assert generate_keypair(random.Random(2025))[0] != SECRET


@pytest.mark.parametrize("message", [0, 1, 2, 17, 1000, 65535])
def test_round_trip(message: int) -> None:
    ciphertext = encrypt(PUBLIC, message, rng=random.Random(message))
    assert decrypt_point(SECRET, ciphertext) == BASE8 * message
    assert decrypt(SECRET, ciphertext, max_value=65535) == message


def test_encrypt_computes_the_textbook_formula() -> None:
    ciphertext = encrypt(PUBLIC, 7, 123456789)
    assert ciphertext.c1 == BASE8 * 123456789
    assert ciphertext.c2 == BASE8 * 7 + PUBLIC * 123456789
    assert ciphertext.to_list() == [ciphertext.c1.x, ciphertext.c1.y, ciphertext.c2.x, ciphertext.c2.y]
    assert Ciphertext(ciphertext.c1, ciphertext.c2) == ciphertext


def test_encryption_is_randomised() -> None:
    rng = random.Random(1)
    assert encrypt(PUBLIC, 5, rng=rng) != encrypt(PUBLIC, 5, rng=rng)


def test_homomorphic_sum_of_20_one_hot_ballots_decrypts_to_the_counts() -> None:
    rng = random.Random(20)
    options = 4
    choices = [rng.randrange(options) for _ in range(20)]
    ballots = [encrypt_vector(PUBLIC, [int(j == c) for j in range(options)], rng=rng) for c in choices]
    tally = add_vectors(ballots)
    assert len(tally) == options
    assert [decrypt(SECRET, ct, max_value=20) for ct in tally] == [choices.count(j) for j in range(options)]
    assert sum(choices.count(j) for j in range(options)) == 20


def test_ciphertext_addition_adds_plaintexts() -> None:
    rng = random.Random(3)
    total = encrypt(PUBLIC, 40, rng=rng) + encrypt(PUBLIC, 2, rng=rng)
    assert decrypt(SECRET, total, max_value=100) == 42
    with pytest.raises(TypeError):
        _ = total + 1  # type: ignore[operator]


def test_encrypt_vector_with_explicit_randomness() -> None:
    vector = encrypt_vector(PUBLIC, [1, 0, 3], [11, 22, 33])
    assert vector == (encrypt(PUBLIC, 1, 11), encrypt(PUBLIC, 0, 22), encrypt(PUBLIC, 3, 33))


@pytest.mark.parametrize(("message", "bound"), [(0, 0), (5, 5), (99, 100), (2**20, 2**20), (2**20 - 1, 2**20)])
def test_discrete_log_finds_values_up_to_the_bound(message: int, bound: int) -> None:
    assert discrete_log(BASE8 * message, bound) == message


@pytest.mark.parametrize(("message", "bound"), [(1, 0), (6, 5), (2**20 + 1, 2**20), (SUBORDER - 1, 1000)])
def test_discrete_log_names_the_bound_when_the_value_exceeds_it(message: int, bound: int) -> None:
    with pytest.raises(InputError, match=f"max_value = {bound}"):
        discrete_log(BASE8 * message, bound)


def test_decrypt_with_the_wrong_key_fails() -> None:
    other_secret, _ = generate_keypair(random.Random(9))
    with pytest.raises(InputError, match="max_value = 100"):
        decrypt(other_secret, encrypt(PUBLIC, 3, rng=random.Random(4)), max_value=100)


@pytest.mark.parametrize(
    ("bound", "problem"),
    [(-1, "out of range"), (MAX_DISCRETE_LOG + 1, "out of range"), (True, "must be an int"), (2.0, "must be an int")],
)
def test_discrete_log_rejects_bad_bounds(bound: object, problem: str) -> None:
    with pytest.raises(InputError, match=f"max_value.*{problem}|{problem}.*max_value"):
        discrete_log(BASE8, bound)  # type: ignore[arg-type]


def test_discrete_log_rejects_points_outside_the_subgroup() -> None:
    with pytest.raises(InputError, match="discrete_log: point .* not in the prime-order subgroup"):
        discrete_log(MIXED, 10)


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        (IDENTITY, "identity"),
        (ORDER_2, "not in the prime-order subgroup"),
        (MIXED, "not in the prime-order subgroup"),
        ((1, 2), "must be a Point"),
    ],
)
def test_encrypt_rejects_bad_public_keys(key: object, problem: str) -> None:
    with pytest.raises(InputError, match=f"encrypt: public_key.*{problem}"):
        encrypt(key, 1, 5)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=f"encrypt_vector: public_key.*{problem}"):
        encrypt_vector(key, [1], [5])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("message", "randomness", "field"),
    [
        (-1, 5, "message"),
        (SUBORDER, 5, "message"),
        (True, 5, "message"),
        (1, 0, "randomness"),
        (1, SUBORDER, "randomness"),
        (1, False, "randomness"),
        (1, -3, "randomness"),
    ],
)
def test_encrypt_rejects_out_of_range_scalars(message: object, randomness: object, field: str) -> None:
    with pytest.raises(InputError, match=f"encrypt: {field}"):
        encrypt(PUBLIC, message, randomness)  # type: ignore[arg-type]


def test_encrypt_vector_names_the_bad_position() -> None:
    with pytest.raises(InputError, match=r"values\[2\]"):
        encrypt_vector(PUBLIC, [0, 1, -1], rng=random.Random(0))
    with pytest.raises(InputError, match="randomness has 1 entries for 2 values"):
        encrypt_vector(PUBLIC, [0, 1], [5])
    with pytest.raises(InputError, match=r"randomness\[1\]"):
        encrypt_vector(PUBLIC, [0, 1], [5, 0])


def test_ciphertext_rejects_points_outside_the_subgroup() -> None:
    with pytest.raises(InputError, match="Ciphertext: c1 .* not in the prime-order subgroup"):
        Ciphertext(ORDER_2, BASE8)
    with pytest.raises(InputError, match="Ciphertext: c2 .* not in the prime-order subgroup"):
        Ciphertext(BASE8, MIXED)
    with pytest.raises(InputError, match="Ciphertext: c1 must be a Point"):
        Ciphertext((1, 2), BASE8)  # type: ignore[arg-type]


def test_add_vectors_rejects_mismatched_shapes() -> None:
    a = encrypt_vector(PUBLIC, [1, 0], [1, 2])
    with pytest.raises(InputError, match=r"vectors\[1\] must be a sequence of 2"):
        add_vectors([a, a[:1]])
    with pytest.raises(InputError, match="non-empty"):
        add_vectors([])
    with pytest.raises(InputError, match=r"vectors\[0\]\[1\] must be a Ciphertext"):
        add_vectors([(a[0], BASE8)])  # type: ignore[list-item]


@pytest.mark.parametrize("key", [0, SUBORDER, -1, True])
def test_decrypt_rejects_bad_secret_keys(key: object) -> None:
    with pytest.raises(InputError, match="decrypt_point: secret_key"):
        decrypt(key, encrypt(PUBLIC, 1, 5), 10)  # type: ignore[arg-type]


def test_generate_keypair_rejects_a_non_random_rng() -> None:
    with pytest.raises(InputError, match="generate_keypair: rng must be a random.Random"):
        generate_keypair(42)  # type: ignore[arg-type]
