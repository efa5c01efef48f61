"""ZkVoting on a real anvil: proposal validation (every ProposalProblem), the voting window, the
exact public signals handed to each verifier (context and Lagrange coefficient included), the
ballot hash chain against Python's Poseidon, the trustees' share protocol, the tally, every custom
error and access-control misuse, and gas.

Proofs are not checked here: test-only ConfigurableVerifier24/6/11 doubles (tests/contracts/) stand
in for the ballot, decryption-share and tally verifiers, returning a settable result or (echo mode)
reverting with the arguments they were given. End-to-end tests with real proofs live with the
circuits' tests.
"""

from __future__ import annotations

import inspect

import random
import re
from pathlib import Path
from dataclasses import replace
from typing import Any

import pytest
from eth_utils.address import to_checksum_address

from zkgov.chain import ChainConnection
from zkgov.chain.solc import VERIFIER_CONTRACTS_DIR
from zkgov.crypto.babyjub import BASE8, GENERATOR, SUBORDER, Point
from zkgov.crypto.poseidon import poseidon
from zkgov.crypto.shamir import lagrange_coefficients
from zkgov.errors import ContractRevertError, InputError
from zkgov.snark.context import context_hash
from zkgov.snark.curve import R, G1Point, G2Point
from zkgov.snark.proof import Proof, PublicSignals
from zkgov.voting.chain import (
    BallotRecord,
    ProposalParams,
    ProposalProblem,
    ShareRecord,
    VotingClient,
    chain_ballot_hashes,
    deploy_voting,
    lagrange_coefficient,
)

PROOF = Proof(G1Point.generator(), G2Point.generator(), G1Point.generator())
A, B, C, _ = PROOF.to_calldata(())
CT = tuple(range(1001, 1017))
ORDER_TWO = (0, R - 1)  # on Baby Jubjub, order 2: outside the prime-order subgroup
ZERO = "0x" + "00" * 20

VotingSetup = Any  # tests/voting/conftest.py's VotingSetup: voting, ballot_verifiers, share/tally_verifier, group


def _reverts(action: Any, name: str, **args: Any) -> ContractRevertError:
    with pytest.raises(ContractRevertError) as info:
        action()
    assert info.value.error_name == name, str(info.value)
    for key, value in args.items():
        assert info.value.args_by_name[key] == value, str(info.value)
    return info.value


def _now(conn: ChainConnection) -> int:
    return int(conn.w3.eth.get_block("latest")["timestamp"])


def _advance(conn: ChainConnection, seconds: int) -> None:
    conn.w3.provider.make_request("evm_increaseTime", [seconds])
    conn.w3.provider.make_request("evm_mine", [])


def _mine_at(conn: ChainConnection, timestamp: int) -> None:
    conn.w3.provider.make_request("evm_mine", [timestamp])


def _params(setup: VotingSetup, conn: ChainConnection, keys: list[tuple[int, int]], pk: tuple[int, int], **kw: Any):
    start = _now(conn)
    fields: dict[str, Any] = {
        "options": 4,
        "rule": 0,
        "start_time": start,
        "end_time": start + 1000,
        "group": setup.group.address,
        "trustees": tuple(conn.accounts[1:6]),
        "trustee_keys": tuple(keys),
        "public_key": pk,
    }
    fields.update(kw)
    return ProposalParams(**fields)


def _root(setup: VotingSetup) -> int:
    return int(setup.group.call("root"))


def _cast(setup: VotingSetup, pid: int, nullifier: int, ballot_hash: int, **kw: Any) -> dict[str, Any]:
    return setup.voting.cast_ballot(pid, nullifier, ballot_hash, _root(setup), CT, PROOF, **kw)


def _share(setup: VotingSetup, conn: ChainConnection, pid: int, index: int, participants=(1, 3, 5), **kw: Any):
    fields: dict[str, Any] = {"share_hash": 700 + index, "aggregate_hash": 4444, "share_coordinates": range(8)}
    fields.update(kw)
    return setup.voting.submit_share(
        pid,
        participants,
        fields["share_hash"],
        fields["aggregate_hash"],
        list(fields["share_coordinates"]),
        PROOF,
        sender=conn.accounts[index],
    )


def _raw_share_args(pid: int, participants: Any, share_hash: int = 1, aggregate: int = 4444, coords: Any = None):
    return (pid, list(participants), share_hash, aggregate, list(coords or range(8)), *_proof_args())


def _proof_args() -> tuple[Any, ...]:
    return (list(A), [list(B[0]), list(B[1])], list(C))


@pytest.fixture
def vc_open(vc_deploy, vc_conn, vc_trustee_keys, vc_public_key):
    """A fresh deployment with one open proposal (4 options, single choice, trustees 1..5)."""
    setup = vc_deploy()
    pid, _ = setup.voting.create_proposal(_params(setup, vc_conn, vc_trustee_keys, vc_public_key))
    return setup, pid


# --- proposals -----------------------------------------------------------------------------------


