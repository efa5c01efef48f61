"""A ballot relay: voters hand proven ballots to a relayer, which sends them from its own account.

A ballot proof says the voter is a group member without saying which; the account that sends the
transaction would say it again. So a voter posts the ballot's ABI arguments to a relay and the
relay's account pays and sends. The relay cannot alter a ballot: every field is a public signal of
the proof (or the proof itself), so a changed ballot no longer verifies.

:class:`RelayServer` serves, over HTTP (stdlib ``ThreadingHTTPServer``):

* ``POST /v1/relay`` with ``{"function": "castBallot", "args": [...]}``: the arguments as the
  function's ABI JSON (unsigned integers as JSON numbers, decimal strings or ``0x`` hex strings:
  JavaScript clients cannot hold 254-bit numbers; never floats, which would round). Only the
  functions in ``functions`` (default :data:`RELAYABLE_FUNCTIONS`) are relayed. The call is
  simulated first (``eth_call``); one that would revert is refused with HTTP 422 and the decoded
  custom error, so the relayer never pays for a bad ballot. Otherwise it is sent and the answer
  carries the transaction hash, block, gas used and status. Malformed requests get HTTP 400 with
  a message naming the problem.
* ``GET /v1/health``: the relayer's address, the chain id, the contract and the functions.

:func:`relay_call` is the client; :func:`cast_ballot_args` turns what
:meth:`VotingClient.cast_ballot <zkgov.voting.chain.VotingClient.cast_ballot>` takes into the
``castBallot`` arguments, and :class:`RelayedVotingClient` is a :class:`VotingClient` whose
ballots go through a relay (so :func:`zkgov.voting.election.cast_ballot` can relay).

The relayer is an account the node signs for (``eth_sendTransaction``: anvil's dev accounts, or a
node with an unlocked account). ``zkgov.chain`` does not sign locally, so a raw private key is
not supported.

Example:
    >>> with RelayServer(conn, voting.address, relayer) as server:
    ...     relay_call(server.url, "castBallot", cast_ballot_args(pid, n, h, root, ct, proof))
    {'function': 'castBallot', 'tx_hash': '0x…', 'block_number': 12, 'gas_used': 431234, 'status': 1, ...}
"""

from __future__ import annotations

import json
import logging
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Final

from eth_utils.address import is_address, to_checksum_address
from web3.exceptions import MismatchedABI, Web3ValidationError

from zkgov.chain.contracts import DeployedContract
from zkgov.chain.node import ChainConnection
from zkgov.errors import ChainError, ContractRevertError, InputError
from zkgov.snark.proof import Proof
from zkgov.chain.args import field_arg, fields_arg, int_arg, proof_args
from zkgov.voting.chain import (
    CAST_BALLOT_GAS,
    CAST_DELEGATED_BALLOT_GAS,
    DELEGATE_GAS,
    MAX_OPTIONS,
    VotingClient,
    compile_voting_contracts,
)

__all__ = [
    "DEFAULT_RELAY_GAS",
    "MAX_BODY_BYTES",
    "RELAYABLE_FUNCTIONS",
    "RELAY_GAS",
    "RelayServer",
    "RelayedVotingClient",
    "cast_ballot_args",
    "relay_call",
    "relay_health",
]

#: The ``ZkVoting`` functions a relay sends by default: those whose caller must not matter.
RELAYABLE_FUNCTIONS: Final[tuple[str, ...]] = ("castBallot", "castDelegatedBallot", "delegate", "revokeDelegation")
#: Gas limits per relayed function. Explicit, not estimated: ``eth_estimateGas`` under-estimates
#: pairing checks (see :mod:`zkgov.chain.contracts`); unused gas is not paid for.
RELAY_GAS: Final[Mapping[str, int]] = {
    "castBallot": CAST_BALLOT_GAS,
    "castDelegatedBallot": CAST_DELEGATED_BALLOT_GAS,
    "delegate": DELEGATE_GAS,
    "revokeDelegation": 200_000,
}
#: The gas limit of a relayed function missing from :data:`RELAY_GAS`.
DEFAULT_RELAY_GAS: Final = CAST_BALLOT_GAS
#: The largest request body a relay reads (a ballot's JSON is about 4 KiB).
MAX_BODY_BYTES: Final = 64 * 1024

