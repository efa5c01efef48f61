"""zkgov: zero-knowledge, privacy-preserving governance for decentralized ML communities.

The proof core lives in :mod:`zkgov.snark` (compile, setup, witness, prove, verify, Solidity export);
chain access in :mod:`zkgov.chain`. Errors derive from :class:`zkgov.errors.ZkgovError`.
"""

from zkgov.errors import ZkgovError

__all__ = ["ZkgovError", "__version__"]

__version__ = "0.1.0"
