"""Python clients of the on-chain identity contracts (``verifier_contracts/identity/``).

* ``IdentityRegistry``: trusted issuers (their Baby Jubjub keys form a lean Merkle tree whose root
  is computed on chain) and the revocation root (a sparse Merkle tree maintained off chain);
* ``CredentialVerifier``: requests (``queryHash``, scope, freshness) and the verification of
  ``credential-presentation`` proofs against them, one per holder and scope (nullifier);
* ``SoulboundCredential``: a locked ERC-721 (ERC-5192) minted for a verified presentation, which
  can add an identity commitment to an ``IdentityGroup``;
* ``IdentityGroup``: an on-chain Semaphore-style group of identity commitments, for voting.

Two encodings cross languages here; each has one Python function and one Solidity function:
:func:`challenge_for` (``CredentialVerifier.challengeFor``) and :func:`binding_for`
(``SoulboundCredential.bindingFor``).

Example:
    >>> ids = deploy_identity_contracts(conn, compiled["CredentialPresentationVerifier"], request)
    >>> issuer_id, _ = ids.registry.register_issuer("did:example:uni", ax, ay, controller)
    >>> binding = binding_for(holder, commitment)
    >>> # prove with challenge = challenge_for(ids.request_id, ids.soulbound.address, binding) ...
    >>> token_id, receipt = ids.soulbound.claim(PresentationCalldata.from_proof(proof, public), holder, commitment)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eth_abi.abi import encode as abi_encode
from eth_utils.address import to_canonical_address
from eth_utils.crypto import keccak
from web3.logs import DISCARD

from zkgov.chain.args import address_arg, field_arg
from zkgov.chain.contracts import DeployedContract, deploy, deploy_linked
from zkgov.chain.node import ChainConnection
from zkgov.chain.solc import VERIFIER_CONTRACTS_DIR, CompiledContract, compile_solidity
from zkgov.crypto.babyjub import Point
from zkgov.errors import InputError
from zkgov.identity.credential import issuer_leaf
from zkgov.snark.context import context_hash
from zkgov.snark.curve import Q
from zkgov.snark.proof import Proof, PublicSignals
from zkgov.typing import Commitment, ContextHash, FieldElement, MerkleRoot, Nullifier

__all__ = [
    "CLAIM_GAS",
    "PUBLIC_SIGNAL_NAMES",
    "VERIFY_PRESENTATION_GAS",
    "CredentialRequest",
    "CredentialVerifierClient",
    "IdentityContracts",
    "IdentityGroupClient",
    "IdentityRegistryClient",
    "IssuerRecord",
    "PresentationCalldata",
    "RegisteredRequest",
    "SoulboundCredentialClient",
    "binding_for",
    "challenge_for",
    "compile_identity_contracts",
    "deploy_identity_contracts",
]

#: The ``credential-presentation`` public signals, in circuit order.
PUBLIC_SIGNAL_NAMES: tuple[str, ...] = (
    "nullifier",
    "disclosureHash",
    "issuerRoot",
    "revocationRoot",
    "timestamp",
    "scope",
    "queryHash",
    "challenge",
    "context",
)
#: Gas limit for ``verifyPresentation``: it verifies a proof, and eth_estimateGas under-estimates
#: pairings (see :mod:`zkgov.chain.contracts`).
VERIFY_PRESENTATION_GAS = 900_000
#: Gas limit for ``claim``: a verification, a mint and a group insertion (a Poseidon hash per
#: tree level, ~25k gas each at depth 20).
CLAIM_GAS = 1_600_000

_UINT64 = 1 << 64
_IDENTITY_DIR = VERIFIER_CONTRACTS_DIR / "identity"

Receipt = dict[str, Any]
G1 = tuple[int, int]
G2 = tuple[tuple[int, int], tuple[int, int]]






def _bytes32(value: object, what: str) -> bytes:
    if not isinstance(value, bytes | bytearray) or len(value) != 32:
        raise InputError(f"{what}: expected 32 bytes, got {value!r}")
    return bytes(value)


def challenge_for(request_id: int, caller: str, binding: bytes) -> FieldElement:
    """The challenge public signal a presentation for ``request_id`` must carry.

    ``uint256(keccak256(abi.encode(uint256 requestId, address caller, bytes32 binding))) >> 8``,
    as ``CredentialVerifier.challengeFor`` computes it (248 bits: below r). ``caller`` is the
    account that calls ``verifyPresentation``: the holder's own account, or the
    ``SoulboundCredential`` contract for a claim.

    Raises:
        InputError: an argument is malformed.
    """
    if isinstance(request_id, bool) or not isinstance(request_id, int) or not 0 <= request_id < 1 << 256:
        raise InputError(f"request_id: expected a uint256, got {request_id!r}")
    encoded = abi_encode(
        ["uint256", "address", "bytes32"],
        [request_id, to_canonical_address(address_arg(caller, "caller")), _bytes32(binding, "binding")],
    )
    # Drop the low 8 bits: a 248-bit value is always a scalar-field element.
    return FieldElement(int.from_bytes(keccak(encoded), "big") >> 8)


def binding_for(recipient: str, group_commitment: int = 0) -> bytes:
    """``keccak256(abi.encode(address recipient, uint256 groupCommitment))``: the binding a
    ``SoulboundCredential.claim`` proves its presentation for (``bindingFor`` on chain).

    Raises:
        InputError: an argument is malformed.
    """
    values = [to_canonical_address(address_arg(recipient, "recipient")), field_arg(group_commitment, "group_commitment")]
    return bytes(keccak(abi_encode(["address", "uint256"], values)))


@dataclass(frozen=True, slots=True)
class PresentationCalldata:
    """``CredentialVerifier.Presentation``: a proof and the public signals the prover chose.

    The other four signals (scope, queryHash, challenge, context) are computed by the contract.
    ``a``, ``b``, ``c`` are in the EVM's coordinate order (B's swapped, see ``Proof.to_calldata``).

    Raises:
        InputError: at construction, a signal is not a scalar-field element or a coordinate is
            not a base-field element.
    """

    nullifier: int
    disclosure_hash: int
    issuer_root: int
    revocation_root: int
    timestamp: int
    a: G1
    b: G2
    c: G1

    def __post_init__(self) -> None:
        for name in ("nullifier", "disclosure_hash", "issuer_root", "revocation_root", "timestamp"):
            field_arg(getattr(self, name), f"PresentationCalldata: {name}")
        object.__setattr__(self, "a", _coordinates(self.a, "a"))
        object.__setattr__(self, "c", _coordinates(self.c, "c"))
        b = self.b
        if not isinstance(b, Sequence) or len(b) != 2:
            raise InputError(f"PresentationCalldata: b must be two pairs of coordinates, got {b!r}")
        object.__setattr__(self, "b", (_coordinates(b[0], "b[0]"), _coordinates(b[1], "b[1]")))

    @classmethod
    def from_proof(cls, proof: Proof, public: PublicSignals | Sequence[int]) -> PresentationCalldata:
        """The calldata of a ``credential-presentation`` proof and its 9 public signals.

        Raises:
            InputError: ``public`` does not hold 9 signals.
        """
        a, b, c, signals = proof.to_calldata(public)
        if len(signals) != len(PUBLIC_SIGNAL_NAMES):
            raise InputError(f"public: expected {len(PUBLIC_SIGNAL_NAMES)} public signals, got {len(signals)}")
        return cls(signals[0], signals[1], signals[2], signals[3], signals[4], a, b, c)

    def public_signals(self, *, scope: int, query_hash: int, challenge: int, context: int) -> PublicSignals:
        """All 9 public signals, in circuit order, with the four the contract computes."""
        return PublicSignals(
            (
                self.nullifier,
                self.disclosure_hash,
                self.issuer_root,
                self.revocation_root,
                self.timestamp,
                scope,
                query_hash,
                challenge,
                context,
            )
        )

    def to_abi(self) -> tuple[Any, ...]:
        """The struct as web3 encodes it (a tuple of its fields in order)."""
        fields = (self.nullifier, self.disclosure_hash, self.issuer_root, self.revocation_root, self.timestamp)
        return (*fields, list(self.a), [list(self.b[0]), list(self.b[1])], list(self.c))


def _coordinates(pair: object, what: str) -> G1:
    if not isinstance(pair, Sequence) or len(pair) != 2:
        raise InputError(f"PresentationCalldata: {what} must be a pair of coordinates, got {pair!r}")
    for value in pair:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < Q:
            raise InputError(f"PresentationCalldata: {what} holds {value!r}, not a base-field element (0 <= x < q)")
    return (int(pair[0]), int(pair[1]))


@dataclass(frozen=True, slots=True)
class CredentialRequest:
    """What a presentation must prove, and how fresh it must be.

    Attributes:
        query_hash: the hash of the request's predicates (a scalar-field element).
        scope: the nullifier scope: one presentation per holder and scope.
        max_age: how many seconds old a presentation's ``timestamp`` may be.
        revocation_grace: how many seconds a replaced revocation root stays acceptable.
    """

    query_hash: int
    scope: int
    max_age: int
    revocation_grace: int

    def __post_init__(self) -> None:
        field_arg(self.query_hash, "CredentialRequest: query_hash")
        field_arg(self.scope, "CredentialRequest: scope")
        for name in ("max_age", "revocation_grace"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < _UINT64:
                raise InputError(f"CredentialRequest: {name} must be a uint64 number of seconds, got {value!r}")


@dataclass(frozen=True, slots=True)
class RegisteredRequest:
    """A request as the contract stores it."""

    request_id: int
    owner: str
    request: CredentialRequest
    active: bool


@dataclass(frozen=True, slots=True)
class IssuerRecord:
    """A registered issuer as the registry stores it."""

    issuer_id: int
    did: str
    ax: int
    ay: int
    controller: str
    active: bool

    @property
    def leaf(self) -> FieldElement:
        """Its leaf in the trusted-issuer tree (the registry only holds on-curve keys)."""
        return FieldElement(issuer_leaf(Point(self.ax, self.ay)))


def _events(contract: DeployedContract, receipt: Mapping[str, Any], event: str) -> list[dict[str, Any]]:
    """The ``event`` logs ``contract`` emitted in ``receipt``, as argument dicts."""
    handle = contract.conn.w3.eth.contract(address=contract.address, abi=contract.abi)  # type: ignore[call-overload]
    logs = handle.events[event]().process_receipt(receipt, errors=DISCARD)
    return [dict(log["args"]) for log in logs if log["address"] == contract.address]


class IdentityGroupClient:
    """Python side of a deployed ``IdentityGroup``; its tree twin is ``zkgov.crypto.merkle.LeanIMT``."""

    def __init__(self, contract: DeployedContract) -> None:
        self.contract = contract

    @property
    def address(self) -> str:
        return self.contract.address

    def root(self) -> MerkleRoot:
        return MerkleRoot(self.contract.call("root"))

    def size(self) -> int:
        return int(self.contract.call("size"))

    def depth(self) -> int:
        return int(self.contract.call("depth"))

    def has_member(self, commitment: int) -> bool:
        return bool(self.contract.call("hasMember", commitment))

    def index_of(self, commitment: int) -> int:
        """The member's leaf index (reverts ``LeafDoesNotExist`` for a non-member)."""
        return int(self.contract.call("indexOf", commitment))

    def is_known_root(self, root: int) -> bool:
        """Whether a proof against ``root`` is acceptable now (current, or recently replaced)."""
        return bool(self.contract.call("isKnownRoot", root))

    def is_manager(self, account: str) -> bool:
        return bool(self.contract.call("managers", address_arg(account, "account")))

    def grant_manager(self, manager: str, *, sender: str | None = None) -> Receipt:
        return self.contract.transact("grantManager", address_arg(manager, "manager"), sender=sender)

    def revoke_manager(self, manager: str, *, sender: str | None = None) -> Receipt:
        return self.contract.transact("revokeManager", address_arg(manager, "manager"), sender=sender)

    def add_member(self, commitment: Commitment | int, *, sender: str | None = None) -> Receipt:
        return self.contract.transact("addMember", commitment, sender=sender)

    def remove_member(self, commitment: int, siblings: Sequence[int], *, sender: str | None = None) -> Receipt:
        """Remove a member (admin only); ``siblings`` from ``LeanIMT.generate_proof(index).siblings``."""
        return self.contract.transact("removeMember", commitment, [int(s) for s in siblings], sender=sender)


