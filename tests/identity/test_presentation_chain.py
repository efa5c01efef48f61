"""Presentations on chain with real Groth16 proofs: the generated verifier of the
credential-presentation circuit behind CredentialVerifier, SoulboundCredential and IdentityGroup on
anvil. Accepted once; rejected for every misuse the contracts must catch."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from _scenario import CLAIMS, SCHEMA, Scenario, make_scenario

from zkgov.chain import ChainConnection, compile_solidity, connect
from zkgov.crypto.merkle import LeanIMT
from zkgov.errors import ContractRevertError, InputError
from zkgov.identity import Predicate, PresentationRequest, RevocationList, TrustedIssuers, presentation_keys
from zkgov.identity.chain import CredentialRequest, IdentityContracts, deploy_identity_contracts
from zkgov.identity.onchain import latest_timestamp, prove_for_soulbound, prove_for_verifier
from zkgov.snark.setup import Groth16Keys
from zkgov.snark.solidity import export_solidity_verifier

MAX_AGE = 3600


@dataclass
class World:
    conn: ChainConnection
    keys: Groth16Keys
    ids: IdentityContracts
    s: Scenario
    request: PresentationRequest
    recipient: str
    controller: str
    verifier_compiled: object


def _deploy(conn: ChainConnection, verifier_compiled: object, request: PresentationRequest) -> IdentityContracts:
    return deploy_identity_contracts(
        conn, verifier_compiled,  # type: ignore[arg-type]
        CredentialRequest(query_hash=request.query_hash, scope=request.scope, max_age=MAX_AGE, revocation_grace=0),
    )


def _register(ids: IdentityContracts, s: Scenario, controller: str) -> TrustedIssuers:
    """Registers the scenario's issuer after one other issuer; returns the Python twin of the tree."""
    trusted = TrustedIssuers()
    for identity_key, did, who in ((s.other.public_key, s.other.did, None), (s.issuer.public_key, s.issuer.did, controller)):
        ids.registry.register_issuer(did, identity_key.x, identity_key.y, who or ids.registry.owner())
        trusted.add(identity_key)
    assert ids.registry.trusted_issuer_root() == trusted.root
    return trusted


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    keys = presentation_keys()
    source = export_solidity_verifier(keys.vk, contract_name="CredentialPresentationVerifier")
    compiled = compile_solidity({"CredentialPresentationVerifier.sol": source})["CredentialPresentationVerifier"]
    s = make_scenario()
    request = PresentationRequest(SCHEMA, (Predicate("role", "eq", "trainer"), Predicate("reputation", "gte", 50)), scope=4242)
    with connect() as conn:
        accounts = conn.w3.eth.accounts
        ids = _deploy(conn, compiled, request)
        s.trusted = _register(ids, s, accounts[2])
        s.revocations = RevocationList()
        yield World(conn, keys, ids, s, request, accounts[1], accounts[2], compiled)


def _claim_calldata(w: World, **overrides: object) -> object:
    kwargs: dict[str, object] = {
        "recipient": w.recipient, "group_commitment": w.s.holder.commitment,
        "trusted": w.s.trusted, "revocations": w.s.revocations, "keys": w.keys,
    }
    kwargs.update(overrides)
    return prove_for_soulbound(w.s.holder, w.s.credential, w.request, w.ids.soulbound, w.ids.credential_verifier, **kwargs)  # type: ignore[arg-type]


def _revert(error: str, call: object, *args: object, **kwargs: object) -> ContractRevertError:
    with pytest.raises(ContractRevertError) as info:
        call(*args, **kwargs)  # type: ignore[operator]
    assert info.value.error_name == error, str(info.value)
    return info.value


