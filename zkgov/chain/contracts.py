"""Deploy compiled contracts and call them, with reverts decoded into zkgov errors.

Every call that verifies a proof carries an explicit gas limit. Why: a Groth16 verification spends
almost all of its gas in the pairing precompile (0x08), and a failed precompile call does not revert
the caller, it only returns ``success = 0``. snarkjs's generated verifier turns that into
``return false``; so when ``eth_estimateGas`` (or a wallet) picks the smallest gas at which the call
does not *revert*, it can pick one at which the pairing runs out of gas and a valid proof reads as
invalid. zkgov's own verifier reverts with ``VerifierInsufficientGas`` instead, but a client must
work with both, so :class:`Groth16VerifierClient` always sends ``verify_gas`` (default
:data:`DEFAULT_VERIFY_GAS`, far above the ~200k–250k a verification costs for a few public signals).

Contracts that call a library's public functions (``PoseidonT3.hash`` in the on-chain Merkle
trees) are linked at deployment: :func:`deploy` takes the libraries' addresses, and
:func:`deploy_linked` deploys the libraries a contract needs (once per connection) and links them.

Transactions are sent with ``eth_sendTransaction``: the node signs for ``sender`` (anvil's dev
accounts). A transaction that fails on chain is replayed with ``eth_call`` on the parent block to
recover its revert data.
"""

from __future__ import annotations

import hashlib
import re
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

from web3.exceptions import ContractLogicError, Web3RPCError
from web3.types import TxParams

from zkgov.chain.errors import revert_error_from
from zkgov.chain.node import ChainConnection
from zkgov.chain.solc import CompiledContract, link_bytecode
from zkgov.errors import ChainError, InputError, ProofError
from zkgov.snark.proof import Proof, PublicSignals

__all__ = ["DEFAULT_VERIFY_GAS", "DeployedContract", "Groth16VerifierClient", "deploy", "deploy_linked"]

#: Gas limit sent with every ``verifyProof`` call (see the module docstring for why it is explicit).
DEFAULT_VERIFY_GAS = 600_000

_FIXED_ARRAY = re.compile(r"^uint256\[(\d+)\]$")

# Libraries deploy_linked already deployed, per connection: sha256 of linked creation code -> address.
_LIBRARIES: weakref.WeakKeyDictionary[ChainConnection, dict[str, str]] = weakref.WeakKeyDictionary()


