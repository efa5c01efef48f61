"""Threshold trustees: a distributed key generation and verifiable threshold decryption of tallies.

``n`` trustees hold shares of an ElGamal secret key that nobody ever holds whole; any ``t`` of them
decrypt a homomorphic tally (:mod:`zkgov.crypto.elgamal`), fewer learn nothing.

Key generation is Pedersen's joint-Feldman DKG (Pedersen, EUROCRYPT '91):

1. each trustee ``j`` (a *dealer*) picks a random polynomial ``f_j`` of degree ``t - 1`` and
   :meth:`Trustee.deal`\\ s a :class:`DealerMessage`: its Feldman commitments ``a_jk*G`` and the
   share ``f_j(i)`` for every other trustee ``i``;
2. every trustee :meth:`Trustee.receive`\\ s the others' messages, checks its share against the
   commitments (:func:`~zkgov.crypto.shamir.verify_share`) and records a :class:`Complaint`
   against a dealer whose share does not verify;
3. the qualified dealers are those nobody complained about (:func:`qualified_dealers`);
4. :meth:`Trustee.finalize` gives trustee ``i`` the secret share ``x_i = sum_{j in Q} f_j(i)``;
   the joint public key is ``X = sum_{j in Q} a_j0*G`` and trustee ``i``'s public key share is
   ``X_i = x_i*G``, computable by anyone from the commitments.

Decryption: trustee ``i`` publishes ``D_ij = x_i*C1_j`` for each option's aggregated ``C1_j``, with
a DLEQ proof (:mod:`zkgov.crypto.dleq`) that ``log_G(X_i) = log_{C1_j}(D_ij)``.
:func:`combine_decryption` checks the proofs, combines ``t`` shares with Lagrange coefficients
(``x*C1_j = sum_i lambda_i*D_ij``) and solves ``m_j*G = C2_j - x*C1_j`` for the small ``m_j``.

NOT protected yet (a deployment must add these):

* share transport: :class:`DealerMessage` carries shares in the clear. Publish only its
  ``commitments`` (on a broadcast channel: the chain or a bulletin board, so that every trustee
  sees the same ones) and send ``for_recipient(i)`` to trustee ``i`` alone, over an authenticated,
  encrypted channel. Anyone who sees ``t`` shares of a dealer learns its contribution.
* complaint answers: Pedersen's protocol lets an accused dealer reveal the disputed share
  publicly and stay qualified if it verifies; here every complaint disqualifies, so a malicious
  trustee can exclude honest dealers (never below ``t`` of them: :meth:`Trustee.finalize` refuses).
* key bias: a rushing adversary can bias the joint key's distribution (Gennaro, Jarecki,
  Krawczyk, Rabin, EUROCRYPT '99); their DKG, with Pedersen commitments and one more round, avoids it.
* coalitions: ``t`` colluding trustees can decrypt single ballots, not only the tally; and nothing
  here checks that a ballot encrypts a one-hot vector (the ballot circuit's job).
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from zkgov.crypto.babyjub import BASE8, IDENTITY, SUBORDER, Point
from zkgov.crypto.dleq import DleqProof, prove_dleq, verify_dleq
from zkgov.crypto.elgamal import Ciphertext, discrete_log
from zkgov.crypto.elgamal import _check_int, _check_point, _check_rng, _check_scalar, _random_scalar
from zkgov.crypto.shamir import Share, _evaluate_commitments, lagrange_coefficients, split, verify_share
from zkgov.errors import InputError

__all__ = [
    "DealerMessage", "Complaint", "TrusteeKey", "DecryptionShare", "Trustee",
    "qualified_dealers", "verify_decryption_share", "combine_decryption", "run_dkg",
]


def _check_setup(index: object, threshold: object, n: object, where: str) -> tuple[int, int, int]:
    count = _check_int(n, f"{where}: n")
    t = _check_int(threshold, f"{where}: threshold")
    i = _check_int(index, f"{where}: index")
    if count < 1:
        raise InputError(f"{where}: n = {count} must be at least 1")
    if not 1 <= t <= count:
        raise InputError(f"{where}: threshold = {t} must satisfy 1 <= threshold <= n = {count}")
    if not 1 <= i <= count:
        raise InputError(f"{where}: index = {i} must satisfy 1 <= index <= n = {count}")
    return i, t, count


def _c1_points(items: object, what: str) -> tuple[Point, ...]:
    """The ``C1`` of each ciphertext (or each point itself): what decryption shares are made of."""
    if not isinstance(items, Sequence) or not items:
        raise InputError(f"{what} must be a non-empty sequence of Ciphertext or Point")
    return tuple(c.c1 if isinstance(c, Ciphertext) else _check_point(c, f"{what}[{j}]") for j, c in enumerate(items))


@dataclass(frozen=True, slots=True)
class DealerMessage:
    """What dealer ``dealer`` sends in the DKG: commitments for everyone, shares in the clear.

    Attributes:
        dealer: the dealer's trustee index.
        commitments: ``a_k*G`` for the coefficients of its polynomial (``t`` of them).
        shares: ``f(i)`` for recipients ``i`` (hidden from ``repr``); see the module docstring on
            transport: never publish these.
    """

    dealer: int
    commitments: tuple[Point, ...]
    shares: tuple[Share, ...] = field(repr=False)

    def __post_init__(self) -> None:
        _check_scalar(self.dealer, "DealerMessage: dealer", nonzero=True)
        if not isinstance(self.commitments, tuple) or not self.commitments:
            raise InputError("DealerMessage: commitments must be a non-empty tuple of Points")
        for k, commitment in enumerate(self.commitments):
            _check_point(commitment, f"DealerMessage: commitments[{k}]")
        if not isinstance(self.shares, tuple) or not all(isinstance(s, Share) for s in self.shares):
            raise InputError("DealerMessage: shares must be a tuple of Share")
        if len({s.index for s in self.shares}) != len(self.shares):
            raise InputError("DealerMessage: shares has duplicate recipient indices")

    def shares_for(self, index: int) -> Share:
        """The share for trustee ``index``.

        Raises:
            InputError: the message holds no share for ``index``.
        """
        for share in self.shares:
            if share.index == index:
                return share
        raise InputError(f"DealerMessage.shares_for: dealer {self.dealer} sent no share for trustee {index}")

    def for_recipient(self, index: int) -> DealerMessage:
        """This message with only trustee ``index``'s share: what travels to that trustee."""
        return DealerMessage(self.dealer, self.commitments, tuple(s for s in self.shares if s.index == index))


