"""Fidelity against independent ports (issue 16, item 4): zopa's ports of ANAC agents and the
same agents as NegoLog (``negmas-negolog``) or ``negmas-genius-agents`` port them, each seated
in turn against the same zopa opponents, clock and seeds in zopa's mechanism
(:mod:`zopa.fidelity`, its ``small`` configuration: six GENIUS domains, two opponents, two
seeds, 100 rounds, both sides; about two minutes).

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
}


@pytest.fixture(scope="module")
def summaries(shared):
    config = fidelity.CONFIGS["small"]
    return {s.agent: s for s in fidelity.compare(config, shared / "scenarios")}


def _case(port):
    marks = []
    if port.agent in KNOWN:
        marks.append(pytest.mark.xfail(reason=KNOWN[port.agent], strict=True))
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