class IdentityRegistryClient:
    """Python side of a deployed ``IdentityRegistry``."""

    def __init__(self, contract: DeployedContract) -> None:
        self.contract = contract

    @property
    def address(self) -> str:
        return self.contract.address

    def owner(self) -> str:
        return str(self.contract.call("owner"))

    def transfer_ownership(self, new_owner: str, *, sender: str | None = None) -> Receipt:
        return self.contract.transact("transferOwnership", address_arg(new_owner, "new_owner"), sender=sender)

    def register_issuer(
        self, did: str, ax: int, ay: int, controller: str, *, sender: str | None = None
    ) -> tuple[int, Receipt]:
        """Register a trusted issuer (owner only); returns its id and the receipt."""
        receipt = self.contract.transact(
            "registerIssuer", did, ax, ay, address_arg(controller, "controller"), sender=sender
        )
        (event,) = _events(self.contract, receipt, "IssuerRegistered")
        return int(event["issuerId"]), receipt

    def deactivate_issuer(self, issuer_id: int, siblings: Sequence[int], *, sender: str | None = None) -> Receipt:
        """Deactivate an issuer (owner only); ``siblings`` of its leaf in the trusted-issuer tree."""
        return self.contract.transact("deactivateIssuer", issuer_id, [int(s) for s in siblings], sender=sender)

    def issuer(self, issuer_id: int) -> IssuerRecord:
        did, ax, ay, controller, active = self.contract.call("issuer", issuer_id)
        return IssuerRecord(issuer_id, str(did), int(ax), int(ay), str(controller), bool(active))

    def issuer_by_did(self, did: str) -> int:
        """The issuer id registered for ``did`` (reverts ``RegistryUnknownDid``)."""
        return int(self.contract.call("issuerByDid", did))

    def trusted_issuer_root(self) -> MerkleRoot:
        return MerkleRoot(self.contract.call("trustedIssuerRoot"))

    def is_trusted_issuer_root(self, root: int) -> bool:
        """Whether presentations may prove against ``root`` (current, or older with no deactivation since)."""
        return bool(self.contract.call("isTrustedIssuerRoot", root))

    def revocation_root(self) -> MerkleRoot:
        return MerkleRoot(self.contract.call("revocationRoot"))

    def revocation_root_replaced_at(self, root: int) -> int:
        """When ``root`` stopped being the revocation root (0: it is current, or never was)."""
        return int(self.contract.call("revocationRootReplacedAt", root))

    def is_revocation_root_acceptable(self, root: int, grace: int) -> bool:
        return bool(self.contract.call("isRevocationRootAcceptable", root, grace))

    def revoke(
        self, keys: Sequence[int], new_root: int, *, previous_root: int | None = None, sender: str | None = None
    ) -> Receipt:
        """Post revocations (an active issuer's controller only).

        Args:
            keys: the revoked credentials' revocation keys.
            new_root: the sparse-Merkle-tree root with ``keys`` inserted.
            previous_root: the root ``new_root`` was computed from (default: the current root,
                read now; pass it explicitly to have a concurrent post detected).
            sender: the issuer's controller.
        """
        previous = self.revocation_root() if previous_root is None else previous_root
        return self.contract.transact("revoke", [int(k) for k in keys], previous, new_root, sender=sender)


