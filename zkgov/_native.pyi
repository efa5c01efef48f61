"""Native Groth16 core (Rust, arkworks) for BN254 and snarkjs file formats.

Built from ``native/`` by maturin; absent when the extension is not built, so import it lazily.
"""

from collections.abc import Mapping, Sequence
from os import PathLike
from typing import Any

__all__ = [
    "fq_mul_ns",
    "g2_in_subgroup",
    "groth16_prepare_phase2",
    "groth16_prove",
    "groth16_ptau_new_contribute",
    "groth16_verify",
    "groth16_zkey_contribute",
    "groth16_zkey_new",
    "groth16_zkey_verify",
    "groth16_zkey_verify_init",
]

def groth16_prove(zkey_path: str | PathLike[str], wtns: bytes) -> tuple[dict[str, Any], list[str]]:
    """Prove with a snarkjs Groth16 ``.zkey`` and a ``.wtns`` witness buffer.

    The key is memory-mapped and parsed once per (path, mtime, size), then cached for later calls.
    The GIL is released while proving. Blinding scalars come from the OS CSPRNG.

    Args:
        zkey_path: path of a snarkjs Groth16 proving key (bn128).
        wtns: the witness in ``.wtns`` layout (e.g. ``Witness.to_bytes()``).

    Returns:
        ``(proof, public)``: the proof as snarkjs's ``proof.json`` dict and the public signals
        (witness values ``1..=nPublic``) as decimal strings.

    Raises:
        ValueError: unreadable or malformed zkey (bad magic, truncated, not groth16, not bn128,
            points off the curve) or witness (bad magic, truncated, value >= r, length mismatch).
    """

def fq_mul_ns() -> float:
    """One BN254 base-field Montgomery multiplication in nanoseconds (fastest of five chains of 2^20
    dependent multiplications): the ``t_mul`` of :func:`zkgov.bench.limit.limit_seconds`."""

def g2_in_subgroup(x: Sequence[str], y: Sequence[str]) -> bool:
    """Whether the affine point ``(x0 + x1·u, y0 + y1·u)`` (decimal strings) is on BN254's twist and
    in the order-r subgroup.

    Raises:
        ValueError: a coordinate that is not a decimal integer below q, or not two per coordinate.
    """

def groth16_verify(vk: Mapping[str, Any], proof: Mapping[str, Any], public: Sequence[str | int]) -> bool:
    """Verify a Groth16 proof: ``e(A,B) = e(alpha,beta)·e(vk_x,gamma)·e(C,delta)``.

    Args:
        vk: snarkjs ``verification_key.json`` as a dict.
        proof: snarkjs ``proof.json`` as a dict.
        public: public signals as decimal strings (or ints).

    Returns:
        ``True`` for a valid proof, ``False`` for a well-formed invalid one.

    Raises:
        ValueError: malformed input: missing fields, non-decimal or out-of-range coordinates
            (``>= q``), points off the curve or outside the G2 subgroup, proof points at
            infinity, public signals ``>= r`` or the wrong number of them.
    """

def groth16_prepare_phase2(input_path: str | PathLike[str], output_path: str | PathLike[str]) -> None:
    """Prepare a contributed bn128 ``.ptau`` for phase 2, like ``snarkjs powersoftau prepare phase2``.

    Copies sections 1-7 (header rewritten as snarkjs does, ``ceremonyPower = power``) and appends
    sections 12-15: the Lagrange-basis tauG1, tauG2, alphaTauG1 and betaTauG1 for every power
    level, computed by a group inverse FFT. The output is byte-identical to snarkjs's. The GIL is
    released while it runs.

    Args:
        input_path: a contributed, not yet prepared, bn128 ``.ptau``.
        output_path: where to write the prepared ``.ptau`` (overwritten; not the input).

    Raises:
        ValueError: unreadable, truncated or malformed input (bad magic or version, section sizes
            not matching the header's power, points off the curve), a non-bn128 ptau, a power above
            27, an already prepared ptau, the output being the input, or an unwritable output.

    Example:
        >>> groth16_prepare_phase2("pot12_0001.ptau", "pot12_final.ptau")  # doctest: +SKIP
    """

