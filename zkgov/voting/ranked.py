"""Instant-runoff voting over decrypted ranked ballots, deterministic to the last tie.

A ranked ballot gives every option a rank, 1 = first preference (the ``ranked`` ballot circuit
proves it is a permutation). Ranked ballots cannot be added homomorphically: after the close the
trustees decrypt each ballot (they stay unlinkable to voters: the ballot proof is anonymous and
may be relayed), and :func:`instant_runoff` counts them.

Rounds: every ballot counts for its highest-ranked option still running. An option with more than
half of the ballots still counting wins. Otherwise the option with the fewest votes is eliminated.

Tie-break (documented, deterministic): among options tied for fewest votes, eliminate the one
with the fewest first-preference votes in round 1; if still tied, the one with the fewest votes in
the previous round, going back round by round; if still tied, the highest option index. When the
last two options tie, the same rule decides which is eliminated, so a result always exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zkgov.errors import InputError

__all__ = ["RunoffResult", "instant_runoff", "ranking_order"]


@dataclass(frozen=True, slots=True)
class RunoffResult:
    """The winner and every round's counts (``rounds[r][option]``, eliminated options absent)."""

    winner: int
    rounds: tuple[dict[int, int], ...]
    eliminated: tuple[int, ...]


def ranking_order(ranks: Sequence[int]) -> list[int]:
    """Options from first to last preference, from a ballot's ranks (``ranks[option] = rank``).

    Raises:
        InputError: the ranks are not a permutation of 1..n.
    """
    n = len(ranks)
    if sorted(ranks) != list(range(1, n + 1)):
        raise InputError(f"ranks: expected a permutation of 1 .. {n}, got {list(ranks)}")
    return sorted(range(n), key=lambda option: ranks[option])


def instant_runoff(ballots: Sequence[Sequence[int]], options: int) -> RunoffResult:
    """Count ranked ballots (each ``ranks[option]``, over ``options`` options) by instant runoff.

    Padding options of a smaller proposal (ranked after every real option) never count.

    Raises:
        InputError: no ballots, or a ballot is not a permutation of its ranks.
    """
    if not ballots:
        raise InputError("ballots: instant runoff needs at least one ballot")
    orders = [[o for o in ranking_order(b) if o < options] for b in ballots]
    running = set(range(options))
    rounds: list[dict[int, int]] = []
    eliminated: list[int] = []
    while True:
        counts = dict.fromkeys(sorted(running), 0)
        for order in orders:
            for option in order:
                if option in running:
                    counts[option] += 1
                    break
        rounds.append(counts)
        active = sum(counts.values())
        leader = max(counts, key=lambda o: (counts[o], -o))
        if counts[leader] * 2 > active or len(running) == 1:
            return RunoffResult(leader, tuple(rounds), tuple(eliminated))
        loser = min(running, key=lambda o: _elimination_key(o, rounds))
        running.remove(loser)
        eliminated.append(loser)


def _elimination_key(option: int, rounds: list[dict[int, int]]) -> tuple[int, ...]:
    # Fewest votes now, then fewest first preferences, then fewest in earlier rounds (latest
    # first), then the highest index goes first (negated so that min picks it).
    history = [rounds[r][option] for r in range(len(rounds) - 2, 0, -1)]
    return (rounds[-1][option], rounds[0][option], *history, -option)
