"""Groth16 trusted setup: powers of tau (phase 1) and the circuit-specific phase 2.

Two sources of powers of tau:

* :func:`dev_ptau` runs a **local development ceremony** (one or more contributions of OS entropy)
  and caches the result per power. It is INSECURE for production: whoever ran it could keep the
  entropy, and nobody else contributed. Use it for tests, demos and benchmarks.
* a ceremony file given by path (for instance one of the Perpetual Powers of Tau / Hermez files),
  checked to be large enough for the circuit and prepared for phase 2 if it is not already.

:func:`groth16_setup` then runs phase 2 for a compiled circuit: the initial zkey, one or more
contributions, ``zkey verify`` against the r1cs and the ptau, and the verification key.

When the native core is built it does every step, each tested byte-identical to (or, for the
random contributions, verified by) snarkjs: powers of tau ``new`` + first contribution, ``prepare
phase2`` (for a one-contribution dev ceremony computed from the contribution's key while it is
known, instead of by group FFTs; for an imported file by FFTs), the initial phase-2 zkey, the
phase-2 contributions, ``zkey verify`` and the verification key. ``ZKGOV_SETUP_BACKEND=snarkjs``
makes snarkjs do everything. Results are cached under ``cache_dir("ptau")`` and ``cache_dir("keys")``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zkgov.errors import BackendUnavailableError, PtauTooSmallError, SetupError, ToolError
from zkgov.snark._cache import cache_dir, locked
from zkgov.snark._native_core import native_function
from zkgov.snark._tools import run_tool
from zkgov.snark.circuit import CompiledCircuit
from zkgov.snark.formats.ptau import read_ptau_header
from zkgov.snark.formats.zkey import Zkey
from zkgov.snark.keys import VerificationKey

__all__ = [
    "INSECURE_NOTICE",
    "MIN_DEV_POWER",
    "MAX_POWER",
    "Groth16Keys",
    "current_keys",
    "dev_ptau",
    "prepare_ptau",
    "groth16_setup",
]

INSECURE_NOTICE = "zkgov development ceremony: INSECURE, for development and testing only"
#: Dev ceremonies are never smaller than this (they are cheap and serve many small circuits).
MIN_DEV_POWER = 8
#: BN254's two-adicity bounds the evaluation domain: 2^28.
MAX_POWER = 28
_SNARKJS_TIMEOUT = 6 * 3600


@dataclass(frozen=True)
class Groth16Keys:
    """The outcome of phase 2: a proving key (zkey file) and its verification key.

    Attributes:
        zkey: path of the final ``.zkey`` (snarkjs format).
        vk: the verification key.
        ptau: the powers-of-tau file used.
        contributions: how many phase-2 contributions were made.
        verified: whether the zkey was verified against the r1cs and ptau (``zkey verify``, native
            or snarkjs).
        insecure: ``True`` when the ptau came from a dev ceremony.
    """

    zkey: Path
    vk: VerificationKey
    ptau: Path
    contributions: int
    verified: bool
    insecure: bool


def _entropy() -> str:
    return os.urandom(32).hex()


def _snarkjs(args: list[str], cwd: Path, what: str) -> str:
    try:
        return run_tool("snarkjs", args, cwd=cwd, timeout=_SNARKJS_TIMEOUT, what=what).stdout
    except ToolError as exc:
        raise SetupError(str(exc)) from None


def _check_power(power: int, what: str) -> None:
    if not isinstance(power, int) or isinstance(power, bool) or not 1 <= power <= MAX_POWER:
        raise ValueError(f"{what} must be an integer from 1 to {MAX_POWER}, got {power!r}")


def dev_ptau(power: int, *, contributions: int = 1, force: bool = False) -> Path:
    """A prepared powers-of-tau file for 2^power constraints from a local dev ceremony (cached).

    Args:
        power: log2 of the largest domain the file serves.
        contributions: how many contributions of fresh OS entropy (at least 1).
        force: run the ceremony again even if a cached file exists.

    Returns:
        The path of the cached, phase-2-ready ``.ptau`` (a ``.json`` beside it says it is insecure).
    """
    _check_power(power, "power")
    if contributions < 1:
        raise ValueError(f"contributions must be at least 1, got {contributions}")
    target = cache_dir("ptau") / f"dev-bn128-{power:02d}.ptau"
    with locked(target):
        if target.is_file() and not force:
            return target
        with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
            work = Path(tmp)
            new_contribute = _native_setup("groth16_ptau_new_contribute")
            first, prepared = 1, False
            if new_contribute is not None:
                # `new` + the first contribution in one native step (snarkjs-compatible record;
                # `snarkjs powersoftau verify` accepts the file). With a single contribution its key
                # is still known, so the phase-2 sections come from it directly (byte-identical to
                # `prepare phase2`, without the group FFTs); the key is zeroised right after.
                prepared = contributions == 1
                try:
                    new_contribute(
                        power, str(work / "pot_1.ptau"), os.urandom(32), "zkgov dev contribution 1 (INSECURE)",
                        prepared=prepared,
                    )
                except ValueError as exc:
                    raise SetupError(f"native powers of tau failed: {exc}") from None
                first = 2
            else:
                _snarkjs(["powersoftau", "new", "bn128", str(power), "pot_0.ptau"], work, "snarkjs powersoftau new")
            for i in range(first, contributions + 1):
                _snarkjs(
                    ["powersoftau", "contribute", f"pot_{i - 1}.ptau", f"pot_{i}.ptau",
                     f"--name=zkgov dev contribution {i} (INSECURE)", f"-e={_entropy()}"],
                    work,
                    "snarkjs powersoftau contribute",
                )
            if not prepared:
                _prepare_phase2(work / f"pot_{contributions}.ptau", work / "pot_final.ptau")
                (work / "pot_final.ptau").replace(target)
            else:
                (work / "pot_1.ptau").replace(target)
        notice = {"notice": INSECURE_NOTICE, "power": power, "contributions": contributions}
        target.with_suffix(".json").write_text(json.dumps(notice, indent=1) + "\n")
    return target


def prepare_ptau(ptau: str | Path) -> Path:
    """A phase-2-ready version of a ceremony file: the file itself if it already has the Lagrange
    sections, otherwise a prepared copy cached by the file's hash (slow: it is a group FFT)."""
    path = Path(ptau)
    header = read_ptau_header(path)
    if header.is_prepared:
        return path
    digest = _file_digest(path)
    target = cache_dir("ptau", "prepared") / f"{digest[:32]}.ptau"
    with locked(target):
        if not target.is_file():
            with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
                out = Path(tmp) / "prepared.ptau"
                _prepare_phase2(path.resolve(), out)
                out.replace(target)
    return target