@dataclass(frozen=True, slots=True)
class Complaint:
    """Trustee ``complainant`` accuses dealer ``dealer``; ``reason`` says of what."""

    dealer: int
    complainant: int
    reason: str


@dataclass(frozen=True, slots=True)
class DecryptionShare:
    """Trustee ``index``'s ``D_j = x_i*C1_j`` per option, each with its DLEQ proof.

    Raises:
        InputError: at construction, a point outside the subgroup or mismatched lengths.
    """

    index: int
    points: tuple[Point, ...]
    proofs: tuple[DleqProof, ...]

    def __post_init__(self) -> None:
        _check_scalar(self.index, "DecryptionShare: index", nonzero=True)
        if not isinstance(self.points, tuple) or not isinstance(self.proofs, tuple):
            raise InputError("DecryptionShare: points and proofs must be tuples")
        if len(self.points) != len(self.proofs) or not self.points:
            raise InputError(f"DecryptionShare: {len(self.points)} points and {len(self.proofs)} proofs; need equal, non-zero counts")
        for j, (point, proof) in enumerate(zip(self.points, self.proofs, strict=True)):
            _check_point(point, f"DecryptionShare: points[{j}]")
            if not isinstance(proof, DleqProof):
                raise InputError(f"DecryptionShare: proofs[{j}] must be a DleqProof, got {type(proof).__name__}")