def test_01_presentation_mints_a_locked_token_and_joins_the_group(world: World) -> None:
    w = world
    calldata = _claim_calldata(w)
    # A front-runner replaying the proof to another recipient, or calling the verifier directly: refused.
    _revert("CredentialInvalidProof", w.ids.soulbound.claim, calldata, w.conn.w3.eth.accounts[3], w.s.holder.commitment)
    _revert("CredentialInvalidProof", w.ids.credential_verifier.verify_presentation, w.ids.request_id, calldata)
    token_id, receipt = w.ids.soulbound.claim(calldata, w.recipient, w.s.holder.commitment)
    print(f"\ngas SoulboundCredential.claim with a real proof: {receipt['gasUsed']:,}")
    assert receipt["gasUsed"] < 700_000
    assert w.ids.soulbound.owner_of(token_id) == w.recipient and w.ids.soulbound.locked(token_id)
    assert w.ids.soulbound.token_nullifier(token_id) == w.s.holder.nullifier(w.request.scope)
    assert w.ids.group.has_member(w.s.holder.commitment)
    assert w.ids.group.root() == LeanIMT([w.s.holder.commitment]).root
    _revert("SoulboundLocked", w.ids.soulbound.contract.transact, "transferFrom", w.recipient, w.controller, token_id,
            sender=w.recipient)


def test_02_second_proof_in_the_same_scope_is_rejected(world: World) -> None:
    w = world
    again = _claim_calldata(w, recipient=w.conn.w3.eth.accounts[4], group_commitment=0)
    _revert("SoulboundAlreadyClaimed", w.ids.soulbound.claim, again, w.conn.w3.eth.accounts[4], 0)
    caller = w.conn.w3.eth.accounts[0]
    direct = prove_for_verifier(w.s.holder, w.s.credential, w.request, w.ids.credential_verifier, w.ids.request_id,
                                caller=caller, trusted=w.s.trusted, revocations=w.s.revocations, keys=w.keys)
    _revert("CredentialNullifierUsed", w.ids.credential_verifier.verify_presentation, w.ids.request_id, direct)


def test_03_another_scope_is_fine(world: World) -> None:
    w = world
    request = PresentationRequest(SCHEMA, w.request.predicates, scope=4243)
    request_id, _ = w.ids.credential_verifier.register_request(
        CredentialRequest(query_hash=request.query_hash, scope=4243, max_age=MAX_AGE, revocation_grace=0))
    caller = w.conn.w3.eth.accounts[0]
    calldata = prove_for_verifier(w.s.holder, w.s.credential, request, w.ids.credential_verifier, request_id,
                                  caller=caller, trusted=w.s.trusted, revocations=w.s.revocations, keys=w.keys)
    receipt = w.ids.credential_verifier.verify_presentation(request_id, calldata)
    print(f"\ngas CredentialVerifier.verifyPresentation with a real proof: {receipt['gasUsed']:,}")
    assert w.ids.credential_verifier.is_nullifier_used(4243, w.s.holder.nullifier(4243))


def test_04_a_proof_is_not_accepted_by_another_verifier_contract_or_chain(world: World) -> None:
    w = world
    # A second stack on this chain (another CredentialVerifier address) with the same request.
    other = _deploy(w.conn, w.verifier_compiled, w.request)
    _register(other, w.s, w.controller)
    caller = w.conn.w3.eth.accounts[0]
    scope = w.request.scope
    calldata = prove_for_verifier(w.s.holder, w.s.credential, w.request, w.ids.credential_verifier, w.ids.request_id,
                                  caller=caller, trusted=w.s.trusted, revocations=w.s.revocations, keys=w.keys)
    _revert("CredentialInvalidProof", other.credential_verifier.verify_presentation, other.request_id, calldata)
    assert not other.credential_verifier.is_nullifier_used(scope, w.s.holder.nullifier(scope))
    # Another chain (another chain id), same deployer and nonces: the same contract addresses.
    with connect(chain_id=31338) as elsewhere:
        twin = _deploy(elsewhere, w.verifier_compiled, w.request)
        _register(twin, w.s, elsewhere.w3.eth.accounts[2])
        assert twin.credential_verifier.address == w.ids.credential_verifier.address
        fresh = prove_for_verifier(w.s.holder, w.s.credential, w.request, w.ids.credential_verifier, w.ids.request_id,
                                   caller=caller, trusted=w.s.trusted, revocations=w.s.revocations, keys=w.keys,
                                   timestamp=latest_timestamp(twin.credential_verifier))
        _revert("CredentialInvalidProof", twin.credential_verifier.verify_presentation, twin.request_id, fresh)