class DeployedContract:
    """A contract at an address, with its ABI; calls and transactions decode reverts.

    Attributes:
        conn: the connection it is reached through.
        address: its checksummed address.
        abi: its ABI.
        name: its name (for messages).
    """

    def __init__(
        self, conn: ChainConnection, address: str, abi: Sequence[Mapping[str, Any]], *, name: str = ""
    ) -> None:
        self.conn = conn
        checksummed = conn.w3.to_checksum_address(address)
        self.address: str = str(checksummed)
        self.abi: list[dict[str, Any]] = [dict(entry) for entry in abi]
        self.name = name or "contract"
        self._contract = conn.w3.eth.contract(address=checksummed, abi=self.abi)

    @classmethod
    def at(cls, conn: ChainConnection, address: str, compiled: CompiledContract) -> DeployedContract:
        """A handle on an already deployed contract."""
        return cls(conn, address, compiled.abi, name=compiled.name)

    def with_errors(self, *abis: Sequence[Mapping[str, Any]]) -> DeployedContract:
        """This contract with the custom errors of ``abis`` added (first name wins), so reverts
        that other contracts bubble up through it decode by name."""
        known = {e["name"] for e in self.abi if e.get("type") == "error"}
        extra: list[dict[str, Any]] = []
        for abi in abis:
            for entry in abi:
                if entry.get("type") == "error" and entry["name"] not in known:
                    known.add(entry["name"])
                    extra.append(dict(entry))
        return DeployedContract(self.conn, self.address, self.abi + extra, name=self.name)

    def call(self, fn: str, *args: Any, gas: int | None = None, sender: str | None = None, value: int = 0) -> Any:
        """Run a function with ``eth_call`` and return its decoded result (``value``: wei sent along,
        for simulating a payable call).

        Raises:
            ContractRevertError: it reverted (custom error, ``require`` string or panic decoded).
            ChainError: the node failed otherwise.
        """
        tx: TxParams = {}
        if gas is not None:
            tx["gas"] = gas
        if sender is not None:
            tx["from"] = sender
        if value:
            tx["value"] = value  # type: ignore[typeddict-item]
        try:
            return self._contract.functions[fn](*args).call(tx)
        except ContractLogicError as exc:
            raise revert_error_from(exc, self.abi, context=f"{self.name}.{fn}") from exc
        except Web3RPCError as exc:
            raise ChainError(f"{self.name}.{fn} call failed: {exc}") from exc

    def estimate_gas(self, fn: str, *args: Any, gas: int | None = None, sender: str | None = None) -> int:
        """``eth_estimateGas`` for a transaction calling ``fn`` (capped at ``gas`` if given).

        Raises:
            ContractRevertError: the call reverts at every gas limit up to the cap.
        """
        tx: TxParams = {"from": sender or self.conn.default_sender}
        if gas is not None:
            tx["gas"] = gas
        try:
            return int(self._contract.functions[fn](*args).estimate_gas(tx))
        except ContractLogicError as exc:
            raise revert_error_from(exc, self.abi, context=f"{self.name}.{fn}") from exc
        except Web3RPCError as exc:
            raise ChainError(f"{self.name}.{fn} gas estimation failed: {exc}") from exc

    def transact(
        self, fn: str, *args: Any, sender: str | None = None, gas: int | None = None, value: int = 0
    ) -> dict[str, Any]:
        """Send a transaction calling ``fn``, wait for it, and return its receipt.

        Args:
            fn: the function name.
            *args: its arguments.
            sender: the account the node signs with (default: the connection's first account).
            gas: the gas limit (default: ``eth_estimateGas``, which reverts early for failing calls).
            value: wei sent with the call (a payable function).

        Raises:
            ContractRevertError: it reverted (on estimation, or on chain and replayed).
            ChainError: the node failed otherwise.
        """
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InputError(f"value: expected a non-negative int of wei, got {value!r}")
        tx: TxParams = {"from": sender or self.conn.default_sender}
        if gas is not None:
            tx["gas"] = gas
        if value:
            tx["value"] = value  # type: ignore[typeddict-item]
        context = f"{self.name}.{fn}"
        function = self._contract.functions[fn](*args)
        try:
            tx_hash = function.transact(tx)
        except ContractLogicError as exc:
            raise revert_error_from(exc, self.abi, context=context) from exc
        except Web3RPCError as exc:
            raise ChainError(f"{context} transaction failed: {exc}") from exc
        data = self._contract.encode_abi(fn, args=list(args))
        return _receipt(self.conn, tx_hash, {**tx, "to": self.address, "data": data}, self.abi, context)

    def transact_simulated(
        self, fn: str, *args: Any, gas: int, sender: str | None = None, value: int = 0
    ) -> dict[str, Any]:
        """Simulate ``fn`` with ``eth_call`` at ``gas``, then send it with that explicit gas limit.

        Why: calls that need an explicit limit (proof verification: ``eth_estimateGas``
        under-estimates pairings) skip estimation, which is what otherwise reverts early; the
        simulation reports a refusal with its decoded error without paying for a failed transaction.

        Raises:
            ContractRevertError: the simulation or the transaction reverted.
            ChainError: the node failed otherwise.
        """
        self.call(fn, *args, gas=gas, sender=sender or self.conn.default_sender, value=value)
        return self.transact(fn, *args, sender=sender, gas=gas, value=value)


