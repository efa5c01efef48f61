"""Read and write the iden3 binary formats circom and snarkjs exchange.

``.r1cs`` (:class:`R1cs`), ``.sym`` (:class:`SymbolTable`), ``.wtns`` (:class:`Witness`), Groth16
``.zkey`` (:class:`Zkey`) and ``.ptau`` (:class:`Ptau`, :func:`read_ptau_header`), all on the shared
container in :mod:`~zkgov.snark.formats.binfile`. Every file read here writes back byte for byte;
a truncated, corrupt or wrong-kind file raises :class:`~zkgov.errors.FormatError` naming the file
and the problem.
"""

from zkgov.snark.formats.binfile import BinFile, Section, encode_binfile, read_binfile_header, write_binfile
from zkgov.snark.formats.ptau import Ptau, PtauInfo, read_ptau_header, required_power
from zkgov.snark.formats.r1cs import Constraint, LinearCombination, R1cs
from zkgov.snark.formats.sym import Symbol, SymbolTable
from zkgov.snark.formats.wtns import Witness
from zkgov.snark.formats.zkey import ZKEY_PROTOCOLS, Zkey

__all__ = [
    "BinFile",
    "Constraint",
    "LinearCombination",
    "Ptau",
    "PtauInfo",
    "R1cs",
    "Section",
    "Symbol",
    "SymbolTable",
    "Witness",
    "ZKEY_PROTOCOLS",
    "Zkey",
    "encode_binfile",
    "read_binfile_header",
    "read_ptau_header",
    "required_power",
    "write_binfile",
]
