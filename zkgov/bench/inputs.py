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


def _preimage(spec: CircuitSpec, rng: random.Random) -> dict[str, Any]:
    return {"secret": rng.randrange(1, R), "scope": rng.randrange(R)}


_BY_TEMPLATE: dict[str, Callable[[CircuitSpec, random.Random], dict[str, Any]]] = {
    "ScalePoseidon": _scale,
    "BitChain": _scale,
    "Membership": _membership,
    "Preimage": _preimage,
    "CredentialPresentation": _credential,
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
