"""The identity contracts on a real anvil: IdentityGroup and IdentityRegistry roots against the
Python LeanIMT, root histories, every custom error and access-control misuse, the exact public
signals CredentialVerifier hands its verifier, and the soulbound token.

Proofs are not checked here: a test-only ConfigurableVerifier (tests/contracts/) stands in for the
credential-presentation verifier, returning a settable result or (echo mode) reverting with the
arguments it was given. End-to-end tests with real proofs live with the circuit's tests.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from web3.logs import DISCARD

from zkgov.chain import ChainConnection, DeployedContract, deploy
from zkgov.crypto.merkle import LeanIMT
from zkgov.crypto.babyjub import Point
from zkgov.crypto.poseidon import poseidon
from zkgov.errors import ContractRevertError, InputError
from zkgov.identity.chain import (
    CredentialRequest,
    IdentityContracts,
    IdentityGroupClient,
    PresentationCalldata,
    SoulboundCredentialClient,
    binding_for,
    challenge_for,
)
from zkgov.identity.credential import issuer_leaf
from zkgov.snark.context import context_hash
from zkgov.snark.curve import Q, R, G1Point, G2Point
from zkgov.snark.proof import Proof, PublicSignals

A = (11, 12)
B = ((21, 22), (23, 24))
C = (31, 32)
REQUEST = CredentialRequest(query_hash=777, scope=4242, max_age=3600, revocation_grace=600)


def _reverts(action: Any, name: str, **args: Any) -> ContractRevertError:
    with pytest.raises(ContractRevertError) as info:
        action()
    assert info.value.error_name == name, str(info.value)
    for key, value in args.items():
        assert info.value.args_by_name[key] == value, str(info.value)
    return info.value


def _events(contract: DeployedContract, receipt: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The ``name`` events ``contract`` emitted in ``receipt`` (other contracts' logs skipped)."""
    handle = contract.conn.w3.eth.contract(address=contract.address, abi=contract.abi)
    logs = handle.events[name]().process_receipt(receipt, errors=DISCARD)
    return [{key: log["args"][key] for key in log["args"]} for log in logs if log["address"] == contract.address]


def _latest_time(conn: ChainConnection) -> int:
    return int(conn.w3.eth.get_block("latest")["timestamp"])


def _mine_at(conn: ChainConnection, timestamp: int) -> None:
    conn.w3.provider.make_request("evm_mine", [timestamp])


def _with_issuer(ids: IdentityContracts, conn: ChainConnection, key: tuple[int, int]) -> int:
    issuer_id, _ = ids.registry.register_issuer("did:example:issuer", key[0], key[1], conn.accounts[1])
    return issuer_id


def _presentation(ids: IdentityContracts, conn: ChainConnection, **overrides: Any) -> PresentationCalldata:
    fields: dict[str, Any] = {
        "nullifier": 9001,
        "disclosure_hash": 5005,
        "issuer_root": int(ids.registry.trusted_issuer_root()),
        "revocation_root": int(ids.registry.revocation_root()),
        "timestamp": _latest_time(conn) - 5,
        "a": A,
        "b": B,
        "c": C,
    }
    fields.update(overrides)
    return PresentationCalldata(**fields)


def _verify_call(ids: IdentityContracts, request_id: int, p: PresentationCalldata, sender: str) -> int:
    """verifyPresentation as an eth_call at the latest block (deterministic block.timestamp)."""
    contract = ids.credential_verifier.contract
    return int(contract.call("verifyPresentation", request_id, p.to_abi(), bytes(32), sender=sender))


# --- IdentityGroup -------------------------------------------------------------------------------


