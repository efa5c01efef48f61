"""``zkgov demo`` / ``make demo``: anonymous signalling end to end on a local chain.

compile the membership circuit → trusted setup (dev ceremony) → a group of members → a member's
proof (witness + prove) → verified in Python (py_ecc) and by snarkjs → the generated Solidity
verifier and an ``AnonymousSignalBoard`` on anvil → the signal posted on chain → the same member
refused a second signal in the scope, and the proof refused by a second board (context binding);
then the identity scenario (:mod:`zkgov.cli.demo_identity`): a trainer credential proven
anonymously on chain for a soulbound token, a refused second proof, and a revocation; the voting
scenario (:mod:`zkgov.cli.demo_voting`): a weighted proposal with a delegation and a ranked-choice
proposal, relayed ballots, proven tallies audited from events; and the ML-asset scenario
(:mod:`zkgov.cli.demo_rights`): revenue split to the wei, an anonymous licence proof, funding rounds;
and the insurance scenario (:mod:`zkgov.cli.demo_insurance`): a provider stakes, a user buys cover,
the provider's signed predictions miss the SLA, the user claims confidentially, the pool pays and
the stake is slashed.
"""

from __future__ import annotations

import json
import secrets
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from zkgov.chain.contracts import Groth16VerifierClient, deploy
from zkgov.cli.demo_identity import expect_revert, run_identity_demo
from zkgov.cli.demo_insurance import run_insurance_demo
from zkgov.cli.demo_rights import run_rights_demo
from zkgov.cli.demo_voting import run_voting_demo
from zkgov.chain.node import connect
from zkgov.chain.solc import VERIFIER_CONTRACTS_DIR, compile_solidity
from zkgov.crypto.merkle import FixedMerkleTree
from zkgov.errors import ContractRevertError, ZkgovError
from zkgov.snark._tools import run_tool
from zkgov.snark.circuit import REPO_MANIFEST, compile_circuit, load_circuit
from zkgov.snark.curve import R
from zkgov.snark.prover import get_prover
from zkgov.snark.setup import INSECURE_NOTICE, groth16_setup
from zkgov.snark.solidity import export_solidity_verifier
from zkgov.snark.verifier import verify
from zkgov.voting.signal_board import Member, SignalBoardClient, field_hash, membership_inputs

__all__ = ["run_demo"]

CIRCUIT = "membership-10"
DEPTH = 10


