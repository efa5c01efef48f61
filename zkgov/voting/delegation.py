"""Delegation on weighted proposals: a member hands its allowance to a delegate, both hidden.

1. The delegator proves with the ``delegation`` circuit that it is a member with allowance ``w`` in
   the proposal's weights tree, and posts (any account may, e.g. a relayer) the leaf
   ``Poseidon(delegate, nullifier, w, salt)`` — ``nullifier`` is its own ballot nullifier for the
   proposal, so the leaf says nothing about who delegated to whom. The contract adds it to the
   proposal's delegation tree.
2. The delegator hands the delegate a :class:`DelegationToken` (``nullifier, w, salt``) off chain.
3. The delegate casts a ``ballot-weighted-delegated-4`` ballot: its votes may sum to its own
   allowance plus the delegated weights, and the delegators' nullifiers are public, so the contract
   consumes them with the delegate's own — the same weight is never counted twice. A delegator
   that votes first (its nullifier used) makes the delegated ballot naming it invalid: the delegate
   leaves it out (:func:`usable_tokens`).
4. Until the delegate votes, either of them can revoke the delegation by posting the nullifier
   (``revokeDelegation``); the delegator keeps its own vote.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from zkgov.chain.args import field_arg
from zkgov.crypto.babyjub import Point
from zkgov.crypto.elgamal import Ciphertext
from zkgov.crypto.merkle import LeanIMT
from zkgov.crypto.poseidon import poseidon
from zkgov.errors import InputError
from zkgov.identity.identity import Identity
from zkgov.snark.proof import PublicSignals
from zkgov.snark.curve import R as SNARK_SCALAR_FIELD
from zkgov.voting.ballot import MAX_GROUP_DEPTH, N_OPTIONS, BallotStatement, Rule, ballot_inputs, weights_leaf

__all__ = [
    "DELEGATION_CIRCUIT",
    "DELEGATED_BALLOT_CIRCUIT",
    "MAX_DELEGATIONS",
    "DELEGATION_DEPTH",
    "WEIGHT_BITS",
    "DelegationToken",
    "DelegationStatement",
    "DelegatedBallotStatement",
    "delegation_leaf",
    "delegation_inputs",
    "delegated_ballot_inputs",
    "usable_tokens",
]

DELEGATION_CIRCUIT: Final = "delegation"
DELEGATED_BALLOT_CIRCUIT: Final = "ballot-weighted-delegated-4"
#: Delegations one delegated ballot carries.
MAX_DELEGATIONS: Final = 3
#: The delegation tree's maximum depth in the delegated-ballot circuit (1,024 delegations).
DELEGATION_DEPTH: Final = 10
#: Bits of a weight (the weighted rule's allowance width).
WEIGHT_BITS: Final = Rule.WEIGHTED.value_bits + 8


def delegation_leaf(delegate: int, nullifier: int, weight: int, salt: int) -> int:
    """``Poseidon(delegate, nullifier, weight, salt)``: a delegation as the contract's tree holds it."""
    return poseidon([delegate, nullifier, weight, salt])




@dataclass(frozen=True, slots=True)
class DelegationToken:
    """What a delegator hands its delegate off chain: the opening of its delegation leaf.

    Whoever holds it can revoke the delegation (by posting ``nullifier``) but cannot vote with it:
    only the delegate's identity opens the leaf in the delegated-ballot circuit.
    """

    proposal_id: int
    delegate: int
    nullifier: int
    weight: int
    salt: int

    def __post_init__(self) -> None:
        for name in ("proposal_id", "delegate", "nullifier", "salt"):
            field_arg(getattr(self, name), f"DelegationToken.{name}")
        if isinstance(self.weight, bool) or not isinstance(self.weight, int) or not 0 < self.weight < 2**WEIGHT_BITS:
            raise InputError(f"DelegationToken.weight: expected an int in 1 .. 2**{WEIGHT_BITS} - 1, got {self.weight!r}")

    @property
    def leaf(self) -> int:
        return delegation_leaf(self.delegate, self.nullifier, self.weight, self.salt)

    def to_json(self) -> dict[str, Any]:
        return {"type": "zkgov-delegation", "proposalId": str(self.proposal_id), "delegate": str(self.delegate),
                "nullifier": str(self.nullifier), "weight": self.weight, "salt": str(self.salt)}

    @classmethod
    def from_json(cls, data: object) -> DelegationToken:
        """Parse :meth:`to_json`'s output.

        Raises:
            InputError: not a delegation token, or a field is missing or malformed (named).
        """
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except json.JSONDecodeError as exc:
                raise InputError(f"delegation token: not JSON ({exc})") from None
        if not isinstance(data, dict) or data.get("type") != "zkgov-delegation":
            raise InputError("delegation token: expected an object with type 'zkgov-delegation'")
        values: dict[str, int] = {}
        for key, name in (("proposalId", "proposal_id"), ("delegate", "delegate"), ("nullifier", "nullifier"),
                          ("weight", "weight"), ("salt", "salt")):
            raw = data.get(key)
            if isinstance(raw, str) and raw.isdigit():
                values[name] = int(raw)
            elif isinstance(raw, int) and not isinstance(raw, bool):
                values[name] = raw
            else:
                raise InputError(f"delegation token: {key} missing or not a decimal integer ({raw!r})")
        return cls(**values)


@dataclass(frozen=True, slots=True)
class DelegationStatement:
    """The public signals of a delegation proof, in circuit order."""

    leaf: int
    root: int
    weights_root: int
    proposal_id: int
    context: int

    def public_signals(self) -> PublicSignals:
        return PublicSignals((self.leaf, self.root, self.weights_root, self.proposal_id, self.context))


