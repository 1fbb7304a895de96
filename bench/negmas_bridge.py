"""What the Python and NegMAS bridges cost: prints medians and ratios (not a timed test).

1. One Python negotiator call: the same negotiation with a trivial Python negotiator and with
   a trivial Rust one (`zopa.run`, 1000 rounds), the difference per Python call; and one
   `zopa.Strategy.act` (a zopa strategy moved from Python, as `zopa.negmas.Negotiator` does).
2. Negotiations per second of NegMAS's AspirationNegotiator against its BoulwareTBNegotiator
   on a GENIUS scenario: both seated in zopa through the bridge (`zopa.negmas.seat`) and the
   same pair in NegMAS's own `SAOMechanism` (the cross-check shows they agree alike); and
   zopa's `aspiration` against the seated Boulware, and inside NegMAS (`zopa.negmas.Negotiator`).
3. With --zopa PATH (a `zopa` binary built from the same sources): a native tournament
   (examples/tournament.toml) run by `zopa.tournament` against `zopa tournament run`.

usage: python3 bench/negmas_bridge.py [--scenario FOLDER] [--rounds N] [--repeat N] [--zopa PATH]
default scenario: ../shared/scenarios/negmas-genius/anac/y2012/CameraA (3,600 outcomes)
"""

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import zopa
import zopa.negmas as zn
from negmas.inout import Scenario
from negmas.sao import AspirationNegotiator, BoulwareTBNegotiator, SAOMechanism

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "scenarios" / "negmas-genius" / "anac" / "y2012" / "CameraA"


def timed(f, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


class Stubborn(zopa.Negotiator):
    """Offers one outcome and rejects everything: the cheapest Python negotiator."""

    def __init__(self, offer):
        self.offer = offer

    def propose(self, state):
        return self.offer

    def respond(self, state, offer):
        return "reject"


def python_call(repeat):
    s = zopa.load(ROOT / "scenarios" / "examples" / "genius-job")
    rounds = 1000
    offer = {i["name"]: s.values(i["name"])[0] for i in s.issues}
    # `hardliner` and `Stubborn` both repeat one offer; against the same opponent the runs
    # differ only in who answers the calls.
    py = timed(lambda: zopa.run(s, [Stubborn(offer), "hardliner"], rounds=rounds), repeat)
    rust = timed(lambda: zopa.run(s, ["hardliner", "hardliner"], rounds=rounds), repeat)
    r = zopa.run(s, [Stubborn(offer), "hardliner"], rounds=rounds)
    calls = sum(1 for t in r["trace"] if t["actor"] == r["parties"][0])
    print(f"python negotiator: {rounds} rounds {py * 1e3:.1f} ms, rust {rust * 1e3:.1f} ms; "
          f"{(py - rust) / calls * 1e6:.2f} µs per Python call ({calls} calls; median of {repeat})")
    st = zopa.Strategy(s, s.parties[0]["name"], "boulware", rounds=10_000)
    t0 = time.perf_counter()
    for k in range(10_000):
        st.act(k, k / 10_000, [(1, offer)])
    per = (time.perf_counter() - t0) / 10_000
    print(f"zopa.Strategy.act (a zopa strategy moved from Python): {per * 1e6:.2f} µs per call")


def negotiations(folder, rounds, repeat):
    ns = Scenario.load(folder, ignore_discount=True, load_stats=False, load_info=False)
    s = zn.from_negmas(ns)
    n = 20

    def negmas_pair(a, b):
        def go():
            for _ in range(n):
                m = SAOMechanism(outcome_space=ns.outcome_space, n_steps=rounds)
                m.add(a(), ufun=ns.ufuns[0])
                m.add(b(), ufun=ns.ufuns[1])
                m.run()
        return go

    def zopa_pair(a, b):
        def go():
            for _ in range(n):
                zopa.run(s, [a, b], rounds=rounds)
        return go

    rows = [
        ("Aspiration vs BoulwareTB, NegMAS SAOMechanism",
         negmas_pair(AspirationNegotiator, BoulwareTBNegotiator)),
        ("Aspiration vs BoulwareTB, both seated in zopa",
         zopa_pair(zn.seat(AspirationNegotiator), zn.seat(BoulwareTBNegotiator))),
        ("zopa aspiration vs BoulwareTB, inside NegMAS",
         negmas_pair(lambda: zn.Negotiator("aspiration"), BoulwareTBNegotiator)),
        ("zopa aspiration vs BoulwareTB seated in zopa",
         zopa_pair("aspiration", zn.seat(BoulwareTBNegotiator))),
        ("zopa aspiration vs zopa boulware (no Python)", zopa_pair("aspiration", "boulware")),
    ]
    print(f"\n{folder.name}: {ns.outcome_space.cardinality} outcomes, {rounds} rounds, "
          f"{n} negotiations per sample, median of {repeat}")
    base = None
    for label, go in rows:
        go()  # warm-up: imports, rankings
        per_second = n / timed(go, repeat)
        base = base or per_second
        print(f"  {label:<48} {per_second:9.1f} negotiations/s  ×{per_second / base:.2f}")


def tournament(zopa_bin, repeat):
    config = ROOT / "examples" / "tournament.toml"
    with tempfile.TemporaryDirectory() as tmp:
        k = iter(range(10**6))

        def python():
            zopa.tournament(config, db=Path(tmp) / f"py{next(k)}.sqlite", jobs=1)

        def cli():
            subprocess.run([zopa_bin, "tournament", "run", str(config), "--jobs", "1", "--db",
                            str(Path(tmp) / f"cli{next(k)}.sqlite")], check=True,
                           capture_output=True)

        py, c = timed(python, repeat), timed(cli, repeat)
    print(f"\nnative tournament ({config.name}, one thread): zopa.tournament {py:.2f} s, "
          f"zopa tournament run {c:.2f} s, ratio {py / c:.3f}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", type=Path, default=DEFAULT)
    p.add_argument("--rounds", type=int, default=100)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--zopa", help="a zopa binary, to compare a native tournament with the CLI")
    a = p.parse_args()
    python_call(a.repeat)
    negotiations(a.scenario, a.rounds, a.repeat)
    if a.zopa:
        tournament(a.zopa, a.repeat)


if __name__ == "__main__":
    main()
