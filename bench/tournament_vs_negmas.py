"""Runs the same tournament in NegMAS (`cartesian_tournament`) and in zopa, in one run, and
prints negotiations per second for both and the ratio.

The tournament: six strategies both platforms implement with the same semantics (NegMAS's
time-based negotiators with aspiration exponents 4, 2, 1, 0.5 and 0.25 — zopa's
`aspiration:exp=…` — and MiCRO), four ANAC scenarios, five repetitions, role rotation,
self-play, 100 rounds. NegMAS runs serially in-process (njobs=-1) to measure one core;
zopa runs with --jobs 1 and --jobs 2.

usage: python3 bench/tournament_vs_negmas.py [--zopa PATH] [--repetitions N]
"""

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

import zopa_binary  # bench/zopa_binary.py

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "scenarios" / "negmas-genius" / "anac"
SCENARIOS = ["y2010/EnglandZimbabwe", "y2010/ItexvsCypress", "y2012/LaptopC", "y2013/Coffee"]
EXPONENTS = [4.0, 2.0, 1.0, 0.5, 0.25]


def negmas_run(repetitions):
    from negmas.gb.negotiators.micro import MiCRONegotiator
    from negmas.gb.negotiators.timebased import TimeBasedConcedingNegotiator
    from negmas.inout import Scenario
    from negmas.tournaments.neg import cartesian_tournament

    scenarios = [Scenario.load(SHARED / s, ignore_discount=True, load_stats=False) for s in SCENARIOS]
    competitors = [TimeBasedConcedingNegotiator] * len(EXPONENTS) + [MiCRONegotiator]
    params = [dict(offering_curve=e, stochastic=False) for e in EXPONENTS] + [dict()]
    names = [f"aspiration{e}" for e in EXPONENTS] + ["micro"]
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        results = cartesian_tournament(
            competitors=competitors,
            competitor_params=params,
            competitor_names=names,
            scenarios=scenarios,
            n_repetitions=repetitions,
            rotate_ufuns=True,
            self_play=True,
            n_steps=100,
            njobs=-1,
            path=Path(tmp) / "negmas",
            verbosity=0,
            save_scenario_figs=False,
            save_stats=False,
        )
        elapsed = time.perf_counter() - t0
    return elapsed, len(results.details)


def zopa_run(binary, repetitions, jobs):
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "t.toml"
        strategies = ", ".join(f'"aspiration:exp={e}"' for e in EXPONENTS) + ', "micro:prefer_theirs=false"'
        scenarios = ", ".join(f'"{SHARED / s}"' for s in SCENARIOS)
        file.write_text(
            f"seed = 1\nrepetitions = {repetitions}\nrotate_roles = true\nself_play = true\n"
            f'protocol = "sao"\nrounds = 100\nscenarios = [{scenarios}]\nstrategies = [{strategies}]\n'
        )
        t0 = time.perf_counter()
        subprocess.run([binary, "tournament", "run", str(file), "--db", str(Path(tmp) / "r.sqlite"), "--jobs", str(jobs)],
                       check=True, capture_output=True)
        elapsed = time.perf_counter() - t0
        out = subprocess.run([binary, "tournament", "report", str(Path(tmp) / "r.sqlite")], check=True, capture_output=True, text=True)
        n = int(out.stdout.split()[0])
    return elapsed, n


def main():
    ap = argparse.ArgumentParser()
    zopa_binary.add_argument(ap)
    ap.add_argument("--repetitions", type=int, default=5)
    ap.add_argument("--zopa-repetitions", type=int, default=100,
                    help="zopa finishes the 5-repetition tournament in ~0.1 s, too short to time start-up-free; "
                         "rates are per negotiation, so it also runs a longer one")
    args = ap.parse_args()
    args.zopa = zopa_binary.resolve(args.zopa)
    zt1, zn = zopa_run(args.zopa, args.zopa_repetitions, 1)
    zt2, _ = zopa_run(args.zopa, args.zopa_repetitions, 2)
    nt, nn = negmas_run(args.repetitions)
    print(f"tournament: {len(EXPONENTS) + 1} strategies x {len(SCENARIOS)} scenarios x {args.repetitions} repetitions, "
          f"role rotation, self-play, 100 rounds")
    print(f"NegMAS cartesian_tournament, 1 core: {nn} negotiations in {nt:.2f} s = {nn / nt:.1f}/s")
    print(f"zopa ({args.zopa_repetitions} repetitions) --jobs 1: {zn} negotiations in {zt1:.3f} s = {zn / zt1:.0f}/s  ({(zn / zt1) / (nn / nt):.0f}x NegMAS)")
    print(f"zopa ({args.zopa_repetitions} repetitions) --jobs 2: {zn} negotiations in {zt2:.3f} s = {zn / zt2:.0f}/s  (speed-up {zt1 / zt2:.2f}x from 1 to 2 cores)")
    print("(NegMAS plays every ordered pairing in both role assignments, so it runs twice as many "
          "negotiations per repetition; the rates compare per negotiation)")


if __name__ == "__main__":
    main()