class CredentialVerifierClient:
    """Python side of a deployed ``CredentialVerifier``.

    Args:
        contract: the deployed contract.
        verifier_abi: the presentation verifier's ABI; its custom errors (which
            ``verifyPresentation`` passes through) are then decoded by name too.
    """

    def __init__(self, contract: DeployedContract, *, verifier_abi: Sequence[Mapping[str, Any]] = ()) -> None:
        self.contract = contract.with_errors(verifier_abi)
        self.circuit_id: bytes = bytes(contract.call("circuitId"))

    @property
    def address(self) -> str:
        return self.contract.address

    def context_for(self, scope: int) -> ContextHash:
        """The context hash computed locally; equal to the contract's ``contextFor(scope)``."""
        return context_hash(self.circuit_id, self.contract.conn.chain_id, self.contract.address, scope)

    def public_signals(
        self, request_id: int, presentation: PresentationCalldata, *, caller: str, binding: bytes
    ) -> PublicSignals:
        """The 9 public signals the contract will verify ``presentation`` against."""
        request = self.request(request_id).request
        return presentation.public_signals(
            scope=request.scope,
            query_hash=request.query_hash,
            challenge=challenge_for(request_id, caller, binding),
            context=self.context_for(request.scope),
        )

    def register_request(self, request: CredentialRequest, *, sender: str | None = None) -> tuple[int, Receipt]:
        """Register a request (the sender owns it); returns its id and the receipt."""
        receipt = self.contract.transact(
            "registerRequest",
            request.query_hash,
            request.scope,
            request.max_age,
            request.revocation_grace,
            sender=sender,
        )
        (event,) = _events(self.contract, receipt, "RequestRegistered")
        return int(event["requestId"]), receipt

    def deactivate_request(self, request_id: int, *, sender: str | None = None) -> Receipt:
        return self.contract.transact("deactivateRequest", request_id, sender=sender)

    def request(self, request_id: int) -> RegisteredRequest:
        owner, query_hash, scope, max_age, grace, active = self.contract.call("requests", request_id)
        request = CredentialRequest(int(query_hash), int(scope), int(max_age), int(grace))
        return RegisteredRequest(request_id, str(owner), request, bool(active))

    def is_nullifier_used(self, scope: int, nullifier: Nullifier | int) -> bool:
        return bool(self.contract.call("nullifierUsed", scope, nullifier))

    def verify_presentation(
        self,
        request_id: int,
        presentation: PresentationCalldata,
        binding: bytes = bytes(32),
        *,
        sender: str | None = None,
        gas: int = VERIFY_PRESENTATION_GAS,
    ) -> Receipt:
        """Send ``verifyPresentation`` (with an explicit gas limit) and return the receipt.

        It is first simulated with ``eth_call`` (why: a presentation the contract rejects is
        reported, with its decoded error, without paying for a failed transaction).

        Raises:
            ContractRevertError: the contract rejected it (``CredentialNullifierUsed``...).
        """
        args = (request_id, presentation.to_abi(), _bytes32(binding, "binding"))
        return self.contract.transact_simulated("verifyPresentation", *args, sender=sender, gas=gas)


