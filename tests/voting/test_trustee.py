"""zkgov.voting.trustee: a 3-of-5 DKG end to end, a cheating dealer, threshold decryption of a
homomorphic tally, refused decryption shares, rejections."""

from __future__ import annotations

import dataclasses
import itertools
import random
from functools import reduce

import pytest

from zkgov.crypto import FIELD_MODULUS
from zkgov.crypto.babyjub import BASE8, IDENTITY, SUBORDER, Point
from zkgov.crypto.dleq import DleqProof
from zkgov.crypto.elgamal import Ciphertext, add_vectors, decrypt, encrypt_vector
from zkgov.crypto.shamir import Share, combine
from zkgov.errors import InputError
from zkgov.voting.trustee import (
    Complaint,
    DealerMessage,
    DecryptionShare,
    Trustee,
    TrusteeKey,
    combine_decryption,
    qualified_dealers,
    run_dkg,
    verify_decryption_share,
)

ORDER_2 = Point(0, FIELD_MODULUS - 1)  # on the curve, outside the prime-order subgroup
T, N = 3, 5
CONTEXT = 77  # the proposal id
OPTIONS = 3
KEYS, PUBLIC_KEY = run_dkg(T, N, random.Random(35))
PK_SHARES = KEYS[0].public_key_share_map()


def _tally(seed: int, voters: int = 12) -> tuple[tuple[Ciphertext, ...], list[int]]:
    rng = random.Random(seed)
    choices = [rng.randrange(OPTIONS) for _ in range(voters)]
    ballots = [encrypt_vector(PUBLIC_KEY, [int(j == c) for j in range(OPTIONS)], rng=rng) for c in choices]
    return add_vectors(ballots), [choices.count(j) for j in range(OPTIONS)]


TALLY, COUNTS = _tally(1)
DECRYPTION_SHARES = {key.index: key.decryption_share(TALLY, context=CONTEXT, rng=random.Random(key.index)) for key in KEYS}


def _sum(points: list[Point]) -> Point:
    return reduce(lambda p, q: p + q, points, IDENTITY)


def _deal(seed: int) -> tuple[list[Trustee], list[DealerMessage]]:
    rng = random.Random(seed)
    trustees = [Trustee(i, T, N, rng) for i in range(1, N + 1)]
    return trustees, [t.deal() for t in trustees]


def _deliver(trustees: list[Trustee], messages: list[DealerMessage]) -> None:
    for trustee in trustees:
        for message in messages:
            if message.dealer != trustee.index:
                trustee.receive(message.for_recipient(trustee.index))


def test_joint_key_is_the_sum_of_the_dealers_constants() -> None:
    trustees, messages = _deal(8)
    _deliver(trustees, messages)
    assert all(t.complaints == () for t in trustees)
    keys = [t.finalize(set(range(1, N + 1))) for t in trustees]
    assert keys[0].public_key == _sum([m.commitments[0] for m in messages])
    assert len({(k.public_key, k.public_key_shares) for k in keys}) == 1  # everyone agrees
    # The (never assembled) joint secret is the interpolation of the secret shares.
    secret = combine([Share(k.index, k.secret_share) for k in keys[:T]], threshold=T)
    assert BASE8 * secret == keys[0].public_key


def test_run_dkg_gives_consistent_keys() -> None:
    assert [k.index for k in KEYS] == list(range(1, N + 1))
    for key in KEYS:
        assert (key.threshold, key.n, key.public_key) == (T, N, PUBLIC_KEY)
        assert key.public_key_share == BASE8 * key.secret_share == PK_SHARES[key.index]
    assert run_dkg(T, N, random.Random(35))[1] == PUBLIC_KEY
    assert run_dkg(T, N, random.Random(36))[1] != PUBLIC_KEY


def test_cheating_dealer_is_complained_about_and_excluded() -> None:
    trustees, messages = _deal(9)
    cheat = messages[1]  # dealer 2 sends trustee 4 a share off its polynomial
    bad = Share(4, (cheat.shares_for(4).value + 1) % SUBORDER)
    forged = DealerMessage(2, cheat.commitments, (bad,))
    for trustee in trustees:
        for message in messages:
            if message.dealer == trustee.index:
                continue
            trustee.receive(forged if (message.dealer, trustee.index) == (2, 4) else message.for_recipient(trustee.index))
    complaints = [c for t in trustees for c in t.complaints]
    assert complaints == [Complaint(dealer=2, complainant=4, reason="share does not match the commitments")]
    qualified = qualified_dealers(N, complaints)
    assert qualified == {1, 3, 4, 5}
    with pytest.raises(InputError, match=r"no valid share from qualified dealers \[2\]"):
        trustees[3].finalize({1, 2, 3, 4, 5})
    keys = [t.finalize(qualified) for t in trustees]
    assert keys[0].public_key == _sum([m.commitments[0] for m in messages if m.dealer != 2])
    assert len({k.public_key for k in keys}) == 1
    # The excluded dealer's key still works end to end.
    rng = random.Random(10)
    tally = add_vectors([encrypt_vector(keys[0].public_key, [0, 1], rng=rng) for _ in range(4)])
    shares = [k.decryption_share(tally, context=1, rng=rng) for k in keys[2:]]
    assert combine_decryption(tally, shares, T, keys[0].public_key_share_map(), max_value=10, context=1) == (0, 4)


