"""Chain access: a local anvil node, solc compilation, deployment, typed clients, revert decoding.

Example:
    >>> from zkgov.chain import compile_solidity, connect, deploy, Groth16VerifierClient
    >>> with connect() as conn:
    ...     verifier = deploy(conn, compile_solidity({"V.sol": source})["Groth16Verifier"])
    ...     Groth16VerifierClient(verifier).verify(proof, public)
    True
"""

from zkgov.chain.contracts import DEFAULT_VERIFY_GAS, DeployedContract, Groth16VerifierClient, deploy, deploy_linked
from zkgov.chain.errors import PANIC_CODES, decode_revert, revert_error_from
from zkgov.chain.node import ChainConnection, LocalNode, connect
from zkgov.chain.solc import CompiledContract, compile_solidity, link_bytecode

__all__ = [
    "DEFAULT_VERIFY_GAS",
    "PANIC_CODES",
    "ChainConnection",
    "CompiledContract",
    "DeployedContract",
    "Groth16VerifierClient",
    "LocalNode",
    "compile_solidity",
    "connect",
    "decode_revert",
    "deploy",
    "deploy_linked",
    "link_bytecode",
    "revert_error_from",
]
