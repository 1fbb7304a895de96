"""The ANAC champions' tournament: every ANAC agent zopa ports that has an independent
Python port (`zopa.fidelity.PORTS`, the time-dependent baselines left out), on ten GENIUS
domains, two repetitions, both roles, 100 rounds — run by zopa on one and on two threads, and
the same plan of the Python ports (NegoLog's, else negmas-genius-agents'), each a NegMAS agent
in its own NegMAS mechanism seated through `zopa.negmas`, as the fidelity harness seats them.

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
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import zopa_binary  # bench/zopa_binary.py

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


def negmas_sample(ports, size: int, seed: int = 1) -> tuple[float, int, int]:
    """(seconds, negotiations, errors) of a seeded sample of the plan played by the Python
    ports, each seated through `zopa.negmas` (a NegMAS agent in its own NegMAS mechanism, as
    the fidelity harness seats it) in zopa's SAO. In a bare `SAOMechanism` many of these ports
    agree within a few steps (HardHeaded against CUHKAgent at step 2 on ItexvsCypress), which
    they do not when seated so: not traced, and not what a rate should be measured on."""
    import zopa

    rng = random.Random(seed)
    plan = [(a, b, d) for d in DOMAINS for a in ports for b in ports if a is not b]
    sample = rng.sample(plan, min(size, len(plan)))
    loaded = {}
    errors = 0
    elapsed = 0.0
    for a, b, d in sample:
        if d not in loaded:
            loaded[d] = zopa.load(str(CORPUS / d))
        t0 = time.perf_counter()
        r = zopa.run(loaded[d], [a.independent, b.independent], rounds=ROUNDS, seed=seed)
        elapsed += time.perf_counter() - t0
        if r["error"] is not None:
            errors += 1
            print(f"  {a.agent} vs {b.agent} on {d}: {r['error']}", file=sys.stderr)
    return elapsed, len(sample), errors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    zopa_binary.add_argument(ap)
    ap.add_argument("--negmas-sample", type=int, default=200, help="negotiations of the plan the Python ports play (default 200)")
    ap.add_argument("--skip-negmas", action="store_true", help="only zopa's tournament")
    ap.add_argument("--skip-zopa", action="store_true", help="only the Python ports' sample")
    ap.add_argument("--runs", type=int, default=3, help="zopa runs per thread count, their median reported (default 3)")
    args = ap.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(f"the reference corpus is missing: {CORPUS}")
    if not args.skip_zopa:
        args.zopa = zopa_binary.resolve(args.zopa)
    ports = champions()
    n = len(ports)
    planned = n * (n - 1) * len(DOMAINS) * REPETITIONS
    print(f"{n} champions: {', '.join(p.agent for p in ports)}")
    print(f"plan: {n}·{n - 1} ordered pairs × {len(DOMAINS)} domains × {REPETITIONS} repetitions = {planned:,} negotiations, {ROUNDS} rounds")
    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.skip_zopa:
            rates = {1: float("nan"), 2: float("nan")}
        for jobs in () if args.skip_zopa else (1, 2):
            runs = [zopa_tournament(args.zopa, [p.zopa for p in ports], jobs, Path(tmp)) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in runs)
            done, peak = runs[-1][1], runs[-1][2]
            rates[jobs] = done / wall
            print(f"zopa, {jobs} thread(s): {done:,} negotiations in {wall:.2f} s (median of {args.runs}) = {rates[jobs]:,.0f}/s, peak {peak / 1024:.0f} MB")
    if not args.skip_zopa:
        print(f"zopa 1 -> 2 threads: {rates[2] / rates[1]:.2f}x")
    if args.skip_negmas:
        return 0
    seconds, sampled, errors = negmas_sample(ports, args.negmas_sample)
    rate = sampled / seconds
    print(f"Python ports (NegMAS agents seated through zopa.negmas): a sample of {sampled} of the plan's negotiations in {seconds:.1f} s = {rate:.2f}/s ({errors} ended in an error)")
    print(f"Python ports, the whole plan at that rate (an estimate): {planned / rate / 3600:.1f} h")
    if not args.skip_zopa:
        print(f"zopa / Python ports, one thread: {rates[1] / rate:,.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