def run_demo(*, rpc_url: str | None = None, members: int = 8, echo: Callable[[str], None] = print) -> dict[str, object]:
    """Run the scenario and print a summary; returns the measured figures.

    Raises:
        ZkgovError: a step failed (with what failed and why); nothing is left running.
    """
    times: dict[str, float] = {}

    @contextmanager
    def step(key: str, title: str) -> Iterator[None]:
        echo(f"• {title} …")
        start = time.perf_counter()
        yield
        times[key] = time.perf_counter() - start
        echo(f"  done in {times[key]:.2f} s")

    with step("compile", f"compiling circuit {CIRCUIT} (circom 2, cached by source hash)"):
        circuit = compile_circuit(load_circuit(CIRCUIT, REPO_MANIFEST))
    echo(f"  {circuit.n_constraints} constraints, {circuit.n_wires} wires, {circuit.n_public} public signals")

    with step("setup", f"Groth16 setup (dev ceremony 2^{circuit.required_ptau_power}, phase 2, zkey verify; cached)"):
        keys = groth16_setup(circuit)
    echo(f"  circuit id 0x{keys.vk.circuit_id.hex()}")
    echo(f"  NOTE: {INSECURE_NOTICE}")

    group = [Member(secrets.randbelow(R - 1) + 1) for _ in range(members)]
    tree = FixedMerkleTree(DEPTH)
    for member in group:
        tree.insert(member.commitment)
    echo(f"• group of {members} members, Merkle root {tree.root}")

    with tempfile.TemporaryDirectory(prefix="zkgov-demo-") as tmp, connect(rpc_url) as conn:
        echo(f"• chain {conn.chain_id} at {conn.rpc_url}" + (" (local anvil)" if conn.node else ""))
        with step("deploy", "compiling and deploying the generated verifier and the signal board"):
            sources = {
                "verifiers/MembershipVerifier.sol": export_solidity_verifier(keys.vk, contract_name="MembershipVerifier"),
                "voting/AnonymousSignalBoard.sol": (VERIFIER_CONTRACTS_DIR / "voting" / "AnonymousSignalBoard.sol").read_text(),
            }
            compiled = compile_solidity(sources)
            verifier = deploy(conn, compiled["MembershipVerifier"])
            board_contract = deploy(conn, compiled["AnonymousSignalBoard"], verifier.address)
            verifier_abi = compiled["MembershipVerifier"].abi
            other_board = SignalBoardClient(
                deploy(conn, compiled["AnonymousSignalBoard"], verifier.address), verifier_abi=verifier_abi
            )
            board = SignalBoardClient(board_contract, verifier_abi=verifier_abi)
            board.add_root(tree.root)
            other_board.add_root(tree.root)

        voter_index = 3 % members
        scope = field_hash("proposal #1: fund the open model-evaluation dataset")
        signal = field_hash("yes")
        context = board.context_for(scope)
        on_chain_context = int(board.contract.call("contextFor", scope))
        if on_chain_context != context:
            raise ZkgovError(f"context hash mismatch: Python {context}, contract {on_chain_context}")
        inputs, statement = membership_inputs(
            group[voter_index], tree, voter_index, scope=scope, context=context, signal_hash=signal
        )

        with step("witness", "computing the witness in-process (wasmtime)"):
            witness = circuit.witness(inputs)
        prover = get_prover()
        with step("prove", f"proving with the {prover.name} backend"):
            proof, public = prover.prove(keys.zkey, witness)
        if list(public.values) != list(statement.public_signals().values):
            raise ZkgovError("the proof's public signals differ from the statement")

        with step("verify_python", "verifying in Python (py_ecc)"):
            ok_python = verify(keys.vk, proof, public, backend="py_ecc")
        with step("verify_snarkjs", "verifying with snarkjs (interop)"):
            folder = Path(tmp)
            keys.vk.save(folder / "vk.json")
            proof.save(folder / "proof.json")
            public.save(folder / "public.json")
            report = run_tool("snarkjs", ["groth16", "verify", "vk.json", "public.json", "proof.json"], cwd=folder)
            ok_snarkjs = "OK!" in report.stdout
        with step("verify_chain", "verifying with the generated Solidity verifier (eth_call)"):
            client = Groth16VerifierClient(verifier)
            ok_chain = client.verify(proof, public)
            verify_gas = client.verify_gas_used(proof, public)
        if not (ok_python and ok_snarkjs and ok_chain):
            raise ZkgovError(f"proof rejected: python={ok_python} snarkjs={ok_snarkjs} chain={ok_chain}")

        with step("post", "posting the signal anonymously on the board"):
            receipt = board.post(proof, statement)
        post_gas = int(receipt["gasUsed"])
        count = int(board.contract.call("signalCount", scope))

        double = expect_revert(lambda: board.post(proof, statement), "BoardNullifierUsed")
        replay = expect_revert(lambda: other_board.post(proof, statement), "BoardInvalidProof")
        echo(f"• second signal by the same member in the scope: rejected ({double})")
        echo(f"• the same proof sent to another board: rejected ({replay})")

        echo("")
        echo("identity: a credential, an anonymous presentation on chain, a soulbound token")
        identity = run_identity_demo(conn, step, echo)
        echo("")
        echo("voting: a weighted proposal with a delegation and a ranked-choice proposal, relayed, proven tallies")
        voting = run_voting_demo(conn, step, echo)
        echo("")
        echo("ML assets: revenue split to the wei, an anonymous licence proof, funding rounds")
        rights = run_rights_demo(conn, step, echo)
        echo("")
        echo("insurance: an ML oracle misses its SLA, a covered user claims confidentially")
        insurance = run_insurance_demo(conn, step, echo)

    summary: dict[str, object] = {
        "circuit": CIRCUIT,
        "constraints": circuit.n_constraints,
        "prover": prover.name,
        "seconds": {k: round(v, 3) for k, v in times.items()},
        "gas": {"verifyProof_tx": verify_gas, "postSignal_tx": post_gas},
        "verified": {"python": ok_python, "snarkjs": ok_snarkjs, "chain": ok_chain},
        "signals_in_scope": count,
        "rejected": {"double_signal": double, "replay_to_other_board": replay},
        "identity": identity,
        "voting": voting,
        "rights": rights,
        "insurance": insurance,
    }
    echo("")
    echo("zkgov demo summary")
    echo(f"  circuit            {CIRCUIT}: {circuit.n_constraints} constraints")
    for key, label in [("compile", "compile"), ("setup", "setup"), ("witness", "witness"), ("prove", f"prove ({prover.name})"),
                       ("verify_python", "verify (py_ecc)"), ("verify_snarkjs", "verify (snarkjs)"),
                       ("verify_chain", "verify (on chain)")]:
        echo(f"  {label:<18} {times[key]:8.3f} s")
    echo(f"  gas verifyProof    {verify_gas:>8} (transaction)")
    echo(f"  gas postSignal     {post_gas:>8} (transaction, incl. verification)")
    echo(f"  verified           python ✓  snarkjs ✓  chain ✓  ({count} signal in scope)")
    echo(f"  rejected           double signal ({double}), replay to another board ({replay})")
    id_gas = identity["gas"]["claim_tx"]
    id_rejected = identity["rejected"]
    echo(f"  credential circuit {identity['circuit']}: {identity['constraints']} constraints")
    echo(f"  prove (credential) {times['identity_prove']:8.3f} s (witness + proof)")
    echo(f"  gas claim (SBT)    {id_gas:>8} (transaction: proof check, mint, group join)")
    echo(f"  rejected           same-scope proof ({id_rejected['second_proof_same_scope']}), transfer "
         f"({id_rejected['transfer']}), after revocation ({id_rejected['after_revocation']})")
    vg = voting["gas"]
    echo(f"  voting             weighted ({voting['voters']['weighted']} voters, 1 delegation) and ranked "
         f"({voting['voters']['ranked']} voters), every ballot relayed")
    echo(f"  ballot proof       {voting['ballot_seconds_median']:8.3f} s median (witness + proof + send)")
    echo(f"  gas per ballot     {vg['castBallot_median']:>8} median castBallot; delegated ballot "
         f"{vg['castDelegatedBallot']}, delegation {vg['delegate']}")
    echo(f"  gas per tally      weighted: {vg['submitShare_median']} per share ×3 + {vg['submitTally']} tally; "
         f"ranked: {vg['rankedShare_median']} per batch share ×{voting['ranked']['share_proofs']} + "
         f"{vg['rankedTally']} tally with on-chain runoff")
    echo(f"  results            weighted {voting['weighted_results']}; ranked winner option "
         f"{voting['ranked']['winner']} (recomputed independently: equal)")
    rev = rights["revenue"]
    echo(f"  ML asset           shares {rights['shares_bps']} bps; licence paid {rev['payment']} wei, withdrawn "
         f"{rev['withdrawn']} (to the wei)")
    echo(f"  funding            succeeded {rights['funding']['succeeded']['raised']} wei raised; failed round refunded")
    echo(f"  claim circuit      {insurance['circuit']}: {insurance['constraints']} constraints")
    echo(f"  prove (claim)      {times['insurance_prove']:8.3f} s (witness + proof)")
    echo(f"  gas claim          {insurance['gas']['claim_tx']:>8} (proof check, payout, slash, reputation)")
    echo("VERIFIED")
    echo(json.dumps(summary))
    return summary
