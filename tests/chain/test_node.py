import socket

import pytest

from zkgov.chain import LocalNode, connect
from zkgov.errors import ChainError


def _port_accepts(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_starts_on_a_loopback_port_and_answers_rpc():
    with LocalNode() as node:
        assert node.running
        assert node.rpc_url == f"http://127.0.0.1:{node.port}"
        assert node.w3.eth.chain_id == node.chain_id == 31337
        assert len(node.accounts) == 10
        assert node.w3.eth.get_balance(node.accounts[0]) > 0


def test_reports_the_chain_id_it_was_given():
    with LocalNode(chain_id=1337, accounts=2) as node:
        assert node.w3.eth.chain_id == 1337
        assert len(node.accounts) == 2


def test_a_second_node_runs_beside_the_first_on_another_port():
    with LocalNode() as first, LocalNode() as second:
        assert first.port != second.port
        first_account = first.accounts[0]
        tx = first.w3.eth.send_transaction({"from": first_account, "to": first.accounts[1], "value": 1})
        first.w3.eth.wait_for_transaction_receipt(tx)
        assert first.w3.eth.block_number == 1
        assert second.w3.eth.block_number == 0


def test_stop_frees_the_port_and_is_idempotent():
    node = LocalNode().start()
    port = node.port
    assert _port_accepts(port)
    node.stop()
    assert not node.running
    assert not _port_accepts(port)
    node.stop()
    with pytest.raises(ChainError, match="not running"):
        node.rpc_url


def test_start_twice_keeps_the_same_process():
    with LocalNode() as node:
        port = node.port
        assert node.start() is node
        assert node.port == port


def test_anvil_that_exits_at_startup_raises_chain_error_with_its_stderr():
    node = LocalNode(hardfork="no-such-fork")
    with pytest.raises(ChainError, match="no-such-fork") as info:
        node.start()
    assert "anvil exited" in str(info.value)
    assert not node.running


def test_rejects_chain_id_zero():
    with pytest.raises(ValueError, match="chain_id"):
        LocalNode(chain_id=0)


def test_connect_without_url_owns_a_node_and_close_stops_it():
    conn = connect()
    node = conn.node
    assert node is not None and node.running
    assert conn.chain_id == 31337
    assert conn.default_sender == conn.accounts[0]
    conn.close()
    assert not node.running
    conn.close()


def test_connect_with_url_uses_that_node_without_owning_it():
    with LocalNode(chain_id=4242) as node:
        with connect(node.rpc_url) as conn:
            assert conn.node is None
            assert conn.chain_id == 4242
        assert node.running


def test_connect_to_a_url_nobody_answers_raises_chain_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        with pytest.raises(ChainError, match="no JSON-RPC node answers"):
            connect(f"http://127.0.0.1:{port}")


def test_connect_refuses_a_url_it_cannot_speak_to():
    with pytest.raises(ValueError, match="rpc_url: 'ftp://example' is neither"):
        connect("ftp://example")


def test_fixed_port_already_served_by_another_node_is_an_error_not_a_false_start():
    with LocalNode(chain_id=31337) as other:
        clash = LocalNode(chain_id=31337, port=other.port)
        with pytest.raises(ChainError, match=f"could not bind 127.0.0.1:{other.port}") as info:
            clash.start()
        assert "Address already in use" in str(info.value)
        assert not clash.running
        assert other.running


def test_fixed_port_is_used_when_free():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with LocalNode(port=port) as node:
        assert node.port == port
        assert node.w3.eth.chain_id == 31337


def test_anvil_dies_with_the_process_that_started_it(tmp_path) -> None:
    """A Python process that starts a node and is then SIGKILLed leaves no anvil behind."""
    import os
    import signal
    import sys
    import time

    script = tmp_path / "child.py"
    script.write_text(
        "import sys, time\n"
        "from zkgov.chain import LocalNode\n"
        "node = LocalNode().start()\n"
        "print(node._proc.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    import subprocess as sp  # test harness only: the library's runner is not for Python children

    child = sp.Popen([sys.executable, str(script)], stdout=sp.PIPE, text=True)
    try:
        anvil_pid = int(child.stdout.readline())
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
        for _ in range(100):
            try:
                os.kill(anvil_pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            os.kill(anvil_pid, signal.SIGKILL)
            raise AssertionError("anvil outlived the process that started it")
    finally:
        if child.poll() is None:
            child.kill()
