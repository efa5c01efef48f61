"""Schemas, attribute encoding, predicates and the query hash (Python side of the circuit)."""

from __future__ import annotations

import pytest

from zkgov.crypto.hashing import field_hash
from zkgov.crypto.poseidon import poseidon
from zkgov.errors import InputError
from zkgov.identity import Attribute, CircuitOp, CredentialSchema, Predicate, PresentationRequest
from zkgov.identity.request import SET_SIZE, poseidon_chain, query_hash
from zkgov.identity.schema import UINT64_MAX

SCHEMA = CredentialSchema(
    "MLRole",
    (
        Attribute("role", "string"),
        Attribute("reputation", "integer"),
        Attribute("verified", "boolean"),
        Attribute("member_since", "date"),
    ),
)


def test_schema_encodes_each_type_and_pads_to_eight() -> None:
    encoded = SCHEMA.encode({"role": "trainer", "reputation": 72, "verified": True, "member_since": "2024-01-01"})
    assert encoded == (field_hash("trainer"), 72, 1, 1704067200, 0, 0, 0, 0)


def test_schema_hash_is_canonical_and_round_trips() -> None:
    again = CredentialSchema.from_json(SCHEMA.to_json())
    assert again == SCHEMA and again.hash == SCHEMA.hash
    other = CredentialSchema("MLRole", (Attribute("role", "string"), Attribute("reputation", "integer")))
    assert other.hash != SCHEMA.hash


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"role": "trainer", "reputation": 72, "verified": True}, "missing"),
        ({"role": 5, "reputation": 72, "verified": True, "member_since": 0}, "expected a string"),
        ({"role": "x", "reputation": 2**64, "verified": True, "member_since": 0}, "outside 0 .. 2\\*\\*64"),
        ({"role": "x", "reputation": True, "verified": True, "member_since": 0}, "expected an integer"),
        ({"role": "x", "reputation": 1, "verified": 1, "member_since": 0}, "expected true or false"),
        ({"role": "x", "reputation": 1, "verified": True, "member_since": "yesterday"}, "not an ISO-8601"),
        ({"role": "x", "reputation": 1, "verified": True, "member_since": 0, "extra": 1}, "not in schema"),
    ],
)
def test_schema_rejects_bad_values_by_name(values: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        SCHEMA.encode(values)


def test_schema_rejects_bad_definitions() -> None:
    with pytest.raises(InputError, match="duplicate"):
        CredentialSchema("S", (Attribute("a", "string"), Attribute("a", "integer")))
    with pytest.raises(InputError, match="expected 1 .. 8"):
        CredentialSchema("S", tuple(Attribute(f"a{i}", "integer") for i in range(9)))
    with pytest.raises(InputError, match="not one of"):
        Attribute("a", "float")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="identifier"):
        Attribute("a b", "string")


@pytest.mark.parametrize(
    ("predicate", "op", "operands"),
    [
        (Predicate("role", "eq", "trainer"), CircuitOp.IN, (field_hash("trainer"),) * SET_SIZE),
        (Predicate("role", "ne", "auditor"), CircuitOp.NOT_IN, (field_hash("auditor"),) * SET_SIZE),
        (
            Predicate("role", "in", ["trainer", "server"]),
            CircuitOp.IN,
            (field_hash("trainer"), field_hash("server"), field_hash("trainer"), field_hash("trainer")),
        ),
        (Predicate("reputation", "lt", 50), CircuitOp.RANGE, (0, 49, 0, 0)),
        (Predicate("reputation", "lte", 50), CircuitOp.RANGE, (0, 50, 0, 0)),
        (Predicate("reputation", "gt", 50), CircuitOp.RANGE, (51, UINT64_MAX, 0, 0)),
        (Predicate("reputation", "gte", 50), CircuitOp.RANGE, (50, UINT64_MAX, 0, 0)),
        (Predicate("reputation", "between", [10, 20]), CircuitOp.RANGE, (10, 20, 0, 0)),
        (Predicate("member_since", "lt", "2025-01-01"), CircuitOp.RANGE, (0, 1735689599, 0, 0)),
        (Predicate("verified", "eq", True), CircuitOp.IN, (1, 1, 1, 1)),
        (Predicate("role", "reveal"), CircuitOp.REVEAL, (0, 0, 0, 0)),
    ],
)
def test_predicates_normalise_to_circuit_ops(predicate: Predicate, op: CircuitOp, operands: tuple[int, ...]) -> None:
    index, got_op, got_operands = predicate.circuit_form(SCHEMA)
    assert (got_op, got_operands) == (op, operands)
    assert index == SCHEMA.attribute(predicate.attribute)[0]


