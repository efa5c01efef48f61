"""The ballot relay on anvil with real ballot proofs: a relayed ballot lands from the relayer's
account, a refused one costs the relayer nothing, malformed requests are named."""

from __future__ import annotations

import http.client
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from zkgov.chain import ChainConnection, connect
from zkgov.chain.contracts import deploy_linked
from zkgov.crypto.merkle import LeanIMT
from zkgov.errors import ContractRevertError, InputError
from zkgov.identity import Identity
from zkgov.identity.chain import IdentityGroupClient, compile_identity_contracts
from zkgov.voting.ballot import Rule
from zkgov.voting.chain import ProposalParams, VotingClient
from zkgov.voting.election import CastBallot, VotingKeys, cast_ballot, deploy_election, voting_keys
from zkgov.voting.relay import (
    RELAYABLE_FUNCTIONS,
    RelayedVotingClient,
    RelayServer,
    cast_ballot_args,
    relay_call,
    relay_health,
)
from zkgov.voting.trustee import run_dkg

VOTERS = [Identity(bytes([150 + i]) * 32) for i in range(3)]


@dataclass
class World:
    conn: ChainConnection
    keys: VotingKeys
    client: VotingClient
    group: LeanIMT
    proposal: int
    relayer: str
    voter_account: str


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    keys = voting_keys()
    with connect() as conn:
        accounts = conn.accounts
        group_contract = IdentityGroupClient(deploy_linked(conn, compile_identity_contracts(), "IdentityGroup", 3600))
        group = LeanIMT()
        for voter in VOTERS:
            group_contract.add_member(voter.commitment)
            group.insert(voter.commitment)
        client = deploy_election(conn, keys)
        trustees, joint = run_dkg(3, 3, random.Random(7))
        now = int(conn.w3.eth.get_block("latest")["timestamp"])
        params = ProposalParams(
            options=3, rule=Rule.SINGLE.code, start_time=now, end_time=now + 3600, group=group_contract.address,
            trustees=tuple(accounts[5:8]), trustee_keys=tuple(k.public_key_share.as_tuple() for k in trustees),
            public_key=joint.as_tuple(),
        )
        proposal, _ = client.create_proposal(params)
        yield World(conn, keys, client, group, proposal, relayer=accounts[3], voter_account=accounts[1])


@pytest.fixture(scope="module")
def relay(world: World) -> Iterator[RelayServer]:
    with RelayServer(world.conn, world.client.address, world.relayer) as server:
        yield server


@pytest.fixture(scope="module")
def relayed(world: World, relay: RelayServer) -> CastBallot:
    """VOTERS[0]'s ballot, proven and relayed through election.cast_ballot."""
    client = RelayedVotingClient(world.client.contract, relay.url)
    return cast_ballot(client, world.proposal, VOTERS[0], world.group, [0, 1, 0], world.keys)


def _post(server: RelayServer, body: bytes, path: str = "/v1/relay") -> tuple[int, dict[str, Any]]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        connection.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_relayed_ballot_is_sent_by_the_relayer(world: World, relayed: CastBallot) -> None:
    tx = world.conn.w3.eth.get_transaction(relayed.receipt["tx_hash"])
    assert tx["from"] == world.relayer != world.voter_account
    receipt = world.conn.w3.eth.get_transaction_receipt(relayed.receipt["tx_hash"])
    (event,) = world.client.events(receipt, "BallotCast")
    assert event["nullifier"] == VOTERS[0].nullifier(world.proposal) == relayed.statement.nullifier
    assert relayed.receipt["status"] == 1 and relayed.receipt["gas_used"] == receipt["gasUsed"]
    assert world.client.nullifier_used(world.proposal, relayed.statement.nullifier)


def test_refuses_a_reused_nullifier_without_paying(world: World, relay: RelayServer, relayed: CastBallot) -> None:
    st = relayed.statement
    args = cast_ballot_args(world.proposal, st.nullifier, st.ballot_hash, st.root, st.ciphertexts, relayed.proof)
    eth = world.conn.w3.eth
    balance, nonce = eth.get_balance(world.relayer), eth.get_transaction_count(world.relayer)
    with pytest.raises(ContractRevertError) as info:
        relay_call(relay.url, "castBallot", args)
    assert info.value.error_name == "VotingNullifierUsed"
    assert info.value.args_by_name["nullifier"] == st.nullifier
    status, body = _post(relay, json.dumps({"function": "castBallot", "args": args}).encode())
    assert status == 422 and body["revert"]["name"] == "VotingNullifierUsed" and body["sent"] is False
    assert eth.get_balance(world.relayer) == balance  # no transaction was sent
    assert eth.get_transaction_count(world.relayer) == nonce


