"""Python clients of the insurance contracts (``verifier_contracts/insurance/``).

``ServiceRegistry`` (services, provider keys, SLAs), ``StakingPool`` (providers' stakes),
``Reputation`` (scores from verified claims) and ``InsurancePool`` (capital, premiums, cover and
the one claim entry point). :func:`deploy_insurance` deploys and wires all four on deployed claim
verifiers; :func:`insurance_at` reattaches to a deployment from the pool's address.

Every client decodes the custom errors of all four contracts and of the verifiers, whichever
contract raised them (a registry error bubbles up through the pool, for instance).

Example:
    >>> system = deploy_insurance(conn, {8: verifier.address}, claim_period=7 * DAY)
    >>> service_id, _ = system.registry.register_service(provider.public_key, sender=owner)
    >>> sla_id, _ = system.registry.publish_sla(service_id, terms, sender=owner)
    >>> system.staking.stake(service_id, 10**18, sender=owner)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Final, NamedTuple

from web3.logs import DISCARD

from zkgov.chain.args import address_arg, field_arg, int_arg, proof_args
from zkgov.chain.contracts import DeployedContract, deploy, deploy_linked
from zkgov.chain.node import ChainConnection
from zkgov.chain.solc import VERIFIER_CONTRACTS_DIR, CompiledContract, compile_solidity
from zkgov.crypto.babyjub import SUBORDER, Point
from zkgov.errors import ChainError, InputError
from zkgov.insurance.claim import ClaimStatement
from zkgov.insurance.terms import SlaTerms
from zkgov.snark.context import context_hash
from zkgov.snark.proof import Proof
from zkgov.typing import ContextHash, FieldElement

__all__ = [
    "CLAIM_GAS",
    "DAY",
    "CoverRecord",
    "InsuranceContracts",
    "InsurancePoolClient",
    "ReputationClient",
    "ServiceRecord",
    "ServiceRegistryClient",
    "StakingPoolClient",
    "TermsProblem",
    "compile_insurance_contracts",
    "deploy_insurance",
    "insurance_at",
]

#: Gas limit for ``InsurancePool.claim``: a 7-signal verification (~7 ecMul and the pairing),
#: registry reads, the slash transfer and the reputation update. Explicit because eth_estimateGas
#: under-estimates pairings (see :mod:`zkgov.chain.contracts`).
CLAIM_GAS: Final = 900_000
#: Seconds in a day.
DAY: Final = 86_400

_INSURANCE_DIR = VERIFIER_CONTRACTS_DIR / "insurance"
_CONTRACT_FILES = ("ServiceRegistry.sol", "StakingPool.sol", "Reputation.sol", "InsurancePool.sol",
                   "ISlaClaimVerifier.sol")
_EIGHTH = pow(8, -1, SUBORDER)

Receipt = dict[str, Any]


class TermsProblem(IntEnum):
    """Why ``publishSla`` reverted ``ServiceInvalidTerms(problem)`` (``ServiceRegistry.TermsProblem``)."""

    THRESHOLD_OUT_OF_RANGE = 0
    BAD_WINDOW = 1
    WINDOW_OVERLAP = 2
    BAD_TRUTH_ROOT = 3
    ZERO_PAYOUT = 4


class ServiceRecord(NamedTuple):
    """A registered service."""

    service_id: int
    owner: str
    sla_count: int
    key: Point


class CoverRecord(NamedTuple):
    """A cover as the pool stores it."""

    cover_id: int
    holder: str
    service_id: int
    sla_id: int
    amount: int
    nullifier: int
    settled: bool
    claimed: bool


class _Client:
    """A contract with the insurance errors decoded, and its events."""

    def __init__(self, contract: DeployedContract, error_abis: Iterable[Sequence[Mapping[str, Any]]] = ()) -> None:
        self.contract = contract.with_errors(*error_abis)

    @property
    def address(self) -> str:
        return self.contract.address

    def _send(self, fn: str, *args: Any, sender: str | None = None, gas: int | None = None, value: int = 0) -> Receipt:
        """Send ``fn``; with an explicit ``gas`` limit, simulated with ``eth_call`` first (why: a
        refused claim is then reported with its decoded error without paying for a failed
        transaction; without one, gas estimation already reverts early)."""
        if gas is not None:
            return self.contract.transact_simulated(fn, *args, sender=sender, gas=gas, value=value)
        return self.contract.transact(fn, *args, sender=sender, value=value)

    def events(self, receipt: Mapping[str, Any], event: str) -> list[dict[str, Any]]:
        """The ``event`` logs this contract emitted in ``receipt``, as argument dicts."""
        handle = self.contract.conn.w3.eth.contract(address=self.address, abi=self.contract.abi)  # type: ignore[call-overload]
        logs = handle.events[event]().process_receipt(receipt, errors=DISCARD)
        return [dict(log["args"]) for log in logs if log["address"] == self.address]


class ServiceRegistryClient(_Client):
    """Python side of a deployed ``ServiceRegistry``."""

    def register_service(self, key: Point, *, sender: str | None = None) -> tuple[int, Receipt]:
        """Register a service owned by ``sender`` with the provider key ``key``; its id and receipt.

        Raises:
            InputError: the key is not in the prime-order subgroup or is the identity.
        """
        if not isinstance(key, Point) or key.is_identity or not key.in_subgroup():
            raise InputError("key: the provider key must be a Baby Jubjub point of the prime-order subgroup")
        eighth = key.mul(_EIGHTH)
        receipt = self._send("registerService", key.x, key.y, eighth.x, eighth.y, sender=sender)
        (event,) = self.events(receipt, "ServiceRegistered")
        return int(event["serviceId"]), receipt

    def publish_sla(self, service_id: int, terms: SlaTerms, *, sender: str | None = None) -> tuple[int, Receipt]:
        """Publish the service's next SLA (the owner only); its id and receipt.

        Raises:
            ContractRevertError: ``ServiceNotOwner``, ``ServiceInvalidTerms(problem)`` (see
                :class:`TermsProblem`), ``ServiceUnknown``.
        """
        if not isinstance(terms, SlaTerms):
            raise InputError(f"terms: expected SlaTerms, got {type(terms).__name__}")
        receipt = self._send("publishSla", field_arg(service_id, "service_id"), terms.to_abi(), sender=sender)
        (event,) = self.events(receipt, "SlaPublished")
        return int(event["slaId"]), receipt

    def service(self, service_id: int) -> ServiceRecord:
        owner, sla_count, key_x, key_y = self.contract.call("service", service_id)
        return ServiceRecord(service_id, str(owner), int(sla_count), Point(int(key_x), int(key_y)))

    def sla(self, service_id: int, sla_id: int) -> tuple[SlaTerms, FieldElement]:
        """An SLA's terms and its terms hash."""
        terms, terms_hash = self.contract.call("sla", service_id, sla_id)
        return SlaTerms(*(int(v) for v in terms)), FieldElement(int(terms_hash))

    def hash_terms(self, service_id: int, terms: SlaTerms) -> int:
        return int(self.contract.call("hashTerms", service_id, terms.to_abi()))

    def service_ids(self) -> list[int]:
        """Every registered service's id, in registration order."""
        count = int(self.contract.call("serviceCount"))
        return [int(self.contract.call("serviceIdAt", i)) for i in range(count)]

    def claim_period(self) -> int:
        return int(self.contract.call("claimPeriod"))

    def claim_deadline(self, service_id: int, sla_id: int) -> int:
        return int(self.contract.call("claimDeadline", service_id, sla_id))

    def locked_until(self, service_id: int) -> int:
        return int(self.contract.call("lockedUntil", service_id))