def test_other_dealer_misbehaviour_produces_complaints() -> None:
    trustees, messages = _deal(11)
    receiver = trustees[0]
    short = DealerMessage(2, messages[1].commitments[:2], (messages[1].shares_for(1),))
    receiver.receive(short)
    receiver.receive(messages[2].for_recipient(5))  # no share for trustee 1
    receiver.receive(messages[3])
    receiver.receive(messages[3])  # an identical resend is ignored
    receiver.receive(messages[4])
    receiver.receive(dataclasses.replace(messages[4], commitments=messages[3].commitments))
    assert [(c.dealer, c.reason) for c in receiver.complaints] == [
        (2, "sent 2 commitments, expected threshold = 3"),
        (3, "sent no share"),
        (5, "sent two different messages"),
    ]
    assert qualified_dealers(N, receiver.complaints) == {1, 4}
    with pytest.raises(InputError, match="2 qualified dealers, threshold = 3 needed"):
        receiver.finalize({1, 4})


@pytest.mark.parametrize("subset", list(itertools.combinations(range(1, N + 1), T)))
def test_any_three_trustees_decrypt_the_tally(subset: tuple[int, ...]) -> None:
    shares = [DECRYPTION_SHARES[i] for i in subset]
    assert combine_decryption(TALLY, shares, T, PK_SHARES, max_value=100, context=CONTEXT) == tuple(COUNTS)


def test_more_than_three_shares_also_decrypt() -> None:
    shares = list(DECRYPTION_SHARES.values())
    assert combine_decryption(TALLY, shares, T, PK_SHARES, max_value=100, context=CONTEXT) == tuple(COUNTS)


@pytest.mark.parametrize("subset", list(itertools.combinations(range(1, N + 1), T - 1)))
def test_two_trustees_cannot_decrypt(subset: tuple[int, ...]) -> None:
    shares = [DECRYPTION_SHARES[i] for i in subset]
    with pytest.raises(InputError, match="2 decryption shares given, threshold = 3 needed"):
        combine_decryption(TALLY, shares, T, PK_SHARES, max_value=100, context=CONTEXT)
    # Lying about the threshold interpolates the wrong key: no count within the bound comes out.
    with pytest.raises(InputError, match="option 0: .*max_value = 100"):
        combine_decryption(TALLY, shares, T - 1, PK_SHARES, max_value=100, context=CONTEXT)


def test_a_share_with_a_bad_proof_is_refused_naming_the_trustee() -> None:
    honest = DECRYPTION_SHARES[4]
    wrong_point = dataclasses.replace(honest, points=(honest.points[0] + BASE8, *honest.points[1:]))
    proof = honest.proofs[1]
    wrong_proof = dataclasses.replace(honest, proofs=(honest.proofs[0], DleqProof(proof.challenge, (proof.response + 1) % SUBORDER), honest.proofs[2]))
    for bad in (wrong_point, wrong_proof):
        assert not verify_decryption_share(bad, PK_SHARES[4], TALLY, context=CONTEXT)
        shares = [DECRYPTION_SHARES[1], bad, DECRYPTION_SHARES[5]]
        with pytest.raises(InputError, match="decryption share of trustee 4 fails its DLEQ proof"):
            combine_decryption(TALLY, shares, T, PK_SHARES, max_value=100, context=CONTEXT)


def test_a_share_replayed_under_another_index_or_context_is_refused() -> None:
    assert verify_decryption_share(DECRYPTION_SHARES[2], PK_SHARES[2], TALLY, context=CONTEXT)
    assert not verify_decryption_share(DECRYPTION_SHARES[2], PK_SHARES[2], TALLY, context=CONTEXT + 1)
    impostor = dataclasses.replace(DECRYPTION_SHARES[2], index=3)
    with pytest.raises(InputError, match="trustee 3 fails"):
        combine_decryption(TALLY, [DECRYPTION_SHARES[1], impostor, DECRYPTION_SHARES[4]], T, PK_SHARES, max_value=100, context=CONTEXT)
    with pytest.raises(InputError, match="trustee 1 fails"):
        combine_decryption(TALLY, list(DECRYPTION_SHARES.values()), T, PK_SHARES, max_value=100, context=CONTEXT + 1)
    other_tally, _ = _tally(2)
    assert not verify_decryption_share(DECRYPTION_SHARES[2], PK_SHARES[2], other_tally, context=CONTEXT)