def test_a_second_voter_relays_with_string_integers(world: World, relay: RelayServer) -> None:
    # What a JavaScript client sends: 254-bit numbers as decimal strings; the ballot lands unchanged.
    def stringified(value: Any) -> Any:
        return [stringified(v) for v in value] if isinstance(value, list) else str(value)

    class StringRelay(RelayedVotingClient):
        def cast_ballot(self, proposal_id: int, nullifier: int, ballot_hash: int, root: int, ciphertext_coords: Any,
                        proof: Any, *, sender: str | None = None, gas: int = 0) -> dict[str, Any]:
            args = cast_ballot_args(proposal_id, nullifier, ballot_hash, root, ciphertext_coords, proof)
            return relay_call(self.relay_url, "castBallot", stringified(args))

    before = world.client.ballot_count(world.proposal)
    client = StringRelay(world.client.contract, relay.url)
    cast = cast_ballot(client, world.proposal, VOTERS[1], world.group, [0, 0, 1], world.keys)
    assert cast.receipt["status"] == 1 and world.client.ballot_count(world.proposal) == before + 1
    (record,) = [b for b in world.client.ballots(world.proposal) if b.nullifier == cast.statement.nullifier]
    assert record.ct == cast.statement.ciphertexts and record.ballot_hash == cast.statement.ballot_hash


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"{not json", "not JSON"),
        (b"[1, 2]", "JSON object"),
        (json.dumps({"function": "submitTally", "args": [1, [0, 0, 0, 0], [0, 0], [[0, 0], [0, 0]], [0, 0]]}).encode(),
         "not relayed here"),
        (json.dumps({"function": "nope", "args": []}).encode(), "not relayed here"),
        (json.dumps({"function": "castBallot", "args": [1]}).encode(), "takes 5 arguments"),
        (json.dumps({"function": "castBallot", "args": [1, [1, 2, 3, [0] * 15], [0, 0], [[0, 0], [0, 0]], [0, 0]]})
         .encode(), "args[1][3]: expected 16 values"),
        (json.dumps({"function": "castBallot", "args": [1.5, [1, 2, 3, [0] * 16], [0, 0], [[0, 0], [0, 0]], [0, 0]]})
         .encode(), "args[0]: expected an integer"),
        (json.dumps({"function": "castBallot", "args": [-1, [1, 2, 3, [0] * 16], [0, 0], [[0, 0], [0, 0]], [0, 0]]})
         .encode(), "out of range for uint256"),
        (json.dumps({"function": "castBallot", "args": [], "sender": "0x"}).encode(), "unknown fields ['sender']"),
        (b'{"function": "castBallot", "args": [' + b"[" * 30000 + b"]" * 30000 + b"]}", "takes 5 arguments"),
        (b'{"function": "castBallot", "args": [' + b"[" * 30000 + b"]" * 30000 + b", 1, 2, 3, 4]}",
         "args[0]: expected an integer"),
    ],
)
def test_refuses_malformed_requests_with_400(relay: RelayServer, body: bytes, expected: str) -> None:
    status, answer = _post(relay, body)
    assert status == 400 and expected in answer["message"], answer


def test_client_names_a_refused_request(relay: RelayServer) -> None:
    with pytest.raises(InputError, match="not relayed here"):
        relay_call(relay.url, "submitTally", [])
    with pytest.raises(InputError, match="404"):
        relay_call(relay.url + "/elsewhere", "castBallot", [])


def test_refuses_oversized_bodies_and_unknown_paths(world: World) -> None:
    with RelayServer(world.conn, world.client.address, world.relayer, max_body=1000) as small:
        status, answer = _post(small, b" " * 5000)
        assert status == 413 and "limit is 1000" in answer["message"]
        assert _post(small, b"{}", path="/v1/other")[0] == 404


def test_health(world: World, relay: RelayServer) -> None:
    assert relay_health(relay.url) == {
        "relayer": world.relayer, "chain_id": 31337, "contract": world.client.address,
        "functions": list(RELAYABLE_FUNCTIONS),
    }


def test_unreachable_relay_is_a_chain_error(relay: RelayServer) -> None:
    from zkgov.errors import ChainError

    with RelayServer(relay.conn, relay.contract, relay.relayer) as other:
        url = other.url
    with pytest.raises(ChainError, match="cannot be reached"):
        relay_call(url, "castBallot", [], timeout=5)


def test_constructor_checks_the_relayer_and_the_functions(world: World) -> None:
    with pytest.raises(InputError, match="does not sign for"):
        RelayServer(world.conn, world.client.address, "0x" + "12" * 20)
    with pytest.raises(InputError, match="state-changing"):
        RelayServer(world.conn, world.client.address, world.relayer, functions=("ballotCount",))
