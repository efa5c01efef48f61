"""Ad-hoc timing of the native prover/verifier against snarkjs and py_ecc (one machine, one run).

Usage: PYTHONPATH=<dir holding zkgov with _native built> python native/bench/measure.py [circuit]
The pytest-benchmark suite in benchmarks/ is the durable version of this.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from zkgov import _native
from zkgov.crypto.merkle import FixedMerkleTree
from zkgov.snark._tools import run_tool
from zkgov.snark.circuit import compile_circuit, load_circuit
from zkgov.snark.setup import groth16_setup
from zkgov.snark.verifier import verify
from zkgov.voting.signal_board import Member, field_hash, membership_inputs


def _t(f, n=1):
    best = float("inf")
    out = None
    for _ in range(n):
        t0 = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main(name: str = "membership-10") -> None:
    circuit = compile_circuit(load_circuit(name))
    keys = groth16_setup(circuit)
    depth = int(name.rsplit("-", 1)[1])
    members = [Member(1000 + i) for i in range(5)]
    tree = FixedMerkleTree(depth)
    for m in members:
        tree.insert(m.commitment)
    inputs, _ = membership_inputs(members[0], tree, 0, scope=field_hash("p"), context=7, signal_hash=field_hash("yes"))
    t_w, witness = _t(lambda: circuit.witness(inputs))
    wtns = witness.to_bytes()
    print(f"{name}: zkey {keys.zkey} ({keys.zkey.stat().st_size/1e6:.1f} MB), witness {t_w*1e3:.0f} ms")

    t_first, (proof, public) = _t(lambda: _native.groth16_prove(str(keys.zkey), wtns))
    t_cached, _ = _t(lambda: _native.groth16_prove(str(keys.zkey), wtns), n=5)
    assert verify(keys.vk, proof, public, backend="py_ecc")

    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        (folder / "w.wtns").write_bytes(wtns)
        t_sj, _ = _t(lambda: run_tool("snarkjs", ["groth16", "prove", str(keys.zkey), "w.wtns", "p.json", "pub.json"], cwd=folder), n=2)
        (folder / "vk.json").write_text(json.dumps(keys.vk.to_snarkjs()))
        (folder / "proof.json").write_text(json.dumps(proof))
        (folder / "public.json").write_text(json.dumps(public))
        t_sjv, res = _t(lambda: run_tool("snarkjs", ["groth16", "verify", "vk.json", "public.json", "proof.json"], cwd=folder))
        assert "OK!" in res.stdout

    vk = keys.vk.to_snarkjs()
    t_nv, ok = _t(lambda: _native.groth16_verify(vk, proof, public), n=20)
    assert ok
    t_pv, ok = _t(lambda: verify(keys.vk, proof, public, backend="py_ecc"))
    assert ok
    print(f"prove  native first call (zkey load) {t_first:.3f} s, cached {t_cached:.3f} s | snarkjs {t_sj:.3f} s "
          f"| ratio cached/snarkjs {t_cached/t_sj:.3f}")
    print(f"verify native {t_nv*1e3:.2f} ms | py_ecc {t_pv*1e3:.0f} ms | snarkjs CLI {t_sjv*1e3:.0f} ms")


if __name__ == "__main__":
    main(*sys.argv[1:])
