# %% [markdown]
# # zopa and NegMAS agents in one tournament
#
# A notebook-style script (cells marked `# %%`: open it in Jupyter or VS Code, or run it
# whole): load a GENIUS domain, plot its Pareto frontier, run a tournament mixing zopa's
# strategies with NegMAS agents, print the leaderboard.
#
#     pip install ./python/zopa negmas pyarrow     # matplotlib comes with NegMAS
#     python3 python/examples/negmas_tournament.py [OUT_DIR]
#
# It writes OUT_DIR/frontier.png and OUT_DIR/tournament.sqlite (default OUT_DIR:
# negmas-tournament/).

# %%
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files, no window
import matplotlib.pyplot as plt

import zopa
import zopa.negmas

REPO = Path(__file__).resolve().parents[2]
OUT = Path(sys.argv[1] if len(sys.argv) > 1 else "negmas-tournament")
OUT.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## The scenario: a GENIUS domain (an XML domain and two profiles)

# %%
scenario = zopa.load(REPO / "scenarios/examples/genius-job")
print(scenario, [i["name"] for i in scenario.issues])
analysis = scenario.analyze()
a, b = analysis["parties"]
print(f"{analysis['n_outcomes']} outcomes; Nash point {analysis['nash']['outcome']}")

# %% [markdown]
# ## Every outcome, the Pareto frontier and the bargaining solutions

# %%
import itertools

names = [i["name"] for i in scenario.issues]
points = [
    (scenario.utility(a, o), scenario.utility(b, o))
    for o in (dict(zip(names, v)) for v in itertools.product(*map(scenario.values, names)))
]
frontier = sorted(tuple(p["utilities"]) for p in analysis["pareto"]["points"])

fig, ax = plt.subplots(figsize=(5, 5))
ax.scatter(*zip(*points), s=12, color="0.75", label="outcomes")
ax.plot(*zip(*frontier), "o-", color="tab:blue", label="Pareto frontier")
# Drawn largest first: where solutions coincide, each stays visible.
for key, marker, size in [("egalitarian", "s", 15), ("kalai", "D", 10), ("nash", "*", 9)]:
    if analysis[key]:
        ax.plot(*analysis[key]["utilities"], marker, markersize=size, label=key)
ra, rb = analysis["reserved_values"]
ax.axvline(ra, color="tab:red", lw=0.8, ls="--")
ax.axhline(rb, color="tab:red", lw=0.8, ls="--", label="reservation values")
ax.set(xlabel=f"utility of {a}", ylabel=f"utility of {b}", xlim=(0, 1.05), ylim=(0, 1.05),
       title=scenario.name)
ax.legend(loc="lower left", fontsize=8)
fig.savefig(OUT / "frontier.png", dpi=120, bbox_inches="tight")
print(f"wrote {OUT / 'frontier.png'}")

# %% [markdown]
# ## A tournament: zopa's strategies and two NegMAS agents, by import path
#
# `negmas:<module>.<Class>` seats any NegMAS SAO negotiator (here two of NegMAS's own; the
# agents of `negmas-genius-agents` and `negmas-negolog` enter the same way, e.g.
# `negmas:negmas_negolog.AgentGG`).

# %%
db = OUT / "tournament.sqlite"
db.unlink(missing_ok=True)
summary = zopa.tournament(
    {
        "seed": 1,
        "repetitions": 3,
        "rotate_roles": True,
        "self_play": False,
        "protocol": "sao",
        "rounds": 100,
        "scenarios": [
            str(REPO / "scenarios/examples/genius-job"),
            str(REPO / "scenarios/examples/negmas-paint"),
        ],
        "strategies": [
            "boulware",
            "conceder",
            "atlas3",
            "negmas:negmas.sao.AspirationNegotiator",
            "negmas:negmas.sao.NaiveTitForTatNegotiator",
        ],
    },
    db=db,
)
print(f"{summary['ran']} negotiations in {db}")

# %% [markdown]
# ## The leaderboard

# %%
board = zopa.results(db).leaderboard
rows = [r for r in board.to_pylist() if r["scope"] == "overall"]
print(f"{'strategy':<45} {'n':>4} {'utility':>8} {'agreements':>10}")
for r in rows:
    print(f"{r['strategy']:<45} {r['n']:>4} {r['mean_utility']:>8.3f} {r['agreement_rate']:>10.0%}")
