"""Fidelity against independent ports (issue 16, item 4): zopa's ports of ANAC agents and the
same agents as NegoLog (``negmas-negolog``) or ``negmas-genius-agents`` port them, each seated
in turn against the same zopa opponents, clock and seeds in zopa's mechanism
(:mod:`zopa.fidelity`, its ``small`` configuration: six GENIUS domains, two opponents, two
seeds, 100 rounds, both sides; about five minutes for its 48 agents).

The thresholds are the issue's: against NegoLog's ports, identical outcomes in at least 80 %
of the negotiations where the NegoLog port is deterministic (it left the same trace under
every seed); for every port, mean own and opponent utility within 0.03 of the independent
port's. Agents known to miss them today are strict expected failures naming why, so that a
fix shows as an unexpected pass. docs/strategies.md ("Fidelity against independent ports")
has the larger table and explains each miss.
"""

from __future__ import annotations

import pytest

try:
    import negmas_genius_agents  # noqa: F401
    import negmas_negolog  # noqa: F401
except ImportError as e:
    pytest.fail(
        f"{e}: pip install negmas==0.16.0 negmas-genius-agents negmas-negolog "
        "(.ci/run installs them)",
        pytrace=False,
    )
from zopa import fidelity  # noqa: E402

UTILITY_GAP = 0.03
SAME_OUTCOME = 0.80