class StakingPoolClient(_Client):
    """Python side of a deployed ``StakingPool``."""

    def stake(self, service_id: int, amount: int, *, sender: str | None = None) -> Receipt:
        """Add ``amount`` wei to the service's stake."""
        return self._send("stake", service_id, sender=sender, value=int_arg(amount, "amount", 0, 2**256))

    def request_withdrawal(self, service_id: int, amount: int, *, sender: str | None = None) -> Receipt:
        return self._send("requestWithdrawal", service_id, int_arg(amount, "amount", 0, 2**256), sender=sender)

    def withdraw(self, service_id: int, *, sender: str | None = None) -> Receipt:
        return self._send("withdraw", service_id, sender=sender)

    def stake_of(self, service_id: int) -> int:
        return int(self.contract.call("stakeOf", service_id))

    def pending_withdrawal(self, service_id: int) -> tuple[int, int]:
        """``(amount, available_at)`` of the pending withdrawal (amount 0: none)."""
        amount, available_at = self.contract.call("pendingWithdrawal", service_id)
        return int(amount), int(available_at)


class ReputationClient(_Client):
    """Python side of a deployed ``Reputation``."""

    def score(self, service_id: int) -> int:
        """The service's score in basis points (10000 without verified claims)."""
        return int(self.contract.call("score", service_id))

    def record(self, service_id: int) -> tuple[int, int, int]:
        """``(verified claims, wei paid to claimants, wei slashed)`` for the service."""
        claims, _, paid, slashed = self.contract.call("recordOf", service_id)
        return int(claims), int(paid), int(slashed)


