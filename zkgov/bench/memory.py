"""Peak resident memory of one prove, measured in a fresh process.

The prove runs in a new Python interpreter (``multiprocessing`` with the ``spawn`` start method:
no fork of this process, its threads or its heap). There:

* an in-process backend (the native core) by the growth of the interpreter's peak RSS during the
  call: ``VmHWM`` (reset by writing 5 to ``/proc/self/clear_refs`` after the imports and the witness
  load) minus the ``VmRSS`` before it — what the prove itself added; a fresh process has no
  freed-but-resident heap from earlier proofs to hide it (Linux only);
* a backend that runs a child (snarkjs under node) by ``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the
  whole node process, as ``/usr/bin/time -v`` would report it.

Why not in this process: ``ru_maxrss`` never goes down, and memory freed by earlier proofs stays
resident in the allocator, so growth over the current RSS reads near zero; and
``RUSAGE_CHILDREN`` is a maximum over every child ever reaped (an earlier circom or setup run would
hide the prover). ``tracemalloc`` would miss Rust's allocations.
"""

from __future__ import annotations

import multiprocessing
import resource
import tempfile
from pathlib import Path

from zkgov.bench.records import BenchError
from zkgov.snark.formats.wtns import Witness

__all__ = ["CHILD_METHOD", "IN_PROCESS_METHOD", "method_for", "prove_peak_mb"]

CHILD_METHOD = "peak RSS of the prover's node process (ru_maxrss, fresh parent)"
IN_PROCESS_METHOD = "peak RSS growth during the prove in a fresh Python process (VmHWM reset, imports excluded)"
_TIMEOUT = 6 * 3600


def method_for(backend: str) -> str:
    """How :func:`prove_peak_mb` measures ``backend``."""
    return CHILD_METHOD if backend == "snarkjs" else IN_PROCESS_METHOD


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise BenchError(f"/proc/self/status has no {field}")


def _child(backend: str, zkey: str, wtns: str, conn: "multiprocessing.connection.Connection") -> None:
    try:
        from zkgov.snark.prover import prove

        loaded = Witness.load(wtns)
        before = _status_kib("VmRSS")
        # reset the kernel's high-water mark (VmHWM) to the current RSS: import-time peaks drop out
        Path("/proc/self/clear_refs").write_text("5")
        prove(zkey, loaded, backend=backend)
        if backend == "snarkjs":
            conn.send(("ok", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
        else:
            conn.send(("ok", max(0, _status_kib("VmHWM") - before)))
    except Exception as exc:  # reported to the parent, which raises
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def prove_peak_mb(backend: str, zkey: Path, witness: Witness) -> float:
    """Prove once with ``backend`` in a fresh process; its peak RSS in MiB (see the module docstring).

    Raises:
        BenchError: the prove failed or the process died.
    """
    ctx = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="zkgov-bench-mem-") as tmp:
        wtns = Path(tmp) / "witness.wtns"
        witness.save(wtns)
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(backend, str(Path(zkey).resolve()), str(wtns), child), daemon=True)
        proc.start()
        child.close()
        try:
            if not parent.poll(_TIMEOUT):
                raise BenchError(f"{backend}: the memory-measuring prove did not finish")
            status, value = parent.recv()
        except EOFError:
            raise BenchError(f"{backend}: the memory-measuring process died (exit {proc.exitcode})") from None
        finally:
            proc.join(timeout=60)
            parent.close()
    if status != "ok":
        raise BenchError(f"{backend}: prove failed while measuring memory: {value}")
    # ru_maxrss is in KiB on Linux
    return float(value) / 1024
