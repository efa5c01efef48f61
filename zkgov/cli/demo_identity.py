"""The identity part of ``zkgov demo``: a credential, an anonymous presentation on chain, a soulbound
token, a refused second presentation and a revocation.

An issuer registered in ``IdentityRegistry`` issues a "trainer" credential with reputation 72; the
holder proves ``role = trainer ∧ reputation ≥ 50`` without revealing who they are, receives a
``SoulboundCredential`` and joins the ``IdentityGroup`` voting uses; a second proof in the same
scope is refused; after the issuer revokes the credential, a proof against the old revocation root
is refused on chain and a new one cannot be made.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from zkgov.chain.node import ChainConnection
from zkgov.chain.solc import compile_solidity
from zkgov.crypto.hashing import field_hash
from zkgov.crypto.merkle import LeanIMT
from zkgov.errors import ContractRevertError, InputError, ZkgovError
from zkgov.identity import (
    Attribute,
    CredentialSchema,
    Identity,
    Issuer,
    Predicate,
    PresentationRequest,
    RevocationList,
    TrustedIssuers,
    presentation_circuit,
    presentation_keys,
)
from zkgov.identity.chain import CredentialRequest, deploy_identity_contracts
from zkgov.identity.onchain import prove_for_soulbound, prove_for_verifier
from zkgov.snark.solidity import export_solidity_verifier

__all__ = ["run_identity_demo", "expect_revert"]

Step = Callable[[str, str], AbstractContextManager[None]]
SCHEMA = CredentialSchema("MLCommunityRole", (Attribute("role", "string"), Attribute("reputation", "integer")))
YEAR = 365 * 24 * 3600


def run_identity_demo(conn: ChainConnection, step: Step, echo: Callable[[str], None]) -> dict[str, Any]:
    """Run the identity scenario on ``conn``; returns its figures (gas, rejections, counts).

    Raises:
        ZkgovError: a step did not behave as it must (an expected rejection did not happen, a
            root differs between Python and the contract).
    """
    with step("identity_setup", "credential-presentation circuit: compile and Groth16 setup (cached)"):
        circuit = presentation_circuit()
        keys = presentation_keys()
    echo(f"  {circuit.n_constraints} constraints, {circuit.n_public} public signals")

    accounts: list[str] = list(conn.w3.eth.accounts)
    controller, recipient, other = accounts[1], accounts[2], accounts[3]
    badge = PresentationRequest(
        SCHEMA, (Predicate("role", "eq", "trainer"), Predicate("reputation", "gte", 50)),
        scope=field_hash("zkgov demo: trainer badge"),
    )
    with step("identity_deploy", "deploying IdentityRegistry, CredentialVerifier, IdentityGroup, SoulboundCredential"):
        source = export_solidity_verifier(keys.vk, contract_name="CredentialPresentationVerifier")
        compiled = compile_solidity({"CredentialPresentationVerifier.sol": source})["CredentialPresentationVerifier"]
        ids = deploy_identity_contracts(
            conn, compiled, CredentialRequest(badge.query_hash, badge.scope, max_age=3600, revocation_grace=0),
            name="zkgov trainer badge", symbol="TRAINER",
        )

    issuer = Issuer(Identity.generate())
    trusted = TrustedIssuers([issuer.public_key])
    ids.registry.register_issuer(issuer.did, issuer.public_key.x, issuer.public_key.y, controller)
    if ids.registry.trusted_issuer_root() != trusted.root:
        raise ZkgovError("trusted-issuer root differs between Python and IdentityRegistry")
    echo(f"• issuer {issuer.did[:30]}… registered; trusted-issuer root {trusted.root}")

    holder = Identity.generate()
    now = int(time.time())
    credential = issuer.issue(
        SCHEMA, holder.commitment, {"role": "trainer", "reputation": 72}, valid_from=now, valid_until=now + YEAR
    )
    revocations = RevocationList()
    echo(f"• credential {credential.id} issued: role=trainer, reputation=72, bound to commitment {holder.commitment}")

    with step("identity_prove", "holder proves role = trainer ∧ reputation ≥ 50 (witness + proof)"):
        calldata = prove_for_soulbound(
            holder, credential, badge, ids.soulbound, ids.credential_verifier, recipient=recipient,
            group_commitment=holder.commitment, trusted=trusted, revocations=revocations, keys=keys,
        )
    with step("identity_claim", "claiming the soulbound credential on chain (proof verified by the contract)"):
        token_id, receipt = ids.soulbound.claim(calldata, recipient, holder.commitment)
    claim_gas = int(receipt["gasUsed"])
    if not (ids.soulbound.locked(token_id) and ids.group.root() == LeanIMT([holder.commitment]).root):
        raise ZkgovError("the token is not locked or the group root differs from Python's")
    echo(f"• SBT #{token_id} minted to {recipient} (locked); commitment added to the voting group")
    transfer = expect_revert(
        lambda: ids.soulbound.contract.transact("transferFrom", recipient, other, token_id, sender=recipient),
        "SoulboundLocked",
    )

    second = prove_for_soulbound(
        holder, credential, badge, ids.soulbound, ids.credential_verifier, recipient=other,
        trusted=trusted, revocations=revocations, keys=keys,
    )
    double = expect_revert(lambda: ids.soulbound.claim(second, other, 0), "SoulboundAlreadyClaimed")
    echo(f"• a second proof in the same scope: rejected ({double}); a transfer: rejected ({transfer})")

    access = PresentationRequest(SCHEMA, badge.predicates, scope=field_hash("zkgov demo: model access"))
    access_id, _ = ids.credential_verifier.register_request(
        CredentialRequest(access.query_hash, access.scope, max_age=3600, revocation_grace=0)
    )
    stale = prove_for_verifier(
        holder, credential, access, ids.credential_verifier, access_id, caller=accounts[0],
        trusted=trusted, revocations=revocations, keys=keys,
    )
    key = revocations.revoke(credential)
    ids.registry.revoke([key], revocations.root, sender=controller)
    echo(f"• issuer revoked the credential; revocation root {revocations.root}")
    revoked = expect_revert(
        lambda: ids.credential_verifier.verify_presentation(access_id, stale), "CredentialRevocationRootRejected"
    )
    try:
        prove_for_verifier(
            holder, credential, access, ids.credential_verifier, access_id, caller=accounts[0],
            trusted=trusted, revocations=revocations, keys=keys,
        )
    except InputError as exc:
        refused = str(exc)
    else:
        raise ZkgovError("a revoked credential could still be presented")
    echo(f"• after revocation: a proof against the old root rejected ({revoked}); a new proof refused ({refused})")

    return {
        "circuit": circuit.spec.name,
        "constraints": circuit.n_constraints,
        "gas": {"claim_tx": claim_gas},
        "token": token_id,
        "rejected": {"second_proof_same_scope": double, "transfer": transfer, "after_revocation": revoked},
    }


def expect_revert(action: Callable[[], object], error: str) -> str:
    """Run ``action``; return ``error`` when it reverts with that custom error, else raise ZkgovError."""
    try:
        action()
    except ContractRevertError as exc:
        if exc.error_name != error:
            raise ZkgovError(f"expected the revert {error}, got {exc.error_name}: {exc}") from exc
        return error
    raise ZkgovError(f"expected the revert {error}, but the transaction succeeded")