def test_group_roots_equal_python_lean_imt_after_inserts_and_a_removal(chain_deploy, chain_conn) -> None:
    _, ids = chain_deploy()
    group = ids.group
    tree = LeanIMT()
    assert group.root() == 0 and group.size() == 0
    commitments = [poseidon([1000 + i]) for i in range(6)]
    for i, commitment in enumerate(commitments):
        receipt = group.add_member(commitment)
        tree.insert(commitment)
        assert (group.root(), group.size(), group.depth()) == (tree.root, tree.size, tree.depth)
        added = _events(group.contract, receipt, "MemberAdded")
        assert added == [{"index": i, "commitment": commitment, "root": tree.root}]
    assert group.index_of(commitments[4]) == 4 and group.has_member(commitments[4])

    siblings = tree.generate_proof(2).siblings
    group.remove_member(commitments[2], siblings)
    tree.update(2, 0)
    assert group.root() == tree.root and group.size() == 6
    assert not group.has_member(commitments[2])
    _reverts(lambda: group.index_of(commitments[2]), "LeafDoesNotExist")
    # a removed member stays out, and the tree keeps matching Python after more changes
    _reverts(lambda: group.add_member(commitments[2]), "GroupMemberWasRemoved", commitment=commitments[2])
    group.add_member(poseidon([2000]))
    tree.insert(poseidon([2000]))
    group.remove_member(commitments[5], tree.generate_proof(5).siblings)
    tree.update(5, 0)
    assert group.root() == tree.root


def test_group_access_control_and_bad_members(chain_deploy, chain_conn) -> None:
    _, ids = chain_deploy()
    group, admin, manager, stranger = ids.group, *chain_conn.accounts[:3]
    _reverts(lambda: group.add_member(5, sender=manager), "GroupNotManager", caller=manager)
    _reverts(lambda: group.grant_manager(stranger, sender=manager), "GroupNotAdmin", caller=manager)
    _reverts(lambda: group.grant_manager("0x" + "00" * 20), "GroupZeroAddress")
    group.grant_manager(manager)
    assert group.is_manager(manager) and group.is_manager(ids.soulbound.address)
    group.add_member(5, sender=manager)
    _reverts(lambda: group.add_member(5, sender=manager), "GroupMemberExists", commitment=5)
    _reverts(lambda: group.add_member(0, sender=manager), "GroupZeroCommitment")
    _reverts(lambda: group.add_member(R, sender=manager), "LeafGreaterThanSnarkScalarField")
    _reverts(lambda: group.remove_member(5, [], sender=manager), "GroupNotAdmin", caller=manager)
    group.add_member(6)  # the admin may add too
    _reverts(lambda: group.remove_member(5, [123]), "WrongSiblingNodes")
    _reverts(lambda: group.remove_member(7, [6]), "LeafDoesNotExist")
    _reverts(lambda: group.revoke_manager(manager, sender=stranger), "GroupNotAdmin")
    group.revoke_manager(manager)
    _reverts(lambda: group.add_member(8, sender=manager), "GroupNotManager")
    assert admin == chain_conn.default_sender


def test_group_accepts_a_replaced_root_for_root_validity_seconds(chain_deploy, chain_conn) -> None:
    _, ids = chain_deploy(root_validity=100)
    group = ids.group
    group.add_member(101)
    first = group.root()
    assert group.is_known_root(first) and not group.is_known_root(0) and not group.is_known_root(12345)
    group.add_member(102)
    replaced_at = int(group.contract.call("rootReplacedAt", first))
    assert replaced_at > 0 and int(group.contract.call("rootCreatedAt", group.root())) == replaced_at
    assert int(group.contract.call("rootReplacedAt", group.root())) == 0
    _mine_at(chain_conn, replaced_at + 99)
    assert group.is_known_root(first)
    _mine_at(chain_conn, replaced_at + 100)
    assert not group.is_known_root(first)
    assert group.is_known_root(group.root())


# --- IdentityRegistry: issuers -------------------------------------------------------------------


def test_registry_issuer_root_equals_python_lean_imt(chain_deploy, chain_conn, chain_issuer_keys) -> None:
    _, ids = chain_deploy()
    registry = ids.registry
    tree = LeanIMT()
    for i, (ax, ay) in enumerate(chain_issuer_keys[:5]):
        issuer_id, _ = registry.register_issuer(f"did:example:{i}", ax, ay, chain_conn.accounts[i + 1])
        tree.insert(issuer_leaf(Point(ax, ay)))
        assert issuer_id == i + 1
        assert registry.trusted_issuer_root() == tree.root
    assert issuer_leaf(Point(*chain_issuer_keys[0])) == poseidon(list(chain_issuer_keys[0]))
    record = registry.issuer(3)
    assert (record.did, record.ax, record.ay, record.controller, record.active) == (
        "did:example:2",
        *chain_issuer_keys[2],
        chain_conn.accounts[3],
        True,
    )
    assert registry.issuer_by_did("did:example:2") == 3
    assert int(registry.contract.call("issuerIdByKeyLeaf", record.leaf)) == 3

    registry.deactivate_issuer(3, tree.generate_proof(2).siblings)
    tree.update(2, 0)
    assert registry.trusted_issuer_root() == tree.root
    assert registry.issuer(3).active is False
    registry.deactivate_issuer(1, tree.generate_proof(0).siblings)
    tree.update(0, 0)
    assert registry.trusted_issuer_root() == tree.root