class SoulboundCredentialClient:
    """Python side of a deployed ``SoulboundCredential``.

    Args:
        contract: the deployed token.
        error_abis: ABIs whose custom errors ``claim`` can bubble up (the CredentialVerifier's,
            the presentation verifier's, the IdentityGroup's), decoded by name too.
    """

    def __init__(self, contract: DeployedContract, *, error_abis: Sequence[Sequence[Mapping[str, Any]]] = ()) -> None:
        self.contract = contract.with_errors(*error_abis)
        self.request_id = int(contract.call("requestId"))

    @property
    def address(self) -> str:
        return self.contract.address

    def claim(
        self,
        presentation: PresentationCalldata,
        recipient: str,
        group_commitment: int = 0,
        *,
        sender: str | None = None,
        gas: int = CLAIM_GAS,
    ) -> tuple[int, Receipt]:
        """Claim a token for ``recipient``; returns its id and the receipt.

        The presentation must be proven with ``challenge_for(request_id, <this contract>,
        binding_for(recipient, group_commitment))``. Simulated first, as
        :meth:`CredentialVerifierClient.verify_presentation` is.

        Raises:
            ContractRevertError: the claim was rejected (``SoulboundAlreadyClaimed``, the
                verifier's ``Credential...`` errors, the group's errors).
        """
        args = (presentation.to_abi(), address_arg(recipient, "recipient"), field_arg(group_commitment, "group_commitment"))
        receipt = self.contract.transact_simulated("claim", *args, sender=sender, gas=gas)
        (event,) = _events(self.contract, receipt, "CredentialClaimed")
        return int(event["tokenId"]), receipt

    def challenge(self, recipient: str, group_commitment: int = 0) -> FieldElement:
        """The challenge a presentation for a claim to ``recipient`` must be proven with."""
        return challenge_for(self.request_id, self.address, binding_for(recipient, group_commitment))

    def owner_of(self, token_id: int) -> str:
        return str(self.contract.call("ownerOf", token_id))

    def balance_of(self, owner: str) -> int:
        return int(self.contract.call("balanceOf", address_arg(owner, "owner")))

    def locked(self, token_id: int) -> bool:
        return bool(self.contract.call("locked", token_id))

    def total_supply(self) -> int:
        return int(self.contract.call("totalSupply"))

    def token_nullifier(self, token_id: int) -> Nullifier:
        return Nullifier(self.contract.call("tokenNullifier", token_id))

    def token_disclosure_hash(self, token_id: int) -> FieldElement:
        return FieldElement(self.contract.call("tokenDisclosureHash", token_id))

    def token_of_nullifier(self, nullifier: int) -> int:
        """The token claimed with ``nullifier`` (0: none)."""
        return int(self.contract.call("tokenOfNullifier", nullifier))

    def supports_interface(self, interface_id: bytes) -> bool:
        return bool(self.contract.call("supportsInterface", interface_id))