# Why an agent misses today (strict: the test fails when it starts to hold).
KNOWN = {
    "Atlas3": "zopa's atlas3 is GENIUS's Atlas3; NegoLog's port divides A12 by A22 in q, fixes "
    "df = 1 and has no final phase (zopa's atlas3:negolog=true is that variant), so against "
    "NegoLog's port the default agrees far more often and concedes more",
    "Caduceus": "with GENIUS's portfolio (ParsAgent, RandomDance, Kawaii, Atlas3, "
    "Caduceus2015) outcomes mostly agree and its own utility is within 0.03, but the "
    "opponent's is not (0.623 in zopa, 0.579 in NegoLog, small configuration)",
    "Hardliner": "where several outcomes tie at its best utility, zopa offers the first in "
    "its ranking's order and the negmas-genius-agents port another (DogChoosing, Icecream, "
    "Amsterdam): the opponent's utility differs, its own does not",
    # The ports of issue 16's second part, measured by `python -m zopa.fidelity` (small); the
    # reasons are the deviations each port states, where one explains the gap.
    "YXAgent": "own utility 0.622 in zopa, 0.578 in the independent port; opponent's 0.476 vs 0.538 (small configuration): GENIUS's clock is whole minutes of a 3-minute session, so its time steps stay at t = 0, as zopa keeps them; NegoLog's port reads real time and deducts 0.2 per opponent instead of 0.1",
    "ParsCat": "own utility 0.647 in zopa, 0.569 in the independent port; opponent's 0.767 vs 0.853; 25% identical outcomes where NegoLog's port is deterministic (small configuration): zopa draws uniformly in its utility window where GENIUS tries 1,000 random bids; NegoLog's port agrees in 30 rounds on average against zopa's 81, a window schedule not yet traced",
    "Yushu": "own utility 0.747 in zopa, 0.594 in the independent port (small configuration): not yet traced (its floor counts the rounds left from turn times in GENIUS, from the round deadline here; the negmas-genius-agents port agrees much earlier)",
    "IAMhaggler2011": "own utility 0.672 in zopa, 0.727 in the independent port; opponent's 0.757 vs 0.639 (small configuration): gp4j's Bayesian Monte Carlo over the kernel's hyperparameters is approximated by a likelihood-weighted grid mixture; the independent port fits its regression otherwise",
    "NiceTitForTat": "own utility 0.720 in zopa, 0.761 in the independent port (small configuration): zopa's scalable Bayesian model stands in for GENIUS's BayesianOpponentModelScalable, so its Nash estimate differs",
    "TheNegotiator": "opponent's 0.830 vs 0.881 (small configuration): not yet traced",
    "AgentLG": "own utility 0.614 in zopa, 0.521 in the independent port; opponent's 0.511 vs 0.576 (small configuration): not yet traced",
    "OMACagent": "own utility 0.637 in zopa, 0.760 in the independent port; opponent's 0.464 vs 0.828 (small configuration): not yet traced (zopa's port agrees in 67 % of the runs, the independent one in 98 %)",
    "BRAMAgent": "opponent's 0.812 vs 0.706 (small configuration): its bid list is the whole bidding order where GENIUS keeps what 2 s of random draws collect",
    "TheNegotiatorReloaded": "own utility 0.579 in zopa, 0.816 in the independent port; opponent's 0.412 vs 0.776 (small configuration): zopa's Bayesian model stands in for GENIUS's IAMhagglerBayesianModel and the Kalai point is the Pareto point of least utility gap; it agrees in 60 % of the runs against the independent port's 100 %, not yet traced further",
    "Nozomi": "own utility 0.561 in zopa, 0.657 in the independent port; opponent's 0.540 vs 0.626 (small configuration): not yet traced",
    "TheFawkes": "own utility 0.685 in zopa, 0.730 in the independent port; opponent's 0.594 vs 0.908 (small configuration): not yet traced (it agrees in 75 % of the runs, the independent port in 100 %)",
    "TMFAgent": "own utility 0.839 in zopa, 0.714 in the independent port; opponent's 0.745 vs 0.660 (small configuration): zopa's bidding order stands in for GENIUS's bid list; not yet traced further",
    "InoxAgent": "own utility 0.637 in zopa, 0.679 in the independent port; opponent's 0.553 vs 0.659 (small configuration): not yet traced",
    "AgentM": "own utility 0.580 in zopa, 0.547 in the independent port; opponent's 0.511 vs 0.551 (small configuration): not yet traced",
    "WhaleAgent": "own utility 0.684 in zopa, 0.538 in the independent port; opponent's 0.897 vs 0.999 (small configuration): moves stay inside each issue and annealing restarts are capped at 50 a turn (GENIUS can loop); the independent port concedes within 14 rounds on average against zopa's 75",
    "PokerFace": "own utility 0.775 in zopa, 0.679 in the independent port (small configuration): GENIUS's conceder step reads an empty map, so it offers its best outcome (kept); the independent port concedes",
    "Farma": "opponent's 0.799 vs 0.738 (small configuration): Atlas3's adaptations and at most 50,000 gathered outcomes; not yet traced further",
    "CaduceusDC16": "opponent's 0.500 vs 0.451 (small configuration): its experts MyAgent (no port) abstains and atlas3 stands in for Atlas3 2016; own utility equal",
    "DoNA": "opponent's 0.794 vs 0.733 (small configuration): not yet traced",
    "Gangster": "own utility 0.467 in zopa, 0.668 in the independent port (small configuration): on linear utilities GENIUS falls back to random bids and accepts above 0.8, as zopa does; not yet traced further",
    "MetaAgent": "own utility 0.564 in zopa, 0.725 in the independent port; opponent's 0.388 vs 0.858 (small configuration): it hands the negotiation to the ANAC 2012 agent GENIUS's regression trees predict best among those zopa registers (CUHKAgent, AgentLG, OMACagent, TheNegotiatorReloaded, IAMhaggler2012); the independent port chooses otherwise",
    "MengWan": "opponent's 0.505 vs 0.736 (small configuration): ported as GENIUS runs it: its ParsAgent-style bid always fails, so it offers its best outcome with one issue changed; the independent port's bid does not fail",
    "Sontag": "own utility 0.585 in zopa, 0.788 in the independent port; opponent's 0.780 vs 0.840 (small configuration): not yet traced",
    "KakeSoba": "own utility 0.674 in zopa, 0.583 in the independent port; opponent's 0.670 vs 0.534 (small configuration): not yet traced",
    "IAMhaggler2012": "opponent's 0.710 vs 0.745 (small configuration): zopa's default is GENIUS's regression (a likelihood-weighted mixture over gp4j's priors) where NegoLog fits by maximum likelihood; `iamhaggler2012:negolog_gp=true` is NegoLog's reading",
    "Gahboninho": "own utility 0.713 in zopa, 0.603 in the independent port; opponent's 0.544 vs 0.377 (small configuration): its bid list holds the first 50,000 outcomes of GENIUS's enumeration, which GENIUS cuts by wall-clock time; not yet traced further",
    "ValueModelAgent": "opponent's 0.488 vs 0.617 (small configuration): at most 50,000 approved outcomes, and its end-game moves act at once where GENIUS waits on the wall clock; not yet traced further",
}