def test_registry_trusts_older_roots_only_until_a_deactivation(chain_deploy, chain_conn, chain_issuer_keys) -> None:
    _, ids = chain_deploy()
    registry, tree = ids.registry, LeanIMT()
    assert not registry.is_trusted_issuer_root(0) and registry.trusted_issuer_root() == 0
    roots = []
    for i, (ax, ay) in enumerate(chain_issuer_keys[:3]):
        registry.register_issuer(f"did:example:{i}", ax, ay, chain_conn.accounts[i + 1])
        tree.insert(issuer_leaf(Point(ax, ay)))
        roots.append(registry.trusted_issuer_root())
    # issuers were only added since: every earlier root holds only trusted keys
    assert all(registry.is_trusted_issuer_root(root) for root in roots)
    registry.deactivate_issuer(2, tree.generate_proof(1).siblings)
    assert not any(registry.is_trusted_issuer_root(root) for root in roots)
    assert registry.is_trusted_issuer_root(registry.trusted_issuer_root())
    assert not registry.is_trusted_issuer_root(12345)


def test_registry_rejects_bad_issuers_and_non_owners(chain_deploy, chain_conn, chain_issuer_keys) -> None:
    _, ids = chain_deploy()
    registry, owner, one, two, stranger = ids.registry, *chain_conn.accounts[:4]
    (ax, ay), (bx, by) = chain_issuer_keys[:2]
    zero = "0x" + "00" * 20
    register = registry.register_issuer
    _reverts(lambda: register("did:x", ax, ay, one, sender=stranger), "RegistryNotOwner", caller=stranger)
    _reverts(lambda: registry.register_issuer("", ax, ay, one), "RegistryEmptyDid")
    _reverts(lambda: registry.register_issuer("did:x", ax, ay, zero), "RegistryZeroAddress")
    off_curve = (ay + 1) % R
    _reverts(lambda: register("did:x", ax, off_curve, one), "RegistryInvalidKey", ax=ax, ay=off_curve)
    _reverts(lambda: registry.contract.transact("registerIssuer", "did:x", ax + R, ay, one), "RegistryInvalidKey")
    _reverts(lambda: registry.register_issuer("did:x", 0, 1, one), "RegistryInvalidKey")  # the neutral element
    registry.register_issuer("did:x", ax, ay, one)
    _reverts(lambda: registry.register_issuer("did:x", bx, by, two), "RegistryDidExists", did="did:x", issuerId=1)
    _reverts(lambda: registry.register_issuer("did:y", ax, ay, two), "RegistryKeyExists", issuerId=1)
    _reverts(lambda: registry.register_issuer("did:y", bx, by, one), "RegistryControllerInUse", controller=one)
    _reverts(lambda: registry.deactivate_issuer(1, [], sender=stranger), "RegistryNotOwner")
    _reverts(lambda: registry.deactivate_issuer(7, []), "RegistryUnknownIssuer", issuerId=7)
    _reverts(lambda: registry.issuer(7), "RegistryUnknownIssuer", issuerId=7)
    _reverts(lambda: registry.issuer_by_did("did:nobody"), "RegistryUnknownDid", did="did:nobody")
    registry.deactivate_issuer(1, [])
    _reverts(lambda: registry.deactivate_issuer(1, []), "RegistryIssuerInactive", issuerId=1)
    # a deactivated key is never registered again, under any DID
    _reverts(lambda: registry.register_issuer("did:z", ax, ay, two), "RegistryKeyExists")
    # ownership
    _reverts(lambda: registry.transfer_ownership(stranger, sender=stranger), "RegistryNotOwner")
    _reverts(lambda: registry.transfer_ownership(zero), "RegistryZeroAddress")
    registry.transfer_ownership(two)
    assert registry.owner() == two
    _reverts(lambda: registry.register_issuer("did:w", bx, by, stranger, sender=owner), "RegistryNotOwner")
    registry.register_issuer("did:w", bx, by, stranger, sender=two)


# --- IdentityRegistry: revocation ----------------------------------------------------------------


