"""The NegMAS bridge (zopa.negmas): scenarios both ways, NegMAS agents in zopa's seats and
tournaments, zopa's strategies in NegMAS's own mechanism."""

from __future__ import annotations

import itertools
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import zopa

try:
    import negmas  # noqa: F401
except ImportError:
    pytest.fail("NegMAS is missing: pip install negmas==0.16.0 (.ci/run installs it)", pytrace=False)
import zopa.negmas as zn  # noqa: E402
from negmas.inout import Scenario as NegmasScenario  # noqa: E402
from negmas.sao import (  # noqa: E402
    AspirationNegotiator,
    BoulwareTBNegotiator,
    NaiveTitForTatNegotiator,
    SAOMechanism,
)

REPO = Path(__file__).resolve().parents[3]
JOB = "scenarios/examples/genius-job"
EXAMPLES = [
    "scenarios/examples/genius-job",
    "scenarios/examples/geniusweb-trip",
    "scenarios/examples/negolog-fruit",
    "scenarios/examples/negmas-paint",
    "scenarios/examples/laptop-sale.toml",
    "scenarios/examples/positions.toml",
]
GENIUS = [
    "anac/y2010/Travel",
    "anac/y2011/Grocery",
    "anac/y2012/CameraA",
    "anac/y2013/Icecream",
    "anac/y2011/Amsterdam",
    "other/Jobs",
]


def outcomes(s: zopa.Scenario):
    names = [i["name"] for i in s.issues]
    for values in itertools.product(*(s.values(n) for n in names)):
        yield dict(zip(names, values))


def negmas_outcome(ns: NegmasScenario, outcome: dict):
    """A zopa outcome as the NegMAS scenario's tuple (zopa's "3" is NegMAS's 3)."""
    out = []
    for issue in ns.outcome_space.issues:
        v = outcome[issue.name]
        if issue.is_discrete() and v not in list(issue.all):
            v = {str(x): x for x in issue.all}[str(v)]
        out.append(v)
    return tuple(out)


def load_genius(shared, folder) -> NegmasScenario:
    return NegmasScenario.load(
        shared / "scenarios" / "negmas-genius" / folder,
        ignore_discount=True,
        load_stats=False,
        load_info=False,
    )