def deploy(
    conn: ChainConnection,
    compiled: CompiledContract,
    *args: Any,
    libraries: Mapping[str, str] | None = None,
    sender: str | None = None,
    gas: int | None = None,
) -> DeployedContract:
    """Deploy a compiled contract and wait for it to be mined.

    Args:
        conn: the chain.
        compiled: from :func:`~zkgov.chain.solc.compile_solidity`.
        *args: constructor arguments.
        libraries: addresses of the libraries it calls, by fully qualified name
            (``"poseidon-solidity/PoseidonT3.sol:PoseidonT3"``) or plain name (``"PoseidonT3"``);
            needed when ``compiled.link_references`` is not empty.
        sender: the deploying account (default: the connection's first account).
        gas: the gas limit (default: estimated).

    Raises:
        ValueError: ``compiled`` has no creation code (an interface or abstract contract), or a
            library it needs is not in ``libraries`` (the message names it).
        ContractRevertError: the constructor reverted.
        ChainError: the node failed otherwise.
    """
    if compiled.bytecode in ("", "0x"):
        raise ValueError(f"compiled: {compiled.name} has no bytecode (an interface or abstract contract?)")
    bytecode = compiled.bytecode
    if compiled.link_references:
        try:
            bytecode = link_bytecode(bytecode, compiled.link_references, libraries or {})
        except ValueError as exc:
            raise ValueError(f"deploying {compiled.name}: {exc}") from None
    factory = conn.w3.eth.contract(abi=compiled.abi, bytecode=bytecode)
    tx: TxParams = {"from": sender or conn.default_sender}
    if gas is not None:
        tx["gas"] = gas
    context = f"{compiled.name} constructor"
    constructor = factory.constructor(*args)
    try:
        tx_hash = constructor.transact(tx)
    except ContractLogicError as exc:
        raise revert_error_from(exc, compiled.abi, context=context) from exc
    except Web3RPCError as exc:
        raise ChainError(f"deploying {compiled.name} failed: {exc}") from exc
    receipt = _receipt(conn, tx_hash, {**tx, "data": constructor.data_in_transaction}, compiled.abi, context)
    address = receipt.get("contractAddress")
    if not address:
        raise ChainError(f"deploying {compiled.name}: the receipt has no contract address")
    return DeployedContract(conn, str(address), compiled.abi, name=compiled.name)


def deploy_linked(
    conn: ChainConnection,
    compiled: Mapping[str, CompiledContract],
    name: str,
    *args: Any,
    sender: str | None = None,
    gas: int | None = None,
) -> DeployedContract:
    """Deploy ``compiled[name]``, first deploying and linking the libraries it needs.

    Each library is looked up in ``compiled`` by its fully qualified name, then its plain name
    (libraries that need libraries are linked the same way), and is deployed once per connection:
    a later call reuses the address while code is still there (a reverted snapshot drops it).

    Args:
        conn: the chain.
        compiled: a :func:`~zkgov.chain.solc.compile_solidity` result holding the contract and
            every library it (transitively) calls.
        name: the contract's key in ``compiled``.
        *args: constructor arguments.
        sender: the deploying account, for the libraries too (default: the connection's first).
        gas: the gas limit of the contract's deployment (libraries: estimated).

    Raises:
        KeyError: ``name`` is not in ``compiled``.
        ValueError: a library it needs is not in ``compiled`` (the message names it).
        ContractRevertError: the constructor reverted.
        ChainError: the node failed otherwise.

    Example:
        >>> compiled = compile_solidity([VERIFIER_CONTRACTS_DIR / "identity" / "IdentityGroup.sol"])
        >>> group = deploy_linked(conn, compiled, "IdentityGroup", 3600)  # PoseidonT3 deployed, linked
    """
    target = compiled[name]
    libraries = {lib: _library(conn, compiled, lib, sender, (name,)) for lib in target.link_references}
    return deploy(conn, target, *args, libraries=libraries, sender=sender, gas=gas)


def _library(
    conn: ChainConnection,
    compiled: Mapping[str, CompiledContract],
    qualified: str,
    sender: str | None,
    chain: tuple[str, ...],
) -> str:
    """The address of library ``qualified`` on ``conn``, deploying it (and its libraries) if needed."""
    plain = qualified.rpartition(":")[2]
    library = compiled.get(qualified) or compiled.get(plain)
    if library is None:
        raise ValueError(f"deploying {chain[0]}: library {qualified} is not in the compiled contracts")
    if qualified in chain:
        raise ValueError(f"deploying {chain[0]}: libraries link in a cycle: {' -> '.join((*chain, qualified))}")
    needed = {lib: _library(conn, compiled, lib, sender, (*chain, qualified)) for lib in library.link_references}
    code = link_bytecode(library.bytecode, library.link_references, needed) if needed else library.bytecode
    key = hashlib.sha256(code.encode()).hexdigest()
    known = _LIBRARIES.setdefault(conn, {})
    address = known.get(key)
    if address is None or not conn.w3.eth.get_code(address):  # type: ignore[arg-type]
        address = deploy(conn, library, libraries=needed, sender=sender).address
        known[key] = address
    return address