_API = "/v1"
_DRAIN_FACTOR = 16
_log = logging.getLogger("zkgov.relay")
_UINT = re.compile(r"^uint(\d*)$")
_INT = re.compile(r"^int(\d*)$")
_BYTES_N = re.compile(r"^bytes(\d+)$")
_ARRAY = re.compile(r"^(.*)\[(\d*)\]$")


class _Refused(Exception):
    """A request the relay answers with ``status`` and the JSON ``body`` (no transaction sent)."""

    def __init__(self, status: HTTPStatus, body: dict[str, Any]) -> None:
        super().__init__(body.get("message", ""))
        self.status = status
        self.body = body


def _bad(message: str) -> _Refused:
    return _Refused(HTTPStatus.BAD_REQUEST, {"error": "bad_request", "message": message})


def _reverted(exc: ContractRevertError, *, sent: bool) -> _Refused:
    """HTTP 422 with the decoded error; ``sent``: the transaction was mined (and paid) anyway."""
    return _Refused(HTTPStatus.UNPROCESSABLE_ENTITY, {
        "error": "reverted",
        "message": str(exc),
        "revert": {"name": exc.error_name, "args": _json_safe(exc.args_by_name)},
        "sent": sent,
    })


# --- ABI JSON arguments ---------------------------------------------------------------------------


def _short(value: object) -> str:
    try:
        text = repr(value)
    except RecursionError:
        return "<a deeply nested value>"
    return text if len(text) <= 80 else text[:77] + "..."