@dataclass(frozen=True, slots=True)
class TrusteeKey:
    """A trustee's result of the DKG: its secret share and the public view everyone agrees on.

    Attributes:
        index: the trustee's index ``i`` (``1..n``).
        threshold: ``t``, how many trustees decrypt.
        n: how many trustees there are.
        secret_share: ``x_i`` (hidden from ``repr``).
        public_key: the joint ElGamal key ``X``.
        public_key_shares: ``X_1..X_n`` (``X_m = x_m*G``), in index order.

    Raises:
        InputError: at construction, out-of-range values, or ``x_i*G != X_i``.
    """

    index: int
    threshold: int
    n: int
    secret_share: int = field(repr=False)
    public_key: Point
    public_key_shares: tuple[Point, ...]

    def __post_init__(self) -> None:
        _check_setup(self.index, self.threshold, self.n, "TrusteeKey")
        _check_scalar(self.secret_share, "TrusteeKey: secret_share", nonzero=True)
        _check_point(self.public_key, "TrusteeKey: public_key", allow_identity=False)
        if not isinstance(self.public_key_shares, tuple) or len(self.public_key_shares) != self.n:
            raise InputError(f"TrusteeKey: public_key_shares must be a tuple of n = {self.n} Points")
        for m, point in enumerate(self.public_key_shares, start=1):
            _check_point(point, f"TrusteeKey: public_key_shares[{m - 1}]")
        if BASE8 * self.secret_share != self.public_key_share:
            raise InputError(f"TrusteeKey: secret_share * G != public_key_shares[{self.index - 1}]")

    @property
    def public_key_share(self) -> Point:
        """``X_i``, this trustee's own public key share."""
        return self.public_key_shares[self.index - 1]

    def public_key_share_map(self) -> dict[int, Point]:
        """``{m: X_m}`` for every trustee, the shape :func:`combine_decryption` takes."""
        return dict(enumerate(self.public_key_shares, start=1))

    def decryption_share(
        self, ciphertexts: Sequence[Ciphertext | Point], *, context: int = 0, rng: random.Random | None = None
    ) -> DecryptionShare:
        """``D_j = x_i*C1_j`` with a DLEQ proof per option.

        Args:
            ciphertexts: the aggregated ciphertexts (or just their ``C1`` points), one per option.
            context: a field element bound into every proof (the proposal id): proofs made for one
                tally do not verify for another. The trustee and option are bound through ``X_i``
                and ``C1_j``, which the challenge hashes.
            rng: the proofs' nonces (default: the OS CSPRNG).
        """
        c1s = _c1_points(ciphertexts, "TrusteeKey.decryption_share: ciphertexts")
        source = _check_rng(rng, "TrusteeKey.decryption_share: rng")
        points = tuple(c1 * self.secret_share for c1 in c1s)
        proofs = tuple(prove_dleq(self.secret_share, BASE8, c1, source, context=context) for c1 in c1s)
        return DecryptionShare(self.index, points, proofs)


