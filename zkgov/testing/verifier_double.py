"""A test stand-in for a generated Groth16 verifier, for contract tests that do not prove.

:func:`verifier_double_source` writes the Solidity of a contract with the generated verifiers'
interface (``verifyProof`` over ``n_public`` signals, ``CIRCUIT_ID``, ``N_PUBLIC``) whose answer is
set by the test (``setResult``), or which, in echo mode (``setEcho``), reverts with the arguments
it received — ``verifyProof`` is a view reached with STATICCALL, so the revert data is the only way
to show a test which public signals a contract computed.
"""

from __future__ import annotations

from zkgov.errors import InputError

__all__ = ["verifier_double_source"]

_TEMPLATE = """// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title {name}
/// @notice Test stand-in for a generated Groth16 verifier with {n} public signals (tests only):
///         verifyProof returns a settable result, or, in echo mode, reverts with its arguments.
contract {name} {{
    /// @notice Echo mode: the arguments verifyProof received.
    error {name}Saw(uint256[2] a, uint256[2][2] b, uint256[2] c, uint256[{n}] pubSignals);

    /// @notice The circuit id reported by CIRCUIT_ID().
    bytes32 public immutable circuitId;
    /// @notice What verifyProof returns outside echo mode.
    bool public result = true;
    /// @notice Whether verifyProof reverts with {name}Saw.
    bool public echo;

    /// @param circuitId_ the circuit id to report.
    constructor(bytes32 circuitId_) {{
        circuitId = circuitId_;
    }}

    /// @notice Sets what verifyProof returns.
    function setResult(bool result_) external {{
        result = result_;
    }}

    /// @notice Turns echo mode on or off.
    function setEcho(bool echo_) external {{
        echo = echo_;
    }}

    /// @notice The generated verifiers' verifyProof, answering as configured.
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[{n}] calldata pubSignals
    ) external view returns (bool) {{
        if (echo) revert {name}Saw(a, b, c, pubSignals);
        return result;
    }}

    /// @notice The configured circuit id.
    function CIRCUIT_ID() external view returns (bytes32) {{
        return circuitId;
    }}

    /// @notice {n} public signals.
    function N_PUBLIC() external pure returns (uint256) {{
        return {n};
    }}
}}
"""


def verifier_double_source(n_public: int, *, name: str | None = None) -> str:
    """The Solidity source of a configurable verifier double over ``n_public`` signals, named
    ``name`` (default ``ConfigurableVerifier<n_public>``).

    Raises:
        InputError: ``n_public`` is not 1 .. 1024, or ``name`` is not a Solidity identifier.
    """
    if isinstance(n_public, bool) or not isinstance(n_public, int) or not 1 <= n_public <= 1024:
        raise InputError(f"n_public: expected an int in 1 .. 1024, got {n_public!r}")
    contract = name if name is not None else f"ConfigurableVerifier{n_public}"
    if not contract.isidentifier() or not contract.isascii():
        raise InputError(f"name: {contract!r} is not a Solidity identifier")
    return _TEMPLATE.format(name=contract, n=n_public)