def compile_identity_contracts() -> dict[str, CompiledContract]:
    """``verifier_contracts/identity/*.sol`` compiled (with PoseidonT3 and the lean-imt library)."""
    return compile_solidity(sorted(_IDENTITY_DIR.glob("*.sol")))


@dataclass(frozen=True, slots=True)
class IdentityContracts:
    """The identity contracts :func:`deploy_identity_contracts` deployed, wired together."""

    registry: IdentityRegistryClient
    credential_verifier: CredentialVerifierClient
    group: IdentityGroupClient
    soulbound: SoulboundCredentialClient
    request_id: int


def deploy_identity_contracts(
    conn: ChainConnection,
    verifier: CompiledContract | str,
    request: CredentialRequest,
    *,
    verifier_abi: Sequence[Mapping[str, Any]] | None = None,
    compiled: Mapping[str, CompiledContract] | None = None,
    root_validity: int = 3600,
    name: str = "zkgov credential",
    symbol: str = "ZKCRED",
    sender: str | None = None,
) -> IdentityContracts:
    """Deploy and wire the identity contracts: registry, credential verifier, group and token.

    The registry and the group get PoseidonT3 linked (deployed once per connection); ``request`` is
    registered (``sender`` owns it); the token is made the group's manager, so each claim can add
    its holder's identity commitment. ``sender`` owns the registry and administers the group.

    Args:
        conn: the chain.
        verifier: the compiled ``credential-presentation`` verifier (deployed here), or the address
            of a deployed one.
        request: what the token's claims must prove.
        verifier_abi: the verifier's ABI, for decoding its errors (default: the compiled one's, or
            ``ICredentialPresentationVerifier``'s for an address).
        compiled: the identity contracts, compiled (default: :func:`compile_identity_contracts`).
        root_validity: seconds a replaced group root stays acceptable.
        name: the token's name.
        symbol: the token's symbol.
        sender: the deploying account (default: the connection's first).
    """
    compiled = compiled if compiled is not None else compile_identity_contracts()
    if isinstance(verifier, CompiledContract):
        verifier_address = deploy(conn, verifier, sender=sender).address
        errors_abi = list(verifier_abi if verifier_abi is not None else verifier.abi)
    else:
        verifier_address = address_arg(verifier, "verifier")
        errors_abi = list(verifier_abi if verifier_abi is not None else compiled["ICredentialPresentationVerifier"].abi)
    registry = IdentityRegistryClient(deploy_linked(conn, compiled, "IdentityRegistry", sender=sender))
    credential_verifier = CredentialVerifierClient(
        deploy(conn, compiled["CredentialVerifier"], verifier_address, registry.address, sender=sender),
        verifier_abi=errors_abi,
    )
    request_id, _ = credential_verifier.register_request(request, sender=sender)
    group = IdentityGroupClient(deploy_linked(conn, compiled, "IdentityGroup", root_validity, sender=sender))
    token = deploy(
        conn,
        compiled["SoulboundCredential"],
        name,
        symbol,
        credential_verifier.address,
        request_id,
        group.address,
        sender=sender,
    )
    group.grant_manager(token.address, sender=sender)
    soulbound = SoulboundCredentialClient(token, error_abis=[credential_verifier.contract.abi, group.contract.abi])
    return IdentityContracts(registry, credential_verifier, group, soulbound, request_id)
