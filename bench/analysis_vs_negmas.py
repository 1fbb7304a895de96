"""Runs the same analysis in NegMAS and in zopa, in one run, and prints times and the ratio.

The job: load a GENIUS scenario and compute its outcome count, Pareto frontier, Nash, Kalai,
KS, max-welfare points and opposition (NegMAS: `Scenario.load` + `calc_scenario_stats`; zopa:
`zopa analyze --definitions negmas --json`, a whole process, so zopa's time includes start-up
and reading the files). Both must report the same frontier size and a Nash deal NegMAS values as its own Nash point.

usage: python3 bench/analysis_vs_negmas.py [SCENARIO_FOLDER] [--repeat N] [--zopa PATH]
default scenario: ../shared/scenarios/negmas-genius/other/AMPOvsCity (1,944,000 outcomes)
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import zopa_binary  # bench/zopa_binary.py

ROOT = Path(__file__).resolve().parent.parent


def negmas_run(folder):
    from negmas.inout import Scenario
    from negmas.preferences.ops import calc_scenario_stats

    t0 = time.perf_counter()
    scenario = Scenario.load(folder, ignore_discount=True, load_stats=False)
    stats = calc_scenario_stats(list(scenario.ufuns))
    elapsed = time.perf_counter() - t0
    nash = [list(map(float, u)) for u in stats.nash_utils]

    def judge(outcome):
        """NegMAS's utilities of a zopa outcome ({issue: value}); NegMAS adds a DUMMY_ISSUE
        to some GENIUS domains (AMPOvsCity), which takes its only value."""
        values = []
        for issue in scenario.outcome_space.issues:
            v = outcome.get(issue.name)
            values.append(next(iter(issue.all)) if v is None else type(next(iter(issue.all)))(v))
        return [float(u(tuple(values))) for u in scenario.ufuns]

    return elapsed, len(stats.pareto_utils), nash, judge


def zopa_run(binary, folder, method):
    t0 = time.perf_counter()
    out = subprocess.run(
        [binary, "analyze", folder, "--definitions", "negmas", "--json", "--max-points", "0", "--method", method],
        check=True, capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - t0
    j = json.loads(out.stdout)
    return elapsed, j["pareto"]["size"], j["nash"]["outcome"], j["n_outcomes"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default=str(ROOT.parent / "shared/scenarios/negmas-genius/other/AMPOvsCity"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--negmas-repeat", type=int, default=1)
    zopa_binary.add_argument(ap)
    args = ap.parse_args()
    args.zopa = zopa_binary.resolve(args.zopa)

    n_times, n_size, n_nash, judge = [], None, None, None
    for _ in range(args.negmas_repeat):
        t, n_size, n_nash, judge = negmas_run(args.folder)
        n_times.append(t)
    rows = []
    for method in ["enumeration", "auto"]:
        times = []
        for _ in range(args.repeat):
            t, size, nash, n_outcomes = zopa_run(args.zopa, args.folder, method)
            times.append(t)
        # Ties have several deals with the same utilities, so compare what NegMAS says zopa's
        # Nash deal is worth with NegMAS's own Nash utilities.
        theirs = judge(nash)
        agree = size == n_size and any(max(abs(a - b) for a, b in zip(theirs, p)) < 1e-9 for p in n_nash)
        rows.append((method, statistics.median(times), size, agree, n_outcomes))
    negmas_median = statistics.median(n_times)
    print(f"scenario: {args.folder}")
    print(f"outcomes: {rows[0][4]}")
    print(f"NegMAS {_version()}: median {negmas_median:.3f} s over {len(n_times)} run(s), frontier {n_size}")
    for method, t, size, agree, _ in rows:
        print(f"zopa --method {method:<11}: median {t * 1000:.1f} ms over {args.repeat} runs, frontier {size}, "
              f"agrees with NegMAS: {agree}, speed-up {negmas_median / t:.0f}x")
    if not all(r[3] for r in rows):
        sys.exit("zopa and NegMAS disagree")


def _version():
    import negmas

    return negmas.__version__


if __name__ == "__main__":
    main()
