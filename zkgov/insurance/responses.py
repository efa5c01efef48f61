"""Requests, signed responses and the two parties that make them.

A claimant holds a secret; each of its requests carries a commitment ``Poseidon(secret, nonce,
query hash)`` that the provider sees instead of the claimant's identity, so only the claimant can
later claim the response (the commitment opens to its secret) and nobody can link two requests.
The provider answers with a prediction and a timestamp and signs, with its Baby Jubjub
EdDSA-Poseidon key (:class:`zkgov.identity.Identity`), ``Poseidon(service id, request commitment,
prediction, timestamp)``. The claimant checks every response when it arrives
(:meth:`Claimant.accept`): signature, service, request, and a timestamp near its own clock.

Example:
    >>> from zkgov.insurance.terms import query_hash
    >>> provider = Provider(Identity(bytes(32)))
    >>> alice = Claimant(12345)
    >>> request = alice.request(query_hash("ETH/USD 2025-01-01"), nonce=1)
    >>> response = provider.respond(7, request.commitment, prediction=3_000_000_000, timestamp=1_800_000_100)
    >>> record = alice.accept(request, response, provider.public_key, service_id=7, now=1_800_000_101)
    >>> record.response.verify(provider.public_key)
    True
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from zkgov.crypto.babyjub import Point
from zkgov.crypto.eddsa import Signature, verify_signature
from zkgov.crypto.hashing import field_hash
from zkgov.crypto.poseidon import FIELD_MODULUS, poseidon
from zkgov.errors import InputError
from zkgov.identity.identity import Identity
from zkgov.insurance.terms import MAX_TIMESTAMP, MAX_VALUE, SlaTerms, terms_hash
from zkgov.typing import Commitment, FieldElement, Nullifier

__all__ = [
    "CLAIMANT_DOMAIN",
    "MAX_CLOCK_SKEW",
    "Claimant",
    "Provider",
    "Request",
    "ResponseRecord",
    "SignedResponse",
    "response_message",
]

#: Domain tag of :meth:`Claimant.from_identity`'s derivation.
CLAIMANT_DOMAIN: Final = field_hash("zkgov/insurance/claimant/v1")
#: How far (seconds) a response's timestamp may be from the claimant's clock when it arrives.
MAX_CLOCK_SKEW: Final = 300


def _field(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < FIELD_MODULUS:
        raise InputError(f"{what}: expected a field element (an int, 0 <= x < r), got {value!r}")
    return value


def _uint(value: object, what: str, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise InputError(f"{what}: expected an int in [0, {high}], got {value!r}")
    return value


def response_message(service_id: int, request_commitment: int, prediction: int, timestamp: int) -> FieldElement:
    """What the provider signs: ``Poseidon(service id, request commitment, prediction, timestamp)``."""
    return FieldElement(poseidon([service_id, request_commitment, prediction, timestamp]))


@dataclass(frozen=True, slots=True)
class Request:
    """A claimant's request: what it asks (``query_hash``), its ``nonce`` (strictly increasing per
    claimant, below ``2**32``) and the ``commitment`` the provider sees."""

    nonce: int
    query_hash: int
    commitment: Commitment

    def to_json(self) -> dict[str, Any]:
        return {"nonce": self.nonce, "query_hash": str(self.query_hash), "commitment": str(self.commitment)}


@dataclass(frozen=True, slots=True)
class SignedResponse:
    """A provider's signed answer to a request commitment.

    Raises:
        InputError: at construction, a field is out of range.
    """

    service_id: int
    request_commitment: int
    prediction: int
    timestamp: int
    signature: Signature

    def __post_init__(self) -> None:
        _field(self.service_id, "SignedResponse: service_id")
        _field(self.request_commitment, "SignedResponse: request_commitment")
        _uint(self.prediction, "SignedResponse: prediction", MAX_VALUE)
        _uint(self.timestamp, "SignedResponse: timestamp", MAX_TIMESTAMP)
        if not isinstance(self.signature, Signature):
            raise InputError(f"SignedResponse: signature must be a Signature, got {type(self.signature).__name__}")

    @property
    def message(self) -> FieldElement:
        return response_message(self.service_id, self.request_commitment, self.prediction, self.timestamp)

    def verify(self, public_key: Point) -> bool:
        """Whether the signature is the provider's (``public_key``) over :attr:`message`."""
        return verify_signature(self.message, self.signature, public_key)

    def to_json(self) -> dict[str, Any]:
        return {"service_id": str(self.service_id), "request_commitment": str(self.request_commitment),
                "prediction": self.prediction, "timestamp": self.timestamp,
                "signature": "0x" + self.signature.pack().hex()}

    @classmethod
    def from_json(cls, data: object) -> SignedResponse:
        """Parse :meth:`to_json`'s object.

        Raises:
            InputError: a field is missing or malformed.
        """
        if not isinstance(data, Mapping):
            raise InputError(f"SignedResponse.from_json: expected an object, got {type(data).__name__}")
        try:
            raw = str(data["signature"])
            signature = Signature.unpack(bytes.fromhex(raw.removeprefix("0x")))
            return cls(int(data["service_id"]), int(data["request_commitment"]), int(data["prediction"]),
                       int(data["timestamp"]), signature)
        except (KeyError, ValueError, TypeError) as exc:
            raise InputError(f"SignedResponse.from_json: malformed response ({exc})") from None


