"""The speed table of issue 15, NegMAS and zopa in one run: each row's time and peak memory on
both platforms, and their ratio.

Rows:
  1. one SAO negotiation on 10^3 outcomes (3 issues x 10 values), Aspiration vs Boulware, 100
     rounds: NegMAS in-process (median of several), zopa per negotiation in a one-thread
     tournament of many repetitions;
  2. one SAO negotiation on 10^6 outcomes (6 issues x 10 values), same negotiators: one process
     each, wall time and peak resident memory (/usr/bin/time);
  3. one SAO negotiation between Russia and Ukraine on scenarios/ukraine-2025, 300 rounds (zopa
     only: NegMAS cannot read its positional utilities);
  4. a tournament (bench/tournament_vs_negmas.py's six strategies on four ANAC domains, 1,000
     repetitions: 144,000 negotiations) on one core (pinned with taskset), on two, and on one
     worker thread with two cores: the speed-ups (each the median of the runs' own ratios, the
     three modes running one after another in each run);
  5. the exact Pareto frontier of ANAC 2014's 30- and 40-issue ("50issues") hyper-rectangle
     domains (zopa only; NegMAS ships their pareto.xml).

The scenarios of rows 1 and 2 are generated here from a fixed seed and written for both
platforms (zopa's TOML; NegMAS objects built from the same numbers), so both solve the same
problem. Each zopa measurement is the median of --runs runs.

usage: python3 bench/speed.py [--zopa PATH] [--runs N] [--skip-negmas]
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import zopa_binary  # bench/zopa_binary.py

ROOT = Path(__file__).resolve().parent.parent
ANAC2014 = ROOT.parent / "shared" / "scenarios" / "negmas-genius" / "anac" / "y2014"


def spec(n_issues, n_values, seed=15):
    """Two additive parties with opposed, seeded preferences over n_issues x n_values."""
    rng = random.Random(seed)
    parties = []
    for p in range(2):
        raw = [0.2 + rng.random() for _ in range(n_issues)]
        weights = [w / sum(raw) for w in raw]
        tables = []
        for _ in range(n_issues):
            scores = sorted(rng.random() for _ in range(n_values))
            scores = [(s - scores[0]) / (scores[-1] - scores[0]) for s in scores]
            tables.append(scores if p == 0 else scores[::-1])
        parties.append((weights, tables))
    return {"issues": n_issues, "values": n_values, "parties": parties}


def write_zopa(path, s):
    out = [f'name = "bench-{s["values"]}^{s["issues"]}"', ""]
    for i in range(s["issues"]):
        values = ", ".join(f'"v{j}"' for j in range(s["values"]))
        out += ["[[issues]]", f'name = "i{i}"', f"values = [{values}]", ""]
    for p, (weights, tables) in enumerate(s["parties"]):
        out += ["[[parties]]", f'name = "{"AB"[p]}"', 'role = "negotiator"', "reservation = 0.0", "", "[parties.weights]"]
        out += [f'"i{i}" = {w!r}' for i, w in enumerate(weights)]
        out += ["", "[parties.evaluations]"]
        for i, t in enumerate(tables):
            out.append(f'"i{i}" = {{ ' + ", ".join(f'"v{j}" = {x!r}' for j, x in enumerate(t)) + " }")
        out.append("")
    path.write_text("\n".join(out))


def negmas_case(n_issues, n_values, repeat):
    """Runs in a child process: NegMAS Aspiration vs Boulware, printed as JSON."""
    from negmas import SAOMechanism, make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction as U
    from negmas.sao.negotiators import AspirationNegotiator, BoulwareTBNegotiator

    s = spec(n_issues, n_values)
    issues = [make_issue([f"v{j}" for j in range(n_values)], f"i{i}") for i in range(n_issues)]
    times, rounds = [], None
    for _ in range(repeat):
        m = SAOMechanism(issues=issues, n_steps=100)
        for p, (weights, tables) in enumerate(s["parties"]):
            ufun = U(values=[{f"v{j}": x for j, x in enumerate(t)} for t in tables], weights=weights,
                     outcome_space=m.outcome_space, reserved_value=0.0)
            negotiator = AspirationNegotiator() if p == 0 else BoulwareTBNegotiator()
            m.add(negotiator, ufun=ufun)
        t0 = time.perf_counter()
        state = m.run()
        times.append(time.perf_counter() - t0)
        rounds = state.step
    print(json.dumps({"seconds": statistics.median(times), "rounds": rounds, "agreement": state.agreement is not None}))


def timed(cmd, env=None):
    """(wall seconds, peak KB, stdout) of a command, by /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as f:
        t0 = time.perf_counter()
        out = subprocess.run(["/usr/bin/time", "-o", f.name, "-f", "%M"] + cmd, capture_output=True, text=True, env=env)
        wall = time.perf_counter() - t0
        if out.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stderr}")
        return wall, int(f.read().split()[-1]), out.stdout


