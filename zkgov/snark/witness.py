"""Witness computation in-process, from circom's WebAssembly witness generator (wasmtime).

This is a port of the ``witness_calculator.js`` that circom emits beside the wasm, so the result is
the same witness snarkjs computes (the ``.wtns`` bytes are identical). On top of it, inputs are
validated before the wasm sees them: unknown, missing and extra signals, wrong array lengths and
non-integer values are reported by name, and a failed ``assert`` / ``===`` is reported with the
template and line circom recorded.

Example:
    >>> calc = WitnessCalculator(compiled.wasm)          # doctest: +SKIP
    >>> witness = calc.compute({"a": 3, "b": [1, 2]})     # doctest: +SKIP
"""

from __future__ import annotations

import ctypes
import hashlib
import importlib.metadata
import os
import re
import threading
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import wasmtime

try:  # wasmtime-py's C bindings (the version is pinned): a call without per-call Python type checks
    from wasmtime import _ffi as _wasm_ffi
    from wasmtime._func import maybe_raise_last_exn as _raise_host_exception
except ImportError:  # pragma: no cover - another wasmtime-py layout: the checked calls below still work
    _wasm_ffi = None  # type: ignore[assignment]

from zkgov.errors import FormatError, InputError, WitnessError
from zkgov.snark._cache import cache_dir
from zkgov.snark.curve import R

__all__ = ["WitnessCalculator", "flatten_inputs", "fnv1a_64"]

_EXCEPTIONS = {
    1: "signal not found",
    2: "too many signals set",
    3: "signal already set",
    4: "assert failed",
    5: "not enough memory",
    6: "input signal array access exceeds the size",
    7: "out of bounds array access",
}
# decimal (snarkjs-style, optionally negative) or 0x-hex; no spaces, underscores or non-ASCII digits
_INTEGER = re.compile(r"(-?)(0|[1-9][0-9]*|0[xX][0-9a-fA-F]+)", re.ASCII)
_TEMPLATE_LINE = re.compile(r"Error in template (\w+?)(?:_\d+)? line: (\d+)")


def fnv1a_64(name: str) -> int:
    """The 64-bit FNV-1a hash circom's wasm uses to look up input signals by name."""
    h = 0xCBF29CE484222325
    for ch in name:
        h ^= ord(ch)
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def _value(raw: object, where: str) -> int:
    if isinstance(raw, bool) or raw is None or isinstance(raw, float):
        raise InputError(f"input {where}: expected an integer or a decimal string, got {raw!r}")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str):
        match = _INTEGER.fullmatch(raw)
        if not match:
            raise InputError(f"input {where}: {raw!r} is not an integer") from None
        sign, digits = match.group(1), match.group(2)
        value = int(digits, 16) if digits[:2].lower() == "0x" else int(digits, 10)
        value = -value if sign else value
    else:
        raise InputError(f"input {where}: expected an integer or a decimal string, got {type(raw).__name__}")
    # Why: values >= r would be silently reduced mod r, so two different inputs could give the same
    # witness; negative values are the usual circom convention for r - |v| and are accepted.
    if not -R < value < R:
        raise InputError(f"input {where}: {value} is outside the scalar field (|value| must be < r)")
    return value % R


def flatten_inputs(inputs: Mapping[str, Any]) -> dict[str, list[int]]:
    """Flatten nested inputs the way circom names them: ``a.b`` for buses/structs, arrays flattened
    in row-major order. Values become field elements (negative values wrap mod r)."""
    if not isinstance(inputs, Mapping):
        raise InputError(f"inputs must be a mapping of signal names to values, got {type(inputs).__name__}")
    flat: dict[str, list[int]] = {}

    def leaves(value: Any, where: str) -> list[int]:
        if isinstance(value, (list, tuple)):
            out: list[int] = []
            for i, item in enumerate(value):
                out.extend(leaves(item, f"{where}[{i}]"))
            return out
        return [_value(value, where)]

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise InputError(f"input names must be strings, got {key!r}")
                walk(f"{prefix}.{key}" if prefix else key, item)
        else:
            flat[prefix] = leaves(value, prefix)

    walk("", inputs)
    return flat