def _integer(value: object, where: str) -> int:
    """An exact integer from a JSON number or a decimal / ``0x`` hex string (never a float)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise _bad(f"{where}: expected an integer (a JSON integer or a decimal/0x string), got {_short(value)}")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if text.lower().startswith(("0x", "-0x")):
                return int(text, 16)
            if re.fullmatch(r"-?\d+", text):
                return int(text, 10)
        except ValueError:
            pass
        raise _bad(f"{where}: {_short(value)} is not a decimal or 0x-hex integer")
    raise _bad(f"{where}: expected an integer, got {type(value).__name__} {_short(value)}")


def _coerce(value: object, param: Mapping[str, Any], where: str) -> Any:
    """``value`` checked against one ABI parameter and converted for web3, losslessly."""
    kind = str(param["type"])
    array = _ARRAY.match(kind)
    if array:
        inner = {**param, "type": array.group(1)}
        if not isinstance(value, list):
            raise _bad(f"{where}: expected a list ({kind}), got {type(value).__name__} {_short(value)}")
        if array.group(2) and len(value) != int(array.group(2)):
            raise _bad(f"{where}: expected {array.group(2)} values ({kind}), got {len(value)}")
        return [_coerce(v, inner, f"{where}[{k}]") for k, v in enumerate(value)]
    if kind == "tuple":
        components = list(param.get("components", []))
        if isinstance(value, dict):
            names = [str(c.get("name", "")) for c in components]
            if sorted(value) != sorted(names):
                raise _bad(f"{where}: expected the fields {names}, got {sorted(value)}")
            value = [value[name] for name in names]
        if not isinstance(value, list) or len(value) != len(components):
            raise _bad(f"{where}: expected a list of {len(components)} fields, got {_short(value)}")
        return tuple(_coerce(v, c, f"{where}[{k}]") for k, (v, c) in enumerate(zip(value, components, strict=True)))
    unsigned, signed = _UINT.match(kind), _INT.match(kind)
    if unsigned or signed:
        match = unsigned or signed
        assert match is not None
        bits = int(match.group(1) or 256)
        number = _integer(value, where)
        low, high = (0, 1 << bits) if unsigned else (-(1 << (bits - 1)), 1 << (bits - 1))
        if not low <= number < high:
            raise _bad(f"{where}: {number} is out of range for {kind}")
        return number
    if kind == "address":
        if not isinstance(value, str) or not is_address(value):
            raise _bad(f"{where}: expected an address (0x + 40 hex digits), got {_short(value)}")
        return str(to_checksum_address(value))
    if kind == "bool":
        if not isinstance(value, bool):
            raise _bad(f"{where}: expected true or false, got {_short(value)}")
        return value
    if kind == "string":
        if not isinstance(value, str):
            raise _bad(f"{where}: expected a string, got {_short(value)}")
        return value
    fixed = _BYTES_N.match(kind)
    if fixed or kind == "bytes":
        if not isinstance(value, str) or not value.startswith("0x"):
            raise _bad(f"{where}: expected 0x-prefixed hex bytes, got {_short(value)}")
        try:
            data = bytes.fromhex(value[2:])
        except ValueError:
            raise _bad(f"{where}: {_short(value)} is not hex") from None
        if fixed and len(data) != int(fixed.group(1)):
            raise _bad(f"{where}: expected {fixed.group(1)} bytes ({kind}), got {len(data)}")
        return data
    raise _bad(f"{where}: the relay does not handle the ABI type {kind}")


def _function_abi(abi: Sequence[Mapping[str, Any]], name: str) -> Mapping[str, Any] | None:
    found = [e for e in abi if e.get("type") == "function" and e.get("name") == name]
    return found[0] if len(found) == 1 else None


def _json_safe(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    return value


# --- the server -----------------------------------------------------------------------------------


class RelayServer:
    """Relays whitelisted calls to one voting contract from one relayer account, over HTTP.

    Args:
        conn: the chain.
        voting: the ``ZkVoting`` address (its ABI is compiled from the repository) or a
            :class:`~zkgov.chain.contracts.DeployedContract` carrying the ABI to use.
        relayer: the sending account; the node must sign for it (``eth_sendTransaction``).
        host: the interface to listen on (default: loopback only).
        port: the port (0: a free one; see :attr:`port`).
        functions: the function names relayed (default :data:`RELAYABLE_FUNCTIONS`).
        gas_limits: gas limit per function (default :data:`RELAY_GAS`; others get
            :data:`DEFAULT_RELAY_GAS`).
        max_body: the largest request body read, in bytes.

    Raises:
        InputError: the relayer is not an account the node signs for, or a function is not a
            state-changing function of the contract.

    Calls are simulated and sent one at a time (why: two copies of one ballot arriving together
    would both pass the simulation, and the second would be paid for and revert on chain).
    """

    def __init__(
        self,
        conn: ChainConnection,
        voting: str | DeployedContract,
        relayer: str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        functions: Iterable[str] = RELAYABLE_FUNCTIONS,
        gas_limits: Mapping[str, int] = RELAY_GAS,
        max_body: int = MAX_BODY_BYTES,
    ) -> None:
        if isinstance(voting, DeployedContract):
            self.contract = voting
        else:
            if not isinstance(voting, str) or not is_address(voting):
                raise InputError(f"voting: expected the contract's address (0x + 40 hex digits), got {voting!r}")
            compiled = compile_voting_contracts()
            self.contract = DeployedContract(conn, voting, compiled["ZkVoting"].abi, name="ZkVoting").with_errors(
                compiled["IGroth16Verifier"].abi
            )
        self.conn = conn
        if not isinstance(relayer, str) or not is_address(relayer):
            raise InputError(f"relayer: expected an address (0x + 40 hex digits), got {relayer!r}")
        self.relayer = str(to_checksum_address(relayer))
        if self.relayer not in {str(to_checksum_address(a)) for a in conn.accounts}:
            raise InputError(
                f"relayer: the node at {conn.rpc_url} does not sign for {self.relayer} (the relay sends with "
                "eth_sendTransaction; zkgov.chain has no local signing, so use an account the node unlocks)"
            )
        self.functions: tuple[str, ...] = tuple(functions)
        for name in self.functions:
            entry = _function_abi(self.contract.abi, name)
            if entry is None or entry.get("stateMutability") in ("view", "pure"):
                raise InputError(
                    f"functions: {name!r} is not a (single, state-changing) function of {self.contract.name}"
                )
        self.gas_limits = dict(gas_limits)
        if isinstance(max_body, bool) or not isinstance(max_body, int) or max_body < 1:
            raise InputError(f"max_body: expected a positive int, got {max_body!r}")
        self.max_body = max_body
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._httpd = _HTTPServer((host, port), _Handler, self)

    # -- lifecycle -------------------------------------------------------------------------------

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        """The port it listens on (the one picked when constructed with ``port=0``)."""
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """``http://host:port``, what :func:`relay_call` takes."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> RelayServer:
        """Serve on a background thread; a no-op if it already does."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever, name="zkgov-relay", daemon=True)
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve on this thread until interrupted (``zkgov relay serve``)."""
        try:
            self._httpd.serve_forever()
        finally:
            self._httpd.server_close()

    def stop(self) -> None:
        """Stop serving and close the socket. Safe to call more than once."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._httpd.shutdown()
            thread.join(timeout=10)
        self._httpd.server_close()

    def __enter__(self) -> RelayServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- what the endpoints do -------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """What ``GET /v1/health`` answers."""
        return {
            "relayer": self.relayer,
            "chain_id": self.conn.chain_id,
            "contract": self.contract.address,
            "functions": list(self.functions),
        }

    def _relay(self, request: object) -> dict[str, Any]:
        """Check, simulate and send one request (the parsed JSON body of ``POST /v1/relay``).

        Raises:
            _Refused: a malformed request (400) or one the contract rejects (422).
            ChainError: the node failed.
        """
        if not isinstance(request, dict):
            raise _bad(f'expected a JSON object {{"function": ..., "args": [...]}}, got {type(request).__name__}')
        unknown = sorted(set(request) - {"function", "args"})
        if unknown:
            raise _bad(f"unknown fields {unknown}; expected only 'function' and 'args'")
        name = request.get("function")
        if not isinstance(name, str) or name not in self.functions:
            raise _bad(f"function: {_short(name)} is not relayed here; relayed: {list(self.functions)}")
        args = request.get("args")
        entry = _function_abi(self.contract.abi, name)
        assert entry is not None  # checked at construction
        inputs = list(entry.get("inputs", []))
        if not isinstance(args, list) or len(args) != len(inputs):
            shape = ", ".join(f"{i.get('name') or '?'}: {i['type']}" for i in inputs)
            raise _bad(f"args: {name} takes {len(inputs)} arguments ({shape}), got {_short(args)}")
        values = [_coerce(v, p, f"args[{k}]") for k, (v, p) in enumerate(zip(args, inputs, strict=True))]
        gas = self.gas_limits.get(name, DEFAULT_RELAY_GAS)
        with self._lock:
            try:
                # Why simulate first: a reverting transaction would still cost the relayer its gas.
                self.contract.call(name, *values, gas=gas, sender=self.relayer)
            except ContractRevertError as exc:
                raise _reverted(exc, sent=False) from None
            except (MismatchedABI, Web3ValidationError, TypeError, ValueError) as exc:
                # web3 refused to encode what passed the checks above: still the caller's arguments.
                raise _bad(f"args do not encode for {name}: {exc}") from None
            try:
                receipt = self.contract.transact(name, *values, sender=self.relayer, gas=gas)
            except ContractRevertError as exc:  # the state changed between simulation and mining
                raise _reverted(exc, sent=True) from None
        return {
            "function": name,
            "tx_hash": "0x" + bytes(receipt["transactionHash"]).hex(),
            "block_number": int(receipt["blockNumber"]),
            "gas_used": int(receipt["gasUsed"]),
            "status": int(receipt["status"]),
            "relayer": self.relayer,
        }


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], relay: RelayServer) -> None:
        self.relay = relay
        super().__init__(address, handler)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "zkgov-relay/1"
    #: Seconds a client may take to send its request (a stalled client must not hold a thread).
    timeout = 30

    def log_message(self, format: str, *args: Any) -> None:
        # Why no client address: a relay that logs who sent which ballot undoes what it is for.
        _log.info("%s %s", self.command, format % args if args else format)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        _log.info("%s %s -> %s", self.command, self.path, code)

    def _answer(self, status: HTTPStatus, body: Mapping[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.rstrip("/") == f"{_API}/health":
            try:
                self._answer(HTTPStatus.OK, self.server.relay.health())
            except ChainError as exc:
                self._answer(HTTPStatus.BAD_GATEWAY, {"error": "chain", "message": str(exc)})
        else:
            self._answer(HTTPStatus.NOT_FOUND, {"error": "not_found", "message": f"no endpoint GET {self.path}"})

    def do_POST(self) -> None:
        if self.path.rstrip("/") != f"{_API}/relay":
            self.close_connection = True
            self._answer(HTTPStatus.NOT_FOUND, {"error": "not_found", "message": f"no endpoint POST {self.path}"})
            return
        try:
            request = self._body()
            self._answer(HTTPStatus.OK, self.server.relay._relay(request))
        except _Refused as refused:
            self._answer(refused.status, refused.body)
        except ChainError as exc:
            self._answer(HTTPStatus.BAD_GATEWAY, {"error": "chain", "message": str(exc)})
        except Exception as exc:  # an answer, not a dropped connection; the details go to the log
            _log.exception("relaying failed")
            self._answer(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "internal", "message": type(exc).__name__})

    def _body(self) -> object:
        length_header = self.headers.get("Content-Length")
        if length_header is None or not length_header.strip().isdigit():
            self.close_connection = True
            raise _Refused(HTTPStatus.LENGTH_REQUIRED, {"error": "length_required",
                                                        "message": "a Content-Length header is required"})
        length = int(length_header)
        limit = self.server.relay.max_body
        if length > limit:
            self.close_connection = True
            if length <= _DRAIN_FACTOR * limit:
                # Read (and drop) a moderately large body so the client gets the 413, not a reset.
                for start in range(0, length, limit):
                    self.rfile.read(min(limit, length - start))
            raise _Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {
                "error": "too_large", "message": f"the body has {length} bytes; the limit is {limit}"})
        raw = self.rfile.read(length)
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise _bad(f"the body is not JSON: {exc}") from None
        except RecursionError:
            raise _bad("the body nests too deeply") from None


# --- the client -----------------------------------------------------------------------------------


def _endpoint(url: str, path: str) -> str:
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise InputError(f"url: expected the relay's http(s):// URL, got {url!r}")
    base = url.rstrip("/")
    for known in (f"{_API}/relay", f"{_API}/health"):
        base = base.removesuffix(known)
    return base + path


def relay_call(url: str, function: str, args: Sequence[Any], *, timeout: float = 120.0) -> dict[str, Any]:
    """Ask the relay at ``url`` to send ``function(args)``; returns its answer (tx hash, block, gas).

    Args:
        url: the relay's base URL (``http://host:port``; a ``/v1/relay`` suffix is accepted).
        function: the contract function.
        args: its ABI JSON arguments (see :func:`cast_ballot_args`).
        timeout: seconds to wait (the relay waits for the transaction to be mined).

    Raises:
        ContractRevertError: the contract would reject it (the relay sent nothing); ``error_name``
            and ``args_by_name`` as the relay decoded them.
        InputError: the relay refused the request as malformed (its message says why).
        ChainError: the relay cannot be reached, or it failed (its message, if any).
    """
    endpoint = _endpoint(url, f"{_API}/relay")
    body = json.dumps({"function": function, "args": _json_safe(list(args))}).encode()
    request = urllib.request.Request(endpoint, data=body, headers={"Content-Type": "application/json"}, method="POST")
    return _exchange(request, endpoint, timeout)


def relay_health(url: str, *, timeout: float = 10.0) -> dict[str, Any]:
    """The relay's ``GET /v1/health`` answer (relayer, chain id, contract, functions)."""
    endpoint = _endpoint(url, f"{_API}/health")
    return _exchange(urllib.request.Request(endpoint, method="GET"), endpoint, timeout)