def median_of(runs, f):
    """Medians of the first two of what `f` returns over `runs` calls, and the rest of the last."""
    values = [f() for _ in range(runs)]
    return statistics.median(v[0] for v in values), statistics.median(v[1] for v in values), values[-1][2:]


def zopa_tournament(zopa, scenarios, strategies, repetitions, jobs, tmp, rotate=False, self_play=False, pin=()):
    file = Path(tmp) / "t.toml"
    names = ", ".join(f'"{s}"' for s in strategies)
    where = ", ".join(f'"{s}"' for s in scenarios)
    file.write_text(f"seed = 1\nrepetitions = {repetitions}\nrotate_roles = {str(rotate).lower()}\n"
                    f"self_play = {str(self_play).lower()}\nrounds = 100\nscenarios = [{where}]\nstrategies = [{names}]\n")
    db = Path(tmp) / f"r{jobs}.sqlite"
    if db.exists():
        db.unlink()
    wall, peak, out = timed(list(pin) + [zopa, "tournament", "run", str(file), "--db", str(db), "--jobs", str(jobs), "--quiet"])
    n = int(out.split()[0])
    return wall, peak, n


def row(name, negmas, zopa):
    def fmt(x):
        if x is None:
            return "—"
        t, kb = x
        return f"{t * 1e6:.1f} µs" if t < 1e-3 else f"{t * 1e3:.2f} ms" if t < 1 else f"{t:.2f} s"
    ratio = f"{negmas[0] / zopa[0]:.0f}x" if negmas and zopa else "—"
    mem = lambda x: f"{x[1] / 1024:.0f} MB" if x and x[1] else "—"  # noqa: E731
    print(f"| {name} | {fmt(negmas)} | {mem(negmas)} | {fmt(zopa)} | {mem(zopa)} | {ratio} |")