def test_05_wrong_issuer_and_predicate_false_are_rejected(world: World) -> None:
    w = world
    s = w.s
    # A credential from an issuer the registry does not trust: its local tree's root is unknown on chain.
    rogue_vc = s.rogue.issue(SCHEMA, s.other.commitment, CLAIMS, valid_from=1, valid_until=2**40, revocation_nonce=9)
    local = TrustedIssuers([s.rogue.public_key])
    calldata = prove_for_soulbound(s.other, rogue_vc, w.request, w.ids.soulbound, w.ids.credential_verifier,
                                   recipient=w.recipient, trusted=local, revocations=s.revocations, keys=w.keys)
    _revert("CredentialUntrustedIssuerRoot", w.ids.soulbound.claim, calldata, w.recipient, 0)
    # A proof of a weaker query (reputation >= 10): the contract inserts the registered query hash.
    weak = PresentationRequest(SCHEMA, (Predicate("role", "eq", "trainer"), Predicate("reputation", "gte", 10)), scope=4244)
    request_id, _ = w.ids.credential_verifier.register_request(
        CredentialRequest(query_hash=PresentationRequest(SCHEMA, (Predicate("reputation", "gte", 80),), 4244).query_hash,
                          scope=4244, max_age=MAX_AGE, revocation_grace=0))
    with pytest.raises(InputError, match="another query"):
        prove_for_verifier(s.holder, s.credential, weak, w.ids.credential_verifier, request_id, caller=w.recipient,
                           trusted=s.trusted, revocations=s.revocations, keys=w.keys)
    strong = PresentationRequest(SCHEMA, (Predicate("reputation", "gte", 80),), scope=4244)
    with pytest.raises(InputError, match="predicate reputation gte 80 is false"):
        prove_for_verifier(s.holder, s.credential, strong, w.ids.credential_verifier, request_id, caller=w.recipient,
                           trusted=s.trusted, revocations=s.revocations, keys=w.keys)


def test_06_tampered_signals_and_stale_proofs_are_rejected(world: World) -> None:
    w = world
    s = w.s
    request = PresentationRequest(SCHEMA, w.request.predicates, scope=4245)
    request_id, _ = w.ids.credential_verifier.register_request(
        CredentialRequest(query_hash=request.query_hash, scope=4245, max_age=MAX_AGE, revocation_grace=0))
    caller = w.conn.w3.eth.accounts[0]
    calldata = prove_for_verifier(s.holder, s.credential, request, w.ids.credential_verifier, request_id, caller=caller,
                                  trusted=s.trusted, revocations=s.revocations, keys=w.keys)
    verify = w.ids.credential_verifier.verify_presentation
    _revert("CredentialInvalidProof", verify, request_id, replace(calldata, disclosure_hash=calldata.disclosure_hash + 1))
    _revert("CredentialInvalidProof", verify, request_id, replace(calldata, timestamp=calldata.timestamp - 1))
    _revert("CredentialInvalidProof", verify, request_id, replace(calldata, nullifier=calldata.nullifier + 1))
    w.conn.w3.provider.make_request("evm_increaseTime", [MAX_AGE + 1])  # type: ignore[arg-type]
    w.conn.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    _revert("CredentialStaleTimestamp", verify, request_id, calldata)


def test_07_after_revocation_new_proofs_fail(world: World) -> None:
    w = world
    s = w.s
    request = PresentationRequest(SCHEMA, w.request.predicates, scope=4246)
    request_id, _ = w.ids.credential_verifier.register_request(
        CredentialRequest(query_hash=request.query_hash, scope=4246, max_age=MAX_AGE, revocation_grace=0))
    caller = w.conn.w3.eth.accounts[0]
    before = prove_for_verifier(s.holder, s.credential, request, w.ids.credential_verifier, request_id, caller=caller,
                                trusted=s.trusted, revocations=s.revocations, keys=w.keys)
    revoked = RevocationList()
    key = revoked.revoke(s.credential)
    w.ids.registry.revoke([key], revoked.root, sender=w.controller)
    assert w.ids.registry.revocation_root() == revoked.root
    _revert("CredentialRevocationRootRejected", w.ids.credential_verifier.verify_presentation, request_id, before)
    with pytest.raises(InputError, match="is revoked"):
        prove_for_verifier(s.holder, s.credential, request, w.ids.credential_verifier, request_id, caller=caller,
                           trusted=s.trusted, revocations=revoked, keys=w.keys)
    assert not w.ids.credential_verifier.is_nullifier_used(4246, s.holder.nullifier(4246))
