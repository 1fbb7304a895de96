"""The champions' tournament (issue 16): every ANAC agent zopa ports that has an independent
Python port (`zopa.fidelity.PORTS`, the time-dependent baselines left out), on ten GENIUS
domains, two repetitions, both roles, 100 rounds — run by zopa on one and on two threads, and
the same plan of the Python ports (NegoLog's, else negmas-genius-agents') in NegMAS's own
`SAOMechanism`.

Ten domains up to 15,625 outcomes (ANAC 2010's Travel, 188,160 outcomes, is left out: NiceTitForTat
searches its Nash point over the space every turn while it learns, as in GENIUS, 4 s a
negotiation there).

The Python side is far too slow to run whole here (tens of thousands of negotiations at a few
per second), so it runs a seeded random sample of the plan's negotiations (`--negmas-sample`)
and reports its rate; the full plan's NegMAS time is that rate applied to the plan's size, and
is printed as an estimate, never as a measurement.

usage: python3 bench/champions.py [--zopa PATH] [--runs N] [--negmas-sample N] [--skip-negmas]

Needs the reference corpus beside the repository (../shared/scenarios), the zopa Python package
(for the list of ports), NegMAS, negmas-negolog and negmas-genius-agents.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "scenarios" / "negmas-genius"
DOMAINS = [
    "anac/y2013/planes",
    "anac/y2010/ItexvsCypress",
    "anac/y2013/DogChoosing",
    "anac/y2010/EnglandZimbabwe",
    "anac/y2013/Icecream",
    "anac/y2011/Amsterdam",
    "anac/y2011/Car",
    "anac/y2012/LaptopC",
    "anac/y2011/Grocery",
    "anac/y2012/CameraA",
]
BASELINES = {"boulware", "linear", "conceder", "hardliner"}
REPETITIONS = 2
ROUNDS = 100


def champions():
    from zopa.fidelity import PORTS

    return [p for p in PORTS if p.zopa not in BASELINES]


def zopa_tournament(binary: str, strategies: list[str], jobs: int, tmp: Path) -> tuple[float, int, int]:
    """(wall seconds, negotiations, peak KB) of the zopa tournament on `jobs` threads."""
    file = tmp / "champions.toml"
    names = ", ".join(json.dumps(s) for s in strategies)
    where = ", ".join(json.dumps(str(CORPUS / d)) for d in DOMAINS)
    file.write_text(
        f"seed = 1\nrepetitions = {REPETITIONS}\nrotate_roles = true\nself_play = false\n"
        f"rounds = {ROUNDS}\nscenarios = [{where}]\nstrategies = [{names}]\n"
    )
    db = tmp / f"champions-{jobs}.sqlite"
    db.unlink(missing_ok=True)
    timing = tmp / "time.txt"
    t0 = time.perf_counter()
    out = subprocess.run(
        ["/usr/bin/time", "-o", str(timing), "-f", "%M", binary, "tournament", "run", str(file),
         "--db", str(db), "--jobs", str(jobs), "--quiet"],
        capture_output=True, text=True,
    )
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"zopa tournament failed:\n{out.stderr}")
    n = int(out.stdout.split()[0])
    with sqlite3.connect(db) as c:
        (errors,) = c.execute("select count(*) from negotiations where error is not null").fetchone()
    if errors:
        print(f"  note: {errors} zopa negotiations ended in an error")
    return wall, n, int(timing.read_text().split()[-1])


def negmas_class(path: str):
    module, _, name = path.removeprefix("negmas:").rpartition(".")
    return getattr(importlib.import_module(module), name)


def negmas_sample(ports, size: int, seed: int = 1) -> tuple[float, int, int]:
    """(seconds, negotiations, errors) of a seeded sample of the plan run in NegMAS."""
    from negmas.inout import Scenario
    from negmas.sao import SAOMechanism

    rng = random.Random(seed)
    plan = [(a, b, d) for d in DOMAINS for a in ports for b in ports if a is not b]
    sample = rng.sample(plan, min(size, len(plan)))
    loaded = {}
    errors = 0
    elapsed = 0.0
    for a, b, d in sample:
        if d not in loaded:
            loaded[d] = Scenario.load(CORPUS / d, ignore_discount=True, load_stats=False)
        s = loaded[d]
        t0 = time.perf_counter()
        try:
            m = SAOMechanism(outcome_space=s.outcome_space, n_steps=ROUNDS)
            m.add(negmas_class(a.independent)(), ufun=s.ufuns[0])
            m.add(negmas_class(b.independent)(), ufun=s.ufuns[1])
            m.run()
        except Exception as e:  # an agent's own failure counts, and the sample goes on
            errors += 1
            print(f"  NegMAS {a.agent} vs {b.agent} on {d}: {type(e).__name__}: {e}", file=sys.stderr)
        elapsed += time.perf_counter() - t0
    return elapsed, len(sample), errors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--zopa", default=str(ROOT / "target/release/zopa"))
    ap.add_argument("--negmas-sample", type=int, default=200, help="NegMAS negotiations to sample")
    ap.add_argument("--skip-negmas", action="store_true")
    ap.add_argument("--runs", type=int, default=3, help="zopa runs per thread count (median)")
    args = ap.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(f"the reference corpus is missing: {CORPUS}")
    if not Path(args.zopa).exists():
        subprocess.run(["cargo", "build", "--release", "-p", "zopa-cli"], cwd=ROOT, check=True)
    ports = champions()
    n = len(ports)
    planned = n * (n - 1) * len(DOMAINS) * REPETITIONS
    print(f"{n} champions: {', '.join(p.agent for p in ports)}")
    print(f"plan: {n}·{n - 1} ordered pairs × {len(DOMAINS)} domains × {REPETITIONS} repetitions = {planned:,} negotiations, {ROUNDS} rounds")
    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        for jobs in (1, 2):
            runs = [zopa_tournament(args.zopa, [p.zopa for p in ports], jobs, Path(tmp)) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in runs)
            done, peak = runs[-1][1], runs[-1][2]
            rates[jobs] = done / wall
            print(f"zopa, {jobs} thread(s): {done:,} negotiations in {wall:.2f} s (median of {args.runs}) = {rates[jobs]:,.0f}/s, peak {peak / 1024:.0f} MB")
    print(f"zopa 1 -> 2 threads: {rates[2] / rates[1]:.2f}x")
    if args.skip_negmas:
        return 0
    seconds, sampled, errors = negmas_sample(ports, args.negmas_sample)
    rate = sampled / seconds
    print(f"NegMAS (Python ports): a sample of {sampled} of the plan's negotiations in {seconds:.1f} s = {rate:.2f}/s ({errors} raised)")
    print(f"NegMAS, the whole plan at that rate (an estimate): {planned / rate / 3600:.1f} h")
    print(f"zopa / NegMAS, one thread: {rates[1] / rate:,.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