def main():
    ap = argparse.ArgumentParser()
    zopa_binary.add_argument(ap)
    ap.add_argument("--runs", type=int, default=5, help="runs of each zopa measurement (median)")
    ap.add_argument("--skip-negmas", action="store_true")
    ap.add_argument("--negmas-case", nargs=3, type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.negmas_case:
        return negmas_case(*args.negmas_case)
    zopa = zopa_binary.resolve(args.zopa)

    def negmas(n_issues, n_values, repeat):
        if args.skip_negmas:
            return None, None
        wall, peak, out = timed([sys.executable, __file__, "--negmas-case", str(n_issues), str(n_values), str(repeat)])
        r = json.loads(out)
        return (r["seconds"], peak), r

    print(f"zopa: {zopa}; medians of {args.runs} runs; peak memory is the process's maximum resident set")
    print("| job | NegMAS | NegMAS memory | zopa | zopa memory | NegMAS / zopa |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "small.toml", Path(tmp) / "large.toml"
        write_zopa(small, spec(3, 10))
        write_zopa(large, spec(6, 10))

        # 1. 10^3 outcomes: per negotiation in a one-thread tournament.
        n_small, r_small = negmas(3, 10, 20)

        def one_thread():
            # Enough negotiations that the process's start and the scenario's analysis (about
            # 10 ms) are a small part of the time.
            wall, peak, n = zopa_tournament(zopa, [small], ["aspiration", "boulware"], 20000, 1, tmp)
            return wall / n, peak, n
        per, peak, _ = median_of(args.runs, one_thread)
        row(f"SAO, 10^3 outcomes, Aspiration vs Boulware ({r_small['rounds'] if r_small else '?'} NegMAS rounds)",
            n_small, (per, None))

        # 2. 10^6 outcomes: one negotiation, one process each.
        n_large, r_large = negmas(6, 10, 1)

        def one_run():
            wall, peak, out = timed([zopa, "run", str(large), "--negotiators", "aspiration,boulware", "--rounds", "100", "--json"])
            return wall, peak, json.loads(out)
        wall, peak, (result,) = median_of(args.runs, one_run)
        row(f"SAO, 10^6 outcomes ({r_large['rounds'] if r_large else '?'} NegMAS rounds, zopa {result['rounds']})",
            n_large, (wall, peak))

        # 3. The Ukraine plan, 300 rounds.
        def ukraine():
            wall, peak, out = timed([zopa, "run", str(ROOT / "scenarios/ukraine-2025"), "--parties", "Russia,Ukraine",
                                     "--negotiators", "boulware,boulware", "--rounds", "300", "--json"])
            return wall, peak, json.loads(out)
        wall, peak, (result,) = median_of(args.runs, ukraine)
        row(f"SAO, ukraine-2025 Russia–Ukraine, 300 rounds ({result['end']} in {result['rounds']})", None, (wall, peak))

        # 4. Tournament speed-up from 1 to 2 cores: one core is the process pinned to one CPU
        # (`taskset -c 0`: its workers and its database writer share it); two cores are two
        # worker threads unpinned. Also printed: one worker thread unpinned, whose writer gets
        # the other core to itself (the speed-up from one to two worker threads).
        shared = ROOT.parent / "shared" / "scenarios" / "negmas-genius" / "anac"
        scenarios = [shared / s for s in ["y2010/EnglandZimbabwe", "y2010/ItexvsCypress", "y2012/LaptopC", "y2013/Coffee"]]
        strategies = [f"aspiration:exp={e}" for e in (4.0, 2.0, 1.0, 0.5, 0.25)] + ["micro:prefer_theirs=false"]
        taskset = shutil.which("taskset") if (os.cpu_count() or 1) >= 2 else None
        modes = [m for m in (("1 core", 1, True), ("1 thread", 1, False), ("2 cores", 2, False)) if taskset or not m[2]]
        # The modes run one after another within each run, and a speed-up is the median of the
        # runs' own ratios: a shared machine's speed drifts between runs more than within one.
        runs = []
        for _ in range(args.runs):
            rates = {}
            for name, jobs, pin in modes:
                wall, peak, n = zopa_tournament(zopa, scenarios, strategies, 1000, jobs, tmp, rotate=True,
                                                self_play=True, pin=[taskset, "-c", "0"] if pin else [])
                rates[name] = n / wall
            runs.append(rates)
        n_t = 4 * 36 * 1000

        def rate(name):
            return statistics.median(r[name] for r in runs)

        def speedup(a, b):
            ratios = [r[b] / r[a] for r in runs]
            return f"speed-up {statistics.median(ratios):.2f}x (runs: {', '.join(f'{x:.2f}' for x in ratios)})"
        if taskset:
            print(f"| tournament of {n_t:,}, 1 → 2 cores | — | — | {rate('1 core'):.0f}/s → {rate('2 cores'):.0f}/s | — "
                  f"| {speedup('1 core', '2 cores')} |")
        print(f"| tournament of {n_t:,}, 1 → 2 worker threads (two cores) | — | — | {rate('1 thread'):.0f}/s → "
              f"{rate('2 cores'):.0f}/s | — | {speedup('1 thread', '2 cores')} |")

        # 5. ANAC 2014's largest hyper-rectangle domains, exact frontier.
        for name in ("30issues", "50issues"):
            def analyse(name=name):
                wall, peak, out = timed([zopa, "analyze", str(ANAC2014 / name), "--json"])
                j = json.loads(out)
                return wall, peak, j["pareto"]["size"]
            try:
                wall, peak, (points,) = median_of(max(1, args.runs // 2), analyse)
                row(f"ANAC 2014 {name}: exact frontier ({points} points)", None, (wall, peak))
            except SystemExit as e:
                print(f"| ANAC 2014 {name}: exact frontier | — | — | refused: {str(e).splitlines()[-1][:80]} | — | — |")


if __name__ == "__main__":
    main()