def groth16_ptau_new_contribute(
    power: int, output_path: str | PathLike[str], entropy: bytes, name: str, prepared: bool = False
) -> None:
    """Write a dev ``.ptau``: ``snarkjs powersoftau new bn128 <power>`` followed by one ``contribute``.

    The contribution key ``(tau, alpha, beta)`` comes from a ChaCha20 stream seeded, as snarkjs
    does, by BLAKE2b-512 of 64 bytes from the OS CSPRNG and ``entropy``; the key is never stored.
    Sections 2-6 hold ``tau^i·G1`` (``i < 2^(power+1) - 1``), ``tau^i·G2``, ``alpha·tau^i·G1``,
    ``beta·tau^i·G1`` (``i < 2^power``) and ``beta·G2``; section 7 holds the contribution record
    (public key, partial and next challenge hashes, type 0, ``name``) exactly as snarkjs writes
    it, so ``snarkjs powersoftau verify`` accepts the file. The GIL is released while it runs.

    With ``prepared``, the file is also prepared for phase 2: sections 12-15 (the Lagrange-basis
    points of every power level) are computed from the key while it is known, as ``L_i(tau)`` times
    the generators, instead of by group FFTs; the file is byte-identical to
    :func:`groth16_prepare_phase2` of the unprepared one. The key and the derived scalars are
    zeroised as soon as the points are computed. Otherwise prepare it with
    :func:`groth16_prepare_phase2`.

    Args:
        power: log2 of the number of constraints supported, 1 to 28 (as ``snarkjs powersoftau new``;
            at most 27 when ``prepared``).
        output_path: where to write the ``.ptau`` (overwritten).
        entropy: extra entropy mixed into the OS randomness (may be empty).
        name: the contribution's name (snarkjs keeps its first 64 UTF-16 units).
        prepared: also write the phase-2 sections.

    Raises:
        ValueError: a power out of range or an unwritable output.

    Example:
        >>> groth16_ptau_new_contribute(12, "pot12_final.ptau", b"dice rolls", "dev", prepared=True)  # doctest: +SKIP
    """

def groth16_zkey_new(r1cs_path: str | PathLike[str], ptau_path: str | PathLike[str], zkey_path: str | PathLike[str]) -> None:
    """Write the initial Groth16 ``.zkey``, like ``snarkjs groth16 setup <r1cs> <ptau> <zkey>``.

    The output is byte-identical to snarkjs's: the Groth16 header (alpha/beta from the ptau,
    gamma2 = delta2 = the G2 generator, delta1 = the G1 generator), the QAP coefficients (with one
    extra A row per public signal), IC, H (odd points of the Lagrange tauG1 level above the
    circuit's domain), C, A, B1, B2 (per-wire sums of Lagrange points at the circuit's domain
    power) and the contributions section holding the initial transcript hash. The inputs are
    memory-mapped; the GIL is released while it runs.

    Args:
        r1cs_path: a circom bn128 ``.r1cs``.
        ptau_path: a powers-of-tau file prepared for phase 2 (sections 12-15 present), with
            ``2^power >= nConstraints + nPublic + 1``.
        zkey_path: where to write the zkey (overwritten).

    Raises:
        ValueError: unreadable, truncated or malformed input (bad magic, sections too short, wire
            indices out of range, points off the curve), a non-bn128 r1cs or ptau, an unprepared
            ptau, a ptau too small for the circuit, or an unwritable output.

    Example:
        >>> groth16_zkey_new("circuit.r1cs", "pot12_final.ptau", "circuit_0000.zkey")  # doctest: +SKIP
    """