def test_zopa_imports_without_negmas_and_the_bridge_says_what_to_install():
    code = textwrap.dedent(
        """
        import sys
        sys.modules["negmas"] = None          # as if it were not installed
        import zopa
        zopa.run("scenarios/examples/genius-job", ["boulware", "conceder"], rounds=10)
        try:
            import zopa.negmas
        except ImportError as e:
            print(e)
        """
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "zopa.negmas needs NegMAS: pip install negmas" in p.stdout


@pytest.mark.parametrize("path", EXAMPLES)
@pytest.mark.filterwarnings("ignore:to_negmas. the discount factor")  # laptop-sale's: left out
def test_to_negmas_scores_every_outcome_as_zopa_does(path):
    s = zopa.load(path)
    ns = zn.to_negmas(s)
    negotiators = [p["name"] for p in s.parties if p["role"] == "negotiator"]
    assert [u.name for u in ns.ufuns] == negotiators
    real = any(i["kind"] == "real" for i in s.issues)
    if not real:
        assert ns.outcome_space.cardinality == len(list(outcomes(s)))
    for party, ufun in zip(negotiators, ns.ufuns):
        reservation = next(p for p in s.parties if p["name"] == party)["reservation_value"]
        assert ufun.reserved_value == reservation
        for o in outcomes(s):
            assert ufun(negmas_outcome(ns, o)) == s.utility(party, o), (party, o)
    # And back: zopa reads what NegMAS writes, with the same numbers. Functions of real
    # issues other than lines are zopa's own, which NegMAS cannot write.
    if real:
        with pytest.raises(Exception):
            zn.from_negmas(ns)
        return
    back = zn.from_negmas(ns)
    assert [p["name"] for p in back.parties] == negotiators
    for party in negotiators:
        for o in outcomes(s):
            assert back.utility(party, o) == s.utility(party, o)


@pytest.mark.parametrize("folder", GENIUS)
def test_from_negmas_scores_every_outcome_as_negmas_does(shared, folder):
    ns = load_genius(shared, folder)
    s = zn.from_negmas(ns)
    assert [p["name"] for p in s.parties] == [u.name for u in ns.ufuns]
    for party, ufun in zip(s.parties, ns.ufuns):
        assert party["reservation_value"] == ufun.reserved_value
        for o in outcomes(s):
            assert s.utility(party["name"], o) == ufun(negmas_outcome(ns, o))
    # And back again.
    again = zn.to_negmas(s)
    for ufun, back in zip(ns.ufuns, again.ufuns):
        for o in outcomes(s):
            assert back(negmas_outcome(again, o)) == ufun(negmas_outcome(ns, o))


def test_hyper_rectangle_utilities_score_as_zopa_does(shared):
    # ANAC 2014: 10^10 outcomes, so a seeded sample of them.
    import random

    s = zopa.load(shared / "scenarios" / "negmas-genius" / "anac" / "y2014" / "10issues")
    ns = zn.to_negmas(s)
    assert all(isinstance(u, zn.ConstraintUtility) for u in ns.ufuns)
    names = [i["name"] for i in s.issues]
    rng = random.Random(1)
    for _ in range(2000):
        o = {i["name"]: rng.randint(i["min"], i["max"]) for i in s.issues}
        for party, ufun in zip(s.parties, ns.ufuns):
            assert ufun(tuple(o[n] for n in names)) == s.utility(party["name"], o)


def test_from_negmas_keeps_the_order_of_the_ufuns(shared):
    ns = load_genius(shared, "anac/y2010/Travel")
    swapped = NegmasScenario(outcome_space=ns.outcome_space, ufuns=tuple(reversed(ns.ufuns)))
    names = [u.name for u in swapped.ufuns]
    assert names != sorted(names)
    assert [p["name"] for p in zn.from_negmas(swapped).parties] == names


def test_capped_utilities_that_negmas_cannot_express_are_refused():
    s = zopa.Scenario.from_dict(
        {
            "name": "capped",
            "issues": [{"name": "a", "values": ["x", "y"]}, {"name": "b", "values": ["x", "y"]}],
            "parties": [
                {"name": "one", "reservation": 0.1, "cap_at_one": True, "unnormalized_weights": True,
                 "weights": {"a": 0.8, "b": 0.8},
                 "evaluations": {"a": {"x": 1.0, "y": 0.0}, "b": {"x": 1.0, "y": 0.0}}},
                {"name": "two", "reservation": 0.1, "weights": {"a": 0.5, "b": 0.5},
                 "evaluations": {"a": {"x": 0.0, "y": 1.0}, "b": {"x": 0.0, "y": 1.0}}},
            ],
        }
    )
    with pytest.raises(ValueError, match="party 'one' caps its utilities at 1"):
        zn.to_negmas(s)


def test_a_negmas_agent_takes_a_zopa_seat():
    s = zopa.load(JOB)
    r = zopa.run(s, [zn.seat(AspirationNegotiator), "boulware"], rounds=50)
    assert r["strategies"] == ["negmas:AspirationNegotiator", "boulware"]
    assert r["end"] == "agreement" and r["error"] is None
    # Every offer it made is one of the scenario's, scored by zopa.
    mine = [t for t in r["trace"] if t["actor"] == r["parties"][0] and t["action"] == "offer"]
    assert mine and all(t["utilities"] for t in mine)
    # In the second seat, with keyword arguments (in its label), and by name.
    r = zopa.run(s, ["conceder", zn.seat(AspirationNegotiator, max_aspiration=0.9)], rounds=50)
    assert r["strategies"] == ["conceder", "negmas:AspirationNegotiator:max_aspiration=0.9"]
    assert r["end"] == "agreement"
    r = zopa.run(s, ["negmas:negmas.sao.NaiveTitForTatNegotiator", "boulware"], rounds=50)
    assert r["strategies"] == ["negmas:negmas.sao.NaiveTitForTatNegotiator", "boulware"]
    assert r["end"] in {"agreement", "deadline"} and r["error"] is None


def test_a_negmas_agent_at_a_table_it_cannot_play_ends_its_negotiation_saying_why():
    r = zopa.run(JOB, [zn.seat(AspirationNegotiator), "boulware"], time=1.0)
    assert r["end"] == "error"
    assert "needs a deadline in rounds" in r["error"]
    with pytest.raises(ValueError, match="cannot import NoSuchAgent from negmas.sao"):
        zn.strategy("negmas:negmas.sao.NoSuchAgent")


class Broken(AspirationNegotiator):
    """A NegMAS agent that fails from its third proposal on (NegMAS retries a call that
    raises once, so it fails every time)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = 0

    def propose(self, state, dest=None):
        self.calls += 1
        if self.calls >= 3:
            raise RuntimeError("broken on purpose")
        return super().propose(state, dest=dest)


def test_a_failing_negmas_agent_ends_only_its_own_negotiation_with_its_error():
    r = zopa.run(JOB, [zn.seat(Broken), "boulware"], rounds=50)
    assert r["end"] == "error"
    assert "negmas:Broken" in r["error"] and "broken on purpose" in r["error"]


def test_negmas_agents_enter_tournaments_by_import_path_in_dicts_and_files(tmp_path):
    config = {
        "seed": 1, "repetitions": 1, "rotate_roles": True, "self_play": False,
        "protocol": "sao", "rounds": 30,
        "scenarios": [JOB, "scenarios/examples/negmas-paint"],
        "strategies": ["boulware", "negmas:negmas.sao.AspirationNegotiator", zn.seat(Broken)],
    }
    summary = zopa.tournament(config, db=tmp_path / "d.sqlite", jobs=2)
    assert summary["ran"] == summary["total"] == 2 * 6
    rows = zopa.results(tmp_path / "d.sqlite").negotiations.to_pylist()
    assert len(rows) == summary["total"]

    def plays(r, label):
        return label in (r["strategy_first"], r["strategy_second"])

    assert any(plays(r, "negmas:negmas.sao.AspirationNegotiator") for r in rows)
    broken = [r for r in rows if plays(r, "negmas:Broken")]
    assert broken and all(r["end"] == "error" for r in broken)
    assert all("negmas:Broken" in r["error"] and "broken on purpose" in r["error"] for r in broken)
    others = [r for r in rows if not plays(r, "negmas:Broken")]
    assert others and all(r["end"] in {"agreement", "deadline"} for r in others)
    # A tournament file names them the same way (scenario paths relative to the file).
    (tmp_path / "t.toml").write_text(
        textwrap.dedent(
            f"""
            seed = 1
            repetitions = 1
            protocol = "sao"
            rounds = 30
            scenarios = ["{(REPO / JOB).as_posix()}"]
            strategies = ["boulware", "negmas:negmas.sao.AspirationNegotiator"]
            """
        )
    )
    summary = zopa.tournament(tmp_path / "t.toml", db=tmp_path / "f.sqlite", jobs=1)
    assert summary["ran"] == summary["total"] > 0
    rows = zopa.results(tmp_path / "f.sqlite").negotiations.to_pylist()
    assert all(plays(r, "negmas:negmas.sao.AspirationNegotiator") for r in rows)
    assert all(r["end"] in {"agreement", "deadline"} for r in rows)


def test_a_zopa_strategy_plays_inside_negmas():
    s = zopa.load(JOB)
    ns = zn.to_negmas(s)
    m = SAOMechanism(outcome_space=ns.outcome_space, n_steps=50)
    me = zn.Negotiator("atlas3")
    m.add(me, ufun=ns.ufuns[0])
    m.add(NaiveTitForTatNegotiator(), ufun=ns.ufuns[1])
    state = m.run()
    assert state.agreement is not None or state.timedout
    assert me.strategy == "atlas3"
    # An unknown strategy is refused with zopa's message.
    m = SAOMechanism(outcome_space=ns.outcome_space, n_steps=10, ignore_negotiator_exceptions=False)
    m.add(zn.Negotiator("no-such"), ufun=ns.ufuns[0])
    m.add(AspirationNegotiator(), ufun=ns.ufuns[1])
    with pytest.raises(zopa.OptionError, match="unknown negotiator `no-such`"):
        m.run()


def test_the_example_notebook_runs(tmp_path):
    # python/examples/negmas_tournament.py, as the README runs it (from anywhere).
    script = REPO / "python" / "examples" / "negmas_tournament.py"
    p = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "out")],
        capture_output=True, text=True, cwd=tmp_path, timeout=600,
    )
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "out" / "frontier.png").stat().st_size > 10_000
    assert "negmas:negmas.sao.AspirationNegotiator" in p.stdout
    assert "120 negotiations" in p.stdout