def test_create_proposal_stores_everything_and_counts_from_one(
    vc_deploy, vc_conn, vc_trustee_keys, vc_public_key, vc_circuit_ids
) -> None:
    setup = vc_deploy()
    voting = setup.voting
    assert voting.proposal_count() == 0
    params = _params(setup, vc_conn, vc_trustee_keys, vc_public_key, rule=2, weights_root=987, options=3)
    creator = vc_conn.accounts[7]
    pid, receipt = voting.create_proposal(params, sender=creator)
    assert pid == 1 and voting.proposal_count() == 1
    record = voting.proposal(pid)
    assert record.creator == creator and record.params == params
    (event,) = voting.events(receipt, "ProposalCreated")
    assert event == {
        "proposalId": 1,
        "creator": creator,
        "group": setup.group.address,
        "rule": 2,
        "options": 3,
        "startTime": params.start_time,
        "endTime": params.end_time,
    }
    for i, account in enumerate(params.trustees, start=1):
        assert voting.trustee_index(pid, account) == i
    assert voting.trustee_index(pid, vc_conn.accounts[8]) == 0
    assert voting.create_proposal(params)[0] == 2
    assert voting.ballot_count(2) == 0 and voting.ballots_chain(2) == 0 and voting.results(2) is None
    # verifiers and circuit ids by rule
    assert voting.ballot_circuit_ids == vc_circuit_ids["ballot"]
    assert (voting.share_circuit_id, voting.tally_circuit_id) == (vc_circuit_ids["share"], vc_circuit_ids["tally"])
    for rule, verifier in enumerate(setup.ballot_verifiers):
        assert voting.contract.call("ballotVerifier", rule) == verifier.address
    _reverts(lambda: voting.contract.call("ballotVerifier", 5), "VotingUnknownRule", rule=5)
    _reverts(lambda: voting.contract.call("ballotCircuitId", 5), "VotingUnknownRule", rule=5)


def _bad_proposals(setup: VotingSetup, conn: ChainConnection, params: ProposalParams) -> list[tuple[str, Any, int]]:
    """(label, raw ABI tuple, expected ProposalProblem) for each invalid parameter."""
    base = params.to_abi()
    now = _now(conn)

    def mutate(**changes: Any) -> tuple[Any, ...]:
        names = ("options", "rule", "threshold", "start", "end", "group", "weights", "trustees", "keys")
        names += ("pkX", "pkY", "eighthX", "eighthY")
        values = list(base)
        for key, value in changes.items():
            values[names.index(key)] = value
        return tuple(values)

    keys = [list(k) for k in params.trustee_keys]
    eighth, pk = params.public_key_eighth, params.public_key
    gx, gy = GENERATOR.mul(pow(8, -1, SUBORDER)).as_tuple()
    many = [to_checksum_address(f"0x{i:040x}") for i in range(1, 66)]
    P = ProposalProblem
    return [
        ("one option", mutate(options=1), P.OPTIONS_OUT_OF_RANGE),
        ("five options", mutate(options=5), P.OPTIONS_OUT_OF_RANGE),
        ("rule 5", mutate(rule=5), P.UNKNOWN_RULE),
        ("threshold 2", mutate(threshold=2), P.WRONG_THRESHOLD),
        ("threshold 4", mutate(threshold=4), P.WRONG_THRESHOLD),
        ("start == end", mutate(start=now + 50, end=now + 50), P.BAD_TIME_WINDOW),
        ("start > end", mutate(start=now + 60, end=now + 50), P.BAD_TIME_WINDOW),
        ("end in the past", mutate(start=now - 100, end=now - 1), P.BAD_TIME_WINDOW),
        ("zero group", mutate(group=ZERO), P.BAD_GROUP),
        ("group without code", mutate(group=conn.accounts[9]), P.BAD_GROUP),
        ("weighted without root", mutate(rule=2), P.BAD_WEIGHTS_ROOT),
        ("quadratic root >= r", mutate(rule=3, weights=R), P.BAD_WEIGHTS_ROOT),
        ("unweighted with root", mutate(weights=5), P.BAD_WEIGHTS_ROOT),
        ("two trustees", mutate(trustees=list(params.trustees[:2]), keys=keys[:2]), P.BAD_TRUSTEE_COUNT),
        ("65 trustees", mutate(trustees=many, keys=[keys[0]] * 65), P.BAD_TRUSTEE_COUNT),
        ("fewer keys", mutate(keys=keys[:4]), P.BAD_TRUSTEE_COUNT),
        ("zero trustee", mutate(trustees=[ZERO, *params.trustees[1:]]), P.BAD_TRUSTEE),
        ("trustee twice", mutate(trustees=[*params.trustees[:4], params.trustees[0]]), P.BAD_TRUSTEE),
        ("key off the curve", mutate(keys=[[1, 2], *keys[1:]]), P.BAD_TRUSTEE_KEY),
        ("key is the identity", mutate(keys=[*keys[:2], [0, 1], *keys[3:]]), P.BAD_TRUSTEE_KEY),
        ("key x >= r", mutate(keys=[[keys[0][0] + R, keys[0][1]], *keys[1:]]), P.BAD_TRUSTEE_KEY),
        ("joint key is the identity", mutate(pkX=0, pkY=1, eighthX=0, eighthY=1), P.BAD_PUBLIC_KEY),
        ("joint key off the curve", mutate(pkX=1, pkY=2), P.BAD_PUBLIC_KEY),
        ("joint key y >= r", mutate(pkY=params.public_key[1] + R), P.BAD_PUBLIC_KEY),
        ("joint key of order 8l", mutate(pkX=GENERATOR.x, pkY=GENERATOR.y, eighthX=gx, eighthY=gy), P.BAD_PUBLIC_KEY),
        ("joint key of order 2", mutate(pkX=0, pkY=ORDER_TWO[1], eighthX=eighth[0], eighthY=eighth[1]), P.BAD_PUBLIC_KEY),
        ("eighth is not an eighth", mutate(eighthX=pk[0], eighthY=pk[1]), P.BAD_PUBLIC_KEY),
        ("eighth off the curve", mutate(eighthX=1, eighthY=2), P.BAD_PUBLIC_KEY),
    ]


