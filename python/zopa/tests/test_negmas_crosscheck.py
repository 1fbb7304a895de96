"""Cross-check with NegMAS's own mechanism: a pairing seated in zopa through the bridge
reaches the same agreement in the same round as in NegMAS's `SAOMechanism`, on five GENIUS
scenarios of the reference corpus, both ways round and at two deadlines.

* NegMAS's `AspirationNegotiator` against its `BoulwareTBNegotiator`, both seated in zopa
  (`zopa.negmas.seat`), against the same two in `SAOMechanism`;
* zopa's `aspiration` as a NegMAS negotiator (`zopa.negmas.Negotiator`) against NegMAS's
  `BoulwareTBNegotiator` in `SAOMechanism`, against the same pairing in zopa (`aspiration` and
  the seated Boulware).

and, at 10^6 outcomes (where NegMAS still presorts and so bids exactly, and zopa bids exactly
without listing the space), NegMAS's time-based pairs against zopa's `aspiration:exp=…` twins in
zopa's own mechanism, on bench/speed.py's 6-issue, 10-value plan.

Equality is exact: the agreement outcome, and zopa's `rounds` equal to NegMAS's final `step`
(both count the round of the agreement: zopa from 1, NegMAS's step after it). It holds
because each side plays by the clock it was written for (zopa.negmas's docstring): a NegMAS
agent sees relative time (k + 1) / (n + 1) at step k of n in both, a zopa strategy k / n.
"""

from __future__ import annotations

import pytest
import zopa

try:
    import negmas  # noqa: F401
except ImportError:
    pytest.fail("NegMAS is missing: pip install negmas==0.16.0 (.ci/run installs it)", pytrace=False)
import zopa.negmas as zn  # noqa: E402
from negmas.inout import Scenario as NegmasScenario  # noqa: E402
from negmas import make_issue, make_os  # noqa: E402
from negmas.preferences import LinearAdditiveUtilityFunction  # noqa: E402
from negmas.sao import (  # noqa: E402
    AspirationNegotiator,
    BoulwareTBNegotiator,
    ConcederTBNegotiator,
    LinearTBNegotiator,
    SAOMechanism,
)

SCENARIOS = [
    "anac/y2010/Travel",
    "anac/y2011/Grocery",
    "anac/y2012/CameraA",
    "anac/y2013/Icecream",
    "anac/y2011/Amsterdam",
]
CASES = [(f, n, first) for f in SCENARIOS for n in (20, 100) for first in (0, 1)]


@pytest.fixture(scope="module")
def scenarios(shared):
    """Each scenario in both orders of its parties (the first opens), in NegMAS and in zopa."""
    out = {}
    for f in SCENARIOS:
        ns = NegmasScenario.load(
            shared / "scenarios" / "negmas-genius" / f,
            ignore_discount=True,
            load_stats=False,
            load_info=False,
        )
        swapped = NegmasScenario(outcome_space=ns.outcome_space, ufuns=tuple(reversed(ns.ufuns)))
        out[f, 0] = (ns, zn.from_negmas(ns))
        out[f, 1] = (swapped, zn.from_negmas(swapped))
    return out


def in_negmas(ns, negotiators, n_steps):
    m = SAOMechanism(outcome_space=ns.outcome_space, n_steps=n_steps)
    for negotiator, ufun in zip(negotiators, ns.ufuns):
        m.add(negotiator, ufun=ufun)
    state = m.run()
    return state.agreement, state.step


def in_zopa(s, negotiators, rounds):
    r = zopa.run(s, negotiators, rounds=rounds)
    assert r["error"] is None, r["error"]
    agreement = tuple(r["agreement"].values()) if r["agreement"] else None
    return agreement, r["rounds"]


def ordered(pair, first):
    """The scenario's first party always plays the pair's first; `first` = 1 seats it second
    (the other opens)."""
    return list(pair) if first == 0 else list(reversed(pair))


@pytest.mark.parametrize("folder,n,first", CASES)
def test_negmas_agents_seated_in_zopa_agree_as_in_negmas(scenarios, folder, n, first):
    ns, s = scenarios[folder, first]
    negmas_side = in_negmas(ns, ordered([AspirationNegotiator(), BoulwareTBNegotiator()], first), n)
    zopa_side = in_zopa(
        s, ordered([zn.seat(AspirationNegotiator), zn.seat(BoulwareTBNegotiator)], first), n
    )
    assert negmas_side[0] is not None, "the pairing agrees in NegMAS"
    assert zopa_side == negmas_side


@pytest.mark.parametrize("folder,n,first", CASES)
def test_zopa_aspiration_in_negmas_agrees_as_in_zopa(scenarios, folder, n, first):
    ns, s = scenarios[folder, first]
    negmas_side = in_negmas(
        ns, ordered([zn.Negotiator("aspiration"), BoulwareTBNegotiator()], first), n
    )
    zopa_side = in_zopa(s, ordered(["aspiration", zn.seat(BoulwareTBNegotiator)], first), n)
    assert negmas_side[0] is not None, "the pairing agrees in NegMAS"
    assert zopa_side == negmas_side


def _million(seed=15, n_issues=6, n_values=10):
    """bench/speed.py's plan: 10^6 outcomes, two additive parties with opposed seeded
    preferences (per issue the scores of one are the other's reversed)."""
    import random

    rng = random.Random(seed)
    issues = [make_issue([f"v{j}" for j in range(n_values)], f"i{i}") for i in range(n_issues)]
    space = make_os(issues)
    ufuns = []
    for p in range(2):
        raw = [0.2 + rng.random() for _ in range(n_issues)]
        weights = [w / sum(raw) for w in raw]
        tables = []
        for _ in range(n_issues):
            scores = sorted(rng.random() for _ in range(n_values))
            scores = [(x - scores[0]) / (scores[-1] - scores[0]) for x in scores]
            tables.append(scores if p == 0 else scores[::-1])
        values = [{f"v{j}": x for j, x in enumerate(t)} for t in tables]
        ufuns.append(
            LinearAdditiveUtilityFunction(
                values=values, weights=weights, outcome_space=space, reserved_value=0.0
            )
        )
    return NegmasScenario(outcome_space=space, ufuns=tuple(ufuns))


@pytest.mark.parametrize(
    "pair",
    [
        ((BoulwareTBNegotiator, LinearTBNegotiator), ("aspiration:exp=4", "aspiration:exp=1")),
        ((ConcederTBNegotiator, BoulwareTBNegotiator), ("aspiration:exp=0.25", "aspiration:exp=4")),
    ],
    ids=["boulware-linear", "conceder-boulware"],
)
def test_a_million_outcomes_agree_as_in_negmas(pair):
    """Issue 15: exact bidding at 10^6 outcomes reaches NegMAS's agreement in NegMAS's round
    (NegMAS takes about 6 s a run here, zopa about 10 ms)."""
    (a, b), twins = pair
    ns = _million()
    assert ns.outcome_space.cardinality == 10**6
    s = zn.from_negmas(ns)
    negmas_side = in_negmas(ns, [a(), b()], 100)
    assert negmas_side[0] is not None, "the pairing agrees in NegMAS"
    assert in_zopa(s, list(twins), 100) == negmas_side
