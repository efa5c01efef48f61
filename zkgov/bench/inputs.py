"""Seeded circuit inputs for the benchmarked circuits, chosen by template.

Every benchmark proves a fresh, valid statement built from ``random.Random(seed)``, so two runs with
the same seed prove the same witness (the proofs still differ: Groth16 is randomised).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from zkgov.bench.records import BenchError
from zkgov.snark.circuit import CircuitSpec
from zkgov.snark.curve import R

__all__ = ["SUPPORTED_TEMPLATES", "bench_inputs"]


def _scale(spec: CircuitSpec, rng: random.Random) -> dict[str, Any]:
    # random field elements: a random-valued witness for ScalePoseidon, random bits for BitChain
    return {"seed": rng.randrange(1, R), "key": rng.randrange(1, R)}


def _membership(spec: CircuitSpec, rng: random.Random) -> dict[str, Any]:
    from zkgov.crypto.merkle import FixedMerkleTree
    from zkgov.voting.signal_board import Member, membership_inputs

    depth = spec.params[0]
    members = [Member(rng.randrange(1, R)) for _ in range(8)]
    tree = FixedMerkleTree(depth)
    for member in members:
        tree.insert(member.commitment)
    index = rng.randrange(len(members))
    inputs, _ = membership_inputs(
        members[index], tree, index,
        scope=rng.randrange(R), context=rng.randrange(R), signal_hash=rng.randrange(R),
    )
    return inputs


def _credential(spec: CircuitSpec, rng: random.Random) -> dict[str, Any]:
    # A trainer credential from the third of four trusted issuers, five other revocations, and a
    # request with an equality, a range and a reveal: every part of the circuit does real work.
    from zkgov.identity import (
        Attribute,
        CredentialSchema,
        Identity,
        Issuer,
        Predicate,
        PresentationRequest,
        RevocationList,
        TrustedIssuers,
        presentation_inputs,
    )

    schema = CredentialSchema(
        "MLCommunityRole", (Attribute("role", "string"), Attribute("reputation", "integer"), Attribute("verified", "boolean"))
    )
    issuers = [Issuer(Identity(rng.randbytes(32))) for _ in range(4)]
    holder = Identity(rng.randbytes(32))
    claims = {"role": "trainer", "reputation": 72, "verified": True}
    credential = issuers[2].issue(schema, holder.commitment, claims, valid_from=1, valid_until=2**40)
    revocations = RevocationList(rng.randrange(1, R) for _ in range(5))
    request = PresentationRequest(
        schema,
        (Predicate("role", "eq", "trainer"), Predicate("reputation", "gte", 50), Predicate("verified", "reveal")),
        scope=rng.randrange(R),
        challenge=rng.randrange(R),
    )
    inputs, _ = presentation_inputs(
        holder, credential, request, trusted=TrustedIssuers(i.public_key for i in issuers), revocations=revocations,
        timestamp=2**39, context=rng.randrange(R),
    )
    return inputs


def _voting_world(rng: random.Random) -> tuple[Any, Any, Any, Any]:
    from zkgov.crypto.merkle import LeanIMT
    from zkgov.identity import Identity
    from zkgov.voting.trustee import run_dkg

    voters = [Identity(rng.randbytes(32)) for _ in range(8)]
    keys, joint = run_dkg(3, 5, random.Random(rng.randrange(2**32)))
    return voters, LeanIMT(v.commitment for v in voters), keys, joint


def _ballot(spec: CircuitSpec, rng: random.Random) -> dict[str, Any]:
    # A ballot valid for the circuit's rule, from the third of eight members.
    from zkgov.crypto.merkle import LeanIMT
    from zkgov.voting.ballot import Rule, ballot_inputs, weights_leaf

    rule = next(r for r in Rule if r.code == spec.params[3])
    voters, group, _, joint = _voting_world(rng)
    votes = {Rule.SINGLE: [0, 1, 0, 0], Rule.APPROVAL: [1, 1, 0, 1], Rule.WEIGHTED: [3, 0, 4, 2],
             Rule.QUADRATIC: [2, 1, 0, 2], Rule.RANKED: [2, 4, 1, 3]}[rule]
    weights = LeanIMT(weights_leaf(v.commitment, 9) for v in voters)
    inputs, _, _ = ballot_inputs(
        voters[2], group, votes, rule=rule, proposal_id=rng.randrange(R), public_key=joint,
        context=rng.randrange(R), allowance=9, weights=weights,
        randomness=[rng.randrange(1, 2**250) for _ in votes],
    )
    return inputs


def _tally_world(rng: random.Random) -> tuple[Any, Any, Any]:
    from zkgov.crypto.elgamal import add_vectors, encrypt_vector
    from zkgov.voting.tally import MAX_BALLOTS, share_inputs

    _, _, keys, joint = _voting_world(rng)
    ballots = [encrypt_vector(joint, [int(j == rng.randrange(4)) for j in range(4)], rng=rng) for _ in range(MAX_BALLOTS)]
    aggregate = add_vectors(ballots)
    shares = [share_inputs(keys[i - 1], [1, 3, 5], aggregate, context=7) for i in (1, 3, 5)]
    return ballots, aggregate, shares


def _decrypt_share(spec: CircuitSpec, rng: random.Random) -> dict[str, Any]:
    _, _, shares = _tally_world(rng)
    return dict(shares[0][0])


def _tally(spec: CircuitSpec, rng: random.Random) -> dict[str, Any]:
    # A full ballot box: 32 one-hot ballots, decrypted with trustees 1, 3 and 5 of a 3-of-5 DKG.
    from zkgov.voting.tally import tally_inputs

    ballots, _, shares = _tally_world(rng)
    inputs, _ = tally_inputs(ballots, [s[2] for s in shares], context=rng.randrange(R))
    return inputs


def _preimage(spec: CircuitSpec, rng: random.Random) -> dict[str, Any]:
    return {"secret": rng.randrange(1, R), "scope": rng.randrange(R)}


_BY_TEMPLATE: dict[str, Callable[[CircuitSpec, random.Random], dict[str, Any]]] = {
    "ScalePoseidon": _scale,
    "BitChain": _scale,
    "Membership": _membership,
    "Preimage": _preimage,
    "CredentialPresentation": _credential,
    "Ballot": _ballot,
    "DecryptShare": _decrypt_share,
    "Tally": _tally,
}
#: Templates :func:`bench_inputs` knows how to feed.
SUPPORTED_TEMPLATES: tuple[str, ...] = tuple(_BY_TEMPLATE)


def bench_inputs(spec: CircuitSpec, seed: int = 0) -> dict[str, Any]:
    """Valid inputs for ``spec``, reproducible from ``seed``.

    Raises:
        BenchError: no input generator for the circuit's template (add one to ``_BY_TEMPLATE``).
    """
    make = _BY_TEMPLATE.get(spec.template)
    if make is None:
        raise BenchError(
            f"no benchmark inputs for circuit {spec.name} (template {spec.template}); "
            f"known templates: {', '.join(SUPPORTED_TEMPLATES)}"
        )
    # one stream per circuit and seed, so adding a circuit does not change the others' inputs
    return make(spec, random.Random(f"{seed}:{spec.name}"))