class Trustee:
    """One party of the DKG. It deals, receives, complains, and finalizes into a :class:`TrusteeKey`.

    Args:
        index: this trustee's index ``i``, ``1 <= i <= n``.
        threshold: ``t``, ``1 <= t <= n``.
        n: the number of trustees.
        rng: the randomness of its polynomial (default: the OS CSPRNG).
    """

    __slots__ = ("_index", "_threshold", "_n", "_own", "_messages", "_received", "_complaints")

    def __init__(self, index: int, threshold: int, n: int, rng: random.Random | None = None) -> None:
        self._index, self._threshold, self._n = _check_setup(index, threshold, n, "Trustee")
        source = _check_rng(rng, "Trustee: rng")
        shares, commitments = split(_random_scalar(source), self._threshold, self._n, source)
        others = tuple(s for s in shares if s.index != self._index)
        self._own = DealerMessage(self._index, commitments, others)
        self._messages: dict[int, DealerMessage] = {self._index: self._own}
        self._received: dict[int, Share] = {self._index: shares[self._index - 1]}
        self._complaints: list[Complaint] = []

    @property
    def index(self) -> int:
        """This trustee's index."""
        return self._index

    @property
    def complaints(self) -> tuple[Complaint, ...]:
        """The complaints this trustee has raised, to broadcast."""
        return tuple(self._complaints)

    def deal(self) -> DealerMessage:
        """This trustee's commitments and the shares for all the others (the same every call)."""
        return self._own

    def _complain(self, dealer: int, reason: str) -> None:
        self._received.pop(dealer, None)
        self._complaints.append(Complaint(dealer, self._index, reason))

    def receive(self, message: DealerMessage) -> None:
        """Check dealer ``message.dealer``'s share for this trustee; complain when it is bad.

        A bad share, a wrong number of commitments, a missing share, or a second, different message
        from the same dealer add a :class:`Complaint` (no exception: the dealer misbehaved, not the
        caller). An identical resend is ignored.

        Raises:
            InputError: ``message`` is not a :class:`DealerMessage`, or its dealer is not one of
                the other trustees.
        """
        if not isinstance(message, DealerMessage):
            raise InputError(f"Trustee.receive: message must be a DealerMessage, got {type(message).__name__}")
        dealer = message.dealer
        if not 1 <= dealer <= self._n or dealer == self._index:
            raise InputError(f"Trustee.receive: dealer = {dealer} is not another trustee of 1..{self._n}")
        previous = self._messages.get(dealer)
        if previous is not None:
            if previous != message:
                self._complain(dealer, "sent two different messages")
            return
        self._messages[dealer] = message
        if len(message.commitments) != self._threshold:
            self._complain(dealer, f"sent {len(message.commitments)} commitments, expected threshold = {self._threshold}")
            return
        share = next((s for s in message.shares if s.index == self._index), None)
        if share is None:
            self._complain(dealer, "sent no share")
        elif not verify_share(share, message.commitments):
            self._complain(dealer, "share does not match the commitments")
        else:
            self._received[dealer] = share

    def finalize(self, qualified: Collection[int]) -> TrusteeKey:
        """Sum the qualified dealers' shares and commitments into this trustee's key.

        Args:
            qualified: the dealers nobody complained about (:func:`qualified_dealers`), at least
                ``threshold`` of them: with at most ``t - 1`` dishonest trustees, such a set holds
                an honest dealer, whose uniform contribution keeps the joint secret unknown.

        Raises:
            InputError: fewer than ``threshold`` dealers, an index outside ``1..n``, or a dealer
                this trustee holds no valid share from.
        """
        dealers = sorted({_check_int(j, "Trustee.finalize: qualified[]") for j in qualified})
        if len(dealers) < self._threshold:
            raise InputError(f"Trustee.finalize: {len(dealers)} qualified dealers, threshold = {self._threshold} needed")
        missing = [j for j in dealers if j not in self._received]
        if missing:
            raise InputError(f"Trustee.finalize: no valid share from qualified dealers {missing}")
        secret = sum(self._received[j].value for j in dealers) % SUBORDER
        # A_k = sum_j C_jk commits to F = sum_j f_j: A_0 = X and F(m)*G = X_m for every trustee m.
        aggregated = [IDENTITY] * self._threshold
        for j in dealers:
            aggregated = [a + c for a, c in zip(aggregated, self._messages[j].commitments, strict=True)]
        shares = tuple(_evaluate_commitments(aggregated, m) for m in range(1, self._n + 1))
        return TrusteeKey(self._index, self._threshold, self._n, secret, aggregated[0], shares)


def qualified_dealers(n: int, complaints: Iterable[Complaint]) -> set[int]:
    """Trustees ``1..n`` minus every dealer somebody complained about."""
    count = _check_int(n, "qualified_dealers: n")
    accused = {c.dealer for c in complaints}
    return {j for j in range(1, count + 1) if j not in accused}


