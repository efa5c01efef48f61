"""SLA terms and the labelled set that gives the ground truth.

An SLA promises that, per claimant and time window, fewer than ``threshold`` of the service's
responses miss the ground truth by more than ``tolerance``; a claim that proves ``threshold`` such
responses is paid ``payout`` (capped by the claimant's cover) and slashes it from the provider's
stake. Predictions and truths are unsigned 64-bit integers, fixed point at a scale the service
documents (``to_fixed``); timestamps are unix seconds below ``2**32``.

Ground truth comes from a labelled set committed on chain, not from a truth oracle's signatures.
Why: the set is one LeanIMT of ``Poseidon(query hash, truth)`` leaves whose root is part of the
SLA, and a depth-10 membership proof with its leaf hash costs the claim circuit ~2,700 constraints
per response where an oracle's EdDSA-Poseidon signature would cost ~4,500 (circomlib's verifier is
4,217 at ``--O2``, plus the message hash). That keeps 32 responses under ``2**18`` constraints
(254,017; with oracle signatures it would be ~310k, a ``2**19`` ceremony). The set holds at most
``2**TRUTH_DEPTH`` = 1,024 labelled queries per SLA. An oracle that labels queries over time fits
the same circuit by publishing its set's root instead of signing each label.

``terms_hash`` is the claim circuit's public ``termsHash`` and ``ServiceRegistry.hashTerms``.

Example:
    >>> truths = LabelledSet({query_hash("ETH/USD 2025-01-01"): to_fixed("3350.25")})
    >>> terms = SlaTerms(tolerance=to_fixed("5"), threshold=3, window_start=1_800_000_000,
    ...                  window_end=1_800_086_400, truth_root=truths.root, payout=10**17)
    >>> terms.hash(service_id=7) == terms_hash(7, terms)
    True
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

from zkgov.crypto.hashing import field_hash
from zkgov.crypto.merkle import LeanIMT
from zkgov.crypto.poseidon import FIELD_MODULUS, poseidon
from zkgov.errors import InputError
from zkgov.typing import FieldElement, MerkleRoot

__all__ = [
    "DECIMALS",
    "MAX_THRESHOLD",
    "MAX_TIMESTAMP",
    "MAX_VALUE",
    "TRUTH_DEPTH",
    "LabelledSet",
    "SlaTerms",
    "query_hash",
    "terms_hash",
    "to_fixed",
    "truth_leaf",
]

#: The claim circuits' labelled-set LeanIMT depth: at most 2**10 labelled queries per SLA.
TRUTH_DEPTH: Final = 10
#: The largest violation threshold (the biggest claim circuit's batch; ``ServiceRegistry.MAX_THRESHOLD``).
MAX_THRESHOLD: Final = 32
#: Predictions, truths and tolerances are below 2**64.
MAX_VALUE: Final = 2**64 - 1
#: Timestamps, window bounds and nonces are below 2**32 (32-bit in the circuit).
MAX_TIMESTAMP: Final = 2**32 - 1
#: Default fixed-point decimals of :func:`to_fixed`.
DECIMALS: Final = 6


def _uint(value: object, what: str, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise InputError(f"{what}: expected an int in [0, {high}], got {value!r}")
    return value


def to_fixed(value: str | int | Decimal, decimals: int = DECIMALS) -> int:
    """``value`` as an unsigned fixed-point integer with ``decimals`` decimals (exact, no float).

    Raises:
        InputError: the value is negative, not a number, has more decimals than ``decimals`` or
            does not fit 64 bits.

    Example:
        >>> to_fixed("3350.25")
        3350250000
    """
    try:
        number = Decimal(value) if not isinstance(value, Decimal) else value
    except (InvalidOperation, TypeError, ValueError):
        raise InputError(f"to_fixed: {value!r} is not a decimal number") from None
    scaled = number.scaleb(decimals)
    if scaled != scaled.to_integral_value():
        raise InputError(f"to_fixed: {value!r} has more than {decimals} decimals")
    return _uint(int(scaled), f"to_fixed({value!r})", MAX_VALUE)


def query_hash(query: str | bytes) -> FieldElement:
    """A query (its canonical text or bytes) as a field element: ``keccak256(query) >> 8``."""
    return FieldElement(field_hash(query))


def truth_leaf(query: int, truth: int) -> FieldElement:
    """A labelled query's leaf in the truth set: ``Poseidon(query hash, truth)``."""
    return FieldElement(poseidon([query, _uint(truth, "truth", MAX_VALUE)]))