@pytest.mark.parametrize(
    ("predicate", "message"),
    [
        (Predicate("role", "gte", "x"), "needs an integer or date"),
        (Predicate("reputation", "lt", 0), "empty range"),
        (Predicate("reputation", "gt", UINT64_MAX), "empty range"),
        (Predicate("reputation", "between", [5, 4]), "empty range"),
        (Predicate("role", "in", []), "list of 1 .. 4"),
        (Predicate("role", "in", ["a", "b", "c", "d", "e"]), "list of 1 .. 4"),
        (Predicate("role", "eq", ["a"]), "expected one value"),
        (Predicate("role", "reveal", "x"), "takes no value"),
        (Predicate("nope", "eq", 1), "no attribute 'nope'"),
    ],
)
def test_predicates_reject_what_cannot_be_proven(predicate: Predicate, message: str) -> None:
    with pytest.raises(InputError, match=message):
        predicate.circuit_form(SCHEMA)


def test_unknown_op_is_named() -> None:
    with pytest.raises(InputError, match="'approx' is not one of"):
        Predicate("role", "approx", 1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("predicate", "value", "holds"),
    [
        (Predicate("reputation", "gte", 50), 50, True),
        (Predicate("reputation", "gte", 50), 49, False),
        (Predicate("reputation", "lt", 50), 49, True),
        (Predicate("reputation", "lt", 50), 50, False),
        (Predicate("reputation", "between", [10, 20]), 20, True),
        (Predicate("reputation", "between", [10, 20]), 21, False),
        (Predicate("role", "eq", "trainer"), field_hash("trainer"), True),
        (Predicate("role", "ne", "trainer"), field_hash("trainer"), False),
        (Predicate("role", "not_in", ["a", "b"]), field_hash("c"), True),
    ],
)
def test_predicate_holds_at_the_boundaries(predicate: Predicate, value: int, holds: bool) -> None:
    assert predicate.holds(SCHEMA, value) is holds


def test_request_rejects_two_predicates_on_one_attribute() -> None:
    with pytest.raises(InputError, match="two predicates on 'reputation'"):
        PresentationRequest(SCHEMA, (Predicate("reputation", "gte", 1), Predicate("reputation", "lte", 9)), scope=1)


def test_request_json_round_trip_and_tamper_check() -> None:
    request = PresentationRequest(
        SCHEMA, (Predicate("role", "eq", "trainer"), Predicate("reputation", "gte", 50), Predicate("verified", "reveal")), 7, 99
    )
    data = request.to_json()
    assert PresentationRequest.from_json(data) == request
    data["predicates"][1]["value"] = 40
    with pytest.raises(InputError, match="queryHash: does not match"):
        PresentationRequest.from_json(data)
    assert request.revealed == ("verified",)


def test_query_hash_is_the_chained_poseidon_of_schema_and_operations() -> None:
    request = PresentationRequest(SCHEMA, (Predicate("reputation", "gte", 50),), scope=1)
    ops, operands = request.circuit_query()
    assert ops == [0, 3, 0, 0, 0, 0, 0, 0]
    elements = [SCHEMA.hash]
    for op, values in zip(ops, operands, strict=True):
        elements += [op, *values]
    assert len(elements) == 41
    first = poseidon(elements[:16])
    second = poseidon([first, *elements[16:31]])
    assert request.query_hash == query_hash(SCHEMA.hash, ops, operands) == poseidon([second, *elements[31:]])
    assert poseidon_chain([1, 2]) == poseidon([1, 2])