try:
    _WASMTIME_VERSION = importlib.metadata.version("wasmtime")
except importlib.metadata.PackageNotFoundError:  # pragma: no cover - vendored installs
    _WASMTIME_VERSION = "unknown"


@cache
def _module(path: str, mtime_ns: int) -> tuple[wasmtime.Engine, wasmtime.Module]:
    del mtime_ns  # cache key only: a recompiled file is reloaded
    engine = wasmtime.Engine()
    data = Path(path).read_bytes()
    # Compiling circom's wasm to machine code takes most of a first witness (~1 s for a few
    # thousand constraints); the compiled module is cached by the wasm's hash and wasmtime's version.
    digest = hashlib.sha256(data + _WASMTIME_VERSION.encode()).hexdigest()
    compiled = cache_dir("wasm") / f"{digest}.cwasm"
    if compiled.is_file():
        try:
            return engine, wasmtime.Module.deserialize(engine, compiled.read_bytes())
        except wasmtime.WasmtimeError:
            compiled.unlink(missing_ok=True)  # another engine configuration: compile again
    try:
        module = wasmtime.Module(engine, data)
    except wasmtime.WasmtimeError as exc:
        raise FormatError(f"{path}: not a valid circom witness generator ({exc})") from None
    staging = compiled.with_name(f".{compiled.name}.{os.getpid()}")
    staging.write_bytes(module.serialize())
    staging.replace(compiled)
    return engine, module