@dataclass(frozen=True, slots=True)
class SlaTerms:
    """What an SLA promises, as ``ServiceRegistry.SlaTerms``.

    Attributes:
        tolerance: a response violates the SLA when ``|prediction - truth| > tolerance``.
        threshold: a claim shows at least this many violations, 1..:data:`MAX_THRESHOLD`.
        window_start: the first second (unix) a response counts, inclusive.
        window_end: the last second a response counts, inclusive.
        truth_root: the labelled set's LeanIMT root.
        payout: wei per verified claim.

    Raises:
        InputError: at construction, a field is out of range (the message names it).
    """

    tolerance: int
    threshold: int
    window_start: int
    window_end: int
    truth_root: int
    payout: int

    def __post_init__(self) -> None:
        _uint(self.tolerance, "SlaTerms: tolerance", MAX_VALUE)
        _uint(self.threshold, "SlaTerms: threshold", MAX_THRESHOLD)
        if self.threshold == 0:
            raise InputError("SlaTerms: threshold must be at least 1 (0 would let an empty batch claim)")
        _uint(self.window_start, "SlaTerms: window_start", MAX_TIMESTAMP)
        _uint(self.window_end, "SlaTerms: window_end", MAX_TIMESTAMP)
        if self.window_start >= self.window_end:
            raise InputError(f"SlaTerms: window_start {self.window_start} must be before window_end {self.window_end}")
        if not 0 < _uint(self.truth_root, "SlaTerms: truth_root", FIELD_MODULUS - 1):
            raise InputError("SlaTerms: truth_root must be a non-empty set's root (not 0)")
        if not 0 < _uint(self.payout, "SlaTerms: payout", 2**256 - 1):
            raise InputError("SlaTerms: payout must be at least 1 wei")

    def hash(self, service_id: int) -> FieldElement:
        """:func:`terms_hash` of these terms for ``service_id``."""
        return terms_hash(service_id, self)

    def covers(self, timestamp: int) -> bool:
        """Whether ``timestamp`` is inside the window (both ends included)."""
        return self.window_start <= timestamp <= self.window_end

    def violated_by(self, prediction: int, truth: int) -> bool:
        """Whether a response of ``prediction`` for ``truth`` is off by more than the tolerance."""
        return abs(prediction - truth) > self.tolerance

    def to_abi(self) -> tuple[int, int, int, int, int, int]:
        """The ``SlaTerms`` struct as web3 encodes it."""
        return (self.tolerance, self.threshold, self.window_start, self.window_end, self.truth_root, self.payout)

    def to_json(self) -> dict[str, Any]:
        return {"tolerance": self.tolerance, "threshold": self.threshold, "window_start": self.window_start,
                "window_end": self.window_end, "truth_root": str(self.truth_root), "payout": str(self.payout)}

    @classmethod
    def from_json(cls, data: object) -> SlaTerms:
        """Parse :meth:`to_json`'s object (integers or decimal strings).

        Raises:
            InputError: a field is missing or not an integer, or out of range.
        """
        if not isinstance(data, Mapping):
            raise InputError(f"SlaTerms.from_json: expected an object, got {type(data).__name__}")
        values = {}
        for name in ("tolerance", "threshold", "window_start", "window_end", "truth_root", "payout"):
            values[name] = _int_field(data, name, "SlaTerms.from_json")
        return cls(**values)


def terms_hash(service_id: int, terms: SlaTerms) -> FieldElement:
    """``Poseidon(Poseidon(service id, tolerance, threshold, window_start, window_end), truth_root)``:
    the claim circuit's ``termsHash`` and ``ServiceRegistry.hashTerms`` (one function per language).

    Raises:
        InputError: ``service_id`` is not a field element or ``terms`` not :class:`SlaTerms`.
    """
    if not isinstance(terms, SlaTerms):
        raise InputError(f"terms_hash: terms must be SlaTerms, got {type(terms).__name__}")
    head = poseidon([service_id, terms.tolerance, terms.threshold, terms.window_start, terms.window_end])
    return FieldElement(poseidon([head, terms.truth_root]))


