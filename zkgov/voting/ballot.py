"""Encrypted ballots: the vote vector, its ElGamal encryption and the ballot circuit's inputs.

A ballot holds one value per option, encrypted option by option to the trustees' joint key with
exponential ElGamal (:mod:`zkgov.crypto.elgamal`), so additive rules are tallied by adding
ciphertexts and no single ballot is ever decrypted. The ``ballot-<rule>-4`` circuits
(``circuits/voting/ballot.circom``) prove, without saying who voted, that the voter is in the group,
that the ballot is valid for the rule and that the posted ciphertexts encrypt it; the nullifier
``Poseidon(secret, proposal id)`` allows one counted ballot per identity and proposal.

=================  ===========================================  =====================
rule               a valid ballot                               votes per option
=================  ===========================================  =====================
``single``         exactly one option gets 1                    0 / 1
``approval``       any set of options gets 1                    0 / 1
``weighted``       the votes sum to at most the allowance       < 2**16
``quadratic``      the squared votes sum to at most the budget  < 2**8
``ranked``         a permutation of ranks 1..4 (1 = first)      1 .. 4
=================  ===========================================  =====================

Proposals with fewer than four options pad the ballot: padding options must get 0 (the ranked
rule ranks them last); :func:`ballot_inputs` enforces it.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Final

from zkgov.crypto.babyjub import SUBORDER, Point
from zkgov.crypto.elgamal import Ciphertext, encrypt_vector
from zkgov.crypto.merkle import LeanIMT
from zkgov.crypto.poseidon import poseidon, poseidon_chain
from zkgov.errors import InputError
from zkgov.identity.identity import Identity
from zkgov.snark.proof import PublicSignals

__all__ = [
    "N_OPTIONS",
    "MAX_GROUP_DEPTH",
    "Rule",
    "BallotStatement",
    "ballot_hash",
    "ciphertext_coordinates",
    "weights_leaf",
    "check_votes",
    "ballot_inputs",
]

#: Options per ballot circuit.
N_OPTIONS: Final = 4
#: The group and weights trees' maximum depth in the ballot circuits (2**16 members).
MAX_GROUP_DEPTH: Final = 16


class Rule(Enum):
    """A voting rule: its circuit code, circuit name and the bits of one vote."""

    SINGLE = ("single", 0, 1)
    APPROVAL = ("approval", 1, 1)
    WEIGHTED = ("weighted", 2, 16)
    QUADRATIC = ("quadratic", 3, 8)
    RANKED = ("ranked", 4, 4)

    def __init__(self, label: str, code: int, value_bits: int) -> None:
        self.label = label
        self.code = code
        self.value_bits = value_bits

    @property
    def circuit(self) -> str:
        """The manifest name of this rule's ballot circuit."""
        return f"ballot-{self.label}-{N_OPTIONS}"

    @property
    def weighted(self) -> bool:
        """Whether ballots prove an allowance from the weights tree."""
        return self in (Rule.WEIGHTED, Rule.QUADRATIC)

    @property
    def additive(self) -> bool:
        """Whether the tally adds ciphertexts (every rule but ranked choice)."""
        return self is not Rule.RANKED

    @classmethod
    def parse(cls, name: str) -> Rule:
        for rule in cls:
            if rule.label == name:
                return rule
        raise InputError(f"rule: {name!r} is not one of {[r.label for r in cls]}")


def weights_leaf(commitment: int, allowance: int) -> int:
    """A voter's leaf in a proposal's weights tree: ``Poseidon(commitment, allowance)``."""
    return poseidon([commitment, allowance])


def ciphertext_coordinates(ciphertexts: Sequence[Ciphertext]) -> tuple[int, ...]:
    """Every ciphertext's ``c1.x, c1.y, c2.x, c2.y``, in option order (the circuit's ``ct``)."""
    return tuple(coordinate for ct in ciphertexts for coordinate in ct.to_list())


def ballot_hash(ciphertexts: Sequence[Ciphertext]) -> int:
    """``PoseidonChain`` of :func:`ciphertext_coordinates`: what the contract chains per ballot."""
    return poseidon_chain(ciphertext_coordinates(ciphertexts))


