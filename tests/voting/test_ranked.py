"""Instant runoff against a plain reference implementation on random ballots, and its tie-breaks."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from zkgov.errors import InputError
from zkgov.voting.ranked import instant_runoff, ranking_order


def reference_irv(ballots: list[list[int]], options: int) -> int:
    """A deliberately plain IRV: lists of preferences, recount from scratch each round."""
    prefs = [[o for o in sorted(range(len(b)), key=lambda o: b[o]) if o < options] for b in ballots]
    alive = list(range(options))
    history: list[Counter[int]] = []
    while True:
        tally: Counter[int] = Counter({o: 0 for o in alive})
        for p in prefs:
            top = next(o for o in p if o in alive)
            tally[top] += 1
        history.append(tally)
        total = sum(tally.values())
        best = sorted(alive, key=lambda o: (-tally[o], o))[0]
        if 2 * tally[best] > total or len(alive) == 1:
            return best
        fewest = min(tally[o] for o in alive)
        tied = [o for o in alive if tally[o] == fewest]
        # tie-break: first round, then earlier rounds from the latest back, then highest index
        for past in [history[0], *reversed(history[1:-1])]:
            low = min(past[o] for o in tied)
            tied = [o for o in tied if past[o] == low]
        alive.remove(max(tied))


@pytest.mark.parametrize("seed", range(300))
def test_matches_the_reference_on_random_ballots(seed: int) -> None:
    rng = random.Random(seed)
    options = rng.choice([2, 3, 4])
    ballots = []
    for _ in range(rng.randint(1, 25)):
        ranks = list(range(1, options + 1))
        rng.shuffle(ranks)
        ballots.append(ranks + list(range(options + 1, 5)))  # padded to 4 as the circuit does
    assert instant_runoff(ballots, options).winner == reference_irv(ballots, options)


def test_majority_in_round_one_wins_at_once() -> None:
    result = instant_runoff([[1, 2, 3, 4]] * 3 + [[2, 1, 3, 4]] * 2, 4)
    assert result.winner == 0 and len(result.rounds) == 1


def test_transfers_decide() -> None:
    # A 4, B 3, C 2 (C's voters prefer B): C out, B wins 5 to 4.
    ballots = [[1, 2, 3, 4]] * 4 + [[2, 1, 3, 4]] * 3 + [[3, 2, 1, 4]] * 2
    result = instant_runoff(ballots, 3)
    assert result.winner == 1 and result.eliminated == (2,)
    assert result.rounds[0] == {0: 4, 1: 3, 2: 2}


def test_ties_break_by_first_preferences_then_highest_index() -> None:
    # Two options, one vote each: the higher index is eliminated, option 0 wins.
    assert instant_runoff([[1, 2, 3, 4], [2, 1, 3, 4]], 2).winner == 0
    # Every permutation of 3 options once: a full tie; deterministic.
    ballots = [list(p) + [4] for p in itertools.permutations([1, 2, 3])]
    assert instant_runoff(ballots, 3).winner == instant_runoff(list(reversed(ballots)), 3).winner


def test_rejects_non_permutations() -> None:
    with pytest.raises(InputError, match="permutation"):
        ranking_order([1, 1, 2, 3])
    with pytest.raises(InputError, match="at least one"):
        instant_runoff([], 3)