def test_revocation_root_history_and_grace(chain_deploy, chain_conn, chain_issuer_keys) -> None:
    _, ids = chain_deploy()
    registry, controller = ids.registry, chain_conn.accounts[1]
    _with_issuer(ids, chain_conn, chain_issuer_keys[0])
    assert registry.revocation_root() == 0 and registry.is_revocation_root_acceptable(0, 0)
    receipt = registry.revoke([111, 222], 5555, sender=controller)
    posted = _events(registry.contract, receipt, "RevocationsPosted")
    assert posted == [{"issuerId": 1, "keys": [111, 222], "previousRoot": 0, "newRoot": 5555}]
    replaced_at = registry.revocation_root_replaced_at(0)
    assert replaced_at > 0 and registry.revocation_root_replaced_at(5555) == 0
    assert registry.revocation_root() == 5555 and registry.is_revocation_root_acceptable(5555, 0)
    _mine_at(chain_conn, replaced_at + 59)
    assert registry.is_revocation_root_acceptable(0, 60) and not registry.is_revocation_root_acceptable(0, 59)
    assert not registry.is_revocation_root_acceptable(0, 0)
    assert not registry.is_revocation_root_acceptable(4444, 10**9)  # never a root
    # a post that changes nothing (keys already in the tree) keeps the root and its history
    registry.revoke([111], 5555, sender=controller)
    assert registry.revocation_root() == 5555 and registry.revocation_root_replaced_at(5555) == 0


def test_revocation_rejects_strangers_stale_roots_and_bad_values(chain_deploy, chain_conn, chain_issuer_keys) -> None:
    _, ids = chain_deploy()
    registry, controller, stranger = ids.registry, chain_conn.accounts[1], chain_conn.accounts[3]
    _with_issuer(ids, chain_conn, chain_issuer_keys[0])
    _reverts(lambda: registry.revoke([1], 10, sender=stranger), "RegistryNotIssuerController", caller=stranger)
    _reverts(lambda: registry.revoke([], 10, sender=controller), "RegistryNoRevocationKeys")
    _reverts(lambda: registry.revoke([R], 10, sender=controller), "RegistryNotInField", value=R)
    _reverts(lambda: registry.revoke([1], R, sender=controller), "RegistryNotInField", value=R)
    registry.revoke([1], 10, sender=controller)
    # another post computed from the old root would silently drop key 1: refused
    _reverts(
        lambda: registry.revoke([2], 20, previous_root=0, sender=controller),
        "RegistryStaleRevocationRoot",
        currentRoot=10,
        previousRoot=0,
    )
    registry.deactivate_issuer(1, [])
    _reverts(lambda: registry.revoke([2], 20, sender=controller), "RegistryNotIssuerController", caller=controller)


# --- CredentialVerifier --------------------------------------------------------------------------


def test_verifier_receives_exactly_the_nine_public_signals(
    chain_deploy, chain_conn, chain_issuer_keys, chain_circuit_id
) -> None:
    verifier, ids = chain_deploy()
    _with_issuer(ids, chain_conn, chain_issuer_keys[0])
    cv, caller = ids.credential_verifier, chain_conn.accounts[2]
    verifier.transact("setEcho", True)
    p = _presentation(ids, chain_conn)
    binding = bytes([7] * 32)
    err = _reverts(
        lambda: cv.contract.call("verifyPresentation", ids.request_id, p.to_abi(), binding, sender=caller),
        "ConfigurableVerifierSaw",
    )
    challenge = challenge_for(ids.request_id, caller, binding)
    context = context_hash(chain_circuit_id, chain_conn.chain_id, cv.address, REQUEST.scope)
    expected = [p.nullifier, p.disclosure_hash, p.issuer_root, p.revocation_root, p.timestamp]
    expected += [REQUEST.scope, REQUEST.query_hash, challenge, context]
    assert list(err.args_by_name["pubSignals"]) == expected
    assert cv.public_signals(ids.request_id, p, caller=caller, binding=binding) == PublicSignals(tuple(expected))
    seen = err.args_by_name
    assert (tuple(seen["a"]), tuple(map(tuple, seen["b"])), tuple(seen["c"])) == (A, B, C)
    # the Python twins agree with the contract
    assert cv.contract.call("challengeFor", ids.request_id, caller, binding) == challenge
    assert cv.contract.call("contextFor", REQUEST.scope) == context == cv.context_for(REQUEST.scope)
    assert cv.circuit_id == chain_circuit_id
    assert challenge_for(ids.request_id, chain_conn.accounts[3], binding) != challenge  # another caller
    assert challenge_for(ids.request_id, caller, bytes(32)) != challenge  # other bound data
    # through the token, the caller is the token contract and the binding names recipient and commitment
    recipient, commitment = chain_conn.accounts[4], poseidon([99])
    sbt = ids.soulbound
    err = _reverts(lambda: sbt.contract.call("claim", p.to_abi(), recipient, commitment), "ConfigurableVerifierSaw")
    assert sbt.contract.call("bindingFor", recipient, commitment) == binding_for(recipient, commitment)
    assert err.args_by_name["pubSignals"][7] == sbt.challenge(recipient, commitment)
    expected_challenge = challenge_for(ids.request_id, sbt.address, binding_for(recipient, commitment))
    assert err.args_by_name["pubSignals"][7] == expected_challenge
    assert sbt.challenge(chain_conn.accounts[5], commitment) != sbt.challenge(recipient, commitment)