def check_votes(rule: Rule, votes: Sequence[int], *, options: int = N_OPTIONS, allowance: int = 1) -> tuple[int, ...]:
    """The votes padded to :data:`N_OPTIONS`, after checking them against the rule.

    Raises:
        InputError: the ballot is not valid for the rule (the reason is named), has the wrong
            length, or gives a padding option a vote.
    """
    if not 2 <= options <= N_OPTIONS:
        raise InputError(f"options: a proposal has 2 .. {N_OPTIONS} options, got {options}")
    if isinstance(votes, (str, bytes)) or len(votes) != options:
        raise InputError(f"votes: expected one value per option ({options}), got {votes!r}")
    values = list(votes)
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < 2**rule.value_bits:
            raise InputError(f"votes[{i}]: {v!r} is not an int in 0 .. 2**{rule.value_bits} - 1 ({rule.label})")
    if rule is Rule.RANKED:
        if sorted(values) != list(range(1, options + 1)):
            raise InputError(f"votes: a ranked ballot ranks every option once, 1 .. {options}; got {values}")
        return tuple(values + list(range(options + 1, N_OPTIONS + 1)))
    if rule is Rule.SINGLE and sum(values) != 1:
        raise InputError(f"votes: a single-choice ballot gives exactly one option 1, got {values}")
    if rule is Rule.APPROVAL and any(v > 1 for v in values):
        raise InputError(f"votes: an approval ballot gives each option 0 or 1, got {values}")
    if rule is Rule.WEIGHTED and sum(values) > allowance:
        raise InputError(f"votes: {sum(values)} votes exceed the allowance {allowance}")
    if rule is Rule.QUADRATIC and sum(v * v for v in values) > allowance:
        raise InputError(f"votes: cost {sum(v * v for v in values)} (sum of squares) exceeds the budget {allowance}")
    return tuple(values + [0] * (N_OPTIONS - options))


@dataclass(frozen=True, slots=True)
class BallotStatement:
    """The public signals of a ballot proof, in circuit order."""

    nullifier: int
    ballot_hash: int
    root: int
    weights_root: int
    proposal_id: int
    pk_x: int
    pk_y: int
    context: int
    ciphertexts: tuple[int, ...]

    def public_signals(self) -> PublicSignals:
        return PublicSignals(
            (self.nullifier, self.ballot_hash, self.root, self.weights_root, self.proposal_id, self.pk_x, self.pk_y,
             self.context, *self.ciphertexts)
        )


def ballot_inputs(
    identity: Identity,
    group: LeanIMT,
    votes: Sequence[int],
    *,
    rule: Rule,
    proposal_id: int,
    public_key: Point,
    context: int,
    options: int = N_OPTIONS,
    allowance: int = 1,
    weights: LeanIMT | None = None,
    randomness: Sequence[int] | None = None,
    delegated_weight: int = 0,
) -> tuple[dict[str, Any], BallotStatement, tuple[Ciphertext, ...]]:
    """Circuit inputs for a ballot, the statement it proves and the ciphertexts to post.

    Args:
        group: the group tree (identity commitments); the voter's commitment must be a leaf.
        votes: one value per option (``options`` of them).
        public_key: the trustees' joint key.
        allowance: the voter's allowance (weighted / quadratic rules), a leaf of ``weights``.
        weights: the proposal's weights tree (weighted / quadratic rules only).
        randomness: ElGamal randomness per option (default: fresh from the OS).
        delegated_weight: weight delegated to the voter (weighted rule; the delegated-ballot
            circuit proves it, :func:`zkgov.voting.delegation.delegated_ballot_inputs` adds it).

    Raises:
        InputError: the voter is not in the group (or the weights tree with that allowance), or
            the votes are not valid for the rule.
    """
    if delegated_weight and rule is not Rule.WEIGHTED:
        raise InputError(f"delegated_weight: only weighted ballots carry delegations, not {rule.label}")
    padded = check_votes(rule, votes, options=options, allowance=allowance + delegated_weight)
    depth, indices, siblings = group.circuit_path(identity.commitment, MAX_GROUP_DEPTH)
    if rule.weighted:
        if weights is None:
            raise InputError(f"weights: the {rule.label} rule needs the proposal's weights tree")
        w_depth, w_indices, w_siblings = weights.circuit_path(weights_leaf(identity.commitment, allowance), MAX_GROUP_DEPTH)
        weights_root = int(weights.root)
    else:
        w_depth, w_indices, w_siblings = 0, [0] * MAX_GROUP_DEPTH, [0] * MAX_GROUP_DEPTH
        weights_root = 0
    rs = list(randomness) if randomness is not None else [secrets.randbelow(SUBORDER - 1) + 1 for _ in padded]
    ciphertexts = encrypt_vector(public_key, padded, rs)
    statement = BallotStatement(
        nullifier=int(identity.nullifier(proposal_id)),
        ballot_hash=ballot_hash(ciphertexts),
        root=int(group.root),
        weights_root=weights_root,
        proposal_id=proposal_id,
        pk_x=public_key.x,
        pk_y=public_key.y,
        context=context,
        ciphertexts=ciphertext_coordinates(ciphertexts),
    )
    inputs: dict[str, Any] = {
        "nullifier": statement.nullifier,
        "ballotHash": statement.ballot_hash,
        "root": statement.root,
        "weightsRoot": weights_root,
        "proposalId": proposal_id,
        "pkX": public_key.x,
        "pkY": public_key.y,
        "context": context,
        "ct": list(statement.ciphertexts),
        "secret": identity.secret_scalar,
        "depth": depth,
        "indices": indices,
        "siblings": siblings,
        "allowance": allowance if rule.weighted else 0,
        "weightsDepth": w_depth,
        "weightsIndices": w_indices,
        "weightsSiblings": w_siblings,
        "votes": list(padded),
        "randomness": rs,
    }
    return inputs, statement, ciphertexts
