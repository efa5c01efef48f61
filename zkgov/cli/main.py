"""The ``zkgov`` command line: doctor, circuits, setup, prove, verify, verifier export, demo, bench,
identity and credentials, voting (vote, trustee, tally, relay), ML assets and funding (asset, fund), ML service SLAs and insurance (sla)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click

from zkgov import __version__
from zkgov.cli.common import emit, read_json
from zkgov.errors import ZkgovError

__all__ = ["main", "cli"]


@click.group()
@click.version_option(__version__, prog_name="zkgov")
def cli() -> None:
    """Zero-knowledge governance for ML communities: proofs, circuits, keys and contracts."""


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def doctor(as_json: bool) -> None:
    """Report every external tool zkgov uses, its version, and how to install what is missing."""
    from zkgov.snark._tools import tool_statuses
    from zkgov.snark.prover import available_provers
    from zkgov.snark.verifier import available_verifiers

    statuses = tool_statuses()
    rows = [
        {"tool": s.name, "ok": s.ok, "found": s.found, "version": s.version, "pinned": s.pinned,
         "location": s.location, "fix": None if s.ok else s.hint}
        for s in statuses
    ]
    report = {"tools": rows, "provers": available_provers(), "verifiers": available_verifiers()}
    lines = []
    for s in statuses:
        mark = "ok " if s.ok else "!! "
        version = s.version or "missing"
        pin = f" (pinned {s.pinned})" if s.pinned and s.version != s.pinned else ""
        fix = "" if s.ok else f"\n     fix: {s.hint}"
        lines.append(f"{mark} {s.name:<10} {version}{pin}  {s.location or ''}{fix}")
    lines.append(f"provers:   {', '.join(available_provers())}")
    lines.append(f"verifiers: {', '.join(available_verifiers())}")
    emit(report, as_json, "\n".join(lines))
    if not all(s.ok for s in statuses):
        sys.exit(1)


@cli.group()
def circuit() -> None:
    """Compile and inspect the circuits named in circuits/circuits.json."""


def _compiled(name: str, manifest: str | None, force: bool = False) -> Any:
    from zkgov.snark.circuit import compile_circuit, load_circuit

    return compile_circuit(load_circuit(name, manifest), force=force)


_manifest_option = click.option("--manifest", type=click.Path(dir_okay=False), help="Manifest path (default: nearest circuits/circuits.json).")


@circuit.command("compile")
@click.argument("name")
@_manifest_option
@click.option("--force", is_flag=True, help="Recompile even if cached.")
@click.option("--json", "as_json", is_flag=True)
def circuit_compile(name: str, manifest: str | None, force: bool, as_json: bool) -> None:
    """Compile circuit NAME (cached by source hash)."""
    start = time.perf_counter()
    compiled = _compiled(name, manifest, force)
    info = compiled.info() | {"seconds": round(time.perf_counter() - start, 3)}
    emit(info, as_json, f"{name}: {compiled.n_constraints} constraints, {compiled.n_wires} wires, "
          f"{compiled.n_public} public signals -> {compiled.folder}")


@circuit.command("info")
@click.argument("name")
@_manifest_option
@click.option("--json", "as_json", is_flag=True)
def circuit_info(name: str, manifest: str | None, as_json: bool) -> None:
    """Counts and artifact paths of circuit NAME."""
    info = _compiled(name, manifest).info()
    emit(info, as_json, "\n".join(f"{k:<20} {v}" for k, v in info.items()))


@circuit.command("check")
@click.argument("name")
@click.option("--input", "input_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--witness", "witness_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Check this .wtns instead of computing one from the input.")
@_manifest_option
def circuit_check(name: str, input_path: Path, witness_path: Path | None, manifest: str | None) -> None:
    """Compute a witness and check it against every constraint; name the first one that fails."""
    from zkgov.snark.checker import check_witness
    from zkgov.snark.formats.r1cs import R1cs
    from zkgov.snark.formats.sym import SymbolTable
    from zkgov.snark.formats.wtns import Witness

    compiled = _compiled(name, manifest)
    witness = Witness.load(witness_path) if witness_path else compiled.witness(read_json(input_path, "--input"))
    check_witness(R1cs.load(compiled.r1cs), witness, SymbolTable.load(compiled.sym))
    click.echo(f"{name}: all {compiled.n_constraints} constraints hold")


@cli.command()
@click.argument("name")
@click.option("--ptau", type=click.Path(exists=True, dir_okay=False), help="Ceremony file (default: a cached INSECURE dev ceremony).")
@click.option("--contributions", default=1, show_default=True, type=click.IntRange(1, 100))
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Copy the zkey and vk here.")
@click.option("--no-verify", is_flag=True, help="Skip checking the final zkey against the r1cs and ptau (native, or `snarkjs zkey verify`).")
@_manifest_option
@click.option("--json", "as_json", is_flag=True)
def setup(name: str, ptau: str | None, contributions: int, out_dir: str | None, no_verify: bool,
          manifest: str | None, as_json: bool) -> None:
    """Groth16 trusted setup (phase 2) for circuit NAME."""
    from zkgov.snark.setup import INSECURE_NOTICE, groth16_setup

    compiled = _compiled(name, manifest)
    start = time.perf_counter()
    keys = groth16_setup(compiled, ptau=ptau, contributions=contributions, verify=not no_verify, out_dir=out_dir)
    info = {"circuit": name, "zkey": str(keys.zkey), "vk": keys.vk.to_snarkjs(), "ptau": str(keys.ptau),
            "verified": keys.verified, "insecure": keys.insecure, "circuit_id": "0x" + keys.vk.circuit_id.hex(),
            "seconds": round(time.perf_counter() - start, 3)}
    text = f"{name}: zkey {keys.zkey}\n  circuit id 0x{keys.vk.circuit_id.hex()}\n  verified: {keys.verified}"
    if keys.insecure:
        text += f"\n  WARNING: {INSECURE_NOTICE}"
    emit(info, as_json, text)


def _current_keys(compiled: Any) -> Any:
    """The keys `zkgov setup` last made for this exact circuit; never a silent new setup."""
    from zkgov.snark.setup import INSECURE_NOTICE, current_keys

    keys = current_keys(compiled)
    if keys is None:
        raise click.UsageError(f"no keys for {compiled.name} yet: run `zkgov setup {compiled.name}` first (or pass the key file)")
    if keys.insecure:
        click.echo(f"WARNING: using keys from the {INSECURE_NOTICE}", err=True)
    return keys


@cli.command()
@click.argument("name")
@click.option("--input", "input_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--zkey", type=click.Path(exists=True, dir_okay=False), help="Proving key (default: the one `zkgov setup NAME` made).")
@click.option("--out", "out_dir", default=".", show_default=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--backend", help="Prover backend (default: ZKGOV_PROVER or the fastest available).")
@_manifest_option
def prove(name: str, input_path: Path, zkey: str | None, out_dir: Path, backend: str | None, manifest: str | None) -> None:
    """Compute the witness and a Groth16 proof; write proof.json and public.json (snarkjs format)."""
    from zkgov.snark.prover import prove as run_prove

    compiled = _compiled(name, manifest)
    start = time.perf_counter()
    witness = compiled.witness(read_json(input_path, "--input"))
    t_witness = time.perf_counter() - start
    zkey_path = Path(zkey) if zkey else _current_keys(compiled).zkey
    start = time.perf_counter()
    proof, public = run_prove(zkey_path, witness, backend=backend)
    t_prove = time.perf_counter() - start
    out_dir.mkdir(parents=True, exist_ok=True)
    proof.save(out_dir / "proof.json")
    public.save(out_dir / "public.json")
    click.echo(f"witness {t_witness:.3f} s, proof {t_prove:.3f} s -> {out_dir / 'proof.json'}, {out_dir / 'public.json'}")


@cli.command()
@click.option("--vk", "vk_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--proof", "proof_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--public", "public_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--backend", help="Verifier backend (py_ecc or native).")
def verify(vk_path: Path, proof_path: Path, public_path: Path, backend: str | None) -> None:
    """Verify a proof. Exit status 0: valid; 1: invalid; 2: malformed input or another error."""
    from zkgov.snark.keys import VerificationKey
    from zkgov.snark.proof import Proof, PublicSignals
    from zkgov.snark.verifier import verify as run_verify

    try:
        ok = run_verify(VerificationKey.load(vk_path), Proof.load(proof_path), PublicSignals.load(public_path),
                        backend=backend)
    except ZkgovError as exc:
        click.echo(f"malformed: {exc}" if isinstance(exc, ValueError) else f"error: {exc}", err=True)
        sys.exit(2)
    click.echo("valid" if ok else "INVALID")
    sys.exit(0 if ok else 1)


@cli.command("export-verifier")
@click.option("--vk", "vk_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Verification key JSON.")
@click.option("--circuit", "name", help="Or: a circuit name (keys from `zkgov setup`).")
@click.option("--contract-name", default="Groth16Verifier", show_default=True)
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@_manifest_option
def export_verifier(vk_path: Path | None, name: str | None, contract_name: str, out_path: Path, manifest: str | None) -> None:
    """Write a Solidity verifier for a verification key (generated by zkgov — do not edit)."""
    from zkgov.snark.keys import VerificationKey
    from zkgov.snark.solidity import export_solidity_verifier

    if (vk_path is None) == (name is None):
        raise click.UsageError("give exactly one of --vk or --circuit")
    vk = VerificationKey.load(vk_path) if vk_path else _current_keys(_compiled(str(name), manifest)).vk
    out_path.write_text(export_solidity_verifier(vk, contract_name=contract_name))
    click.echo(f"wrote {out_path} ({contract_name}, {vk.n_public} public signals)")


@cli.command()
@click.option("--rpc-url", help="Use this node instead of starting a local anvil.")
@click.option("--members", default=8, show_default=True, type=click.IntRange(2, 1024))
def demo(rpc_url: str | None, members: int) -> None:
    """Anonymous membership signalling end to end: compile, setup, prove, verify in Python and on chain."""
    from zkgov.cli.demo import run_demo

    run_demo(rpc_url=rpc_url, members=members, echo=click.echo)


from zkgov.bench.cli import bench as _bench  # noqa: E402  (light import; heavy modules load inside)

cli.add_command(_bench)

from zkgov.cli.identity import credential as _credential  # noqa: E402  (domain modules load inside)
from zkgov.cli.identity import identity as _identity  # noqa: E402
from zkgov.cli.identity import wallet as _wallet  # noqa: E402

cli.add_command(_identity)
cli.add_command(_credential)
cli.add_command(_wallet)

from zkgov.cli.voting import relay as _relay  # noqa: E402  (domain modules load inside)
from zkgov.cli.trustee import tally as _tally  # noqa: E402
from zkgov.cli.trustee import trustee as _trustee  # noqa: E402
from zkgov.cli.voting import vote as _vote  # noqa: E402

cli.add_command(_vote)
cli.add_command(_trustee)
cli.add_command(_tally)
cli.add_command(_relay)

from zkgov.cli.rights import asset as _asset  # noqa: E402  (domain modules load inside)
from zkgov.cli.rights import fund as _fund  # noqa: E402

cli.add_command(_asset)
cli.add_command(_fund)

from zkgov.cli.insurance import sla as _sla  # noqa: E402  (domain modules load inside)

cli.add_command(_sla)


def main() -> None:
    """Entry point: zkgov errors become one clear line and exit status 2, not a traceback."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except ZkgovError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except FileNotFoundError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