def test_create_proposal_rejects_each_invalid_parameter(vc_deploy, vc_conn, vc_trustee_keys, vc_public_key) -> None:
    setup = vc_deploy()
    params = _params(setup, vc_conn, vc_trustee_keys, vc_public_key)
    contract = setup.voting.contract
    for label, raw, problem in _bad_proposals(setup, vc_conn, params):
        err = _reverts(lambda: contract.call("createProposal", raw), "VotingInvalidProposal")
        assert err.args_by_name["problem"] == problem, label
    assert setup.voting.proposal_count() == 0
    # any Q with 8Q = PK will do: Q plus a point of order 2 too
    q = Point(*params.public_key_eighth) + Point(*ORDER_TWO)
    other = params.to_abi()[:11] + q.as_tuple()
    assert contract.call("createProposal", other) == 1


def test_proposal_params_validate_in_python(vc_deploy, vc_conn, vc_trustee_keys, vc_public_key) -> None:
    setup = vc_deploy()
    params = _params(setup, vc_conn, vc_trustee_keys, vc_public_key)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"options": 1}, "options"),
        ({"options": 5}, "options"),
        ({"rule": 5}, "rule"),
        ({"rule": True}, "rule"),
        ({"start_time": params.end_time}, "before end_time"),
        ({"end_time": 1 << 64}, "end_time"),
        ({"group": "nope"}, "group"),
        ({"rule": 2}, "weights_root"),
        ({"weights_root": 3}, "weights_root"),
        ({"rule": 3, "weights_root": R}, "weights_root"),
        ({"threshold": 2}, "threshold"),
        ({"trustees": params.trustees[:2], "trustee_keys": params.trustee_keys[:2]}, "trustees"),
        ({"trustees": (*params.trustees[:4], params.trustees[0].lower())}, "named twice"),
        ({"trustee_keys": params.trustee_keys[:4]}, "one key per trustee"),
        ({"trustee_keys": ((1, 2), *params.trustee_keys[1:])}, "trustee_keys\\[0\\]"),
        ({"trustee_keys": ((0, 1), *params.trustee_keys[1:])}, "identity"),
        ({"public_key": (0, 1)}, "public_key"),
        ({"public_key": GENERATOR.as_tuple()}, "subgroup"),
        ({"public_key": ORDER_TWO}, "subgroup"),
    ]
    for changes, message in cases:
        with pytest.raises(InputError, match=message):
            replace(params, **changes)
    # points and Rule-like objects are accepted and normalised
    rule = type("RuleLike", (), {"code": 4})()
    normalised = replace(params, rule=rule, trustee_keys=tuple(Point(*k) for k in params.trustee_keys))
    assert normalised.rule == 4 and normalised.trustee_keys == params.trustee_keys
    eighth = Point(*params.public_key_eighth)
    assert eighth * 8 == Point(*params.public_key)


def test_unknown_proposals_are_refused_everywhere(vc_deploy) -> None:
    voting = vc_deploy().voting
    c = voting.contract
    ballot = (1, 2, 3, list(CT))
    for fn, args in [
        ("castBallot", (9, ballot, *_proof_args())),
        ("submitShare", _raw_share_args(9, [1, 2, 3])),
        ("submitTally", (9, [0, 0, 0, 0], *_proof_args())),
        ("proposal", (9,)),
        ("ballotsChain", (9,)),
        ("ballotCount", (9,)),
        ("tallyProgress", (9,)),
        ("tallied", (9,)),
        ("results", (9,)),
        ("ballotContext", (9,)),
    ]:
        _reverts(lambda: c.call(fn, *args), "VotingUnknownProposal", proposalId=9)
    _reverts(lambda: voting.proposal(0), "VotingUnknownProposal", proposalId=0)


# --- ballots -------------------------------------------------------------------------------------