def _exchange(request: urllib.request.Request, endpoint: str, timeout: float) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        try:
            refusal = json.loads(exc.read())
        except (ValueError, OSError):
            refusal = {}
        message = refusal.get("message") if isinstance(refusal, dict) else None
        text = f"relay {endpoint} answered {exc.code}: {message or exc.reason}"
        if exc.code == HTTPStatus.UNPROCESSABLE_ENTITY and isinstance(refusal.get("revert"), dict):
            revert = refusal["revert"]
            decoded = revert.get("args") if isinstance(revert.get("args"), dict) else {}
            raise ContractRevertError(text, error_name=revert.get("name"), args=decoded) from None
        if 400 <= exc.code < 500:
            raise InputError(text) from None
        raise ChainError(text) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ChainError(f"relay {endpoint} cannot be reached: {reason}") from None
    except ValueError as exc:
        raise ChainError(f"relay {endpoint} answered with something that is not JSON: {exc}") from None
    if not isinstance(answer, dict):
        raise ChainError(f"relay {endpoint} answered {_short(answer)}, not a JSON object")
    return answer


# --- ballots --------------------------------------------------------------------------------------


def cast_ballot_args(
    proposal_id: int,
    nullifier: int,
    ballot_hash: int,
    root: int,
    ciphertext_coords: Sequence[int],
    proof: Proof,
) -> list[Any]:
    """The ``castBallot`` ABI JSON arguments for what :meth:`VotingClient.cast_ballot` takes.

    ``[proposalId, [nullifier, ballotHash, root, ct[16]], a, b, c]``, B in the EVM's coordinate
    order; integers stay Python ints (exact in JSON).

    Raises:
        InputError: an argument is malformed.
    """
    pid = int_arg(proposal_id, "proposal_id", 0, 1 << 256)
    ct = fields_arg(ciphertext_coords, 4 * MAX_OPTIONS, "ciphertext_coords")
    ballot = [field_arg(nullifier, "nullifier"), field_arg(ballot_hash, "ballot_hash"), field_arg(root, "root"), list(ct)]
    a, b, c = proof_args(proof, ())
    return [pid, ballot, a, b, c]


