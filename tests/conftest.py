"""Shared fixtures: a small circuit compiled by circom and set up, proven and exported by snarkjs
alone. These artifacts are the reference that zkgov's own files and proofs are checked against."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from zkgov.snark._tools import node_modules_dir, run_tool

TESTS = Path(__file__).parent
PREIMAGE_INPUT = {"secret": "12345", "scope": "42"}


@dataclass(frozen=True)
class SnarkjsArtifacts:
    """Files made by circom + snarkjs for tests/circuits/preimage.circom."""

    folder: Path
    r1cs: Path
    wasm: Path
    sym: Path
    ptau: Path
    zkey: Path
    vk_json: Path
    input_json: Path
    wtns: Path
    proof_json: Path
    public_json: Path


def _snarkjs(args: list[str], cwd: Path) -> None:
    run_tool("snarkjs", args, cwd=cwd, timeout=600, what="snarkjs " + " ".join(args[:2]))


@pytest.fixture(scope="session")
def snarkjs_preimage(tmp_path_factory: pytest.TempPathFactory) -> SnarkjsArtifacts:
    """Compile preimage.circom with circom2 and run the whole Groth16 pipeline with snarkjs."""
    work = tmp_path_factory.mktemp("snarkjs_preimage")
    shutil.copy(TESTS / "circuits" / "preimage.circom", work / "preimage_lib.circom")
    (work / "preimage.circom").write_text(
        'pragma circom 2.1.0;\ninclude "preimage_lib.circom";\ncomponent main {public [scope]} = Preimage();\n'
    )
    # circom2 (WASI) only sees real folders below its working directory.
    shutil.copytree(node_modules_dir() / "circomlib" / "circuits", work / "circomlib" / "circuits")
    run_tool("circom2", ["preimage.circom", "--r1cs", "--wasm", "--sym", "-l", ".", "-o", "."], cwd=work, timeout=300)
    (work / "input.json").write_text(json.dumps(PREIMAGE_INPUT))
    _snarkjs(["powersoftau", "new", "bn128", "9", "pot_0.ptau"], work)
    _snarkjs(["powersoftau", "contribute", "pot_0.ptau", "pot_1.ptau", "--name=test", "-e=zkgov test entropy"], work)
    _snarkjs(["powersoftau", "prepare", "phase2", "pot_1.ptau", "pot_final.ptau"], work)
    _snarkjs(["groth16", "setup", "preimage.r1cs", "pot_final.ptau", "preimage_0.zkey"], work)
    _snarkjs(["zkey", "contribute", "preimage_0.zkey", "preimage.zkey", "--name=test", "-e=zkgov test entropy 2"], work)
    _snarkjs(["zkey", "export", "verificationkey", "preimage.zkey", "verification_key.json"], work)
    _snarkjs(["wtns", "calculate", "preimage_js/preimage.wasm", "input.json", "preimage.wtns"], work)
    _snarkjs(["groth16", "prove", "preimage.zkey", "preimage.wtns", "proof.json", "public.json"], work)
    return SnarkjsArtifacts(
        folder=work,
        r1cs=work / "preimage.r1cs",
        wasm=work / "preimage_js" / "preimage.wasm",
        sym=work / "preimage.sym",
        ptau=work / "pot_final.ptau",
        zkey=work / "preimage.zkey",
        vk_json=work / "verification_key.json",
        input_json=work / "input.json",
        wtns=work / "preimage.wtns",
        proof_json=work / "proof.json",
        public_json=work / "public.json",
    )
