"""A local development chain (anvil) and the connection object every chain call goes through.

:class:`LocalNode` starts the pinned anvil on a free loopback port and stops it again; it listens on
``127.0.0.1`` only, never on a public interface. :func:`connect` returns a :class:`ChainConnection`
to a node: a fresh local one when no URL is given (owned, stopped when the connection closes), or
any JSON-RPC endpoint.

Example:
    >>> with connect() as conn:
    ...     conn.chain_id
    31337
"""

from __future__ import annotations

import atexit
import collections
import json
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from types import TracebackType
from typing import IO, Any

from web3 import HTTPProvider, IPCProvider, Web3

from zkgov.errors import ChainError
from zkgov.snark._tools import spawn_tool

__all__ = ["ChainConnection", "LocalNode", "connect"]

_HOST = "127.0.0.1"
_PORT_ATTEMPTS = 5
_STDERR_LINES = 200


class LocalNode:
    """An anvil process on a free ``127.0.0.1`` port; a context manager.

    Args:
        chain_id: the chain id anvil reports (anvil's default is 31337).
        hardfork: the EVM hardfork anvil runs (``"cancun"`` matches solc's default target here).
        accounts: how many funded, unlocked dev accounts it creates.
        port: a fixed port (default: a free one, picked again if someone takes it first).
        startup_timeout: seconds to wait for its RPC to answer.
        extra_args: further anvil arguments.

    Raises:
        ChainError: (from :meth:`start`) anvil exited or did not answer in time; the message
            carries its standard error.
    """

    def __init__(
        self,
        *,
        chain_id: int = 31337,
        hardfork: str = "cancun",
        accounts: int = 10,
        port: int | None = None,
        startup_timeout: float = 30.0,
        extra_args: tuple[str, ...] = (),
    ) -> None:
        if chain_id < 1:
            raise ValueError(f"chain_id must be >= 1, got {chain_id}")
        self._chain_id = chain_id
        self._hardfork = hardfork
        self._accounts = accounts
        if port is not None and not 0 < port < 65536:
            raise ValueError(f"port must be in 1..65535, got {port}")
        self._fixed_port = port
        self._startup_timeout = startup_timeout
        self._extra_args = extra_args
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: collections.deque[str] = collections.deque(maxlen=_STDERR_LINES)
        self._port: int | None = None
        self._w3: Web3 | None = None
        self._drain_thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> LocalNode:
        """Start anvil and wait until it answers JSON-RPC; a no-op if it is running.

        A port picked free can be taken by someone else before anvil binds it; then anvil exits
        with "Address already in use" and another port is tried.
        """
        if self._proc is not None:
            return self
        last_error = ""
        for _ in range(_PORT_ATTEMPTS):
            port = self._fixed_port or _free_port()
            self._launch(port)
            try:
                self._wait_ready(port)
            except _PortInUse as exc:
                last_error = str(exc)
                self._reap()
                if self._fixed_port is not None:
                    raise ChainError(f"anvil could not bind {_HOST}:{port}:\n{last_error.strip()}") from None
                continue
            except BaseException:
                self.stop()
                raise
            self._port = port
            atexit.register(self.stop)
            return self
        raise ChainError(f"anvil could not bind a free port on {_HOST} in {_PORT_ATTEMPTS} tries:\n{last_error}")

    def stop(self) -> None:
        """Stop anvil: terminate, wait, kill if it does not exit. Safe to call more than once."""
        atexit.unregister(self.stop)
        self._reap()
        self._port = None
        self._w3 = None

    def __enter__(self) -> LocalNode:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """Whether the anvil process is alive."""
        return self._proc is not None and self._proc.poll() is None

    # -- what callers use ----------------------------------------------------------------------

    @property
    def rpc_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://{_HOST}:{self.port}"

    @property
    def port(self) -> int:
        if self._port is None:
            raise ChainError("the local node is not running; call start() or use it as a context manager")
        return self._port

    @property
    def chain_id(self) -> int:
        return self._chain_id

    @property
    def w3(self) -> Web3:
        """A web3 client for this node."""
        if self._w3 is None:
            self._w3 = _web3(self.rpc_url)
        return self._w3

    @property
    def accounts(self) -> list[str]:
        """The funded, unlocked dev accounts (checksummed)."""
        return [str(a) for a in self.w3.eth.accounts]

    @property
    def stderr(self) -> str:
        """The last lines anvil wrote to its standard error."""
        return "".join(self._stderr)

    # -- internals -----------------------------------------------------------------------------

    def _launch(self, port: int) -> None:
        self._stderr.clear()
        args = [
            "--host", _HOST,
            "--port", str(port),
            "--chain-id", str(self._chain_id),
            "--hardfork", self._hardfork,
            "--accounts", str(self._accounts),
            "--quiet",
            *self._extra_args,
        ]  # fmt: skip
        self._proc = spawn_tool("anvil", args)
        self._drain_thread = None
        if self._proc.stderr is not None:
            # Drain stderr on a thread so a chatty anvil never blocks on a full pipe.
            self._drain_thread = threading.Thread(target=_drain, args=(self._proc.stderr, self._stderr), daemon=True)
            self._drain_thread.start()

    def _wait_ready(self, port: int) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + self._startup_timeout
        url = f"http://{_HOST}:{port}"
        while True:
            code = self._proc.poll()
            if code is not None:
                self._proc.wait()
                if self._drain_thread is not None:
                    self._drain_thread.join(timeout=1)  # anvil's last words
                if "address already in use" in self.stderr.lower():
                    raise _PortInUse(self.stderr)
                raise ChainError(f"anvil exited with status {code} before answering RPC:\n{self.stderr.strip()}")
            answered = _rpc_chain_id(url)
            # Why the listener check: if someone else took the port, *they* may answer before our
            # anvil fails to bind it; only a socket held by our process counts.
            if answered is not None and self._owns_listener(port):
                if answered != self._chain_id:
                    raise ChainError(f"the node at {url} reports chain id {answered}, not {self._chain_id}")
                return
            if time.monotonic() > deadline:
                raise ChainError(
                    f"anvil did not answer RPC at {url} within {self._startup_timeout} s:\n{self.stderr.strip()}"
                )
            time.sleep(0.05)

    def _owns_listener(self, port: int) -> bool:
        """Whether our anvil (still running) holds the socket listening on ``port``.

        Why so strict: when the port is taken, the other node answers RPC while our anvil is
        failing to bind; if our process has already exited, /proc no longer shows its sockets,
        and that must not read as "cannot tell". Where /proc does not exist at all, a live process
        that answered is accepted (best effort).
        """
        assert self._proc is not None
        listens = _listens(self._proc.pid, port)
        if listens is not None:
            return listens
        return not os.path.isdir("/proc/self/fd") and self._proc.poll() is None

    def _reap(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        if proc.stderr is not None:
            proc.stderr.close()


class _PortInUse(Exception):
    pass


def _drain(stream: IO[bytes], sink: collections.deque[str]) -> None:
    try:
        for line in iter(stream.readline, b""):
            sink.append(line.decode(errors="replace"))
    except (OSError, ValueError):
        pass  # the pipe was closed by stop()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((_HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _listens(pid: int, port: int) -> bool | None:
    """Whether process ``pid`` holds a TCP socket listening on ``port``; ``None`` where /proc cannot tell."""
    try:
        fd_dir = f"/proc/{pid}/fd"
        links = [os.readlink(os.path.join(fd_dir, fd)) for fd in os.listdir(fd_dir)]
        with open(f"/proc/{pid}/net/tcp") as table:
            rows = table.read().splitlines()[1:]
    except OSError:
        return None
    inodes = {link[len("socket:[") : -1] for link in links if link.startswith("socket:[")}
    for row in rows:
        fields = row.split()
        local, state, inode = fields[1], fields[3], fields[9]
        if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port and inode in inodes:  # 0A: LISTEN
            return True
    return False


def _rpc_chain_id(url: str) -> int | None:
    """The node's ``eth_chainId``, or ``None`` while it does not answer."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=1) as response:
            return int(json.loads(response.read())["result"], 16)
    except (OSError, urllib.error.URLError, ValueError, KeyError):
        return None


def _web3(url: str) -> Web3:
    """A web3 client for an ``http(s)://`` URL or an IPC socket path."""
    if url.startswith(("http://", "https://")):
        return Web3(HTTPProvider(url, request_kwargs={"timeout": 60}))
    if url.endswith(".ipc") or os.path.exists(url):
        return Web3(IPCProvider(url, timeout=60))
    raise ValueError(f"rpc_url: {url!r} is neither an http(s):// URL nor an IPC socket path")


class ChainConnection:
    """A web3 client bound to one node, with the sender used by default; a context manager.

    Attributes:
        rpc_url: the node's JSON-RPC URL.
        w3: the web3 client.
        node: the :class:`LocalNode` this connection started and owns, or ``None``.
    """

    def __init__(self, rpc_url: str, *, node: LocalNode | None = None) -> None:
        self.rpc_url = rpc_url
        self.node = node
        self.w3: Web3 = node.w3 if node is not None else _web3(rpc_url)
        self._chain_id: int | None = None

    @property
    def chain_id(self) -> int:
        """The chain id the node reports (read once)."""
        if self._chain_id is None:
            self._chain_id = int(self.w3.eth.chain_id)
        return self._chain_id

    @property
    def accounts(self) -> list[str]:
        """Accounts the node signs for (anvil's dev accounts; often none on a public endpoint)."""
        return [str(a) for a in self.w3.eth.accounts]

    @property
    def default_sender(self) -> str:
        """The first account the node signs for.

        Raises:
            ChainError: the node manages no accounts.
        """
        accounts = self.accounts
        if not accounts:
            raise ChainError(f"the node at {self.rpc_url} manages no accounts; pass sender= explicitly")
        return accounts[0]

    def close(self) -> None:
        """Stop the owned local node, if any. Safe to call more than once."""
        if self.node is not None:
            self.node.stop()

    def __enter__(self) -> ChainConnection:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def connect(rpc_url: str | None = None, **node_options: Any) -> ChainConnection:
    """Connect to a node: a new :class:`LocalNode` when ``rpc_url`` is ``None``, else that URL.

    Args:
        rpc_url: an ``http(s)://`` JSON-RPC URL or an IPC socket path; ``None`` starts anvil (stopped
            when the connection closes).
        **node_options: passed to :class:`LocalNode` when one is started.

    Raises:
        ValueError: ``rpc_url`` is neither an HTTP URL nor an IPC path.
        ChainError: the node could not be started, or the URL does not answer JSON-RPC.
    """
    if rpc_url is None:
        node = LocalNode(**node_options).start()
        return ChainConnection(node.rpc_url, node=node)
    if node_options:
        raise ValueError(f"node options {sorted(node_options)} only apply when no rpc_url is given")
    conn = ChainConnection(rpc_url)  # ValueError for an unusable URL, before any I/O
    try:
        conn.chain_id
    except Exception as exc:  # web3 raises requests/aiohttp/value errors depending on the failure
        raise ChainError(f"no JSON-RPC node answers at {rpc_url}: {exc}") from exc
    return conn