class RelayedVotingClient(VotingClient):
    """A :class:`VotingClient` whose transactions go through a relay (reads go to the chain as
    usual), so :mod:`zkgov.voting.election`'s steps relay ballots, delegations and revocations.

    Args:
        contract: the deployed ``ZkVoting``.
        relay_url: the relay's URL.
        timeout: seconds to wait for the relay.
        error_abis: as for :class:`VotingClient`.
    """

    def __init__(
        self,
        contract: DeployedContract,
        relay_url: str,
        *,
        timeout: float = 120.0,
        error_abis: Iterable[Sequence[Mapping[str, Any]]] = (),
    ) -> None:
        super().__init__(contract, error_abis=error_abis)
        _endpoint(relay_url, "")
        self.relay_url = relay_url
        self.timeout = timeout

    def _send(self, fn: str, args: tuple[Any, ...], sender: str | None, gas: int) -> dict[str, Any]:
        """Every transaction of the client goes to the relay (ballots, delegated ballots,
        delegations, revocations); returns the relay's answer (``tx_hash``, ``block_number``,
        ``gas_used``, ``status``).

        Raises:
            InputError: ``sender`` was given (the relayer sends).
            ContractRevertError: the contract would reject it (nothing was sent).
            ChainError: the relay cannot be reached or failed.
        """
        if sender is not None:
            raise InputError(f"sender: a relayed {fn} is sent by the relayer's account; do not pass one")
        return relay_call(self.relay_url, fn, _as_json(args), timeout=self.timeout)


def _as_json(value: Any) -> Any:
    """ABI arguments as JSON values: tuples and lists become lists, integers stay exact."""
    if isinstance(value, tuple | list):
        return [_as_json(v) for v in value]
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else value
