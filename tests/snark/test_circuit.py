"""Circuit manifest and compilation through the real circom2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zkgov.errors import CircuitCompileError, CircuitError, CircuitNotFoundError, ToolNotFoundError
from zkgov.snark.circuit import CircuitSpec, compile_circuit, load_circuit, load_manifest

TEST_MANIFEST = Path(__file__).parent.parent / "circuits" / "circuits.json"
REPO_MANIFEST = Path(__file__).parent.parent.parent / "circuits" / "circuits.json"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZKGOV_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "circuit-cache"))


def test_repo_manifest_names_every_circuit_with_an_existing_source() -> None:
    specs = load_manifest(REPO_MANIFEST)
    assert {"membership-10", "membership-20"} <= set(specs)
    for spec in specs.values():
        assert spec.file.is_file()
        assert "component main" not in spec.file.read_text()


def test_compiles_and_reports_pinned_counts() -> None:
    compiled = compile_circuit(load_circuit("preimage", TEST_MANIFEST))
    assert compiled.n_constraints == 416
    assert compiled.n_wires == 419
    assert (compiled.n_outputs, compiled.n_public_inputs, compiled.n_private_inputs) == (1, 1, 1)
    assert compiled.n_public == 2
    assert compiled.required_ptau_power == 9  # 416 + 1 + 1 + 1 rows -> 2^9
    for path in (compiled.r1cs, compiled.wasm, compiled.sym):
        assert path.stat().st_size > 0


def test_membership_constraint_count_is_pinned() -> None:
    compiled = compile_circuit(load_circuit("membership-10", REPO_MANIFEST))
    assert compiled.n_constraints == 2875
    assert compiled.n_public == 5
    assert compiled.required_ptau_power == 12


def test_membership_20_constraint_count_is_pinned() -> None:
    compiled = compile_circuit(load_circuit("membership-20", REPO_MANIFEST))
    assert compiled.n_constraints == 5295  # the reference's 5,294 at --O2, plus the context square
    assert compiled.required_ptau_power == 13


def test_second_compile_is_served_from_cache() -> None:
    spec = load_circuit("preimage", TEST_MANIFEST)
    first = compile_circuit(spec)
    mtime = first.r1cs.stat().st_mtime_ns
    second = compile_circuit(spec)
    assert second.folder == first.folder
    assert second.r1cs.stat().st_mtime_ns == mtime


def test_cache_key_changes_with_parameters_and_sources(tmp_path: Path) -> None:
    src = tmp_path / "c.circom"
    src.write_text("pragma circom 2.1.0;\ntemplate T(N) { signal input a; signal output b; b <== a * N; }\n")
    one = compile_circuit(CircuitSpec("t", src, "T", params=(2,)))
    two = compile_circuit(CircuitSpec("t", src, "T", params=(3,)))
    assert one.key != two.key
    src.write_text(src.read_text().replace("a * N", "a * N + 1"))
    three = compile_circuit(CircuitSpec("t", src, "T", params=(2,)))
    assert three.key not in (one.key, two.key)


def test_cache_key_follows_includes_and_ignores_unrelated_files(tmp_path: Path) -> None:
    (tmp_path / "lib.circom").write_text("pragma circom 2.1.0;\ntemplate Sq() { signal input a; signal output b; b <== a * a; }\n")
    main = tmp_path / "main.circom"
    main.write_text('pragma circom 2.1.0;\ninclude "lib.circom";\ntemplate T() { signal input a; signal output b; component s = Sq(); s.a <== a; b <== s.b; }\n')
    first = compile_circuit(CircuitSpec("inc-key", main, "T"))
    (tmp_path / "unrelated.circom").write_text("pragma circom 2.1.0;\n")
    assert compile_circuit(CircuitSpec("inc-key", main, "T")).key == first.key
    (tmp_path / "lib.circom").write_text((tmp_path / "lib.circom").read_text().replace("a * a", "a * a * 1"))
    assert compile_circuit(CircuitSpec("inc-key", main, "T")).key != first.key


def test_syntax_error_names_the_users_file_and_line() -> None:
    with pytest.raises(CircuitCompileError) as info:
        compile_circuit(load_circuit("broken", TEST_MANIFEST))
    err = info.value
    assert err.file is not None and err.file.endswith("broken.circom")
    assert err.line == 5
    assert "broken.circom:5" in str(err)
    assert "semicolon" in str(err).lower()


def test_missing_include_is_a_compile_error(tmp_path: Path) -> None:
    src = tmp_path / "inc.circom"
    src.write_text('pragma circom 2.1.0;\ninclude "nothere.circom";\ntemplate T() { signal input a; }\n')
    with pytest.raises(CircuitCompileError, match="nothere.circom"):
        compile_circuit(CircuitSpec("inc", src, "T"))


def test_unknown_circuit_name_lists_the_known_ones() -> None:
    with pytest.raises(CircuitNotFoundError, match="preimage"):
        load_circuit("no-such-circuit", TEST_MANIFEST)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"template": "T"}, "missing 'file'"),
        ({"file": "preimage.circom", "template": "T", "colour": 1}, "unknown keys"),
        ({"file": "preimage.circom", "template": "not an identifier"}, "not an identifier"),
        ({"file": "preimage.circom", "template": "T", "params": ["x"]}, "not an integer"),
        ({"file": "preimage.circom", "template": "T", "optimization": 3}, "optimization"),
        ({"file": "nope.circom", "template": "T"}, "does not exist"),
    ],
)
def test_rejects_bad_manifest_entries(tmp_path: Path, entry: dict[str, object], message: str) -> None:
    (tmp_path / "preimage.circom").write_text("pragma circom 2.1.0;\n")
    manifest = tmp_path / "circuits.json"
    manifest.write_text(json.dumps({"circuits": {"c": entry}}))
    with pytest.raises(CircuitError, match=message):
        load_manifest(manifest)


def test_rejects_a_manifest_that_is_not_json(tmp_path: Path) -> None:
    manifest = tmp_path / "circuits.json"
    manifest.write_text("{not json")
    with pytest.raises(CircuitError, match="not valid JSON"):
        load_manifest(manifest)


def test_missing_toolchain_is_reported_with_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZKGOV_NODE_MODULES", str(tmp_path))
    with pytest.raises(ToolNotFoundError, match="make setup"):
        compile_circuit(load_circuit("preimage", TEST_MANIFEST))


def test_missing_node_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZKGOV_NODE", "/nonexistent/node")
    with pytest.raises(ToolNotFoundError, match="node"):
        compile_circuit(load_circuit("preimage", TEST_MANIFEST), force=True)