class _Abort(Exception):
    """Raised from the wasm's exceptionHandler import to unwind out of the wasm call."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class _I32Call:
    """An exported wasm function of i32 arguments, called through wasmtime's unchecked C entry point.

    Why: wasmtime-py's ``Func.__call__`` re-reads the function type and converts every argument on
    each call (~15 µs); reading a 65k-wire witness is one call per wire, so those checks were 90 % of
    the witness time. The type is checked once here instead, which is what makes the unchecked call
    sound. Traps and host exceptions (our ``_Abort``) are raised exactly as ``Func.__call__`` does.
    """

    def __init__(self, store: wasmtime.Store, func: wasmtime.Func, n_params: int, n_results: int) -> None:
        ty = func.type(store)
        i32 = wasmtime.ValType.i32()
        if len(ty.params) != n_params or len(ty.results) != n_results or any(t != i32 for t in (*ty.params, *ty.results)):
            raise FormatError(f"unexpected wasm export signature {ty.params} -> {ty.results}")
        self._slow = func if _wasm_ffi is None else None
        self._store = store
        if _wasm_ffi is not None:
            self._context = store._context()
            self._func = ctypes.byref(func._func)
            self._size = max(n_params, n_results, 1)
            self._values = (_wasm_ffi.wasmtime_val_raw_t * self._size)()
            self._trap = ctypes.POINTER(_wasm_ffi.wasm_trap_t)()
            self._trap_ref = ctypes.byref(self._trap)
            self._call = _wasm_ffi.dll.wasmtime_func_call_unchecked
        self._returns = n_results == 1

    def __call__(self, *args: int) -> int:
        if self._slow is not None:  # pragma: no cover - see the import above
            result = self._slow(self._store, *args)
            return int(result) if self._returns else 0
        values = self._values
        for k, arg in enumerate(args):
            values[k].i32 = arg - (1 << 32) if arg >= 1 << 31 else arg
        error = self._call(self._context, self._func, values, self._size, self._trap_ref)
        if error or self._trap:
            self._fail(error)
        return values[0].i32 if self._returns else 0

    def _fail(self, error: Any) -> None:
        if self._trap:
            trap = wasmtime.Trap._from_ptr(self._trap)
            _raise_host_exception()
            raise trap
        _raise_host_exception()
        raise wasmtime.WasmtimeError._from_ptr(error)


class WitnessCalculator:
    """Computes witnesses for one compiled circuit (its ``.wasm``).

    Instances are cheap to call repeatedly; each call gets a fresh wasm instance (circom's generator
    is not re-entrant), and a lock makes an instance safe to share between threads.

    Args:
        wasm: the circuit's witness generator (``circuit.wasm``).
        input_names: the names of the circuit's input signals, if known (used for "missing input"
            messages; see :meth:`from_compiled`).
    """

    def __init__(self, wasm: str | Path, *, input_names: Sequence[str] | None = None) -> None:
        path = Path(wasm)
        if not path.is_file():
            raise FileNotFoundError(f"witness generator not found: {path}")
        self.path = path
        self._engine, self._module = _module(str(path.resolve()), path.stat().st_mtime_ns)
        self._lock = threading.Lock()
        self.input_names: tuple[str, ...] | None = tuple(input_names) if input_names is not None else None
        store, exports, _ = self._instantiate()
        self.n32 = int(exports["getFieldNumLen32"](store))
        exports["getRawPrime"](store)
        self.prime = self._read_shared(store, exports)
        if self.prime != R:
            raise FormatError(f"{path}: circuit is over a field other than BN254's scalar field")
        self.witness_size = int(exports["getWitnessSize"](store))
        self.input_size = int(exports["getInputSize"](store))
        self.version = (int(exports["getVersion"](store)), int(exports["getMinorVersion"](store)))

    @classmethod
    def for_circuit(cls, wasm: str | Path, sym: str | Path, *, n_outputs: int, n_inputs: int) -> WitnessCalculator:
        """A calculator that knows the circuit's input names, read from the ``.sym`` file.

        circom numbers signals (labels) as ``1``, then outputs, then public and private inputs, before
        optimisation; so the ``main.*`` names of labels ``n_outputs+1 .. n_outputs+n_inputs`` are the
        inputs (array elements folded into their base name), including an unused input the optimiser
        removed from the witness (its wire is -1, yet circom still expects a value for it).
        """
        first, last = n_outputs + 1, n_outputs + n_inputs
        names: list[str] = []
        for line in Path(sym).read_text().splitlines():
            parts = line.split(",", 3)
            if len(parts) != 4 or not parts[3].startswith("main."):
                continue
            try:
                label = int(parts[0])
            except ValueError:
                raise FormatError(f"{sym}: malformed line {line!r}") from None
            base = parts[3][len("main.") :].split("[", 1)[0]
            if first <= label <= last and base not in names:
                names.append(base)
        return cls(wasm, input_names=names)

    def _instantiate(self) -> tuple[wasmtime.Store, Any, list[str]]:
        store = wasmtime.Store(self._engine)
        messages: list[str] = []
        holder: dict[str, Any] = {}

        def message() -> str:
            chars = []
            get = holder["exports"]["getMessageChar"]
            c = int(get(store))
            while c != 0:
                chars.append(chr(c))
                c = int(get(store))
            return "".join(chars)

        def exception_handler(code: int) -> None:
            raise _Abort(code)

        def print_error() -> None:
            messages.append(message())

        def write_buffer() -> None:
            message()  # circom `log()` output: consumed, not printed

        def show_memory() -> None:
            return None

        i32 = wasmtime.ValType.i32()
        funcs = {
            "exceptionHandler": wasmtime.Func(store, wasmtime.FuncType([i32], []), exception_handler),
            "printErrorMessage": wasmtime.Func(store, wasmtime.FuncType([], []), print_error),
            "writeBufferMessage": wasmtime.Func(store, wasmtime.FuncType([], []), write_buffer),
            "showSharedRWMemory": wasmtime.Func(store, wasmtime.FuncType([], []), show_memory),
        }
        imports = []
        for imp in self._module.imports:
            if imp.module != "runtime" or imp.name not in funcs:
                raise FormatError(f"{self.path}: unexpected wasm import {imp.module}.{imp.name}")
            imports.append(funcs[imp.name])
        instance = wasmtime.Instance(store, self._module, imports)
        exports = instance.exports(store)
        holder["exports"] = exports
        return store, exports, messages

    def _read_shared(self, store: wasmtime.Store, exports: Any) -> int:
        read = exports["readSharedRWMemory"]
        value = 0
        for j in range(self.n32 - 1, -1, -1):
            value = (value << 32) | (int(read(store, j)) & 0xFFFFFFFF)
        return value

    def compute(self, inputs: Mapping[str, Any]) -> list[int]:
        """The full witness (``w[0] == 1``, then outputs, public inputs, private inputs, internals).

        Raises:
            InputError: an unknown, missing or extra input signal, a wrong array length, a value that
                is not an integer in the field.
            WitnessError: the circuit rejected the inputs (a failed assert or constraint).
        """
        flat = flatten_inputs(inputs)
        with self._lock:
            store, exports, messages = self._instantiate()
            try:
                exports["init"](store, 1)
                self._set_inputs(store, exports, flat)
            except _Abort as abort:
                raise self._witness_error(abort.code, messages, inputs) from None
            except wasmtime.Trap as trap:
                cause = trap.__cause__
                if not isinstance(cause, _Abort):
                    raise WitnessError(f"witness generator trapped: {trap}", inputs=dict(inputs)) from None
                raise self._witness_error(cause.code, messages, inputs) from None
            return self._read_witness(store, exports)

    def _set_inputs(self, store: wasmtime.Store, exports: Any, flat: Mapping[str, list[int]]) -> None:
        size_of = exports["getInputSignalSize"]
        write = _I32Call(store, exports["writeSharedRWMemory"], 2, 0)
        set_signal = _I32Call(store, exports["setInputSignal"], 3, 0)
        sizes: dict[str, int] = {}
        for name, values in flat.items():
            h = fnv1a_64(name)
            hi, lo = h >> 32, h & 0xFFFFFFFF
            size = int(size_of(store, hi, lo))
            if size <= 0 or (self.input_names is not None and name not in self.input_names):
                known = f"; the circuit's inputs are {', '.join(self.input_names)}" if self.input_names else ""
                raise InputError(f"unknown input signal {name!r}{known}")
            if len(values) != size:
                raise InputError(f"input {name!r} needs {size} value(s), got {len(values)}")
            sizes[name] = size
        if self.input_names is not None:
            missing = [n for n in self.input_names if n not in flat]
            if missing:
                raise InputError(f"missing input signal(s): {', '.join(missing)}")
        given = sum(sizes.values())
        if given < self.input_size:
            raise InputError(f"missing input values: {given} of the circuit's {self.input_size} were given")
        for name, values in flat.items():
            h = fnv1a_64(name)
            hi, lo = h >> 32, h & 0xFFFFFFFF
            for i, v in enumerate(values):
                for j in range(self.n32):
                    write(j, (v >> (32 * j)) & 0xFFFFFFFF)
                set_signal(hi, lo, i)

    def _read_witness(self, store: wasmtime.Store, exports: Any) -> list[int]:
        get = _I32Call(store, exports["getWitness"], 1, 0)
        memory = exports["memory"]
        start = int(exports["getSharedRWMemoryStart"](store))
        n8 = self.n32 * 4
        if start < 0 or start + n8 > memory.data_len(store):
            raise FormatError(f"{self.path}: shared memory at {start} lies outside the wasm memory")
        # getWitness copies wire i (normal form, little-endian) to the shared memory; it never grows
        # the memory, so its address stays valid for the whole loop.
        shared = ctypes.addressof(memory.data_ptr(store).contents) + start
        out = bytearray(n8 * self.witness_size)
        target = (ctypes.c_char * len(out)).from_buffer(out)
        base = ctypes.addressof(target)
        for i in range(self.witness_size):
            get(i)
            ctypes.memmove(base + i * n8, shared, n8)
        del target  # release the export of `out`
        view = memoryview(out)
        return [int.from_bytes(view[k : k + n8], "little") for k in range(0, len(out), n8)]

    def _witness_error(self, code: int, messages: list[str], inputs: Mapping[str, Any]) -> WitnessError:
        kind = _EXCEPTIONS.get(code, f"unknown error {code}")
        detail = " ".join(m.strip() for m in messages if m.strip())
        match = _TEMPLATE_LINE.search(detail)
        template = match.group(1) if match else None
        line = int(match.group(2)) if match else None
        where = f" in template {template} at line {line}" if match else ""
        text = f"the circuit rejected the inputs: {kind}{where}"
        if detail:
            text += f" ({detail})"
        return WitnessError(text, template=template, line=line, inputs=dict(inputs))
