"""The voting part of ``zkgov demo``: a weighted proposal with a delegation and a ranked-choice
proposal, each with 10 voters, every ballot relayed, tallied with proofs on chain and recomputed.

Twelve members join an ``IdentityGroup``; five trustees run a 3-of-5 DKG. On the weighted proposal
(allowances from a published weights tree) one member delegates to another, who casts a delegated
ballot carrying both weights; the delegator's later attempt to vote is refused. On the ranked
proposal every ballot is decrypted in proven batches and ``ZkRankedTally`` runs the instant runoff.
Both results are recomputed from the chain's events in Python and compared with the votes cast.
"""

from __future__ import annotations

import random
import secrets
import statistics
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from zkgov.chain.contracts import deploy_linked
from zkgov.chain.node import ChainConnection
from zkgov.cli.common import gas_of
from zkgov.cli.demo_identity import expect_revert
from zkgov.crypto.merkle import LeanIMT
from zkgov.errors import ZkgovError
from zkgov.identity import Identity
from zkgov.identity.chain import IdentityGroupClient, compile_identity_contracts
from zkgov.voting.audit import audit_ranked_tally, audit_tally
from zkgov.voting.ballot import Rule, weights_leaf
from zkgov.voting.chain import ProposalParams
from zkgov.voting.election import (
    cast_ballot,
    cast_delegated_ballot,
    delegate_vote,
    deploy_election,
    deploy_ranked_tally_for,
    submit_decryption_share,
    submit_ranked_shares,
    submit_ranked_tally,
    submit_tally,
    voting_keys,
)
from zkgov.voting.ranked import instant_runoff
from zkgov.voting.relay import RelayedVotingClient, RelayServer
from zkgov.voting.trustee import run_dkg

__all__ = ["run_voting_demo"]

Step = Callable[[str, str], AbstractContextManager[None]]
PARTICIPANTS = (1, 3, 5)
ALLOWANCES = [5, 3, 8, 2, 6, 4, 7, 1, 3, 5]
WEIGHTED_VOTES = [[8, 2, 0], [3, 0, 0], [0, 8, 0], [0, 0, 2], [1, 1, 4], [0, 4, 0], [7, 0, 0], [0, 0, 1], [0, 3, 0]]
RANKINGS = [[1, 2, 3], [2, 1, 3], [3, 1, 2], [1, 3, 2], [2, 3, 1], [3, 2, 1], [1, 2, 3], [2, 1, 3], [3, 1, 2],
            [2, 3, 1]]