def _ptau_identity(path: Path) -> str:
    """A content identity for a ceremony file that is cheap for multi-GB files: the sha256 of its
    section table, its header and its contributions section (each contribution's hashes), plus the
    first G1 power after tau^0. Why content and not path/mtime: a different ceremony copied over the
    same path with its mtime kept must not be served keys made from the old one."""
    info = read_ptau_header(path)
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for section in info.sections:
            h.update(f"{section.id}:{section.size};".encode())
            if section.id in (1, 7) or section.id == 2:
                f.seek(section.offset)
                h.update(f.read(section.size if section.id != 2 else min(section.size, 128)))
    return h.hexdigest()


def _native_setup(required: str) -> Callable[..., Any] | None:
    """The native core's ``required`` function if it is built and ``ZKGOV_SETUP_BACKEND`` allows it
    (unset or ``native``), else ``None`` (snarkjs does the step)."""
    backend = os.environ.get("ZKGOV_SETUP_BACKEND")
    if backend not in (None, "", "native", "snarkjs"):
        raise BackendUnavailableError(f"unknown setup backend {backend!r}; available: native, snarkjs")
    if backend == "snarkjs":
        return None
    function = native_function(required)
    if function is None and backend == "native":
        raise BackendUnavailableError("the native setup backend is not built (see native/); available: snarkjs")
    return function