class InsurancePoolClient(_Client):
    """Python side of a deployed ``InsurancePool``."""

    def __init__(self, contract: DeployedContract, error_abis: Iterable[Sequence[Mapping[str, Any]]] = ()) -> None:
        super().__init__(contract, error_abis)
        self._circuit_ids: dict[int, bytes] = {}

    # capital
    def deposit(self, amount: int, *, sender: str | None = None) -> tuple[int, Receipt]:
        """Deposit ``amount`` wei; the shares minted and the receipt."""
        receipt = self._send("deposit", sender=sender, value=int_arg(amount, "amount", 0, 2**256))
        (event,) = self.events(receipt, "Deposited")
        return int(event["shares"]), receipt

    def redeem(self, shares: int, *, sender: str | None = None) -> tuple[int, Receipt]:
        """Redeem shares; the wei credited (to :meth:`withdraw`) and the receipt."""
        receipt = self._send("redeem", int_arg(shares, "shares", 0, 2**256), sender=sender)
        (event,) = self.events(receipt, "Redeemed")
        return int(event["amount"]), receipt

    def withdraw(self, *, sender: str | None = None) -> tuple[int, Receipt]:
        """Withdraw everything credited to ``sender``; the wei sent and the receipt."""
        receipt = self._send("withdraw", sender=sender)
        (event,) = self.events(receipt, "Withdrawn")
        return int(event["amount"]), receipt

    # cover
    def premium_for(self, amount: int) -> int:
        return int(self.contract.call("premiumFor", amount))

    def buy_cover(self, service_id: int, sla_id: int, amount: int, nullifier: int, *,
                  sender: str | None = None, premium: int | None = None) -> tuple[int, Receipt]:
        """Buy cover of ``amount`` wei under ``nullifier`` (``Claimant.nullifier``), paying the
        premium (default: :meth:`premium_for`); the cover id and the receipt. A claim pays it to
        ``sender``, so claim with ``recipient=sender``."""
        value = self.premium_for(amount) if premium is None else premium
        receipt = self._send("buyCover", service_id, sla_id, amount, nullifier, sender=sender, value=value)
        (event,) = self.events(receipt, "CoverBought")
        return int(event["coverId"]), receipt

    def release_cover(self, cover_id: int, *, sender: str | None = None) -> Receipt:
        return self._send("releaseCover", cover_id, sender=sender)

    # claims
    def circuit_id(self, batch_size: int) -> bytes:
        """The claim circuit id the verifier of ``batch_size`` reports (read once)."""
        if batch_size not in self._circuit_ids:
            verifier = str(self.contract.call("verifier", batch_size))
            if int(verifier, 16) == 0:
                raise InputError(f"batch_size: the pool verifies no claim circuit of batch {batch_size}")
            handle = self.contract.conn.w3.eth.contract(address=verifier, abi=_CIRCUIT_ID_ABI)  # type: ignore[call-overload]
            self._circuit_ids[batch_size] = bytes(handle.functions.CIRCUIT_ID().call())
        return self._circuit_ids[batch_size]

    def claim_context(self, batch_size: int, service_id: int) -> ContextHash:
        """The context a claim proof must carry (as ``claimContext``), computed locally."""
        return context_hash(self.circuit_id(batch_size), self.contract.conn.chain_id, self.address, service_id)

    def claim(self, statement: ClaimStatement, sla_id: int, batch_size: int, proof: Proof, *,
              sender: str | None = None, gas: int = CLAIM_GAS) -> Receipt:
        """Send a claim (any sender: a relayer keeps the claimant's account out of it); the pool
        pays the cover ``statement.recipient`` bought under ``statement.nullifier``.

        The public signals other than the nullifier and the recipient come from the chain, so a
        statement for another service, SLA or key simply does not verify.

        Raises:
            ContractRevertError: the pool refused it (``InsuranceInvalidProof``,
                ``InsuranceNullifierUsed``, ``InsuranceNoCover``...).
        """
        if not isinstance(statement, ClaimStatement):
            raise InputError(f"statement: expected a ClaimStatement, got {type(statement).__name__}")
        recipient = address_arg("0x" + statement.recipient.to_bytes(20, "big").hex(), "recipient")
        data = (statement.service_id, sla_id, batch_size, statement.nullifier, recipient)
        return self._send("claim", data, *proof_args(proof, statement.public_signals()), sender=sender, gas=gas)

    # views
    def total_assets(self) -> int:
        return int(self.contract.call("totalAssets"))

    def total_shares(self) -> int:
        return int(self.contract.call("totalShares"))

    def locked_capital(self) -> int:
        return int(self.contract.call("lockedCapital"))

    def shares_of(self, account: str) -> int:
        return int(self.contract.call("sharesOf", address_arg(account, "account")))

    def pending_withdrawal(self, account: str) -> int:
        return int(self.contract.call("pendingWithdrawal", address_arg(account, "account")))

    def cover_of(self, nullifier: int, holder: str) -> int:
        """The cover ``holder`` bought under ``nullifier`` (0: none)."""
        return int(self.contract.call("coverOf", nullifier, address_arg(holder, "holder")))

    def nullifier_used(self, nullifier: int) -> bool:
        return bool(self.contract.call("nullifierUsed", nullifier))

    def cover(self, cover_id: int) -> CoverRecord:
        holder, sla_id, settled, claimed, service_id, amount, nullifier = self.contract.call("cover", cover_id)
        return CoverRecord(cover_id, str(holder), int(service_id), int(sla_id), int(amount), int(nullifier),
                           bool(settled), bool(claimed))