def test_accepts_a_presentation_once_per_scope(chain_deploy, chain_conn, chain_issuer_keys) -> None:
    _, ids = chain_deploy()
    _with_issuer(ids, chain_conn, chain_issuer_keys[0])
    cv, holder = ids.credential_verifier, chain_conn.accounts[2]
    p = _presentation(ids, chain_conn)
    receipt = cv.verify_presentation(ids.request_id, p, sender=holder)
    assert _events(cv.contract, receipt, "PresentationVerified")[0] == {
        "requestId": ids.request_id,
        "scope": REQUEST.scope,
        "nullifier": p.nullifier,
        "disclosureHash": p.disclosure_hash,
        "caller": holder,
    }
    assert cv.is_nullifier_used(REQUEST.scope, p.nullifier)
    _reverts(lambda: cv.verify_presentation(ids.request_id, p, sender=holder), "CredentialNullifierUsed", scope=4242)
    # a second request with the same scope shares its nullifiers; another scope does not
    same_scope, _ = cv.register_request(replace(REQUEST, query_hash=888))
    _reverts(lambda: cv.verify_presentation(same_scope, p, sender=holder), "CredentialNullifierUsed")
    other_scope, _ = cv.register_request(replace(REQUEST, scope=4243))
    cv.verify_presentation(other_scope, p, sender=holder)
    assert cv.is_nullifier_used(4243, p.nullifier)


def test_rejects_each_bad_presentation(chain_deploy, chain_conn, chain_issuer_keys) -> None:
    verifier, ids = chain_deploy()
    _with_issuer(ids, chain_conn, chain_issuer_keys[0])
    cv, holder, rid = ids.credential_verifier, chain_conn.accounts[2], ids.request_id
    good = _presentation(ids, chain_conn)
    verify = cv.verify_presentation
    _reverts(lambda: verify(99, good, sender=holder), "CredentialUnknownRequest", requestId=99)
    bad_root = replace(good, issuer_root=good.issuer_root + 1)
    _reverts(
        lambda: verify(rid, bad_root, sender=holder), "CredentialUntrustedIssuerRoot", issuerRoot=bad_root.issuer_root
    )
    bad_revocation = replace(good, revocation_root=31337)
    _reverts(
        lambda: verify(rid, bad_revocation, sender=holder), "CredentialRevocationRootRejected", revocationRoot=31337
    )
    now = _latest_time(chain_conn)
    _reverts(lambda: _verify_call(ids, rid, replace(good, timestamp=now + 1), holder), "CredentialFutureTimestamp")
    _reverts(
        lambda: _verify_call(ids, rid, replace(good, timestamp=now - 3601), holder),
        "CredentialStaleTimestamp",
        timestamp=now - 3601,
        blockTimestamp=now,
        maxAge=3600,
    )
    assert _verify_call(ids, rid, replace(good, timestamp=now - 3600), holder) == good.nullifier  # exactly maxAge
    assert _verify_call(ids, rid, replace(good, timestamp=now), holder) == good.nullifier
    verifier.transact("setResult", False)
    _reverts(lambda: verify(rid, good, sender=holder), "CredentialInvalidProof")
    assert not cv.is_nullifier_used(REQUEST.scope, good.nullifier)  # a rejected proof spends nothing
    verifier.transact("setResult", True)
    cv.deactivate_request(rid)
    _reverts(lambda: verify(rid, good, sender=holder), "CredentialRequestInactive", requestId=rid)