def delegation_inputs(
    identity: Identity,
    group: LeanIMT,
    weights: LeanIMT,
    *,
    allowance: int,
    delegate: int,
    proposal_id: int,
    context: int,
    salt: int | None = None,
) -> tuple[dict[str, Any], DelegationStatement, DelegationToken]:
    """Circuit inputs for delegating ``identity``'s whole allowance to ``delegate`` (a commitment).

    Raises:
        InputError: the delegator is not in the group, or not in the weights tree with that
            allowance, or delegates to itself.
    """
    field_arg(delegate, "delegate")
    if delegate == identity.commitment:
        raise InputError("delegate: a member cannot delegate to itself")
    depth, indices, siblings = group.circuit_path(identity.commitment, MAX_GROUP_DEPTH)
    w_depth, w_indices, w_siblings = weights.circuit_path(weights_leaf(identity.commitment, allowance), MAX_GROUP_DEPTH)
    token = DelegationToken(
        proposal_id=proposal_id,
        delegate=delegate,
        nullifier=int(identity.nullifier(proposal_id)),
        weight=allowance,
        salt=salt if salt is not None else secrets.randbelow(SNARK_SCALAR_FIELD),
    )
    statement = DelegationStatement(token.leaf, int(group.root), int(weights.root), proposal_id, context)
    inputs: dict[str, Any] = {
        "delegationLeaf": statement.leaf,
        "root": statement.root,
        "weightsRoot": statement.weights_root,
        "proposalId": proposal_id,
        "context": context,
        "secret": identity.secret_scalar,
        "depth": depth,
        "indices": indices,
        "siblings": siblings,
        "allowance": allowance,
        "weightsDepth": w_depth,
        "weightsIndices": w_indices,
        "weightsSiblings": w_siblings,
        "delegate": delegate,
        "salt": token.salt,
    }
    return inputs, statement, token


@dataclass(frozen=True, slots=True)
class DelegatedBallotStatement:
    """The public signals of a delegated ballot: a ballot's, then the delegation root and the
    delegators' nullifiers (0 for an unused slot)."""

    ballot: BallotStatement
    delegation_root: int
    delegator_nullifiers: tuple[int, ...]

    def public_signals(self) -> PublicSignals:
        return PublicSignals((*self.ballot.public_signals(), self.delegation_root, *self.delegator_nullifiers))


def usable_tokens(
    tokens: Iterable[DelegationToken], *, consumed: Callable[[int], bool]
) -> tuple[DelegationToken, ...]:
    """The tokens whose delegator has neither voted nor revoked (``consumed(nullifier)`` false).

    A delegator that votes first removes its weight from the delegate: a delegated ballot naming a
    used or revoked nullifier would be refused, so the delegate leaves it out.
    """
    return tuple(t for t in tokens if not consumed(t.nullifier))


def delegated_ballot_inputs(
    identity: Identity,
    group: LeanIMT,
    votes: Sequence[int],
    *,
    proposal_id: int,
    public_key: Point,
    context: int,
    weights: LeanIMT,
    allowance: int,
    delegations: Sequence[DelegationToken],
    delegation_tree: LeanIMT,
    options: int = N_OPTIONS,
    randomness: Sequence[int] | None = None,
) -> tuple[dict[str, Any], DelegatedBallotStatement, tuple[Ciphertext, ...]]:
    """Circuit inputs for a weighted ballot carrying ``delegations`` made to ``identity``.

    Args:
        delegation_tree: the proposal's delegation tree (mirrored from the contract's events).

    Raises:
        InputError: no or more than :data:`MAX_DELEGATIONS` delegations, one for another proposal or
            delegate, a repeated one, one not in the tree, or votes over the total weight.
    """
    if not 1 <= len(delegations) <= MAX_DELEGATIONS:
        raise InputError(
            f"delegations: a delegated ballot carries 1 .. {MAX_DELEGATIONS} (a plain weighted ballot none), "
            f"got {len(delegations)}"
        )
    seen: set[int] = set()
    for i, token in enumerate(delegations):
        if token.proposal_id != proposal_id:
            raise InputError(f"delegations[{i}]: made for proposal {token.proposal_id}, not {proposal_id}")
        if token.delegate != identity.commitment:
            raise InputError(f"delegations[{i}]: made to another delegate")
        if token.nullifier in seen:
            raise InputError(f"delegations[{i}]: the same delegator twice")
        seen.add(token.nullifier)
    inputs, ballot, ciphertexts = ballot_inputs(
        identity, group, votes, rule=Rule.WEIGHTED, proposal_id=proposal_id, public_key=public_key,
        context=context, options=options, allowance=allowance, weights=weights, randomness=randomness,
        delegated_weight=sum(t.weight for t in delegations),
    )
    zeros = [0] * DELEGATION_DEPTH
    slots: dict[str, list[Any]] = {k: [] for k in ("delegated", "delegationWeights", "delegationSalts",
                                                   "delegationDepths", "delegationIndices", "delegationSiblings")}
    nullifiers: list[int] = []
    for token in delegations:
        d, idx, sib = delegation_tree.circuit_path(token.leaf, DELEGATION_DEPTH)
        for key, value in zip(slots, (1, token.weight, token.salt, d, idx, sib), strict=True):
            slots[key].append(value)
        nullifiers.append(token.nullifier)
    for _ in range(MAX_DELEGATIONS - len(delegations)):
        for key, value in zip(slots, (0, 0, 0, 0, zeros, zeros), strict=True):
            slots[key].append(value)
        nullifiers.append(0)
    root = int(delegation_tree.root)
    statement = DelegatedBallotStatement(ballot, root, tuple(nullifiers))
    inputs.update(slots)
    inputs["delegationRoot"] = root
    inputs["delegatorNullifiers"] = nullifiers
    return inputs, statement, ciphertexts