def test_ballots_are_accepted_only_within_the_window(vc_deploy, vc_conn, vc_trustee_keys, vc_public_key) -> None:
    setup = vc_deploy()
    voting = setup.voting
    start = _now(vc_conn) + 100
    params = _params(setup, vc_conn, vc_trustee_keys, vc_public_key, start_time=start, end_time=start + 500)
    pid, _ = voting.create_proposal(params)
    root = _root(setup)

    def simulate(nullifier: int) -> Any:
        return voting.contract.call("castBallot", pid, (nullifier, 5, root, list(CT)), *_proof_args())

    _reverts(lambda: _cast(setup, pid, 1, 5), "VotingNotOpen", proposalId=pid, startTime=start)
    _mine_at(vc_conn, start - 1)
    _reverts(lambda: simulate(1), "VotingNotOpen")
    _mine_at(vc_conn, start)
    simulate(1)  # the first second of the window
    _cast(setup, pid, 1, 5)
    _advance(vc_conn, 200)
    _cast(setup, pid, 2, 6)
    _mine_at(vc_conn, start + 499)
    simulate(3)  # the last second
    _mine_at(vc_conn, start + 500)
    _reverts(lambda: simulate(3), "VotingClosed", proposalId=pid, endTime=start + 500)
    _reverts(lambda: _cast(setup, pid, 3, 7), "VotingClosed")
    assert voting.ballot_count(pid) == 2


def test_ballot_verifier_receives_exactly_the_24_public_signals(
    vc_deploy, vc_conn, vc_trustee_keys, vc_public_key, vc_circuit_ids
) -> None:
    setup = vc_deploy()
    voting = setup.voting
    for verifier in setup.ballot_verifiers:
        verifier.transact("setEcho", True)
    for rule, weights_root in [(0, 0), (3, 31337)]:
        params = _params(setup, vc_conn, vc_trustee_keys, vc_public_key, rule=rule, weights_root=weights_root)
        pid, _ = voting.create_proposal(params)
        root = _root(setup)
        err = _reverts(lambda: _cast(setup, pid, 77, 88), "ConfigurableVerifier24Saw")
        context = context_hash(vc_circuit_ids["ballot"][rule], vc_conn.chain_id, voting.address, pid)
        expected = [77, 88, root, weights_root, pid, *vc_public_key, context, *CT]
        assert list(err.args_by_name["pubSignals"]) == expected
        assert voting.ballot_public_signals(pid, 77, 88, root, CT) == PublicSignals(tuple(expected))
        seen = err.args_by_name
        assert (tuple(seen["a"]), tuple(map(tuple, seen["b"])), tuple(seen["c"])) == (A, B, C)
        assert voting.contract.call("ballotContext", pid) == context == voting.context_for("ballot", pid)
    # the other kinds' contexts agree with the contract's too
    for kind, fn in [("share", "shareContext"), ("tally", "tallyContext")]:
        expected_context = context_hash(vc_circuit_ids[kind], vc_conn.chain_id, voting.address, 2)
        assert voting.contract.call(fn, 2) == expected_context == voting.context_for(kind, 2)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="kind"):
        voting.context_for("vote", 1)  # type: ignore[arg-type]


def test_ballots_count_once_and_chain_their_hashes(vc_open, vc_conn) -> None:
    setup, pid = vc_open
    voting = setup.voting
    hashes = [poseidon([i]) for i in range(4)]
    nullifiers = [10_000 + i for i in range(4)]
    for k, (nullifier, ballot_hash) in enumerate(zip(nullifiers, hashes, strict=True)):
        receipt = _cast(setup, pid, nullifier, ballot_hash, sender=vc_conn.accounts[k])
        (event,) = voting.events(receipt, "BallotCast")
        assert event == {"proposalId": pid, "nullifier": nullifier, "ballotHash": ballot_hash, "ct": list(CT)}
        assert voting.ballots_chain(pid) == chain_ballot_hashes(hashes[: k + 1])
    acc = 0
    for h in hashes:
        acc = poseidon([acc, h])
    assert voting.ballots_chain(pid) == acc and voting.ballot_count(pid) == 4
    assert voting.ballots(pid) == [BallotRecord(n, h, CT) for n, h in zip(nullifiers, hashes, strict=True)]
    assert all(voting.nullifier_used(pid, n) for n in nullifiers) and not voting.nullifier_used(pid, 1)
    used = nullifiers[2]
    _reverts(lambda: _cast(setup, pid, used, 123), "VotingNullifierUsed", proposalId=pid, nullifier=used)
    # nullifiers are per proposal; ballots() lists a proposal's own ballots only
    other, _ = voting.create_proposal(voting.proposal(pid).params)
    _cast(setup, other, nullifiers[2], 123)
    assert voting.ballots(other) == [BallotRecord(nullifiers[2], 123, CT)] and voting.ballot_count(pid) == 4
    assert chain_ballot_hashes([]) == 0