_CIRCUIT_ID_ABI = [{"type": "function", "name": "CIRCUIT_ID", "stateMutability": "view", "inputs": [],
                    "outputs": [{"name": "", "type": "bytes32"}]}]


@dataclass(frozen=True)
class InsuranceContracts:
    """The four deployed contracts, wired together."""

    registry: ServiceRegistryClient
    staking: StakingPoolClient
    reputation: ReputationClient
    pool: InsurancePoolClient


def compile_insurance_contracts() -> dict[str, CompiledContract]:
    """The insurance contracts compiled (with PoseidonT3 / PoseidonT6 and IGroth16Verifier)."""
    return compile_solidity([_INSURANCE_DIR / name for name in _CONTRACT_FILES])


def _error_abis(compiled: Mapping[str, CompiledContract], extra: Iterable[Sequence[Mapping[str, Any]]]) -> list[Any]:
    names = ("ServiceRegistry", "StakingPool", "Reputation", "InsurancePool", "IGroth16Verifier")
    return [compiled[name].abi for name in names] + list(extra)


def deploy_insurance(
    conn: ChainConnection,
    verifiers: Mapping[int, str],
    *,
    claim_period: int = 7 * DAY,
    withdrawal_delay: int = 7 * DAY,
    premium_bps: int = 200,
    compiled: Mapping[str, CompiledContract] | None = None,
    verifier_abis: Iterable[Sequence[Mapping[str, Any]]] = (),
    sender: str | None = None,
) -> InsuranceContracts:
    """Deploy ``ServiceRegistry``, ``StakingPool``, ``Reputation`` and ``InsurancePool`` on deployed
    claim verifiers, and bind the pool as the staking pool's slasher and the reputation's reporter.

    Args:
        conn: the chain.
        verifiers: the claim verifiers' addresses by batch size (8, 32).
        claim_period: seconds after an SLA window during which claims are accepted.
        withdrawal_delay: seconds between a stake withdrawal request and the withdrawal.
        premium_bps: the premium in basis points of the cover.
        compiled: the contracts, compiled (default: :func:`compile_insurance_contracts`).
        verifier_abis: the verifiers' ABIs (their errors are then decoded by name).
        sender: the deploying account (it binds the slasher and the reporter).

    Raises:
        InputError: an argument is malformed.
        ContractRevertError: ``InsuranceInvalidVerifiers`` (the pool's constructor).
    """
    if not verifiers:
        raise InputError("verifiers: at least one claim verifier is needed")
    sizes = [int_arg(size, "verifiers: batch size", 1, 2**16) for size in verifiers]
    addresses = [address_arg(verifiers[size], f"verifiers[{size}]") for size in sizes]
    int_arg(claim_period, "claim_period", 0, 2**64)
    int_arg(withdrawal_delay, "withdrawal_delay", 0, 2**64)
    int_arg(premium_bps, "premium_bps", 0, 10_001)
    compiled = compiled if compiled is not None else compile_insurance_contracts()
    errors = _error_abis(compiled, verifier_abis)
    registry = deploy_linked(conn, compiled, "ServiceRegistry", claim_period, sender=sender)
    staking = deploy(conn, compiled["StakingPool"], registry.address, withdrawal_delay, sender=sender)
    reputation = deploy(conn, compiled["Reputation"], sender=sender)
    pool = deploy(conn, compiled["InsurancePool"], registry.address, staking.address, reputation.address,
                  premium_bps, sizes, addresses, sender=sender)
    staking.with_errors(*errors).transact("bindSlasher", pool.address, sender=sender)
    reputation.with_errors(*errors).transact("bindReporter", pool.address, sender=sender)
    return _clients(registry, staking, reputation, pool, errors)


