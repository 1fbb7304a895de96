"""Prints NegMAS's own analysis of GENIUS scenario folders as JSON (one object per folder).

Used by zopa's cross-check test (crates/zopa-formats/tests/negmas_crosscheck.rs) and by
bench/analysis_vs_negmas.py. Only NegMAS's public API is called.

usage: python3 negmas_stats.py FOLDER [FOLDER ...]
"""

import json
import sys

from negmas.inout import Scenario
from negmas.preferences.ops import calc_scenario_stats


def stats(folder):
    scenario = Scenario.load(folder, ignore_discount=True, load_stats=False)
    ufuns = list(scenario.ufuns)
    s = calc_scenario_stats(ufuns)
    return {
        "folder": folder,
        "n_outcomes": int(scenario.outcome_space.cardinality),
        "reserved": [float(u.reserved_value) for u in ufuns],
        "pareto": [list(map(float, p)) for p in s.pareto_utils],
        "nash": [list(map(float, p)) for p in s.nash_utils],
        "kalai": [list(map(float, p)) for p in s.kalai_utils],
        "max_welfare": [list(map(float, p)) for p in s.max_welfare_utils],
        "opposition": float(s.opposition),
    }


if __name__ == "__main__":
    json.dump([stats(f) for f in sys.argv[1:]], sys.stdout)