def test_the_ballot_box_holds_what_one_tally_can_cover(vc_open, vc_conn) -> None:
    setup, pid = vc_open
    voting = setup.voting
    cast = voting.ballot_count(pid)
    for k in range(cast, 32):
        _cast(setup, pid, 50_000 + k, poseidon([k]))
    assert voting.ballot_count(pid) == 32
    _reverts(lambda: _cast(setup, pid, 60_000, 1), "VotingBallotBoxFull", proposalId=pid, maxBallots=32)


def test_rejects_bad_ballots(vc_open, vc_conn) -> None:
    setup, pid = vc_open
    voting, group = setup.voting, setup.group
    old_root = _root(setup)
    _reverts(lambda: voting.cast_ballot(pid, 1, 2, 0, CT, PROOF), "VotingUnknownRoot", proposalId=pid, root=0)
    _reverts(lambda: voting.cast_ballot(pid, 1, 2, 999, CT, PROOF), "VotingUnknownRoot", root=999)
    # a replaced root stays good for the group's rootValidity (100 s), then is refused
    group.transact("addMember", 3333)
    voting.cast_ballot(pid, 1, 2, old_root, CT, PROOF)
    _advance(vc_conn, 101)
    _reverts(lambda: voting.cast_ballot(pid, 2, 2, old_root, CT, PROOF), "VotingUnknownRoot", root=old_root)
    # an invalid proof
    setup.ballot_verifiers[0].transact("setResult", False)
    _reverts(lambda: _cast(setup, pid, 3, 2), "VotingInvalidBallotProof")
    assert not voting.nullifier_used(pid, 3) and voting.ballot_count(pid) == 1
    setup.ballot_verifiers[0].transact("setResult", True)
    # a nullifier >= r (a non-canonical alias) is refused by the contract and by the client
    raw = (R + 3, 2, _root(setup), list(CT))
    _reverts(lambda: voting.contract.call("castBallot", pid, raw, *_proof_args()), "VotingNotInField", value=R + 3)
    with pytest.raises(InputError, match="nullifier"):
        voting.cast_ballot(pid, R + 3, 2, _root(setup), CT, PROOF)
    with pytest.raises(InputError, match="ciphertext_coords"):
        voting.cast_ballot(pid, 4, 2, _root(setup), CT[:15], PROOF)
    with pytest.raises(InputError, match="proof"):
        voting.cast_ballot(pid, 4, 2, _root(setup), CT, "proof")  # type: ignore[arg-type]


# --- decryption shares ---------------------------------------------------------------------------


def test_shares_wait_for_the_end_and_come_from_trustees(vc_open, vc_conn) -> None:
    setup, pid = vc_open
    voting = setup.voting
    end = voting.proposal(pid).params.end_time
    _reverts(lambda: _share(setup, vc_conn, pid, 1), "VotingNotClosed", proposalId=pid, endTime=end)
    _reverts(lambda: voting.submit_tally(pid, [1], PROOF), "VotingNotClosed", proposalId=pid, endTime=end)
    _mine_at(vc_conn, end)
    _reverts(lambda: voting.submit_tally(pid, [1], PROOF), "VotingSharesMissing", proposalId=pid, submitted=0)
    stranger = vc_conn.accounts[7]
    _reverts(
        lambda: voting.submit_share(pid, (1, 3, 5), 1, 2, range(8), PROOF, sender=stranger),
        "VotingNotTrustee",
        proposalId=pid,
        caller=stranger,
    )
    _reverts(lambda: _share(setup, vc_conn, pid, 2), "VotingNotParticipant", index=2)  # trustee 2, not in (1, 3, 5)
    c, trustee = voting.contract, vc_conn.accounts[1]
    for bad in ([0, 1, 2], [1, 1, 2], [2, 1, 3], [1, 3, 2], [1, 2, 6], [3, 2, 1]):
        args = _raw_share_args(pid, bad)
        _reverts(lambda: c.call("submitShare", *args, sender=trustee), "VotingBadParticipants", participants=tuple(bad))
    with pytest.raises(InputError, match="ascending"):
        voting.submit_share(pid, (2, 1, 3), 1, 2, range(8), PROOF, sender=trustee)
    args = _raw_share_args(pid, [1, 3, 5], coords=[0] * 7 + [R])
    _reverts(lambda: c.call("submitShare", *args, sender=trustee), "VotingNotInField", value=R)
    setup.share_verifier.transact("setResult", False)
    _reverts(lambda: _share(setup, vc_conn, pid, 1), "VotingInvalidShareProof")
    assert voting.tally_progress(pid).participants is None