def run_voting_demo(conn: ChainConnection, step: Step, echo: Callable[[str], None]) -> dict[str, Any]:
    """Run the voting scenario on ``conn``; returns its figures.

    Raises:
        ZkgovError: a step did not behave as it must (a result differs from the votes cast, an
            expected rejection did not happen), or the chain cannot advance its clock.
    """
    with step("voting_setup", "voting circuits (5 ballot rules, delegation, shares, tallies): compile and setup (cached)"):
        keys = voting_keys()
    accounts: list[str] = list(conn.w3.eth.accounts)
    relayer = accounts[3]
    trustee_accounts = accounts[5:10]
    members = [Identity(secrets.token_bytes(32)) for _ in range(12)]
    with step("voting_deploy", "deploying the group, the verifiers, ZkVoting and ZkRankedTally"):
        group_contract = IdentityGroupClient(
            deploy_linked(conn, compile_identity_contracts(), "IdentityGroup", 3600)
        )
        group = LeanIMT()
        for member in members:
            group_contract.add_member(member.commitment)
            group.insert(member.commitment)
        if group_contract.root() != group.root:
            raise ZkgovError("group root differs between Python and the contract")
        voting = deploy_election(conn, keys)
        ranked = deploy_ranked_tally_for(conn, voting, keys)
        trustees, joint = run_dkg(3, 5, random.SystemRandom())
    echo(f"  {len(members)} members, 3-of-5 trustees (joint key by DKG: nobody holds it), relayer {relayer}")

    def new_proposal(rule: Rule, weights_root: int = 0) -> int:
        now = int(conn.w3.eth.get_block("latest")["timestamp"])
        params = ProposalParams(
            options=3, rule=rule.code, start_time=now, end_time=now + 3600, group=group_contract.address,
            trustees=tuple(trustee_accounts),
            trustee_keys=tuple((k.public_key_share.x, k.public_key_share.y) for k in trustees),
            public_key=(joint.x, joint.y), weights_root=weights_root,
        )
        proposal_id, _ = voting.create_proposal(params)
        return proposal_id

    voters = members[:10]
    weights = LeanIMT(weights_leaf(v.commitment, a) for v, a in zip(voters, ALLOWANCES, strict=True))
    weighted = new_proposal(Rule.WEIGHTED, int(weights.root))
    ranked_id = new_proposal(Rule.RANKED)
    ballot_seconds: list[float] = []
    ballot_gas: list[int] = []
    # Weighted: voter 9 delegates to voter 0; voters 0..8 vote (0 with the delegated weight).
    delegator, delegate = voters[9], voters[0]
    relay = RelayServer(conn, voting.contract, relayer).start()
    relayed = RelayedVotingClient(voting.contract, relay.url)  # every ballot and the delegation go through it
    echo(f"  relay service {relay.url} sends from {relay.relayer}")
    try:
        with step("delegate", "weighted proposal: a member delegates its weight (hidden delegate, relayed)"):
            receipt, token, _ = delegate_vote(
                relayed, weighted, delegator, group, weights, allowance=ALLOWANCES[9], delegate=delegate.commitment,
                keys=keys,
            )
        delegate_gas = gas_of(receipt)
        with step("weighted_ballots", "weighted proposal: 9 ballots proven and relayed (one carries the delegation)"):
            for i, votes in enumerate(WEIGHTED_VOTES):
                start = time.perf_counter()
                if i == 0:
                    cast = cast_delegated_ballot(relayed, weighted, delegate, group, votes, keys, weights=weights,
                                                 allowance=ALLOWANCES[0], delegations=[token])
                    delegated_gas = gas_of(cast.receipt)
                else:
                    cast = cast_ballot(relayed, weighted, voters[i], group, votes, keys, allowance=ALLOWANCES[i],
                                       weights=weights)
                    ballot_gas.append(gas_of(cast.receipt))
                ballot_seconds.append(time.perf_counter() - start)
        double_count = expect_revert(
            lambda: cast_ballot(relayed, weighted, delegator, group, [0, 0, 5], keys, allowance=ALLOWANCES[9],
                                weights=weights),
            "VotingNullifierUsed",
        )
        echo(f"  the delegator then tries to vote too: refused by the relay ({double_count}) — its weight counted once")
        with step("ranked_ballots", "ranked-choice proposal: 10 ballots (proven permutations) relayed"):
            for voter, ranks in zip(voters, RANKINGS, strict=True):
                start = time.perf_counter()
                cast = cast_ballot(relayed, ranked_id, voter, group, ranks, keys)
                ballot_seconds.append(time.perf_counter() - start)
                ballot_gas.append(gas_of(cast.receipt))
    finally:
        relay.stop()

    _advance(conn, 3601)
    share_gas: list[int] = []
    with step("weighted_tally", "weighted tally: 3 trustees' proven shares, the proven tally on chain"):
        for index in PARTICIPANTS:
            receipt, _ = submit_decryption_share(voting, weighted, trustees[index - 1], PARTICIPANTS, keys,
                                                 sender=trustee_accounts[index - 1])
            share_gas.append(int(receipt["gasUsed"]))
        results, tally_receipt, _ = submit_tally(voting, weighted, keys, sender=relayer)
    expected = [sum(v[j] for v in WEIGHTED_VOTES) for j in range(3)]
    recomputed = audit_tally(voting, weighted)["results"]
    if list(results[:3]) != expected or list(recomputed) != expected or voting.results(weighted) != tuple(results):
        raise ZkgovError(f"weighted tally {results} / recomputed {recomputed} differ from the votes {expected}")

    ranked_share_gas: list[int] = []
    with step("ranked_tally", "ranked tally: ballots decrypted in proven batches, instant runoff on chain"):
        for index in PARTICIPANTS:
            for receipt in submit_ranked_shares(ranked, ranked_id, trustees[index - 1], list(PARTICIPANTS), keys,
                                                sender=trustee_accounts[index - 1]):
                ranked_share_gas.append(int(receipt["gasUsed"]))
        rankings, outcome, ranked_receipt = submit_ranked_tally(ranked, ranked_id, keys, sender=relayer)
    runoff = instant_runoff([list(r) for r in RANKINGS], 3)
    audited = audit_ranked_tally(ranked, ranked_id)  # from the chain's events alone
    if [list(r[:3]) for r in rankings] != RANKINGS or (outcome.winner, outcome.eliminated) != (
        runoff.winner, runoff.eliminated
    ) or audited["winner"] != outcome.winner:
        raise ZkgovError(f"ranked outcome {outcome} differs from the instant runoff of the ballots cast {runoff}")
    echo(f"  weighted results {list(results[:3])} (delegated ballot counted {ALLOWANCES[0] + ALLOWANCES[9]}); "
         f"ranked winner option {outcome.winner}, eliminated {list(outcome.eliminated)}, rounds "
         f"{[list(r[:3]) for r in outcome.rounds]}")
    echo("  both recomputed independently from the chain's events: equal")
    return {
        "voters": {"weighted": len(WEIGHTED_VOTES) + 1, "ranked": len(RANKINGS)},
        "ballot_seconds_median": round(statistics.median(ballot_seconds), 3),
        "gas": {
            "castBallot_median": int(statistics.median(ballot_gas)),
            "delegate": delegate_gas,
            "castDelegatedBallot": delegated_gas,
            "submitShare_median": int(statistics.median(share_gas)),
            "submitTally": int(tally_receipt["gasUsed"]),
            "rankedShare_median": int(statistics.median(ranked_share_gas)),
            "rankedTally": int(ranked_receipt["gasUsed"]),
        },
        "weighted_results": list(results[:3]),
        "ranked": {"winner": outcome.winner, "eliminated": list(outcome.eliminated),
                   "rounds": [list(r[:3]) for r in outcome.rounds], "share_proofs": len(ranked_share_gas)},
        "rejected": {"delegator_after_delegate": double_count},
    }


def _advance(conn: ChainConnection, seconds: int) -> None:
    """Move the chain's clock past the voting window (anvil and other dev nodes only)."""
    try:
        conn.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
        conn.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - any node error means the same thing here
        raise ZkgovError(f"the demo closes its votes with evm_increaseTime, which this node refused ({exc})") from None