class LabelledSet:
    """The ground truth of an SLA: labelled queries in a LeanIMT of :func:`truth_leaf` leaves.

    Args:
        labels: truth per query hash (field elements), in leaf order.

    Raises:
        InputError: a query hash is not a field element, a truth not a 64-bit value, the set is
            larger than ``2**TRUTH_DEPTH`` or empty.
    """

    __slots__ = ("_labels", "_tree")

    def __init__(self, labels: Mapping[FieldElement, int] | Mapping[int, int] | Iterable[tuple[int, int]]) -> None:
        pairs = list(labels.items()) if isinstance(labels, Mapping) else list(labels)
        if not pairs:
            raise InputError("LabelledSet: at least one labelled query is needed")
        if len(pairs) > 2**TRUTH_DEPTH:
            raise InputError(f"LabelledSet: {len(pairs)} labelled queries; the claim circuits take 2**{TRUTH_DEPTH}")
        self._labels: dict[int, int] = {}
        for k, (query, truth) in enumerate(pairs):
            _uint(query, f"LabelledSet: query hash [{k}]", FIELD_MODULUS - 1)
            _uint(truth, f"LabelledSet: truth [{k}]", MAX_VALUE)
            if query in self._labels:
                raise InputError(f"LabelledSet: query hash [{k}] = {query} is labelled twice")
            self._labels[query] = truth
        self._tree = LeanIMT(truth_leaf(q, t) for q, t in self._labels.items())

    @property
    def root(self) -> MerkleRoot:
        return self._tree.root

    def __len__(self) -> int:
        return len(self._labels)

    def __contains__(self, query: object) -> bool:
        return query in self._labels

    def truth(self, query: int) -> int:
        """The truth of a labelled query.

        Raises:
            InputError: the query is not in the set.
        """
        try:
            return self._labels[query]
        except KeyError:
            raise InputError(f"LabelledSet: query hash {query} is not labelled in this set") from None

    def circuit_path(self, query: int) -> tuple[int, list[int], list[int]]:
        """``(depth, indices, siblings)`` of the query's leaf for ``LeanIMTRoot(TRUTH_DEPTH)``."""
        return self._tree.circuit_path(truth_leaf(query, self.truth(query)), TRUTH_DEPTH)

    def to_json(self) -> dict[str, Any]:
        return {"root": str(self.root), "labels": [{"query_hash": str(q), "truth": t} for q, t in self._labels.items()]}

    @classmethod
    def from_json(cls, data: object) -> LabelledSet:
        """Parse :meth:`to_json`'s object; a ``root`` in it must match the leaves.

        Raises:
            InputError: the object is malformed or its root differs from its leaves'.
        """
        labels = data.get("labels") if isinstance(data, Mapping) else None
        if not isinstance(labels, list):
            raise InputError('LabelledSet.from_json: expected {"labels": [{"query_hash": ..., "truth": ...}, ...]}')
        pairs = [(_int_field(e, "query_hash", f"labels[{k}]"), _int_field(e, "truth", f"labels[{k}]"))
                 for k, e in enumerate(labels)]
        result = cls(pairs)
        assert isinstance(data, Mapping)
        if "root" in data and _int_field(data, "root", "LabelledSet.from_json") != result.root:
            raise InputError("LabelledSet.from_json: the stated root is not the root of the labels")
        return result

    @classmethod
    def load(cls, path: str | Path) -> LabelledSet:
        try:
            return cls.from_json(json.loads(Path(path).read_text()))
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: not valid JSON ({exc})") from None


def _int_field(data: object, name: str, where: str) -> int:
    """``data[name]`` as a non-negative int (an int or a decimal string)."""
    if not isinstance(data, Mapping) or name not in data:
        raise InputError(f"{where}: {name!r} is missing")
    value = data[name]
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise InputError(f"{where}: {name} must be a non-negative integer, got {value!r}")