def test_share_verifier_receives_key_lambda_and_context(vc_open, vc_conn, vc_trustee_keys, vc_circuit_ids) -> None:
    setup, pid = vc_open
    voting = setup.voting
    _advance(vc_conn, 1001)
    setup.share_verifier.transact("setEcho", True)
    participants = (2, 4, 5)
    context = context_hash(vc_circuit_ids["share"], vc_conn.chain_id, voting.address, pid)
    shamir = lagrange_coefficients(participants)
    for index in participants:
        err = _reverts(
            lambda: _share(setup, vc_conn, pid, index, participants, share_hash=900 + index, aggregate_hash=31),
            "ConfigurableVerifier6Saw",
        )
        lam = lagrange_coefficient(participants, index)
        assert lam == shamir[index] == voting.contract.call("lagrangeCoefficient", list(participants), index)
        expected = [900 + index, 31, *vc_trustee_keys[index - 1], lam, context]
        assert list(err.args_by_name["pubSignals"]) == expected
        assert voting.share_public_signals(pid, participants, index, 900 + index, 31) == PublicSignals(tuple(expected))
        seen = err.args_by_name
        assert (tuple(seen["a"]), tuple(map(tuple, seen["b"])), tuple(seen["c"])) == (A, B, C)


def test_lagrange_coefficients_recombine_a_shamir_secret(vc_deploy) -> None:
    contract = vc_deploy().voting.contract
    rng = random.Random(20240607)
    for participants in [(1, 2, 3), (1, 3, 5), (2, 4, 5), (7, 40, 64)]:
        lambdas = {i: int(contract.call("lagrangeCoefficient", list(participants), i)) for i in participants}
        assert lambdas == {i: lagrange_coefficient(participants, i) for i in participants}
        assert lambdas == lagrange_coefficients(participants)
        for _ in range(3):
            coefficients = [rng.randrange(SUBORDER) for _ in range(3)]  # f of degree 2 = THRESHOLD - 1

            def f(x: int, cs: list[int] = coefficients) -> int:
                return sum(c * x**k for k, c in enumerate(cs)) % SUBORDER

            assert sum(lambdas[i] * f(i) for i in participants) % SUBORDER == f(0)
            # and in the exponent, as the trustees' shares combine: sum lambda_i * (f(i) * G) = f(0) * G
            combined = Point(0, 1)
            for i in participants:
                combined = combined + (BASE8 * f(i)) * lambdas[i]
            assert combined == BASE8 * f(0)
    assert lagrange_coefficient([1, 2, 3], 1) == 3
    for bad in ([0, 1, 2], [1, 1, 2], [3, 2, 1], [1, 2, SUBORDER]):
        _reverts(lambda: contract.call("lagrangeCoefficient", bad, 1), "VotingBadParticipants", participants=tuple(bad))
        with pytest.raises(InputError):
            lagrange_coefficient(bad, 1)
    _reverts(lambda: contract.call("lagrangeCoefficient", [1, 2, 3], 4), "VotingNotParticipant", index=4)
    with pytest.raises(InputError, match="not one of the participants"):
        lagrange_coefficient([1, 2, 3], 4)


def test_first_share_fixes_participants_and_aggregate(vc_open, vc_conn) -> None:
    setup, pid = vc_open
    voting = setup.voting
    _advance(vc_conn, 1001)
    receipt = _share(setup, vc_conn, pid, 3)
    (event,) = voting.events(receipt, "ShareSubmitted")
    assert event == {
        "proposalId": pid,
        "trusteeIndex": 3,
        "shareHash": 703,
        "aggregateHash": 4444,
        "participants": [1, 3, 5],
        "shareCoordinates": list(range(8)),
    }
    progress = voting.tally_progress(pid)
    assert (progress.participants, progress.aggregate_hash, progress.share_hashes) == ((1, 3, 5), 4444, (0, 703, 0))
    assert progress.submitted == (3,) and not progress.tallied
    _reverts(lambda: _share(setup, vc_conn, pid, 3), "VotingShareAlreadySubmitted", proposalId=pid, index=3)
    err = _reverts(lambda: _share(setup, vc_conn, pid, 1, (1, 2, 3)), "VotingParticipantsMismatch")
    assert (err.args_by_name["expected"], err.args_by_name["given"]) == ((1, 3, 5), (1, 2, 3))
    _reverts(
        lambda: _share(setup, vc_conn, pid, 1, aggregate_hash=5555),
        "VotingAggregateMismatch",
        proposalId=pid,
        expected=4444,
        given=5555,
    )
    _reverts(lambda: voting.submit_tally(pid, [1, 2], PROOF), "VotingSharesMissing", proposalId=pid, submitted=1)
    points = [BASE8 * k for k in (5, 6, 7, 8)]
    _share(setup, vc_conn, pid, 5, share_coordinates=points)
    _share(setup, vc_conn, pid, 1)
    progress = voting.tally_progress(pid)
    assert progress.submitted == (1, 3, 5) and progress.share_hashes == (701, 703, 705)
    coords = tuple(c for p in points for c in p.as_tuple())
    assert voting.shares(pid) == [
        ShareRecord(3, 703, 4444, (1, 3, 5), tuple(range(8))),
        ShareRecord(5, 705, 4444, (1, 3, 5), coords),
        ShareRecord(1, 701, 4444, (1, 3, 5), tuple(range(8))),
    ]


# --- tally ---------------------------------------------------------------------------------------


def _ready_for_tally(setup: VotingSetup, conn: ChainConnection, pid: int, hashes: list[int]) -> None:
    for k, h in enumerate(hashes):
        _cast(setup, pid, 50_000 + k, h)
    _advance(conn, 1001)
    for index in (1, 3, 5):
        _share(setup, conn, pid, index)


