"""Anonymous licence proofs on anvil with real Groth16 proofs: the asset's owner, a registered
issuer, gives a licensee an MLAssetLicense credential; the licensee proves it holds a valid one for
asset X — not which licence, not who — and AssetAccess grants access only after CredentialVerifier
accepted the proof. One grant per holder and scope; every misuse refused."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from _contract_support import now, revert, warp_to

from zkgov.chain import ChainConnection, CompiledContract, compile_solidity, connect
from zkgov.errors import InputError
from zkgov.identity import Identity, Issuer, PresentationRequest, RevocationList, TrustedIssuers, presentation_keys
from zkgov.identity.chain import CredentialRequest
from zkgov.identity.presentation import disclosure_hash
from zkgov.rights._common import events
from zkgov.rights import (
    AssetKind,
    LicenseChecks,
    RightsContracts,
    access_binding,
    access_scope,
    compile_rights_contracts,
    deploy_license_checks,
    deploy_rights_contracts,
    issue_license_credential,
    license_request,
    revoke_license,
)
from zkgov.snark.setup import Groth16Keys
from zkgov.snark.solidity import export_solidity_verifier
from zkgov.typing import FieldElement

YEAR = 365 * 86_400


@dataclass
class World:
    conn: ChainConnection
    keys: Groth16Keys
    rights: RightsContracts
    checks: LicenseChecks
    owner: Issuer
    holder: Identity
    trusted: TrustedIssuers
    revocations: RevocationList
    asset_id: int
    other_asset: int
    scope: FieldElement
    request: PresentationRequest
    credential: object
    accounts: list[str]


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    keys = presentation_keys()
    source = export_solidity_verifier(keys.vk, contract_name="CredentialPresentationVerifier")
    verifier: CompiledContract = compile_solidity({"CredentialPresentationVerifier.sol": source})[
        "CredentialPresentationVerifier"]
    compiled = compile_rights_contracts()
    with connect() as conn:
        a = conn.accounts
        rights = deploy_rights_contracts(conn, compiled=compiled)
        checks = deploy_license_checks(conn, rights, verifier, compiled=compiled)
        owner_account = a[1]
        owner = Issuer(Identity(bytes([61]) * 32))
        checks.identity_registry.register_issuer(owner.did, owner.public_key.x, owner.public_key.y, owner_account)
        trusted = TrustedIssuers([owner.public_key])
        assert checks.identity_registry.trusted_issuer_root() == trusted.root
        shares = [(a[2], 5000), (a[3], 3000), (a[4], 2000)]
        asset_id, _ = rights.registry.register_asset(AssetKind.MODEL, bytes([1]) * 32, "ipfs://m", shares,
                                                     sender=owner_account)
        other_asset, _ = rights.registry.register_asset(AssetKind.DATASET, bytes([2]) * 32, "ipfs://d", shares,
                                                        sender=owner_account)
        holder = Identity(bytes([62]) * 32)
        expires = now(conn) + YEAR
        license_id, _ = rights.licenses.issue(asset_id, a[5], expires, bytes([3]) * 32, sender=owner_account)
        credential = issue_license_credential(
            owner, holder.commitment, chain_id=conn.chain_id, registry=rights.registry.address, asset_id=asset_id,
            license_id=license_id, tier=2, expires_at=expires, valid_from=now(conn), revocation_nonce=99)
        scope = access_scope(conn.chain_id, checks.access.address, asset_id)
        request = license_request(conn.chain_id, rights.registry.address, asset_id, scope=scope, min_tier=1)
        checks.access.open_access(asset_id, request, sender=owner_account)
        yield World(conn, keys, rights, checks, owner, holder, trusted, RevocationList(), asset_id, other_asset,
                    scope, request, credential, list(a))


def _prove(w: World, grantee: str, *, request: PresentationRequest | None = None, asset_id: int | None = None,
           credential: object = None) -> object:
    return w.checks.access.prove(
        w.holder, credential or w.credential, request or w.request, w.asset_id if asset_id is None else asset_id,  # type: ignore[arg-type]
        grantee, trusted=w.trusted, revocations=w.revocations, keys=w.keys)


def test_01_a_licence_proof_grants_access_and_reveals_nothing(world: World) -> None:
    w = world
    grantee, relayer = w.accounts[7], w.accounts[8]
    calldata = _prove(w, grantee)
    # Redirected to another grantee by a front-runner, or sent for another asset: refused.
    revert("CredentialInvalidProof", w.checks.access.request_access, w.asset_id, calldata, w.accounts[9], sender=relayer)
    revert("AccessNoRequest", w.checks.access.request_access, w.other_asset, calldata, grantee)
    assert not w.checks.access.has_access(w.asset_id, grantee)
    nullifier, receipt = w.checks.access.request_access(w.asset_id, calldata, grantee, sender=relayer)  # type: ignore[arg-type]
    print(f"\ngas AssetAccess.requestAccess with a real proof: {receipt['gasUsed']:,}")
    assert receipt["gasUsed"] < 500_000
    assert nullifier == w.holder.nullifier(w.scope)
    assert w.checks.access.has_access(w.asset_id, grantee)
    block_time = int(w.conn.w3.eth.get_block(receipt["blockNumber"])["timestamp"])
    assert w.checks.access.granted_at(w.asset_id, grantee) == block_time
    # What the chain learnt: the nullifier and the hash of no disclosed attribute — not the
    # licence id, the tier, the holder's commitment or the licensee's account.
    (verified,) = events(w.checks.verifier.contract, receipt, "PresentationVerified")
    assert verified["disclosureHash"] == disclosure_hash([0] * 8)
    (granted,) = events(w.checks.access.contract, receipt, "AccessGranted")
    assert set(granted) == {"assetId", "grantee", "nullifier", "requestId"}
    assert w.accounts[5] not in (relayer, grantee)  # the licence token's holder never appears
    assert access_binding(w.asset_id, grantee) == bytes(w.checks.access.contract.call("bindingFor", w.asset_id, grantee))


def test_02_a_second_use_in_the_same_scope_is_refused(world: World) -> None:
    w = world
    again = _prove(w, w.accounts[9])
    failed = revert("CredentialNullifierUsed", w.checks.access.request_access, w.asset_id, again, w.accounts[9])
    assert failed.args_by_name["nullifier"] == w.holder.nullifier(w.scope)
    assert not w.checks.access.has_access(w.asset_id, w.accounts[9])


def test_03_a_new_epoch_allows_a_new_grant(world: World) -> None:
    w = world
    owner = w.rights.registry.owner_of(w.asset_id)
    scope = access_scope(w.conn.chain_id, w.checks.access.address, w.asset_id, epoch=1)
    request = license_request(w.conn.chain_id, w.rights.registry.address, w.asset_id, scope=scope, min_tier=1)
    w.checks.access.open_access(w.asset_id, request, sender=owner)
    calldata = _prove(w, w.accounts[9], request=request)
    w.checks.access.request_access(w.asset_id, calldata, w.accounts[9])  # type: ignore[arg-type]
    assert w.checks.access.has_access(w.asset_id, w.accounts[9])
    w.request, w.scope = request, scope  # the asset's request from now on


def test_04_credentials_that_do_not_answer_are_refused(world: World) -> None:
    w = world
    owner = w.rights.registry.owner_of(w.asset_id)
    chain, registry = w.conn.chain_id, w.rights.registry.address
    # A licence for another asset cannot prove assetId == X.
    elsewhere = issue_license_credential(w.owner, w.holder.commitment, chain_id=chain, registry=registry,
                                         asset_id=w.other_asset, license_id=5, tier=2, expires_at=now(w.conn) + YEAR,
                                         valid_from=now(w.conn))
    with pytest.raises(InputError, match="assetId eq"):
        _prove(w, w.accounts[6], credential=elsewhere)
    # Nor one below the tier, nor one signed by an issuer the registry does not trust.
    low = issue_license_credential(w.owner, w.holder.commitment, chain_id=chain, registry=registry,
                                   asset_id=w.asset_id, license_id=6, tier=0, expires_at=now(w.conn) + YEAR,
                                   valid_from=now(w.conn))
    with pytest.raises(InputError, match="tier gte"):
        _prove(w, w.accounts[6], credential=low)
    rogue = Issuer(Identity(bytes([63]) * 32))
    forged = issue_license_credential(rogue, w.holder.commitment, chain_id=chain, registry=registry,
                                      asset_id=w.asset_id, license_id=7, tier=2, expires_at=now(w.conn) + YEAR,
                                      valid_from=now(w.conn))
    with pytest.raises(InputError, match="not in the trusted-issuer tree"):
        _prove(w, w.accounts[6], credential=forged)
    # The owner's request must ask for this asset of this registry.
    wrong = license_request(chain, registry, w.other_asset, scope=123)
    with pytest.raises(InputError, match="assetId == 1"):
        w.checks.access.open_access(w.asset_id, wrong, sender=owner)
    # An expired licence credential cannot be presented.
    short = issue_license_credential(w.owner, w.holder.commitment, chain_id=chain, registry=registry,
                                     asset_id=w.asset_id, license_id=8, tier=2, expires_at=now(w.conn) + 60,
                                     valid_from=now(w.conn))
    warp_to(w.conn, now(w.conn) + 61)
    with pytest.raises(InputError, match="expired"):
        _prove(w, w.accounts[6], credential=short)


def test_05_access_errors(world: World) -> None:
    w = world
    a = w.accounts
    access, owner = w.checks.access, w.rights.registry.owner_of(w.asset_id)
    revert("AccessNotAssetOwner", access.set_access_request, w.asset_id, access.access_request(w.asset_id), sender=a[9])
    # A request someone else registered (even with the right predicates) is refused.
    request = license_request(w.conn.chain_id, w.rights.registry.address, w.asset_id, scope=4242)
    foreign, _ = w.checks.verifier.register_request(
        CredentialRequest(request.query_hash, request.scope, 3600, 0), sender=a[9])
    rejected = revert("AccessRequestRejected", access.set_access_request, w.asset_id, foreign, sender=owner)
    assert rejected.args_by_name == {"requestId": foreign, "requestOwner": a[9], "active": True}
    own, _ = w.checks.verifier.register_request(CredentialRequest(request.query_hash, 4243, 3600, 0), sender=owner)
    w.checks.verifier.deactivate_request(own, sender=owner)
    revert("AccessRequestRejected", access.set_access_request, w.asset_id, own, sender=owner)
    revert("AccessRequestRejected", access.set_access_request, w.asset_id, 999, sender=owner)
    revert("AssetUnknown", access.set_access_request, 999, 1, sender=owner)
    # Both refused before any proof is looked at.
    empty = (0, 0, 0, 0, 0, [0, 0], [[0, 0], [0, 0]], [0, 0])
    revert("AccessZeroAddress", access.contract.call, "requestAccess", w.asset_id, empty, "0x" + "00" * 20)
    revert("AccessNoRequest", access.contract.call, "requestAccess", w.other_asset, empty, a[6])


def test_06_a_revoked_licence_no_longer_proves(world: World) -> None:
    w = world
    a, owner = w.accounts, w.rights.registry.owner_of(w.asset_id)
    other = Identity(bytes([64]) * 32)
    expires = now(w.conn) + YEAR
    license_id, _ = w.rights.licenses.issue(w.asset_id, a[6], expires, bytes([3]) * 32, sender=owner)
    credential = issue_license_credential(
        w.owner, other.commitment, chain_id=w.conn.chain_id, registry=w.rights.registry.address, asset_id=w.asset_id,
        license_id=license_id, tier=1, expires_at=expires, valid_from=now(w.conn), revocation_nonce=100)
    stale = w.checks.access.prove(other, credential, w.request, w.asset_id, a[6], trusted=w.trusted,
                                  revocations=w.revocations, keys=w.keys)
    # Only the asset's owner (the issuer's controller) can; the local tree is left as the chain's.
    root = w.revocations.root
    revert("LicenseNotAssetOwner", revoke_license, w.rights.licenses, w.checks.identity_registry, w.revocations,
           credential, sender=a[6])
    assert w.revocations.root == root == w.checks.identity_registry.revocation_root()
    token_receipt, registry_receipt = revoke_license(w.rights.licenses, w.checks.identity_registry, w.revocations,
                                                     credential, sender=owner)
    assert not w.rights.licenses.is_valid(license_id)
    assert w.checks.identity_registry.revocation_root() == w.revocations.root != 0
    print(f"\ngas revoke_license: token {token_receipt['gasUsed']:,}, credential {registry_receipt['gasUsed']:,}")
    revert("CredentialRevocationRootRejected", w.checks.access.request_access, w.asset_id, stale, a[6])
    with pytest.raises(InputError, match="is revoked"):
        w.checks.access.prove(other, credential, w.request, w.asset_id, a[6], trusted=w.trusted,
                              revocations=w.revocations, keys=w.keys)
    with pytest.raises(InputError, match="already revoked"):
        revoke_license(w.rights.licenses, w.checks.identity_registry, w.revocations, credential, sender=owner)
