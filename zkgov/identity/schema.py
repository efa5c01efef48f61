"""Credential schemas: named, ordered, typed attributes, and their encoding as field elements.

A schema fixes the order of a credential's attributes (the circuit sees them by position) and the
type of each, which decides how a value becomes a field element:

===========  ===================================  =================================================
type         Python / JSON value                  field element
===========  ===================================  =================================================
``string``   ``str``                              ``keccak256(utf8) >> 8`` (:func:`field_hash`)
``integer``  ``int``, 0 <= v < 2**64              ``v`` (comparable: lt, lte, gt, gte, between)
``boolean``  ``bool``                             ``0`` / ``1``
``date``     ISO-8601 date or datetime, or int    Unix seconds, UTC (comparable)
===========  ===================================  =================================================

The schema hash, ``field_hash`` of the schema's canonical JSON, is signed into every credential and
hashed into every request, so a credential of one schema never answers a request about another.

Example:
    >>> schema = CredentialSchema("MLRole", (Attribute("role", "string"), Attribute("reputation", "integer")))
    >>> schema.encode({"role": "trainer", "reputation": 72})[1]
    72
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final, Literal, cast, get_args

from zkgov.crypto.hashing import field_hash
from zkgov.errors import InputError

__all__ = [
    "MAX_ATTRIBUTES",
    "UINT64_MAX",
    "AttributeType",
    "Attribute",
    "CredentialSchema",
    "encode_value",
    "decode_date",
]

#: Attributes per credential: the presentation circuit's N_ATTRS.
MAX_ATTRIBUTES: Final = 8
#: The largest comparable value (integers and dates are range-checked to 64 bits in the circuit).
UINT64_MAX: Final = 2**64 - 1

AttributeType = Literal["string", "integer", "boolean", "date"]
_TYPES: Final = frozenset(get_args(AttributeType))
#: Types whose values are ordered numbers (the range predicates apply).
COMPARABLE: Final = frozenset({"integer", "date"})


def decode_date(value: object, what: str) -> int:
    """Unix seconds (UTC) from an ISO-8601 date/datetime string, a ``date``/``datetime`` or an int.

    Raises:
        InputError: not a date, before 1970, or beyond 64 bits.
    """
    if isinstance(value, bool):
        raise InputError(f"{what}: expected a date, got a bool")
    if isinstance(value, int):
        seconds = value
    elif isinstance(value, datetime):
        stamp = value if value.tzinfo else value.replace(tzinfo=UTC)
        seconds = int(stamp.timestamp())
    elif isinstance(value, date):
        seconds = int(datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp())
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise InputError(f"{what}: {value!r} is not an ISO-8601 date or datetime") from None
        return decode_date(parsed, what)
    else:
        raise InputError(f"{what}: expected an ISO-8601 date, a date or Unix seconds, got {type(value).__name__}")
    if not 0 <= seconds <= UINT64_MAX:
        raise InputError(f"{what}: {seconds} seconds is outside 0 .. 2**64 - 1")
    return seconds


def encode_value(kind: AttributeType, value: object, what: str) -> int:
    """One attribute value as the field element the circuit sees (see the module table).

    Raises:
        InputError: the value does not fit the type, naming ``what``.
    """
    if kind == "string":
        if not isinstance(value, str):
            raise InputError(f"{what}: expected a string, got {type(value).__name__} {value!r}")
        return field_hash(value)
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"{what}: expected an integer, got {type(value).__name__} {value!r}")
        if not 0 <= value <= UINT64_MAX:
            raise InputError(f"{what}: {value} is outside 0 .. 2**64 - 1")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise InputError(f"{what}: expected true or false, got {type(value).__name__} {value!r}")
        return int(value)
    return decode_date(value, what)


@dataclass(frozen=True, slots=True)
class Attribute:
    """One named, typed attribute of a schema."""

    name: str
    type: AttributeType

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise InputError(f"attribute name {self.name!r}: must be an identifier (letters, digits, _)")
        if self.type not in _TYPES:
            raise InputError(f"attribute {self.name!r}: type {self.type!r} is not one of {sorted(_TYPES)}")


@dataclass(frozen=True, slots=True)
class CredentialSchema:
    """A credential type: its name and ordered attributes (at most :data:`MAX_ATTRIBUTES`)."""

    name: str
    attributes: tuple[Attribute, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InputError("schema name: must be a non-empty string")
        attributes = tuple(self.attributes)
        object.__setattr__(self, "attributes", attributes)
        if not 1 <= len(attributes) <= MAX_ATTRIBUTES:
            raise InputError(f"schema {self.name!r}: {len(attributes)} attributes, expected 1 .. {MAX_ATTRIBUTES}")
        names = [a.name for a in attributes]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise InputError(f"schema {self.name!r}: duplicate attribute names {duplicates}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.attributes)

    def attribute(self, name: str) -> tuple[int, Attribute]:
        """The position and definition of attribute ``name``.

        Raises:
            InputError: the schema has no such attribute.
        """
        for i, attribute in enumerate(self.attributes):
            if attribute.name == name:
                return i, attribute
        raise InputError(f"schema {self.name!r} has no attribute {name!r} (it has {list(self.names)})")

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "attributes": [{"name": a.name, "type": a.type} for a in self.attributes]}

    @classmethod
    def from_json(cls, value: object) -> CredentialSchema:
        """Parse ``{"name": ..., "attributes": [{"name": ..., "type": ...}, ...]}``.

        Raises:
            InputError: the JSON does not have that shape.
        """
        if not isinstance(value, Mapping) or not isinstance(value.get("attributes"), list):
            raise InputError("schema: expected an object with 'name' and an 'attributes' list")
        attributes = []
        for i, item in enumerate(value["attributes"]):
            if not isinstance(item, Mapping) or set(item) != {"name", "type"}:
                raise InputError(f"schema attributes[{i}]: expected an object with exactly 'name' and 'type'")
            attributes.append(Attribute(item["name"], cast(AttributeType, item["type"])))
        return cls(value.get("name"), tuple(attributes))  # type: ignore[arg-type]

    @property
    def hash(self) -> int:
        """``field_hash`` of the canonical JSON (sorted keys, no spaces): signed and requested."""
        return field_hash(json.dumps(self.to_json(), sort_keys=True, separators=(",", ":")))

    def encode_one(self, name: str, value: object) -> int:
        """One attribute's value as a field element.

        Raises:
            InputError: unknown attribute, or a value of the wrong type.
        """
        _, attribute = self.attribute(name)
        return encode_value(attribute.type, value, f"attribute {name!r}")

    def encode(self, values: Mapping[str, object]) -> tuple[int, ...]:
        """All attribute values as field elements, padded with zeros to :data:`MAX_ATTRIBUTES`.

        Raises:
            InputError: a value is missing, unknown or of the wrong type (each named).
        """
        if not isinstance(values, Mapping):
            raise InputError(f"attributes: expected a mapping of name to value, got {type(values).__name__}")
        unknown = sorted(set(values) - set(self.names))
        if unknown:
            raise InputError(f"attributes: {unknown} are not in schema {self.name!r} ({list(self.names)})")
        missing = [n for n in self.names if n not in values]
        if missing:
            raise InputError(f"attributes: {missing} are missing (schema {self.name!r})")
        encoded = [encode_value(a.type, values[a.name], f"attribute {a.name!r}") for a in self.attributes]
        return tuple(encoded + [0] * (MAX_ATTRIBUTES - len(encoded)))