def test_tally_verifier_receives_chain_count_shares_results_and_context(vc_open, vc_conn, vc_circuit_ids) -> None:
    setup, pid = vc_open
    voting = setup.voting
    hashes = [poseidon([7, i]) for i in range(3)]
    _ready_for_tally(setup, vc_conn, pid, hashes)
    setup.tally_verifier.transact("setEcho", True)
    err = _reverts(lambda: voting.submit_tally(pid, [2, 0, 1, 0], PROOF), "ConfigurableVerifier11Saw")
    context = context_hash(vc_circuit_ids["tally"], vc_conn.chain_id, voting.address, pid)
    expected = [chain_ballot_hashes(hashes), 3, 4444, 701, 703, 705, 2, 0, 1, 0, context]
    assert list(err.args_by_name["pubSignals"]) == expected
    assert voting.tally_public_signals(pid, [2, 0, 1]) == PublicSignals(tuple(expected))
    seen = err.args_by_name
    assert (tuple(seen["a"]), tuple(map(tuple, seen["b"])), tuple(seen["c"])) == (A, B, C)


def test_tally_is_published_once(vc_open, vc_conn) -> None:
    setup, pid = vc_open
    voting = setup.voting
    _ready_for_tally(setup, vc_conn, pid, [11, 12])
    setup.tally_verifier.transact("setResult", False)
    _reverts(lambda: voting.submit_tally(pid, [1, 1], PROOF), "VotingInvalidTallyProof")
    setup.tally_verifier.transact("setResult", True)
    receipt = voting.submit_tally(pid, [1, 1], PROOF, sender=vc_conn.accounts[9])  # anyone may
    (event,) = voting.events(receipt, "TallyPublished")
    assert event == {"proposalId": pid, "results": [1, 1, 0, 0]}
    assert voting.results(pid) == (1, 1, 0, 0) and voting.tallied(pid) and voting.tally_progress(pid).tallied
    _reverts(lambda: voting.submit_tally(pid, [1, 1], PROOF), "VotingAlreadyTallied", proposalId=pid)
    _reverts(lambda: _share(setup, vc_conn, pid, 1), "VotingAlreadyTallied", proposalId=pid)
    with pytest.raises(InputError, match="results"):
        voting.submit_tally(pid, [1, 2, 3, 4, 5], PROOF)


def test_results_for_missing_options_must_be_zero(vc_deploy, vc_conn, vc_trustee_keys, vc_public_key) -> None:
    setup = vc_deploy()
    voting = setup.voting
    pid, _ = voting.create_proposal(_params(setup, vc_conn, vc_trustee_keys, vc_public_key, options=2))
    _ready_for_tally(setup, vc_conn, pid, [5])
    _reverts(
        lambda: voting.submit_tally(pid, [0, 1, 1], PROOF), "VotingResultOutOfRange", proposalId=pid, option=2, value=1
    )
    _reverts(lambda: voting.submit_tally(pid, [0, 1, 0, 7], PROOF), "VotingResultOutOfRange", option=3, value=7)
    voting.submit_tally(pid, [0, 1], PROOF)
    assert voting.results(pid) == (0, 1, 0, 0)


# --- deployment, client, gas ---------------------------------------------------------------------


def test_deploy_voting_checks_its_arguments(vc_conn, vc_compiled) -> None:
    verifier = "0x" + "11" * 20
    with pytest.raises(InputError, match="rules 0..4"):
        deploy_voting(vc_conn, {0: verifier, 1: verifier}, verifier, verifier, verifier, verifier, compiled=vc_compiled)
    with pytest.raises(InputError, match="share_verifier"):
        deploy_voting(vc_conn, dict.fromkeys(range(5), verifier), "nope", verifier, verifier, verifier, compiled=vc_compiled)
    with pytest.raises(ContractRevertError):  # no CIRCUIT_ID at an address without code
        deploy_voting(vc_conn, dict.fromkeys(range(5), verifier), verifier, verifier, verifier, verifier, compiled=vc_compiled)


def test_client_wraps_a_deployed_contract(vc_open, vc_conn) -> None:
    setup, pid = vc_open
    again = VotingClient(setup.voting.contract)
    assert again.proposal(pid) == setup.voting.proposal(pid)
    assert again.context_for("ballot", pid) == setup.voting.context_for("ballot", pid)