@dataclass(frozen=True, slots=True)
class ResponseRecord:
    """A claimant's request with the provider's signed response: the evidence a claim is made of."""

    request: Request
    response: SignedResponse

    def to_json(self) -> dict[str, Any]:
        return {"request": self.request.to_json(), "response": self.response.to_json()}

    @classmethod
    def from_json(cls, data: object, claimant: Claimant) -> ResponseRecord:
        """Parse :meth:`to_json`'s object, recomputing the request's commitment with ``claimant``.

        Raises:
            InputError: malformed, or the response answers another commitment than the claimant's
                request.
        """
        if not isinstance(data, Mapping) or not isinstance(data.get("request"), Mapping):
            raise InputError("ResponseRecord.from_json: expected {\"request\": {...}, \"response\": {...}}")
        req = data["request"]
        try:
            request = claimant.request(int(req["query_hash"]), nonce=int(req["nonce"]))
        except (KeyError, ValueError, TypeError) as exc:
            raise InputError(f"ResponseRecord.from_json: malformed request ({exc})") from None
        response = SignedResponse.from_json(data.get("response"))
        if response.request_commitment != request.commitment:
            raise InputError(f"ResponseRecord.from_json: the response to nonce {request.nonce} answers another "
                             "request commitment (not this claimant's request)")
        return cls(request, response)


@dataclass(frozen=True, slots=True)
class Claimant:
    """The holder of a claim secret: makes request commitments and claim nullifiers.

    Attributes:
        secret: a field element; keep it secret (it is what claims are proven with).

    Raises:
        InputError: the secret is not a non-zero field element.
    """

    secret: int

    def __post_init__(self) -> None:
        if _field(self.secret, "Claimant: secret") == 0:
            raise InputError("Claimant: secret must not be 0")

    def __repr__(self) -> str:  # never print the secret
        return "Claimant(secret=<hidden>)"

    @classmethod
    def generate(cls) -> Claimant:
        """A claimant with a fresh secret from the operating system's randomness."""
        return cls(secrets.randbelow(FIELD_MODULUS - 1) + 1)

    @classmethod
    def from_identity(cls, identity: Identity) -> Claimant:
        """The claimant derived from a zkgov identity: ``Poseidon(identity secret, CLAIMANT_DOMAIN)``
        (why derived: the identity's secret itself never enters a claim, and its commitment is not
        linkable to the claimant's requests or nullifiers)."""
        return cls(poseidon([identity.secret_scalar, CLAIMANT_DOMAIN]))

    def request(self, query: int, *, nonce: int) -> Request:
        """The request for ``query`` (a query hash, :func:`query_hash`) with this ``nonce``.

        Raises:
            InputError: ``query`` is not a field element or ``nonce`` not below ``2**32``.
        """
        _field(query, "query")
        _uint(nonce, "nonce", MAX_TIMESTAMP)
        return Request(nonce, query, Commitment(poseidon([self.secret, nonce, query])))

    def nullifier(self, service_id: int, terms: SlaTerms) -> Nullifier:
        """The claim nullifier for an SLA: ``Poseidon(secret, termsHash)``; cover is bought for it."""
        return Nullifier(poseidon([self.secret, terms_hash(service_id, terms)]))

    def accept(
        self,
        request: Request,
        response: SignedResponse,
        provider_key: Point,
        *,
        service_id: int,
        now: int,
        max_skew: int = MAX_CLOCK_SKEW,
    ) -> ResponseRecord:
        """Check a response when it arrives and keep it as evidence.

        Why now: the circuit cannot tell when the provider answered, only what it signed; a client
        that refuses a wrong signature or a timestamp far from its own clock leaves the provider no
        way to sign itself out of an SLA window.

        Raises:
            InputError: the response is for another service or request, its signature is not the
                provider's, or its timestamp is more than ``max_skew`` seconds from ``now``.
        """
        if response.service_id != service_id:
            raise InputError(f"response: for service {response.service_id}, not {service_id}")
        if response.request_commitment != request.commitment:
            raise InputError(f"response: answers another request commitment than nonce {request.nonce}'s")
        if not response.verify(provider_key):
            raise InputError("response: the signature is not the provider's")
        if abs(response.timestamp - now) > max_skew:
            raise InputError(f"response: timestamp {response.timestamp} is {response.timestamp - now:+d} s from "
                             f"the local clock (at most {max_skew} s accepted)")
        return ResponseRecord(request, response)


class Provider:
    """An ML service provider's signing key (a zkgov :class:`Identity`'s Baby Jubjub key).

    Args:
        identity: the key pair; its public key is what :class:`ServiceRegistry` records.
    """

    __slots__ = ("identity",)

    def __init__(self, identity: Identity) -> None:
        if not isinstance(identity, Identity):
            raise InputError(f"Provider: identity must be an Identity, got {type(identity).__name__}")
        self.identity = identity

    def __repr__(self) -> str:
        return f"Provider(public_key=({self.public_key.x}, {self.public_key.y}))"

    @property
    def public_key(self) -> Point:
        return self.identity.public_key

    def respond(self, service_id: int, request_commitment: int, *, prediction: int, timestamp: int) -> SignedResponse:
        """Sign a prediction for a request commitment at ``timestamp`` (unix seconds).

        Raises:
            InputError: a value is out of range.
        """
        _field(service_id, "service_id")
        _field(request_commitment, "request_commitment")
        _uint(prediction, "prediction", MAX_VALUE)
        _uint(timestamp, "timestamp", MAX_TIMESTAMP)
        signature = self.identity.sign(response_message(service_id, request_commitment, prediction, timestamp))
        return SignedResponse(service_id, request_commitment, prediction, timestamp, signature)