def _prepare_phase2(source: Path, target: Path) -> None:
    """``snarkjs powersoftau prepare phase2`` (the Lagrange-basis sections, a group FFT per power).

    The native core computes byte-identical output about 13× faster (tested against snarkjs); it is
    used when built, unless ``ZKGOV_SETUP_BACKEND=snarkjs``.
    """
    prepare = _native_setup("groth16_prepare_phase2")
    if prepare is None:
        _snarkjs(["powersoftau", "prepare", "phase2", str(source), str(target)], target.parent,
                 "snarkjs powersoftau prepare phase2")
        return
    try:
        prepare(str(source), str(target))
    except ValueError as exc:
        raise SetupError(f"prepare phase2 of {source} failed: {exc}") from None


def _verify_zkey(circuit: CompiledCircuit, r1cs: str, ptau: str, zkey: Path, *, initial: Path | None) -> None:
    """``zkey verify`` of the final key against the r1cs and the ptau: native when built (the same
    checks as snarkjs, see ``native/src/zkey_verify.rs``), else snarkjs; raises SetupError if not.

    ``initial`` is the initial zkey this setup just made natively from the same r1cs and ptau: the
    native check then runs against it (``zkey verify init``) instead of recomputing it, which would
    give the same bytes (``groth16_zkey_new`` is deterministic) for another second or so at 2^16.
    """
    verify = _native_setup("groth16_zkey_verify")
    if verify is not None:
        try:
            if initial is not None and (verify_init := _native_setup("groth16_zkey_verify_init")) is not None:
                ok, report = verify_init(str(initial), ptau, str(zkey))
            else:
                ok, report = verify(r1cs, ptau, str(zkey))
        except ValueError as exc:
            raise SetupError(f"zkey verify of {circuit.name} failed: {exc}") from None
    else:
        report = _snarkjs(["zkey", "verify", r1cs, ptau, zkey.name], zkey.parent, "snarkjs zkey verify")
        ok = "ZKey Ok!" in report
    if not ok:
        raise SetupError(f"zkey verify did not confirm the key for {circuit.name}:\n{report[-2000:]}")


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def groth16_setup(
    circuit: CompiledCircuit,
    *,
    ptau: str | Path | None = None,
    contributions: int = 1,
    verify: bool = True,
    cache: bool = True,
    out_dir: str | Path | None = None,
) -> Groth16Keys:
    """Run Groth16 phase 2 for a compiled circuit.

    Args:
        circuit: the compiled circuit.
        ptau: a ceremony file; ``None`` uses a cached dev ceremony of the size the circuit needs
            (insecure: development only).
        contributions: phase-2 contributions of OS entropy (at least 1).
        verify: check the final zkey (``zkey verify``, native or snarkjs) against the r1cs and the ptau.
        cache: reuse keys made earlier for the same circuit and ptau.
        out_dir: also copy ``circuit.zkey`` and ``verification_key.json`` there.

    Raises:
        PtauTooSmallError: the ceremony supports fewer constraints than the circuit has.
        SetupError: a setup step failed, or the zkey did not verify.
    """
    if contributions < 1:
        raise ValueError(f"contributions must be at least 1, got {contributions}")
    required = circuit.required_ptau_power
    insecure = ptau is None
    if ptau is None:
        ptau_path = dev_ptau(max(required, MIN_DEV_POWER))
    else:
        ptau_path = Path(ptau)
        if not ptau_path.is_file():
            raise FileNotFoundError(f"ptau file not found: {ptau_path}")
    header = read_ptau_header(ptau_path)
    if header.power < required:
        raise PtauTooSmallError(
            f"{ptau_path} has power {header.power} (up to {2 ** header.power} rows) but circuit "
            f"{circuit.name} needs power {required} ({circuit.n_constraints} constraints + "
            f"{circuit.n_public} public signals + 1); use a larger ceremony file",
            ptau_power=header.power,
            required_power=required,
        )
    prepared = prepare_ptau(ptau_path)
    ptau_id = _ptau_identity(prepared)
    folder = cache_dir("keys") / f"{circuit.name}-{circuit.key[:16]}-{ptau_id[:12]}-c{contributions}"
    meta_path = folder / "keys.json"
    with locked(folder):
        if not (cache and meta_path.is_file() and (not verify or json.loads(meta_path.read_text())["verified"])):
            _phase2(circuit, prepared, folder, contributions, verify, source=ptau_path, insecure=insecure)
    keys = _keys_in(folder)
    # remember which keys this circuit uses now, for `zkgov prove` / `export-verifier`
    _current_pointer(circuit).write_text(json.dumps({"folder": str(folder)}) + "\n")
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(keys.zkey, out / f"{circuit.name}.zkey")
        keys.vk.save(out / f"{circuit.name}.vk.json")
    return keys