def groth16_zkey_verify(
    r1cs_path: str | PathLike[str], ptau_path: str | PathLike[str], zkey_path: str | PathLike[str]
) -> tuple[bool, str]:
    """Check a Groth16 ``.zkey`` against its circuit and ceremony, like ``snarkjs zkey verify``.

    Recomputes the initial zkey from the r1cs and the ptau (as :func:`groth16_zkey_new`) and checks
    what snarkjs checks: each contribution's transcript hash and proof of knowledge (same-ratio
    pairings against ``hashToG2(transcript)``), the delta chain up to the header's ``delta1`` and
    ``delta2`` (and a beacon's re-derived key), that the circuit hash, alpha, beta, gamma, IC, the
    coefficients, A, B1 and B2 are the initial ones, and that L and H are the initial ones scaled
    by ``1/delta`` (one random linear combination per section and side, then a pairing; H against
    the ptau's powers, as snarkjs does). The files are memory-mapped; the GIL is released.

    Args:
        r1cs_path: the circuit's ``.r1cs``.
        ptau_path: the phase-2-prepared ``.ptau`` the key was made from.
        zkey_path: the ``.zkey`` to check.

    Returns:
        ``(True, report)`` with the circuit hash and each contribution's hash and name, ending in
        ``ZKey Ok!``; ``(False, "INVALID: <the failed check>")`` for a well-formed key that fails.

    Raises:
        ValueError: unreadable or malformed files (bad magic, truncated, not groth16, not bn128,
            points off the curve, malformed contribution records), or a ptau too small.

    Example:
        >>> groth16_zkey_verify("circuit.r1cs", "pot12_final.ptau", "circuit_final.zkey")  # doctest: +SKIP
        (True, 'Circuit Hash: ...ZKey Ok!')
    """

def groth16_zkey_verify_init(
    init_path: str | PathLike[str], ptau_path: str | PathLike[str], zkey_path: str | PathLike[str]
) -> tuple[bool, str]:
    """:func:`groth16_zkey_verify` against a given initial zkey, like ``snarkjs zkey verify init``.

    Args:
        init_path: the initial zkey (``groth16 setup`` of the circuit and ``ptau_path``).
        ptau_path: the phase-2-prepared ``.ptau``.
        zkey_path: the ``.zkey`` to check.

    Returns:
        As :func:`groth16_zkey_verify`.

    Raises:
        ValueError: as :func:`groth16_zkey_verify`.
    """

def groth16_zkey_contribute(
    input_path: str | PathLike[str], output_path: str | PathLike[str], entropy: bytes, name: str
) -> bytes:
    """Make one phase-2 contribution, like ``snarkjs zkey contribute``.

    The secret ``delta`` and the proof-of-knowledge base come from a ChaCha20 stream seeded, as
    snarkjs does, by BLAKE2b-512 of 64 bytes from the OS CSPRNG and ``entropy``. The header's
    ``delta1``/``delta2`` are multiplied by ``delta``, the L and H points by ``1/delta``, and the
    contribution record (``deltaAfter``, public key, transcript, ``name``) is appended in snarkjs's
    layout, so ``snarkjs zkey verify`` accepts the result. ``delta`` is zeroised once used. The GIL
    is released while it runs.

    Args:
        input_path: a Groth16 bn128 ``.zkey`` (initial or already contributed).
        output_path: where to write the new ``.zkey`` (overwritten; not the input).
        entropy: extra entropy mixed into the OS randomness (may be empty).
        name: the contribution's name (snarkjs keeps its first 64 UTF-16 units; may be empty).

    Returns:
        The 64-byte contribution hash (what snarkjs prints as "Contribution Hash").

    Raises:
        ValueError: unreadable or malformed input, the output being the input, or an unwritable
            output.

    Example:
        >>> groth16_zkey_contribute("c_0.zkey", "c_1.zkey", b"dice rolls", "alice").hex()[:16]  # doctest: +SKIP
        '...'
    """