def _receipt(
    conn: ChainConnection, tx_hash: Any, tx: Mapping[str, Any], abi: Sequence[Mapping[str, Any]], context: str
) -> dict[str, Any]:
    receipt: dict[str, Any] = dict(conn.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=120))
    if receipt.get("status") == 1:
        return receipt
    where = f"{context} failed on chain (tx 0x{bytes(receipt['transactionHash']).hex()}"
    if "gas" in tx and int(receipt["gasUsed"]) >= int(tx["gas"]):
        raise ChainError(f"{where}): it ran out of gas (used its whole limit, {tx['gas']})")
    # The receipt carries no revert data: replay the transaction on the parent block's state.
    block = int(receipt["blockNumber"]) - 1
    replay = {k: v for k, v in tx.items() if k in ("from", "to", "data", "gas", "value")}
    try:
        conn.w3.eth.call(replay, block_identifier=block)  # type: ignore[arg-type]
    except ContractLogicError as exc:
        raise revert_error_from(exc, abi, context=context) from exc
    except Web3RPCError as exc:
        raise ChainError(f"{where}): {exc}") from exc
    raise ChainError(f"{where}, gas used {receipt['gasUsed']}) and its replay on the parent block did not revert")


class Groth16VerifierClient:
    """Calls ``verifyProof`` on a deployed Groth16 verifier (zkgov's or snarkjs's, same ABI).

    Args:
        contract: the deployed verifier.
        verify_gas: the gas limit sent with every verification (see the module docstring).

    Example:
        >>> client = Groth16VerifierClient(deploy(conn, compiled["Groth16Verifier"]))
        >>> client.verify(proof, public)
        True
    """

    def __init__(self, contract: DeployedContract, *, verify_gas: int = DEFAULT_VERIFY_GAS) -> None:
        if verify_gas < 21_000:
            raise ValueError(f"verify_gas must be at least 21000, got {verify_gas}")
        self.contract = contract
        self.verify_gas = verify_gas
        self.n_public = _n_public(contract.abi)

    def _args(self, proof: Proof, public: PublicSignals | Sequence[int]) -> tuple[Any, ...]:
        a, b, c, signals = proof.to_calldata(public)
        if len(signals) != self.n_public:
            raise ProofError(f"public: the verifier takes {self.n_public} public signals, got {len(signals)}")
        return (list(a), [list(b[0]), list(b[1])], list(c), list(signals))

    def verify(self, proof: Proof, public: PublicSignals | Sequence[int]) -> bool:
        """Whether the verifier accepts the proof (``eth_call`` with ``verify_gas``).

        Raises:
            ProofError: the number of public signals does not match the verifier.
            ContractRevertError: the verifier rejected the input as malformed, or ran short of gas.
        """
        return bool(self.contract.call("verifyProof", *self._args(proof, public), gas=self.verify_gas))

    def estimate_verify_gas(self, proof: Proof, public: PublicSignals | Sequence[int]) -> int:
        """``eth_estimateGas`` for a ``verifyProof`` transaction (intrinsic gas included).

        For snarkjs's verifier this can be too low to verify (see the module docstring); use it to
        compare, not as the gas limit.
        """
        return self.contract.estimate_gas("verifyProof", *self._args(proof, public), gas=self.verify_gas)

    def verify_gas_used(self, proof: Proof, public: PublicSignals | Sequence[int], *, sender: str | None = None) -> int:
        """Send ``verifyProof`` as a transaction (with ``verify_gas``) and return its ``gasUsed``.

        This is what a contract that verifies on chain pays for the call, plus the 21000 intrinsic
        gas and the calldata.
        """
        receipt = self.contract.transact("verifyProof", *self._args(proof, public), sender=sender, gas=self.verify_gas)
        return int(receipt["gasUsed"])


def _n_public(abi: Sequence[Mapping[str, Any]]) -> int:
    for entry in abi:
        if entry.get("type") == "function" and entry.get("name") == "verifyProof":
            inputs = entry.get("inputs", [])
            match = _FIXED_ARRAY.match(str(inputs[-1].get("type"))) if len(inputs) == 4 else None
            if match:
                return int(match.group(1))
    raise ValueError("contract: its ABI has no verifyProof(uint256[2], uint256[2][2], uint256[2], uint256[N])")