def _current_pointer(circuit: CompiledCircuit) -> Path:
    return cache_dir("keys") / f"{circuit.name}-{circuit.key[:16]}.current.json"


def _keys_in(folder: Path) -> Groth16Keys:
    meta = json.loads((folder / "keys.json").read_text())
    return Groth16Keys(
        zkey=folder / "circuit.zkey",
        vk=VerificationKey.load(folder / "verification_key.json"),
        ptau=Path(meta["ptau_source"]),
        contributions=int(meta["contributions"]),
        verified=bool(meta["verified"]),
        insecure=bool(meta["insecure"]),
    )


def current_keys(circuit: CompiledCircuit) -> Groth16Keys | None:
    """The keys the last :func:`groth16_setup` of this exact circuit made or reused, if any."""
    pointer = _current_pointer(circuit)
    try:
        folder = Path(json.loads(pointer.read_text())["folder"])
        return _keys_in(folder)
    except (OSError, ValueError, KeyError):
        return None


def _phase2(
    circuit: CompiledCircuit, ptau: Path, folder: Path, contributions: int, verify: bool, *, source: Path, insecure: bool
) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-"))
    try:
        r1cs, ptau_abs = str(circuit.r1cs.resolve()), str(ptau.resolve())
        zkey_new = _native_setup("groth16_zkey_new")
        initial = None
        if zkey_new is not None:
            # byte-identical to `snarkjs groth16 setup`, including its circuit hash when the circuit
            # fills the ptau exactly (snarkjs then hashes bytes past tauG1, which the core replays)
            try:
                zkey_new(r1cs, ptau_abs, str(work / "c_0.zkey"))
            except ValueError as exc:
                raise SetupError(f"groth16 setup of {circuit.name} failed: {exc}") from None
            initial = work / "c_0.zkey"
        else:
            _snarkjs(["groth16", "setup", r1cs, ptau_abs, "c_0.zkey"], work, "snarkjs groth16 setup")
        contribute = _native_setup("groth16_zkey_contribute")
        for i in range(1, contributions + 1):
            name = f"zkgov phase-2 contribution {i}"
            if contribute is not None:
                try:
                    contribute(str(work / f"c_{i - 1}.zkey"), str(work / f"c_{i}.zkey"), os.urandom(32), name)
                except ValueError as exc:
                    raise SetupError(f"phase-2 contribution to {circuit.name} failed: {exc}") from None
            else:
                _snarkjs(["zkey", "contribute", f"c_{i - 1}.zkey", f"c_{i}.zkey", f"--name={name}", f"-e={_entropy()}"],
                         work, "snarkjs zkey contribute")
        final = work / f"c_{contributions}.zkey"
        if verify:
            _verify_zkey(circuit, r1cs, ptau_abs, final, initial=initial)
        if contribute is not None:
            # the header's vk, equal to `snarkjs zkey export verificationkey`'s (tested), without
            # starting node
            Zkey.load(final).verification_key().save(work / "verification_key.json")
        else:
            _snarkjs(["zkey", "export", "verificationkey", final.name, "verification_key.json"], work,
                     "snarkjs zkey export verificationkey")
        final.replace(work / "circuit.zkey")
        for old in work.glob("c_*.zkey"):
            old.unlink()
        meta = {"circuit": circuit.name, "circuit_key": circuit.key, "ptau": ptau_abs,
                "ptau_source": str(source), "insecure": insecure, "contributions": contributions, "verified": verify}
        (work / "keys.json").write_text(json.dumps(meta, indent=1) + "\n")
        if folder.exists():  # cache=False, or an unverified entry being replaced by a verified one
            shutil.rmtree(folder)
        work.rename(folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