def test_revocation_root_is_accepted_within_the_request_grace(chain_deploy, chain_conn, chain_issuer_keys) -> None:
    _, ids = chain_deploy()  # revocation_grace = 600
    _with_issuer(ids, chain_conn, chain_issuer_keys[0])
    ids.registry.revoke([5], 1234, sender=chain_conn.accounts[1])
    replaced_at = ids.registry.revocation_root_replaced_at(0)
    holder, rid = chain_conn.accounts[2], ids.request_id
    _mine_at(chain_conn, replaced_at + 599)
    old = _presentation(ids, chain_conn, revocation_root=0)
    assert _verify_call(ids, rid, old, holder) == old.nullifier
    _mine_at(chain_conn, replaced_at + 600)
    _reverts(lambda: _verify_call(ids, rid, old, holder), "CredentialRevocationRootRejected", revocationRoot=0)
    assert _verify_call(ids, rid, replace(old, revocation_root=1234), holder) == old.nullifier


def test_request_owner_controls_the_request(chain_deploy, chain_conn) -> None:
    _, ids = chain_deploy()
    cv, owner, stranger = ids.credential_verifier, chain_conn.accounts[0], chain_conn.accounts[3]
    registered = cv.request(ids.request_id)
    assert (registered.owner, registered.request, registered.active) == (owner, REQUEST, True)
    rid, _ = cv.register_request(replace(REQUEST, scope=1), sender=stranger)
    assert cv.request(rid).owner == stranger
    _reverts(lambda: cv.deactivate_request(rid, sender=owner), "CredentialNotRequestOwner", requestId=rid, caller=owner)
    _reverts(lambda: cv.deactivate_request(55), "CredentialUnknownRequest", requestId=55)
    cv.deactivate_request(rid, sender=stranger)
    assert cv.request(rid).active is False
    _reverts(lambda: cv.deactivate_request(rid, sender=stranger), "CredentialRequestInactive")
    _reverts(lambda: cv.contract.transact("registerRequest", R, 1, 10, 10), "CredentialNotInField", value=R)
    _reverts(lambda: cv.contract.transact("registerRequest", 1, R, 10, 10), "CredentialNotInField", value=R)


def test_only_the_scope_owner_registers_requests_in_a_scope(chain_deploy, chain_conn) -> None:
    # Otherwise a look-alike request in the token's scope could make holders spend that nullifier.
    _, ids = chain_deploy()
    cv, owner, stranger = ids.credential_verifier, chain_conn.accounts[0], chain_conn.accounts[3]
    assert cv.contract.call("scopeOwner", REQUEST.scope) == owner
    _reverts(
        lambda: cv.register_request(replace(REQUEST, query_hash=1), sender=stranger),
        "CredentialScopeTaken", scope=REQUEST.scope, owner=owner,
    )
    rid, _ = cv.register_request(replace(REQUEST, query_hash=1), sender=owner)
    assert cv.request(rid).request.query_hash == 1


# --- SoulboundCredential -------------------------------------------------------------------------


def test_claim_mints_a_locked_token_and_adds_the_commitment(chain_deploy, chain_conn, chain_issuer_keys) -> None:
    _, ids = chain_deploy()
    _with_issuer(ids, chain_conn, chain_issuer_keys[0])
    sbt, recipient, commitment = ids.soulbound, chain_conn.accounts[4], poseidon([4444])
    p = _presentation(ids, chain_conn)
    token_id, receipt = sbt.claim(p, recipient, commitment, sender=chain_conn.accounts[5])
    assert token_id == 1 and sbt.total_supply() == 1
    assert sbt.owner_of(1) == recipient and sbt.balance_of(recipient) == 1 and sbt.locked(1)
    assert (sbt.token_nullifier(1), sbt.token_disclosure_hash(1), sbt.token_of_nullifier(p.nullifier)) == (
        p.nullifier,
        p.disclosure_hash,
        1,
    )
    assert _events(sbt.contract, receipt, "Transfer") == [{"from": "0x" + "00" * 20, "to": recipient, "tokenId": 1}]
    assert _events(sbt.contract, receipt, "Locked") == [{"tokenId": 1}]
    assert ids.group.has_member(commitment) and ids.group.root() == LeanIMT([commitment]).root
    assert ids.credential_verifier.is_nullifier_used(REQUEST.scope, p.nullifier)
    # a claim without a group commitment adds no one
    sbt.claim(replace(p, nullifier=9002), recipient)
    assert sbt.balance_of(recipient) == 2 and ids.group.size() == 1


