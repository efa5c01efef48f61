"""Presentation requests: which schema, which predicates per attribute, and their query hash.

A verifier asks for predicates over a schema's attributes:

===========  ===========================  ===================================================
op           value                        holds when the holder's attribute ...
===========  ===========================  ===================================================
eq / ne      one value                    equals / differs from it
in / not_in  a list of 1..4 values        is / is not one of them
lt lte       a number (integer, date)     is <, <= it
gt gte       a number                     is >, >= it
between      ``[lo, hi]``                 satisfies lo <= attribute <= hi
reveal       (none)                       is disclosed to the verifier
===========  ===========================  ===================================================

One predicate per attribute (a revealed attribute needs no other). The circuit knows four
operations, so requests are normalised before hashing: eq/in → IN, ne/not_in → NOT_IN (sets padded
by repeating their first value), lt/lte/gt/gte/between → RANGE [lo, hi] over 64-bit numbers,
reveal → REVEAL. The query hash, one public input, is :func:`query_hash` of the schema hash and
every attribute's ``(op, operand_0..3)``: the circuit's ``PoseidonChain``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Final, Literal, get_args

from zkgov.crypto.poseidon import poseidon_chain
from zkgov.errors import InputError
from zkgov.identity.schema import COMPARABLE, MAX_ATTRIBUTES, UINT64_MAX, CredentialSchema, encode_value
from zkgov.snark.curve import R

__all__ = [
    "SET_SIZE",
    "PredicateOp",
    "CircuitOp",
    "Predicate",
    "PresentationRequest",
    "query_hash",
    "poseidon_chain",
]

#: Values per IN / NOT_IN set: the circuit's SET_SIZE.
SET_SIZE: Final = 4

PredicateOp = Literal["eq", "ne", "in", "not_in", "lt", "lte", "gt", "gte", "between", "reveal"]
_OPS: Final = frozenset(get_args(PredicateOp))
_RANGE_OPS: Final = frozenset({"lt", "lte", "gt", "gte", "between"})


class CircuitOp(IntEnum):
    """The circuit's per-attribute operations (``AttributePredicate``'s ``op``)."""

    NONE = 0
    IN = 1
    NOT_IN = 2
    RANGE = 3
    REVEAL = 4


@dataclass(frozen=True, slots=True)
class Predicate:
    """One attribute's condition: ``attribute op value``.

    ``value`` is a single value for eq/ne/lt/lte/gt/gte, a list for in/not_in, ``[lo, hi]`` for
    between, and ``None`` for reveal; values are given as the attribute's type (strings, ints,
    bools, ISO dates).
    """

    attribute: str
    op: PredicateOp
    value: object = None

    def __post_init__(self) -> None:
        if self.op not in _OPS:
            raise InputError(f"predicate on {self.attribute!r}: op {self.op!r} is not one of {sorted(_OPS)}")
        if isinstance(self.value, list):
            object.__setattr__(self, "value", tuple(self.value))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"attribute": self.attribute, "op": self.op}
        if self.op != "reveal":
            out["value"] = list(self.value) if isinstance(self.value, tuple) else self.value
        return out

    def circuit_form(self, schema: CredentialSchema) -> tuple[int, CircuitOp, tuple[int, ...]]:
        """``(attribute position, circuit op, SET_SIZE operands)`` for ``schema``.

        Raises:
            InputError: the attribute is unknown, the op does not apply to its type, or the value
                has the wrong shape or type (each named).
        """
        index, attribute = schema.attribute(self.attribute)
        what = f"predicate {self.attribute} {self.op}"
        if self.op == "reveal":
            if self.value is not None:
                raise InputError(f"{what}: reveal takes no value")
            return index, CircuitOp.REVEAL, (0,) * SET_SIZE
        if self.op in _RANGE_OPS:
            if attribute.type not in COMPARABLE:
                raise InputError(f"{what}: {self.op} needs an integer or date attribute, not {attribute.type}")
            lo, hi = self._range(attribute.type, what)
            if lo > hi:
                raise InputError(f"{what}: no {attribute.type} value can satisfy it (empty range {lo}..{hi})")
            return index, CircuitOp.RANGE, (lo, hi) + (0,) * (SET_SIZE - 2)
        if self.op in ("eq", "ne"):
            if isinstance(self.value, (tuple, list)):
                raise InputError(f"{what}: expected one value (use in / not_in for several)")
            values = [encode_value(attribute.type, self.value, f"{what} value")]
        else:
            if not isinstance(self.value, tuple) or not 1 <= len(self.value) <= SET_SIZE:
                raise InputError(f"{what}: expected a list of 1 .. {SET_SIZE} values")
            values = [encode_value(attribute.type, v, f"{what} value[{i}]") for i, v in enumerate(self.value)]
        padded = tuple(values + [values[0]] * (SET_SIZE - len(values)))
        op = CircuitOp.IN if self.op in ("eq", "in") else CircuitOp.NOT_IN
        return index, op, padded

    def _range(self, kind: str, what: str) -> tuple[int, int]:
        if self.op == "between":
            if not isinstance(self.value, tuple) or len(self.value) != 2:
                raise InputError(f"{what}: expected [lo, hi]")
            lo = encode_value(kind, self.value[0], f"{what} lo")  # type: ignore[arg-type]
            hi = encode_value(kind, self.value[1], f"{what} hi")  # type: ignore[arg-type]
            return lo, hi
        bound = encode_value(kind, self.value, f"{what} value")  # type: ignore[arg-type]
        return {
            "lt": (0, bound - 1),
            "lte": (0, bound),
            "gt": (bound + 1, UINT64_MAX),
            "gte": (bound, UINT64_MAX),
        }[self.op]

    def holds(self, schema: CredentialSchema, encoded_value: int) -> bool:
        """Whether an encoded attribute value satisfies the predicate (as the circuit decides)."""
        _, op, operands = self.circuit_form(schema)
        if op == CircuitOp.IN:
            return encoded_value in operands
        if op == CircuitOp.NOT_IN:
            return encoded_value not in operands
        if op == CircuitOp.RANGE:
            return operands[0] <= encoded_value <= operands[1]
        return True


@dataclass(frozen=True, slots=True)
class PresentationRequest:
    """What a verifier asks for.

    Attributes:
        schema: the credential schema the predicates refer to.
        predicates: at most one per attribute.
        scope: the nullifier scope (one presentation per identity and scope), a field element.
        challenge: the verifier's nonce (off chain) — on chain the contract derives it.
        max_age: how old (seconds) a presentation's timestamp may be when verified.
    """

    schema: CredentialSchema
    predicates: tuple[Predicate, ...]
    scope: int
    challenge: int = 0
    max_age: int = 3600

    def __post_init__(self) -> None:
        object.__setattr__(self, "predicates", tuple(self.predicates))
        for name in ("scope", "challenge"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < R:
                raise InputError(f"request {name}: expected a field element, got {value!r}")
        if isinstance(self.max_age, bool) or not isinstance(self.max_age, int) or self.max_age <= 0:
            raise InputError(f"request max_age: expected a positive number of seconds, got {self.max_age!r}")
        seen: set[str] = set()
        for predicate in self.predicates:
            if predicate.attribute in seen:
                raise InputError(f"request: two predicates on {predicate.attribute!r} (one per attribute)")
            seen.add(predicate.attribute)
            predicate.circuit_form(self.schema)  # validates against the schema

    def circuit_query(self) -> tuple[list[int], list[list[int]]]:
        """``(op, operands)`` per attribute position, padded to eight (the circuit's private query)."""
        ops = [int(CircuitOp.NONE)] * MAX_ATTRIBUTES
        operands = [[0] * SET_SIZE for _ in range(MAX_ATTRIBUTES)]
        for predicate in self.predicates:
            index, op, values = predicate.circuit_form(self.schema)
            ops[index] = int(op)
            operands[index] = list(values)
        return ops, operands

    @property
    def query_hash(self) -> int:
        ops, operands = self.circuit_query()
        return query_hash(self.schema.hash, ops, operands)

    @property
    def revealed(self) -> tuple[str, ...]:
        """The attributes this request discloses, in schema order."""
        names = {p.attribute for p in self.predicates if p.op == "reveal"}
        return tuple(n for n in self.schema.names if n in names)

    def with_challenge(self, challenge: int) -> PresentationRequest:
        return PresentationRequest(self.schema, self.predicates, self.scope, challenge, self.max_age)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "ZkgovPresentationRequest",
            "schema": self.schema.to_json(),
            "predicates": [p.to_json() for p in self.predicates],
            "scope": str(self.scope),
            "challenge": str(self.challenge),
            "maxAge": self.max_age,
            "queryHash": str(self.query_hash),
        }

    @classmethod
    def from_json(cls, value: object) -> PresentationRequest:
        """Parse a request; a ``queryHash`` field, if present, must match the predicates.

        Raises:
            InputError: a field is missing or malformed, or queryHash does not match.
        """
        if not isinstance(value, Mapping):
            raise InputError(f"request: expected a JSON object, got {type(value).__name__}")
        try:
            predicates = []
            for i, p in enumerate(value["predicates"]):
                if not isinstance(p, Mapping) or not {"attribute", "op"} <= set(p) <= {"attribute", "op", "value"}:
                    raise InputError(f"request predicates[{i}]: expected attribute, op and (unless reveal) value")
                predicates.append(Predicate(p["attribute"], p["op"], p.get("value")))
            request = cls(
                schema=CredentialSchema.from_json(value["schema"]),
                predicates=tuple(predicates),
                scope=_int(value["scope"], "scope"),
                challenge=_int(value.get("challenge", 0), "challenge"),
                max_age=int(value.get("maxAge", 3600)),
            )
        except KeyError as exc:
            raise InputError(f"request: missing field {exc.args[0]!r}") from None
        if "queryHash" in value and _int(value["queryHash"], "queryHash") != request.query_hash:
            raise InputError("request queryHash: does not match the schema and predicates")
        return request

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2)


def query_hash(schema_hash: int, ops: Sequence[int], operands: Sequence[Sequence[int]]) -> int:
    """The circuit's ``queryHash``: ``poseidon_chain([schema_hash, op_0, operands_0..., op_1, ...])``."""
    elements = [schema_hash]
    for op, values in zip(ops, operands, strict=True):
        elements.append(op)
        elements.extend(values)
    return poseidon_chain(elements)


def _int(value: object, what: str) -> int:
    if isinstance(value, bool):
        raise InputError(f"request {what}: expected an integer or a decimal string, got a bool")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise InputError(f"request {what}: expected an integer or a decimal string, got {value!r}")