def insurance_at(conn: ChainConnection, pool_address: str, *, compiled: Mapping[str, CompiledContract] | None = None
                 ) -> InsuranceContracts:
    """Clients of an existing deployment, found from its ``InsurancePool``'s address.

    Raises:
        ChainError: there is no contract at the address.
    """
    address = address_arg(pool_address, "pool_address")
    if not conn.w3.eth.get_code(address):  # type: ignore[arg-type]
        raise ChainError(f"no contract at {address}")
    compiled = compiled if compiled is not None else compile_insurance_contracts()
    pool = DeployedContract.at(conn, address, compiled["InsurancePool"])
    registry = DeployedContract.at(conn, str(pool.call("registry")), compiled["ServiceRegistry"])
    staking = DeployedContract.at(conn, str(pool.call("staking")), compiled["StakingPool"])
    reputation = DeployedContract.at(conn, str(pool.call("reputation")), compiled["Reputation"])
    return _clients(registry, staking, reputation, pool, _error_abis(compiled, ()))


def _clients(registry: DeployedContract, staking: DeployedContract, reputation: DeployedContract,
             pool: DeployedContract, errors: list[Any]) -> InsuranceContracts:
    return InsuranceContracts(
        ServiceRegistryClient(registry, errors), StakingPoolClient(staking, errors),
        ReputationClient(reputation, errors), InsurancePoolClient(pool, errors),
    )