def test_one_token_per_nullifier(chain_deploy, chain_conn, chain_issuer_keys) -> None:
    _, ids = chain_deploy()
    _with_issuer(ids, chain_conn, chain_issuer_keys[0])
    sbt, recipient = ids.soulbound, chain_conn.accounts[4]
    p = _presentation(ids, chain_conn)
    sbt.claim(p, recipient)
    _reverts(lambda: sbt.claim(p, chain_conn.accounts[5]), "SoulboundAlreadyClaimed", nullifier=p.nullifier, tokenId=1)
    # a nullifier spent directly at the verifier (same request) cannot claim either
    spent = replace(p, nullifier=777_000)
    ids.credential_verifier.verify_presentation(ids.request_id, spent, sender=recipient)
    _reverts(lambda: sbt.claim(spent, recipient), "CredentialNullifierUsed", nullifier=777_000)
    assert sbt.total_supply() == 1


def test_token_cannot_be_transferred_or_approved(chain_deploy, chain_conn, chain_issuer_keys) -> None:
    _, ids = chain_deploy()
    _with_issuer(ids, chain_conn, chain_issuer_keys[0])
    sbt, holder, other = ids.soulbound, chain_conn.accounts[4], chain_conn.accounts[5]
    sbt.claim(_presentation(ids, chain_conn), holder)
    c = sbt.contract
    _reverts(lambda: c.transact("transferFrom", holder, other, 1, sender=holder), "SoulboundLocked")
    _reverts(lambda: c.transact("safeTransferFrom", holder, other, 1, sender=holder), "SoulboundLocked")
    _reverts(lambda: c.transact("safeTransferFrom", holder, other, 1, b"", sender=holder), "SoulboundLocked")
    _reverts(lambda: c.transact("approve", other, 1, sender=holder), "SoulboundLocked")
    _reverts(lambda: c.transact("setApprovalForAll", other, True, sender=holder), "SoulboundLocked")
    assert sbt.owner_of(1) == holder
    assert c.call("getApproved", 1) == "0x" + "00" * 20 and c.call("isApprovedForAll", holder, other) is False
    _reverts(lambda: sbt.locked(2), "SoulboundNonexistentToken", tokenId=2)
    _reverts(lambda: sbt.owner_of(2), "SoulboundNonexistentToken", tokenId=2)
    _reverts(lambda: c.call("tokenURI", 2), "SoulboundNonexistentToken")
    _reverts(lambda: sbt.balance_of("0x" + "00" * 20), "SoulboundZeroAddress")
    for interface in ("01ffc9a7", "80ac58cd", "5b5e139f", "b45a3c0e"):
        assert sbt.supports_interface(bytes.fromhex(interface)), interface
    for interface in ("ffffffff", "00000000", "12345678"):
        assert not sbt.supports_interface(bytes.fromhex(interface)), interface
    assert (c.call("name"), c.call("symbol"), c.call("tokenURI", 1)) == ("zkgov credential", "ZKCRED", "")


def test_claim_rejects_misuse(chain_deploy, chain_conn, chain_compiled, chain_issuer_keys) -> None:
    verifier, ids = chain_deploy()
    _with_issuer(ids, chain_conn, chain_issuer_keys[0])
    sbt, recipient, p = ids.soulbound, chain_conn.accounts[4], _presentation(ids, chain_conn)
    _reverts(lambda: sbt.claim(p, "0x" + "00" * 20), "SoulboundZeroAddress")
    verifier.transact("setResult", False)
    _reverts(lambda: sbt.claim(p, recipient, 5), "CredentialInvalidProof")
    verifier.transact("setResult", True)
    ids.group.add_member(5)
    _reverts(lambda: sbt.claim(p, recipient, 5), "GroupMemberExists", commitment=5)  # all or nothing
    assert sbt.total_supply() == 0 and not ids.credential_verifier.is_nullifier_used(REQUEST.scope, p.nullifier)
    ids.group.revoke_manager(sbt.address)
    _reverts(lambda: sbt.claim(p, recipient, 6), "GroupNotManager", caller=sbt.address)
    # a token without a group refuses a group commitment, and mints without one
    zero = "0x" + "00" * 20
    cv_address = ids.credential_verifier.address
    lone = deploy(chain_conn, chain_compiled["SoulboundCredential"], "n", "s", cv_address, ids.request_id, zero)
    lone_client = SoulboundCredentialClient(lone, error_abis=[ids.credential_verifier.contract.abi])
    _reverts(lambda: lone_client.claim(p, recipient, 6), "SoulboundNoGroup")
    assert lone_client.claim(p, recipient)[0] == 1