def verify_decryption_share(
    share: DecryptionShare, public_key_share: Point, c1s: Sequence[Ciphertext | Point], *, context: int = 0
) -> bool:
    """Whether every ``D_j`` of ``share`` is ``x_i*C1_j`` for the ``x_i`` behind ``public_key_share``.

    Raises:
        InputError: malformed input, or a share with another number of options than ``c1s``.
    """
    if not isinstance(share, DecryptionShare):
        raise InputError(f"verify_decryption_share: share must be a DecryptionShare, got {type(share).__name__}")
    points = _c1_points(c1s, "verify_decryption_share: c1s")
    if len(points) != len(share.points):
        raise InputError(f"verify_decryption_share: the share has {len(share.points)} options, c1s has {len(points)}")
    return all(
        verify_dleq(BASE8, public_key_share, c1, d, proof, context=context)
        for c1, d, proof in zip(points, share.points, share.proofs, strict=True)
    )


def combine_decryption(
    ciphertexts: Sequence[Ciphertext],
    shares: Sequence[DecryptionShare],
    threshold: int,
    public_key_shares: Mapping[int, Point],
    *,
    max_value: int,
    context: int = 0,
) -> tuple[int, ...]:
    """Decrypt each option's count from ``threshold`` or more verified decryption shares.

    Every share's proofs are checked against ``public_key_shares``; the ``threshold`` shares of
    lowest index are combined: ``m_j*G = C2_j - sum_i lambda_i*D_ij``.

    Raises:
        InputError: fewer than ``threshold`` shares, two from one trustee, a trustee without a public
            key share, a share whose DLEQ proof fails (the message names the trustee), or a count
            above ``max_value``.
    """
    if not isinstance(ciphertexts, Sequence) or not all(isinstance(c, Ciphertext) for c in ciphertexts):
        raise InputError("combine_decryption: ciphertexts must be a sequence of Ciphertext")
    if not isinstance(shares, Sequence) or not isinstance(public_key_shares, Mapping):
        raise InputError("combine_decryption: shares must be a sequence and public_key_shares a mapping")
    t = _check_int(threshold, "combine_decryption: threshold")
    if t < 1:
        raise InputError(f"combine_decryption: threshold = {t} must be at least 1")
    if len(shares) < t:
        raise InputError(f"combine_decryption: {len(shares)} decryption shares given, threshold = {t} needed")
    by_index: dict[int, DecryptionShare] = {}
    for share in shares:
        if not isinstance(share, DecryptionShare):
            raise InputError(f"combine_decryption: shares must hold DecryptionShare, got {type(share).__name__}")
        if share.index in by_index:
            raise InputError(f"combine_decryption: two decryption shares from trustee {share.index}")
        if share.index not in public_key_shares:
            raise InputError(f"combine_decryption: no public key share for trustee {share.index}")
        if not verify_decryption_share(share, public_key_shares[share.index], ciphertexts, context=context):
            raise InputError(f"combine_decryption: the decryption share of trustee {share.index} fails its DLEQ proof")
        by_index[share.index] = share
    used = sorted(by_index)[:t]
    coefficients = lagrange_coefficients(used)
    counts: list[int] = []
    for j, ciphertext in enumerate(ciphertexts):
        # x*C1_j = sum_i lambda_i * (x_i*C1_j): Lagrange in the exponent.
        masked = IDENTITY
        for i in used:
            masked = masked + by_index[i].points[j] * coefficients[i]
        try:
            counts.append(discrete_log(ciphertext.c2 - masked, max_value))
        except InputError as exc:
            raise InputError(f"combine_decryption: option {j}: {exc}") from None
    return tuple(counts)


def run_dkg(threshold: int, n: int, rng: random.Random | None = None) -> tuple[list[TrusteeKey], Point]:
    """Run the whole DKG among ``n`` honest in-process trustees (tests and demos).

    Returns:
        ``(keys, public_key)``: trustee ``i``'s key at ``keys[i - 1]`` and the joint public key.
    """
    _check_setup(1, threshold, n, "run_dkg")
    trustees = [Trustee(i, threshold, n, rng) for i in range(1, n + 1)]
    messages = [trustee.deal() for trustee in trustees]
    for trustee in trustees:
        for message in messages:
            if message.dealer != trustee.index:
                trustee.receive(message.for_recipient(trustee.index))
    qualified = qualified_dealers(n, (c for trustee in trustees for c in trustee.complaints))
    keys = [trustee.finalize(qualified) for trustee in trustees]
    return keys, keys[0].public_key
