"""Anonymous signalling: members of a Poseidon Merkle group post one signal per scope.

The first governance building block on top of the proof core: the ``membership-N`` circuits
(``circuits/lib/merkle-membership.circom``) and the ``AnonymousSignalBoard`` contract
(``verifier_contracts/voting/AnonymousSignalBoard.sol``). A member proves membership of the group
without saying which member; the scoped nullifier ``Poseidon(secret, scope)`` lets the contract
refuse a second signal from the same member in the same scope; the context hash binds the proof to
the board's circuit, chain and address.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from zkgov.chain.contracts import DeployedContract
from zkgov.crypto.hashing import field_hash
from zkgov.crypto.merkle import FixedMerkleTree
from zkgov.crypto.poseidon import poseidon
from zkgov.errors import InputError
from zkgov.snark.context import context_hash
from zkgov.snark.curve import R
from zkgov.snark.proof import Proof, PublicSignals
from zkgov.typing import Commitment, ContextHash, Nullifier

__all__ = ["Member", "MembershipStatement", "SignalBoardClient", "field_hash", "membership_inputs"]

#: Gas limit for ``postSignal``: it verifies a proof, and eth_estimateGas under-estimates pairings.
POST_SIGNAL_GAS = 900_000


@dataclass(frozen=True)
class Member:
    """A group member's secret and its public identity commitment ``Poseidon(secret)``."""

    secret: int

    def __post_init__(self) -> None:
        if not isinstance(self.secret, int) or not 0 < self.secret < R:
            raise InputError("secret: must be an integer with 0 < secret < r")

    @property
    def commitment(self) -> Commitment:
        return Commitment(poseidon([self.secret]))

    def nullifier(self, scope: int) -> Nullifier:
        return Nullifier(poseidon([self.secret, scope]))

    def __repr__(self) -> str:  # never print the secret
        return f"Member(commitment={self.commitment})"


@dataclass(frozen=True)
class MembershipStatement:
    """The public signals of a membership proof, in circuit order."""

    root: int
    nullifier: int
    scope: int
    context: int
    signal_hash: int

    def public_signals(self) -> PublicSignals:
        return PublicSignals((self.root, self.nullifier, self.scope, self.context, self.signal_hash))


def membership_inputs(
    member: Member, tree: FixedMerkleTree, index: int, *, scope: int, context: int, signal_hash: int
) -> tuple[dict[str, Any], MembershipStatement]:
    """Circuit inputs for ``member`` (leaf ``index`` of ``tree``) and the statement they prove."""
    if int(tree.leaves[index]) != int(member.commitment):
        raise InputError(f"index: leaf {index} of the tree is not this member's commitment")
    siblings, path_bits = tree.path(index)
    statement = MembershipStatement(int(tree.root), int(member.nullifier(scope)), scope, context, signal_hash)
    inputs = {
        "root": statement.root,
        "nullifier": statement.nullifier,
        "scope": scope,
        "context": context,
        "signalHash": signal_hash,
        "secret": member.secret,
        "siblings": list(siblings),
        "pathBits": list(path_bits),
    }
    return inputs, statement


class SignalBoardClient:
    """Python side of a deployed ``AnonymousSignalBoard``.

    Args:
        contract: the deployed board.
        verifier_abi: the verifier's ABI; its custom errors (which ``postSignal`` passes through)
            are then decoded by name too.
    """

    def __init__(self, contract: DeployedContract, *, verifier_abi: Sequence[Mapping[str, Any]] = ()) -> None:
        self.contract = contract.with_errors(verifier_abi)
        self.circuit_id: bytes = bytes(contract.call("circuitId"))

    def context_for(self, scope: int) -> ContextHash:
        """The context hash computed locally; equal to the contract's ``contextFor(scope)``."""
        return context_hash(self.circuit_id, self.contract.conn.chain_id, self.contract.address, scope)

    def add_root(self, root: int, *, sender: str | None = None) -> dict[str, Any]:
        return self.contract.transact("addRoot", root, sender=sender)

    def revoke_root(self, root: int, *, sender: str | None = None) -> dict[str, Any]:
        return self.contract.transact("revokeRoot", root, sender=sender)

    def post(self, proof: Proof, statement: MembershipStatement, *, sender: str | None = None) -> dict[str, Any]:
        """Send ``postSignal``; returns the receipt. Reverts become ContractRevertError."""
        a, b, c, _ = proof.to_calldata(statement.public_signals())
        return self.contract.transact(
            "postSignal",
            statement.root,
            statement.nullifier,
            statement.scope,
            statement.signal_hash,
            list(a),
            [list(b[0]), list(b[1])],
            list(c),
            sender=sender,
            gas=POST_SIGNAL_GAS,
        )
