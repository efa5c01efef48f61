"""Presentations for the identity contracts: the right context, challenge and timestamp.

A proof accepted by ``CredentialVerifier`` must carry

* ``context = contextFor(scope)`` — the circuit id, this chain and the verifier contract;
* ``challenge = challengeFor(requestId, caller, binding)`` — the account or contract that will
  call ``verifyPresentation`` and the data it binds (a ``SoulboundCredential`` binds the token's
  recipient and the commitment added to the group), so nobody else can use the proof;
* a ``timestamp`` no later than the block's and no older than the request's ``maxAge``.

Example:
    >>> calldata = prove_for_soulbound(me, credential, request, token, verifier, recipient=addr,
    ...                                group_commitment=me.commitment, trusted=t, revocations=r)  # doctest: +SKIP
    >>> token.claim(calldata, addr, me.commitment)                                               # doctest: +SKIP
"""

from __future__ import annotations

from zkgov.errors import InputError
from zkgov.identity.chain import (
    CredentialVerifierClient,
    PresentationCalldata,
    SoulboundCredentialClient,
    binding_for,
    challenge_for,
)
from zkgov.identity.credential import Credential
from zkgov.identity.identity import Identity
from zkgov.identity.issuer import RevocationList, TrustedIssuers
from zkgov.identity.presentation import present
from zkgov.identity.request import PresentationRequest
from zkgov.snark.setup import Groth16Keys

__all__ = ["prove_for_verifier", "prove_for_soulbound", "latest_timestamp"]


def latest_timestamp(verifier: CredentialVerifierClient) -> int:
    """The latest block's timestamp: a proof timestamp the contract accepts right away."""
    return int(verifier.contract.conn.w3.eth.get_block("latest")["timestamp"])


def prove_for_verifier(
    identity: Identity,
    credential: Credential,
    request: PresentationRequest,
    verifier: CredentialVerifierClient,
    request_id: int,
    *,
    caller: str,
    binding: bytes = bytes(32),
    trusted: TrustedIssuers,
    revocations: RevocationList,
    keys: Groth16Keys | None = None,
    timestamp: int | None = None,
) -> PresentationCalldata:
    """Prove ``request`` for ``verifyPresentation(request_id, ·, binding)`` sent by ``caller``.

    Raises:
        InputError: the registered request is not this one (another query hash or scope), or the
            presentation cannot be made (see :func:`~zkgov.identity.presentation_inputs`).
    """
    registered = verifier.request(request_id).request
    if (registered.query_hash, registered.scope) != (request.query_hash, request.scope):
        raise InputError(f"request {request_id} on chain asks for another query or scope than this request")
    challenge = challenge_for(request_id, caller, binding)
    presentation = present(
        identity,
        credential,
        request.with_challenge(challenge),
        trusted=trusted,
        revocations=revocations,
        keys=keys,
        timestamp=latest_timestamp(verifier) if timestamp is None else timestamp,
        context=verifier.context_for(request.scope),
    )
    return PresentationCalldata.from_proof(presentation.proof, presentation.statement.public_signals())


def prove_for_soulbound(
    identity: Identity,
    credential: Credential,
    request: PresentationRequest,
    token: SoulboundCredentialClient,
    verifier: CredentialVerifierClient,
    *,
    recipient: str,
    group_commitment: int = 0,
    trusted: TrustedIssuers,
    revocations: RevocationList,
    keys: Groth16Keys | None = None,
    timestamp: int | None = None,
) -> PresentationCalldata:
    """Prove ``request`` for ``token.claim(·, recipient, group_commitment)``."""
    return prove_for_verifier(
        identity,
        credential,
        request,
        verifier,
        token.request_id,
        caller=token.address,
        binding=binding_for(recipient, group_commitment),
        trusted=trusted,
        revocations=revocations,
        keys=keys,
        timestamp=timestamp,
    )