# --- Python side ---------------------------------------------------------------------------------


def test_presentation_calldata_validates_and_reads_proofs() -> None:
    proof = Proof(G1Point.generator(), G2Point.generator(), G1Point.generator())
    public = list(range(1, 10))
    p = PresentationCalldata.from_proof(proof, public)
    a, b, c, _ = proof.to_calldata(public)
    assert (p.nullifier, p.disclosure_hash, p.issuer_root, p.revocation_root, p.timestamp) == (1, 2, 3, 4, 5)
    assert (p.a, p.b, p.c) == (a, b, c)
    assert p.public_signals(scope=6, query_hash=7, challenge=8, context=9) == PublicSignals(tuple(public))
    with pytest.raises(InputError, match="expected 9 public signals"):
        PresentationCalldata.from_proof(proof, public[:8])
    with pytest.raises(InputError, match="nullifier"):
        replace(p, nullifier=R)
    with pytest.raises(InputError, match="base-field"):
        replace(p, a=(Q, 1))
    with pytest.raises(InputError, match="pair"):
        replace(p, b=((1, 2), (3,)))
    with pytest.raises(InputError, match="max_age"):
        replace(REQUEST, max_age=-1)
    with pytest.raises(InputError, match="binding"):
        challenge_for(1, "0x" + "11" * 20, b"short")
    with pytest.raises(InputError, match="recipient"):
        binding_for("not an address", 1)


def test_gas_stays_within_budget(chain_deploy, chain_conn, chain_issuer_keys) -> None:
    """Gas of the main operations (verifyPresentation and claim without the pairing: the
    ConfigurableVerifier answers at once). Upper bounds, to catch regressions."""
    _, ids = chain_deploy()
    gas: dict[str, int] = {}
    for i in range(7):  # group of 8 after this: depth 3
        ids.group.add_member(10_000 + i)
    gas["addMember (9th member, depth 4)"] = int(ids.group.add_member(20_000)["gasUsed"])
    for i in range(2):
        ids.registry.register_issuer(f"did:gas:{i}", *chain_issuer_keys[i], chain_conn.accounts[i + 1])
    _, receipt = ids.registry.register_issuer("did:gas:2", *chain_issuer_keys[2], chain_conn.accounts[3])
    gas["registerIssuer (3rd issuer)"] = int(receipt["gasUsed"])
    gas["revoke (2 keys)"] = int(ids.registry.revoke([1, 2], 99, sender=chain_conn.accounts[1])["gasUsed"])
    p = _presentation(ids, chain_conn)
    gas["verifyPresentation (no pairing)"] = int(
        ids.credential_verifier.verify_presentation(ids.request_id, p, sender=chain_conn.accounts[4])["gasUsed"]
    )
    _, receipt = ids.soulbound.claim(replace(p, nullifier=1), chain_conn.accounts[4], 30_000)
    gas["claim + addMember (10th, no pairing)"] = int(receipt["gasUsed"])
    print("\n" + "\n".join(f"{name}: {used}" for name, used in gas.items()))
    assert gas["addMember (9th member, depth 4)"] < 250_000
    assert gas["registerIssuer (3rd issuer)"] < 400_000
    assert gas["revoke (2 keys)"] < 100_000
    assert gas["verifyPresentation (no pairing)"] < 150_000
    assert gas["claim + addMember (10th, no pairing)"] < 600_000


def test_group_client_wraps_any_deployed_group(chain_deploy, chain_conn) -> None:
    _, ids = chain_deploy()
    again = IdentityGroupClient(DeployedContract(chain_conn, ids.group.address, ids.group.contract.abi))
    assert again.root() == ids.group.root() and again.address == ids.group.address
