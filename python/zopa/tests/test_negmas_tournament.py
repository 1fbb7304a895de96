"""A tournament mixing zopa's strategies with agents of the NegMAS ecosystem
(`negmas-genius-agents`, `negmas-negolog`) by import path, and a deliberately broken NegMAS
agent that ends only its own negotiations, each recorded with its error."""

from __future__ import annotations

import pytest
import zopa

try:
    import negmas_genius_agents  # noqa: F401
    import negmas_negolog  # noqa: F401
    import pyarrow  # noqa: F401
    import zopa.negmas as zn
    from negmas.sao import AspirationNegotiator
except ImportError as e:
    pytest.fail(
        f"{e}: pip install negmas==0.16.0 negmas-genius-agents negmas-negolog pyarrow "
        "(.ci/run installs them)",
        pytrace=False,
    )

ZOPA = ["boulware", "conceder", "atlas3", "micro"]
AGENTS = [
    "negmas:negmas_genius_agents.HardHeaded",
    "negmas:negmas_genius_agents.AgentK",
    "negmas:negmas_negolog.AgentGG",
    "negmas:negmas_negolog.PonPokoAgent",
]
SCENARIOS = [
    "scenarios/examples/genius-job",
    "scenarios/examples/negmas-paint",
    "scenarios/examples/negolog-fruit",
]


class Faulty(AspirationNegotiator):
    """Breaks on its fifth proposal and every one after (NegMAS retries a call that raises)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = 0

    def propose(self, state, dest=None):
        self.proposals += 1
        if self.proposals >= 5:
            raise RuntimeError("broken on purpose")
        return super().propose(state, dest=dest)


def test_zopa_strategies_and_negmas_agents_play_a_tournament_to_the_end(tmp_path):
    strategies = ZOPA + AGENTS + [zn.seat(Faulty)]
    config = {
        "seed": 7,
        "repetitions": 2,
        "rotate_roles": True,
        "self_play": False,
        "protocol": "sao",
        "rounds": 60,
        "scenarios": SCENARIOS,
        "strategies": strategies,
    }
    db = tmp_path / "mixed.sqlite"
    summary = zopa.tournament(config, db=db, jobs=2)
    n = len(strategies)
    assert summary["total"] == summary["ran"] == n * (n - 1) * len(SCENARIOS) * 2
    r = zopa.results(db)
    rows = r.negotiations.to_pylist()
    assert len(rows) == summary["total"] and r.info["damaged"] == []

    def plays(row, label):
        return label in (row["strategy_first"], row["strategy_second"])

    broken = [row for row in rows if plays(row, "negmas:Faulty")]
    assert len(broken) == 2 * (n - 1) * len(SCENARIOS) * 2
    for row in broken:
        assert row["end"] == "error"
        assert "negmas:Faulty" in row["error"] and "broken on purpose" in row["error"]
    others = [row for row in rows if not plays(row, "negmas:Faulty")]
    assert all(row["end"] in {"agreement", "deadline"} and row["error"] is None for row in others)
    # Every agent played and struck deals; the leaderboard ranks them all.
    for agent in AGENTS:
        assert any(row["end"] == "agreement" for row in others if plays(row, agent)), agent
    board = r.leaderboard.to_pylist()
    ranked = {row["strategy"] for row in board if row["scope"] == "overall"}
    assert set(ZOPA + AGENTS + ["negmas:Faulty"]) <= ranked