@pytest.fixture(scope="module")
def summaries(shared):
    config = fidelity.CONFIGS["small"]
    return {s.agent: s for s in fidelity.compare(config, shared / "scenarios")}


# Misses too close to a threshold to be strict: the independent port does not repeat itself
# from one process to the next (NegoLog's IAMhaggler fits its regression with scikit-learn's
# L-BFGS; a CI run met the 0.03 that the measured run missed by 0.005).
NEAR = {"IAMhaggler2012"}


def _case(port):
    marks = []
    if port.agent in KNOWN:
        strict = port.agent not in NEAR
        marks.append(pytest.mark.xfail(reason=KNOWN[port.agent], strict=strict))
    return pytest.param(port.agent, id=port.agent, marks=marks)


@pytest.mark.parametrize("agent", [_case(p) for p in fidelity.PORTS])
def test_the_port_matches_the_independent_one(summaries, agent):
    s = summaries[agent]
    config = fidelity.CONFIGS["small"]
    assert s.runs == len(config.domains) * len(config.opponents) * 2 * len(config.seeds)
    assert s.errors == 0, s.failures
    assert s.own_gap <= UTILITY_GAP, (
        f"own utility {s.zopa_own:.3f} in zopa, {s.ind_own:.3f} in {s.source}"
    )
    assert s.opponent_gap <= UTILITY_GAP, (
        f"opponent utility {s.zopa_opponent:.3f} in zopa, {s.ind_opponent:.3f} in {s.source}"
    )
    if s.source == "NegoLog" and s.same_outcome_deterministic is not None:
        assert s.same_outcome_deterministic >= SAME_OUTCOME, (
            f"{s.same_outcome_deterministic:.0%} identical outcomes where NegoLog's port is "
            "deterministic"
        )


def test_negologs_deterministic_configurations_are_compared(summaries):
    """The outcome threshold is not vacuous: NegoLog's HardHeaded and CUHKAgent are
    deterministic in some configurations, and their outcomes are compared there."""
    for agent in ("HardHeaded", "CUHKAgent"):
        s = summaries[agent]
        assert s.ind_seed_independent > 0 and s.same_outcome_deterministic is not None, agent


def test_the_table_names_every_agent_and_the_configuration(summaries):
    config = fidelity.CONFIGS["small"]
    table = fidelity.markdown(list(summaries.values()), config)
    assert table.startswith("Configuration `small`: 6 domains")
    for p in fidelity.PORTS:
        assert f"| {p.agent} (`{p.zopa}`) |" in table


def test_the_tool_refuses_an_unknown_agent_and_a_missing_corpus(shared, tmp_path, capsys):
    scenarios = str(shared / "scenarios")
    assert fidelity.main(["--agents", "Nobody", "--scenarios", scenarios]) == 2
    assert "unknown agent(s) Nobody" in capsys.readouterr().err
    assert fidelity.main(["--scenarios", str(tmp_path)]) == 2
    assert "holds no negmas-genius folder" in capsys.readouterr().err