def test_gas_stays_within_budget(vc_deploy, vc_conn, vc_trustee_keys, vc_public_key) -> None:
    """Gas of each operation without the pairing (the doubles answer at once): upper bounds, to
    catch regressions. A real Groth16 verification adds ~200k + ~6.2k per public signal."""
    setup = vc_deploy()
    voting = setup.voting
    gas: dict[str, int] = {}
    three = _params(setup, vc_conn, vc_trustee_keys[:3], vc_public_key, trustees=tuple(vc_conn.accounts[1:4]))
    _, receipt = voting.create_proposal(three)
    gas["createProposal (3 trustees, first)"] = int(receipt["gasUsed"])
    pid, receipt = voting.create_proposal(_params(setup, vc_conn, vc_trustee_keys, vc_public_key))
    gas["createProposal (5 trustees)"] = int(receipt["gasUsed"])
    gas["castBallot (first, no pairing)"] = int(_cast(setup, pid, 1, 11)["gasUsed"])
    gas["castBallot (second, no pairing)"] = int(_cast(setup, pid, 2, 12)["gasUsed"])
    _advance(vc_conn, 1001)
    gas["submitShare (first, no pairing)"] = int(_share(setup, vc_conn, pid, 1)["gasUsed"])
    gas["submitShare (second, no pairing)"] = int(_share(setup, vc_conn, pid, 3)["gasUsed"])
    _share(setup, vc_conn, pid, 5)
    gas["submitTally (no pairing)"] = int(voting.submit_tally(pid, [1, 1, 0, 0], PROOF)["gasUsed"])
    print("\n" + "\n".join(f"{name}: {used}" for name, used in gas.items()))
    assert gas["createProposal (3 trustees, first)"] < 500_000
    assert gas["createProposal (5 trustees)"] < 650_000
    assert gas["castBallot (first, no pairing)"] < 180_000
    assert gas["castBallot (second, no pairing)"] < 140_000
    assert gas["submitShare (first, no pairing)"] < 130_000
    assert gas["submitShare (second, no pairing)"] < 100_000
    assert gas["submitTally (no pairing)"] < 130_000


def test_every_custom_error_is_exercised(vc_compiled) -> None:
    """Each ZkVoting and ZkRankedTally error is named by some test: the tables above, or (delegation
    and the ranked tally, with real proofs) test_delegation_ranked.py."""
    here = Path(__file__)
    this = inspect.getsource(test_every_custom_error_is_exercised)
    source = here.read_text().replace(this, "") + (here.parent / "test_delegation_ranked.py").read_text()
    names = [e["name"] for c in ("ZkVoting", "ZkRankedTally") for e in vc_compiled[c].abi
             if e["type"] == "error" and e["name"].startswith(("Voting", "Ranked"))]  # not the libraries'
    assert len(set(names)) == 30 + 15
    assert [n for n in set(names) if f'"{n}"' not in source] == []


def test_proposal_problem_codes_match_the_solidity_enum() -> None:
    source = (VERIFIER_CONTRACTS_DIR / "voting" / "ZkVoting.sol").read_text()
    body = re.search(r"enum ProposalProblem \{(.*?)\}", source, re.DOTALL)
    assert body is not None
    members = [re.sub(r"(?<!^)(?=[A-Z])", "_", m).upper() for m in re.findall(r"^\s*(\w+)", body.group(1), re.M)]
    assert members == [problem.name for problem in ProposalProblem]


# --- delegation (verifier doubles; real proofs: test_delegation_ranked.py) ----------------------


def test_delegation_signals_are_the_contracts(
    vc_deploy, vc_conn, vc_compiled, vc_trustee_keys, vc_public_key, vc_circuit_ids
) -> None:
    """delegate verifies its proof against (leaf, root, the proposal's weights root, id, context)."""
    setup = vc_deploy()
    pid, _ = setup.voting.create_proposal(_params(setup, vc_conn, vc_trustee_keys, vc_public_key, rule=2,
                                                  weights_root=987))
    from zkgov.chain.contracts import DeployedContract

    double = DeployedContract(vc_conn, setup.voting.contract.call("delegationVerifier"),
                              vc_compiled["ConfigurableVerifier5"].abi)
    double.transact("setEcho", True)
    err = _reverts(lambda: setup.voting.delegate(pid, 55, _root(setup), PROOF), "ConfigurableVerifier5Saw")
    context = context_hash(vc_circuit_ids["delegation"], vc_conn.chain_id, setup.voting.address, pid)
    assert list(err.args_by_name["pubSignals"]) == [55, _root(setup), 987, pid, context]
    assert setup.voting.context_for("delegation", pid) == context


@pytest.mark.slow
def test_a_full_delegation_tree_takes_no_more(vc_deploy, vc_conn, vc_trustee_keys, vc_public_key) -> None:
    """MAX_DELEGATIONS leaves (the delegated-ballot circuit's tree depth 10), then VotingDelegationTreeFull."""
    setup = vc_deploy()
    pid, _ = setup.voting.create_proposal(_params(setup, vc_conn, vc_trustee_keys, vc_public_key, rule=2,
                                                  weights_root=987, end_time=_now(vc_conn) + 100_000))
    root = _root(setup)
    for leaf in range(1, 1025):
        setup.voting.contract.transact("delegate", pid, (leaf, root), *_proof_args(), gas=1_000_000)
    assert setup.voting.delegation_tree(pid)[1] == 1024
    with pytest.raises(ContractRevertError) as info:
        setup.voting.delegate(pid, 1025, root, PROOF)
    assert info.value.error_name == "VotingDelegationTreeFull"
