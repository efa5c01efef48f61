"""SymbolTable against circom's .sym output."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from zkgov.errors import FormatError
from zkgov.snark.formats import R1cs, SymbolTable

if TYPE_CHECKING:
    from conftest import SnarkjsArtifacts


@pytest.fixture(scope="module")
def symbols(snarkjs_preimage: SnarkjsArtifacts) -> SymbolTable:
    return SymbolTable.load(snarkjs_preimage.sym)


def test_names_the_public_and_private_signals(symbols: SymbolTable) -> None:
    # circom orders wires: 1, outputs, public inputs, private inputs.
    assert symbols.wire_of("main.hash") == 1
    assert symbols.wire_of("main.scope") == 2
    assert symbols.wire_of("main.secret") == 3
    assert symbols.names_for_wire(1)[0] == "main.hash"
    assert symbols.names_for_wire(0) == []


def test_optimised_away_signal_has_no_wire(symbols: SymbolTable) -> None:
    assert symbols.wire_of("main.h.out") is None  # merged into main.hash by `hash <== h.out`


def test_unknown_name_raises_key_error(symbols: SymbolTable) -> None:
    with pytest.raises(KeyError, match="no signal named 'main.nope'"):
        symbols.wire_of("main.nope")


def test_agrees_with_the_r1cs_wire_to_label_map(snarkjs_preimage: SnarkjsArtifacts, symbols: SymbolTable) -> None:
    r1cs = R1cs.load(snarkjs_preimage.r1cs)
    assert len(symbols) == r1cs.n_labels - 1  # label 0 is the constant 1, not listed
    labels_on: dict[int, set[int]] = {}
    for s in symbols.symbols:
        assert s.wire < r1cs.n_wires
        labels_on.setdefault(s.wire, set()).add(s.label)
    for wire in range(1, r1cs.n_wires):
        assert r1cs.wire_to_label[wire] in labels_on[wire]


def test_rejects_malformed_line_with_its_number() -> None:
    with pytest.raises(FormatError, match=r"x.sym: line 2 is not 'label,wire,component,name'"):
        SymbolTable.parse("1,1,0,main.a\n2,two,0,main.b\n", name="x.sym")
    with pytest.raises(FormatError, match="line 1 has a negative index"):
        SymbolTable.parse("1,-2,0,main.a\n")
