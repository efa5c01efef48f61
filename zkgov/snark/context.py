"""Bind a proof to the circuit, chain, contract and scope it is meant for.

A Groth16 proof only says "these public signals satisfy this circuit". Nothing in it names where
it may be used, so the same proof could be submitted to a second deployment of the same verifier,
to a fork on another chain, or under another circuit that happens to share a public-input layout.
zkgov circuits therefore take one public input, the *context hash*, that the verifying contract
recomputes from its own circuit id, ``block.chainid``, ``address(this)`` and the scope (a
proposal, a claim window...). A proof made for one context does not verify in any other.

The Solidity twin is ``ZkgovContext.contextHash`` in ``verifier_contracts/lib/ZkgovContext.sol``;
``tests/vectors/context_hash.json`` is checked against both.
"""

from __future__ import annotations

from eth_abi.abi import encode as abi_encode
from eth_utils.address import is_checksum_address, to_canonical_address
from eth_utils.crypto import keccak

from zkgov.typing import ContextHash

__all__ = ["context_hash"]

_UINT256_LIMIT = 1 << 256
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def context_hash(circuit_id: bytes, chain_id: int, contract: str, scope: int) -> ContextHash:
    """The field element binding a proof to ``(circuit_id, chain_id, contract, scope)``.

    ``uint256(keccak256(abi.encode(bytes32 circuitId, uint256 chainId, address contract,
    uint256 scope))) >> 8``: shifting out 8 bits leaves a 248-bit value, below the BN254 scalar
    field modulus r (~2^253.6), so it is a valid public input without reduction.

    Args:
        circuit_id: the circuit's 32-byte id (:attr:`VerificationKey.circuit_id`).
        chain_id: the EIP-155 chain id (>= 1).
        contract: the verifying contract's address, ``0x`` + 40 hex digits; mixed case must be a
            valid EIP-55 checksum.
        scope: what the proof is for, ``0 <= scope < 2^256``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: an argument is out of range or malformed; the message names it.

    Example:
        >>> context_hash(bytes(32), 1, "0x" + "00" * 20, 0)
        222083572800549264990036446573515725255631534123215179237344666425756940908
    """
    if not isinstance(circuit_id, bytes | bytearray):
        raise TypeError(f"circuit_id: expected 32 bytes, got {type(circuit_id).__name__}")
    if len(circuit_id) != 32:
        raise ValueError(f"circuit_id: expected exactly 32 bytes, got {len(circuit_id)}")
    _check_uint256("chain_id", chain_id)
    if chain_id < 1:
        raise ValueError(f"chain_id: must be >= 1, got {chain_id}")
    address = _parse_address(contract)
    _check_uint256("scope", scope)
    encoded = abi_encode(["bytes32", "uint256", "address", "uint256"], [bytes(circuit_id), chain_id, address, scope])
    # Drop the low 8 bits: a 248-bit value is always below r.
    return ContextHash(int.from_bytes(keccak(encoded), "big") >> 8)


def _check_uint256(name: str, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name}: expected an int, got {type(value).__name__}")
    if not 0 <= value < _UINT256_LIMIT:
        raise ValueError(f"{name}: {value} does not fit in a uint256 (0 <= {name} < 2^256)")


def _parse_address(contract: object) -> bytes:
    if not isinstance(contract, str):
        raise TypeError(f"contract: expected a 0x-prefixed hex address string, got {type(contract).__name__}")
    digits = contract[2:] if contract[:2] in ("0x", "0X") else None
    if digits is None or len(digits) != 40 or not _HEX_DIGITS.issuperset(digits):
        raise ValueError(f"contract: {contract!r} is not an address (0x followed by 40 hex digits)")
    mixed_case = digits != digits.lower() and digits != digits.upper()
    # Why: a mixed-case address carries an EIP-55 checksum; one that fails it is a typo.
    if mixed_case and not is_checksum_address("0x" + digits):
        raise ValueError(f"contract: {contract!r} has an invalid EIP-55 checksum")
    return bytes(to_canonical_address("0x" + digits))
