// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {ICredentialPresentationVerifier} from "./ICredentialPresentationVerifier.sol";
import {IdentityRegistry} from "./IdentityRegistry.sol";
import {ZkgovContext} from "../lib/ZkgovContext.sol";

/// @title CredentialVerifier
/// @notice Checks zero-knowledge presentations of verifiable credentials against registered
///         requests. A request fixes what must be proven (`queryHash`: the hashed predicates), the
///         nullifier scope, how fresh the proof's timestamp must be and how long a replaced
///         revocation root stays acceptable. A presentation proves, without revealing the
///         credential: the holder owns it, a trusted issuer signed it, it is unexpired and
///         unrevoked, the predicates hold; its nullifier (one per holder and scope) is then spent.
/// @dev The 9 public signals, in circuit order: nullifier, disclosureHash, issuerRoot,
///      revocationRoot, timestamp, scope, queryHash, challenge, context. The last four are
///      computed here, never taken from the caller: scope and queryHash from the request;
///      challenge = keccak256(abi.encode(requestId, msg.sender, binding)) >> 8, so a proof is tied
///      to the request, to the account submitting it and to the caller's `binding` (e.g. the hash
///      of what the presentation unlocks) and a front-runner cannot reuse it; context =
///      ZkgovContext.contextHash(circuitId, chainid, this, scope), so it cannot be replayed under
///      another circuit, chain or deployment. Checks, then effects, then the event; the external
///      calls (registry, verifier) are views.
contract CredentialVerifier {
    /// @dev The BN254 scalar field modulus r: public signals must be below it.
    uint256 private constant _SNARK_SCALAR_FIELD =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @notice A presentation: the proof and the public signals the prover chose.
    struct Presentation {
        uint256 nullifier;
        uint256 disclosureHash;
        uint256 issuerRoot;
        uint256 revocationRoot;
        uint256 timestamp;
        uint256[2] a;
        uint256[2][2] b;
        uint256[2] c;
    }

    /// @notice A registered request.
    struct Request {
        address owner;
        uint256 queryHash;
        uint256 scope;
        uint64 maxAge;
        uint64 revocationGrace;
        bool active;
    }

    /// @notice No request has this id.
    error CredentialUnknownRequest(uint256 requestId);
    /// @notice The request was deactivated by its owner.
    error CredentialRequestInactive(uint256 requestId);
    /// @notice Only the request's owner may do this.
    error CredentialNotRequestOwner(uint256 requestId, address caller);
    /// @notice A request's queryHash or scope is not a scalar-field element (no proof could match).
    error CredentialNotInField(uint256 value);
    /// @notice Another account registered the first request in this scope; only it may add more
    ///         (why: a request in someone else's scope could trick holders into spending the
    ///         nullifier that scope's real request counts).
    error CredentialScopeTaken(uint256 scope, address owner);
    /// @notice The proof's trusted-issuer root is not one the registry accepts now.
    error CredentialUntrustedIssuerRoot(uint256 issuerRoot);
    /// @notice The proof's revocation root is neither current nor replaced within the request's grace.
    error CredentialRevocationRootRejected(uint256 revocationRoot);
    /// @notice The proof's timestamp is more than the request's maxAge seconds old.
    error CredentialStaleTimestamp(uint256 timestamp, uint256 blockTimestamp, uint64 maxAge);
    /// @notice The proof's timestamp is after the current block's.
    error CredentialFutureTimestamp(uint256 timestamp, uint256 blockTimestamp);
    /// @notice This nullifier was already spent in this scope (same holder, same scope).
    error CredentialNullifierUsed(uint256 scope, uint256 nullifier);
    /// @notice The proof does not verify for these public signals.
    error CredentialInvalidProof();

    /// @notice `owner` registered request `requestId`.
    event RequestRegistered(
        uint256 indexed requestId,
        address indexed owner,
        uint256 queryHash,
        uint256 scope,
        uint64 maxAge,
        uint64 revocationGrace
    );
    /// @notice The request no longer accepts presentations.
    event RequestDeactivated(uint256 indexed requestId);
    /// @notice A presentation for `requestId` was accepted and its nullifier spent.
    event PresentationVerified(
        uint256 indexed requestId,
        uint256 indexed scope,
        uint256 indexed nullifier,
        uint256 disclosureHash,
        address caller
    );

    /// @notice The `credential-presentation` verifier.
    ICredentialPresentationVerifier public immutable verifier;
    /// @notice The issuer and revocation registry.
    IdentityRegistry public immutable registry;
    /// @notice The verifier's circuit id, bound into every accepted proof's context.
    bytes32 public immutable circuitId;
    /// @notice How many requests were registered; ids run from 1 to requestCount.
    uint256 public requestCount;
    /// @notice Requests by id.
    mapping(uint256 => Request) public requests;
    /// @notice Who registered the first request in each scope (and alone may register more in it).
    mapping(uint256 => address) public scopeOwner;
    /// @notice Spent nullifiers, per scope.
    mapping(uint256 => mapping(uint256 => bool)) public nullifierUsed;

    /// @param verifier_ the generated verifier of the credential-presentation circuit.
    /// @param registry_ the issuer and revocation registry.
    constructor(ICredentialPresentationVerifier verifier_, IdentityRegistry registry_) {
        verifier = verifier_;
        registry = registry_;
        circuitId = verifier_.CIRCUIT_ID();
    }

    /// @notice Registers a request; the caller owns it. The first request in a scope makes the caller
    ///         the scope's owner: nobody else can register requests in it.
    /// @param queryHash the hash of the predicates a presentation must prove.
    /// @param scope the nullifier scope (one presentation per holder and scope).
    /// @param maxAge how many seconds old a presentation's timestamp may be.
    /// @param revocationGrace how many seconds a replaced revocation root stays acceptable.
    /// @return requestId the new request's id (from 1).
    function registerRequest(uint256 queryHash, uint256 scope, uint64 maxAge, uint64 revocationGrace)
        external
        returns (uint256 requestId)
    {
        if (queryHash >= _SNARK_SCALAR_FIELD) revert CredentialNotInField(queryHash);
        if (scope >= _SNARK_SCALAR_FIELD) revert CredentialNotInField(scope);
        address owner = scopeOwner[scope];
        if (owner == address(0)) scopeOwner[scope] = msg.sender;
        else if (owner != msg.sender) revert CredentialScopeTaken(scope, owner);
        requestId = ++requestCount;
        requests[requestId] = Request(msg.sender, queryHash, scope, maxAge, revocationGrace, true);
        emit RequestRegistered(requestId, msg.sender, queryHash, scope, maxAge, revocationGrace);
    }

    /// @notice Stops a request from accepting presentations (its owner only; final).
    /// @param requestId the request.
    function deactivateRequest(uint256 requestId) external {
        Request storage request = requests[requestId];
        if (request.owner == address(0)) revert CredentialUnknownRequest(requestId);
        if (request.owner != msg.sender) revert CredentialNotRequestOwner(requestId, msg.sender);
        if (!request.active) revert CredentialRequestInactive(requestId);
        request.active = false;
        emit RequestDeactivated(requestId);
    }

    /// @notice Verifies a presentation for `requestId` and spends its nullifier.
    /// @param requestId the request.
    /// @param p the presentation.
    /// @param binding caller-chosen data the proof is bound to (through the challenge).
    /// @return nullifier the spent nullifier.
    function verifyPresentation(uint256 requestId, Presentation calldata p, bytes32 binding)
        external
        returns (uint256 nullifier)
    {
        Request memory request = requests[requestId];
        if (request.owner == address(0)) revert CredentialUnknownRequest(requestId);
        if (!request.active) revert CredentialRequestInactive(requestId);
        if (!registry.isTrustedIssuerRoot(p.issuerRoot)) revert CredentialUntrustedIssuerRoot(p.issuerRoot);
        if (!registry.isRevocationRootAcceptable(p.revocationRoot, request.revocationGrace)) {
            revert CredentialRevocationRootRejected(p.revocationRoot);
        }
        if (p.timestamp > block.timestamp) revert CredentialFutureTimestamp(p.timestamp, block.timestamp);
        if (block.timestamp - p.timestamp > request.maxAge) {
            revert CredentialStaleTimestamp(p.timestamp, block.timestamp, request.maxAge);
        }
        nullifier = p.nullifier;
        if (nullifierUsed[request.scope][nullifier]) revert CredentialNullifierUsed(request.scope, nullifier);
        uint256[9] memory pubSignals = [
            nullifier,
            p.disclosureHash,
            p.issuerRoot,
            p.revocationRoot,
            p.timestamp,
            request.scope,
            request.queryHash,
            challengeFor(requestId, msg.sender, binding),
            contextFor(request.scope)
        ];
        if (!verifier.verifyProof(p.a, p.b, p.c, pubSignals)) revert CredentialInvalidProof();
        nullifierUsed[request.scope][nullifier] = true;
        emit PresentationVerified(requestId, request.scope, nullifier, p.disclosureHash, msg.sender);
    }

    /// @notice The context hash a proof for `scope` must carry to be accepted here.
    /// @param scope the request's scope.
    function contextFor(uint256 scope) public view returns (uint256) {
        return ZkgovContext.contextHash(circuitId, block.chainid, address(this), scope);
    }

    /// @notice The challenge a proof for `requestId`, submitted by `caller` with `binding`, must carry.
    /// @dev keccak256(abi.encode(requestId, caller, binding)) >> 8: 248 bits, below r. Python twin:
    ///      zkgov.identity.chain.challenge_for.
    /// @param requestId the request.
    /// @param caller the account that will call verifyPresentation (an EOA or a contract).
    /// @param binding the caller's binding.
    function challengeFor(uint256 requestId, address caller, bytes32 binding) public pure returns (uint256) {
        return uint256(keccak256(abi.encode(requestId, caller, binding))) >> 8;
    }
}