def test_decryption_shares_accept_bare_c1_points() -> None:
    share = KEYS[0].decryption_share([c.c1 for c in TALLY], context=CONTEXT, rng=random.Random(1))
    assert share == DECRYPTION_SHARES[1]
    assert share.points == tuple(c.c1 * KEYS[0].secret_share for c in TALLY)
    assert verify_decryption_share(share, PK_SHARES[1], [c.c1 for c in TALLY], context=CONTEXT)


def test_combine_decryption_rejects_malformed_input() -> None:
    shares = [DECRYPTION_SHARES[i] for i in (1, 2, 3)]
    with pytest.raises(InputError, match="two decryption shares from trustee 1"):
        combine_decryption(TALLY, [shares[0], shares[0], shares[1]], T, PK_SHARES, max_value=100, context=CONTEXT)
    with pytest.raises(InputError, match="no public key share for trustee 3"):
        combine_decryption(TALLY, shares, T, {1: PK_SHARES[1], 2: PK_SHARES[2]}, max_value=100, context=CONTEXT)
    with pytest.raises(InputError, match="threshold = 0"):
        combine_decryption(TALLY, shares, 0, PK_SHARES, max_value=100, context=CONTEXT)
    with pytest.raises(InputError, match="the share has 3 options, c1s has 2"):
        combine_decryption(TALLY[:2], shares, T, PK_SHARES, max_value=100, context=CONTEXT)
    with pytest.raises(InputError, match="option 0: .*max_value = 1"):
        combine_decryption(TALLY, shares, T, PK_SHARES, max_value=1, context=CONTEXT)


def test_the_tally_is_what_a_single_key_holder_would_decrypt() -> None:
    secret = combine([Share(k.index, k.secret_share) for k in KEYS[1:4]], threshold=T)
    assert [decrypt(secret, c, max_value=100) for c in TALLY] == COUNTS


def test_secrets_stay_out_of_reprs() -> None:
    assert str(KEYS[0].secret_share) not in repr(KEYS[0])
    message = Trustee(1, T, N, random.Random(0)).deal()
    assert "shares" not in repr(message) and len(message.shares) == N - 1
    assert message.for_recipient(3).shares == (message.shares_for(3),)
    with pytest.raises(InputError, match="dealer 1 sent no share for trustee 1"):
        message.shares_for(1)


@pytest.mark.parametrize(
    ("index", "threshold", "n", "problem"),
    [
        (0, 3, 5, "index = 0"),
        (6, 3, 5, "index = 6"),
        (1, 6, 5, "threshold = 6 must satisfy 1 <= threshold <= n = 5"),
        (1, 0, 5, "threshold = 0"),
        (1, 1, 0, "n = 0"),
        (1, True, 5, "threshold must be an int"),
    ],
)
def test_trustee_validates_its_setup(index: object, threshold: object, n: object, problem: str) -> None:
    with pytest.raises(InputError, match=f"Trustee: {problem}"):
        Trustee(index, threshold, n, random.Random(0))  # type: ignore[arg-type]


def test_receive_rejects_messages_that_are_not_from_another_trustee() -> None:
    trustees, messages = _deal(12)
    with pytest.raises(InputError, match="dealer = 1 is not another trustee"):
        trustees[0].receive(messages[0])
    with pytest.raises(InputError, match="dealer = 6 is not another trustee"):
        trustees[0].receive(dataclasses.replace(messages[1], dealer=6))
    with pytest.raises(InputError, match="must be a DealerMessage"):
        trustees[0].receive("hello")  # type: ignore[arg-type]


def test_trustee_key_checks_its_share_against_the_public_view() -> None:
    key = KEYS[0]
    with pytest.raises(InputError, match=r"secret_share \* G != public_key_shares\[0\]"):
        dataclasses.replace(key, secret_share=key.secret_share + 1)
    with pytest.raises(InputError, match="public_key_shares must be a tuple of n = 5"):
        dataclasses.replace(key, public_key_shares=key.public_key_shares[:4])
    with pytest.raises(InputError, match="public_key is the identity"):
        dataclasses.replace(key, public_key=IDENTITY)


def test_decryption_share_validates_its_shape() -> None:
    share = DECRYPTION_SHARES[1]
    with pytest.raises(InputError, match="3 points and 2 proofs"):
        DecryptionShare(1, share.points, share.proofs[:2])
    with pytest.raises(InputError, match=r"points\[0\] .* not in the prime-order subgroup"):
        DecryptionShare(1, (share.points[0] + ORDER_2, *share.points[1:]), share.proofs)
    with pytest.raises(InputError, match="DecryptionShare: index"):
        DecryptionShare(0, share.points, share.proofs)
