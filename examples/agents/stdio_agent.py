#!/usr/bin/env python3
"""A zopa party in one file: a time-dependent (Boulware) negotiator over stdin/stdout.

It speaks the party protocol (docs/party-protocol.md) with the standard library only, so it
runs anywhere Python 3 does:

    zopa run scenarios/examples/genius-job \
        --negotiators boulware,exec:"python3 examples/agents/stdio_agent.py"

Each turn it aims at a utility that falls from its best outcome towards its reservation value
as the deadline nears (slowly at first: exponent E below), accepts an offer worth at least
that, and otherwise offers the outcome nearest above it. At a single-text table (mediated,
shuttle) it votes for texts that beat walking away and the standing text.
"""

import itertools
import json
import random
import sys

E = 0.2  # concession exponent: below 1 concedes late (Boulware), above 1 early
MAX_LISTED = 200_000  # outcomes listed exactly; above that, a seeded sample


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def receive():
    line = sys.stdin.readline()
    if not line:
        sys.exit(0)  # zopa closed the channel
    return json.loads(line)


def ask_utility(outcome):
    """The party's own utility of an outcome, asked of zopa."""
    send({"type": "utility", "outcome": outcome})
    answer = receive()
    return answer.get("value", 0.0) if answer.get("type") == "utility" else 0.0


def choices(issue, rng):
    if "values" in issue:
        return issue["values"]
    if "integer" in issue:
        low, high = issue["integer"]
        if high - low <= 100:
            return list(range(low, high + 1))
        return sorted({rng.randint(low, high) for _ in range(50)} | {low, high})
    low, high = issue["real"]
    return [low + (high - low) * k / 10 for k in range(11)]


def main():
    settings = receive()
    assert settings["type"] == "settings" and settings["version"] == 1, settings
    rng = random.Random(settings["seed"])
    names = [issue["name"] for issue in settings["issues"]]
    grids = [choices(issue, rng) for issue in settings["issues"]]
    tables = (settings.get("utility") or {}).get("tables")
    capped = (settings.get("utility") or {}).get("capped", False)

    def utility(outcome):
        if tables is None:
            return ask_utility(outcome)
        total = sum(tables[n][str(outcome[n])] for n in names)
        return min(total, 1.0) if capped else total

    size = 1
    for grid in grids:
        size *= len(grid)
    if size <= MAX_LISTED:
        combos = itertools.product(*grids)
    else:
        combos = (tuple(rng.choice(g) for g in grids) for _ in range(MAX_LISTED))
    ranked = [{"outcome": dict(zip(names, c))} for c in combos]
    for o in ranked:
        o["utility"] = utility(o["outcome"])
    ranked.sort(key=lambda o: -o["utility"])
    best = ranked[0]["utility"]

    while True:
        message = receive()
        if message["type"] == "end":
            # How it ended, and what the agreement (if any) is worth to this party.
            print(f"stdio_agent: {message.get('end')}, utility {message.get('utility')}", file=sys.stderr)
            return
        if message["type"] == "vote":
            # A single text put to it: carry texts that beat walking away and the standing
            # text; sign the final one when it beats walking away; tell a feedback mediator
            # whether the text is better than the previous one.
            u = utility(message["text"])
            reservation = message["reservation"]
            if message["question"] == "feedback":
                previous = message.get("previous")
                before = utility(previous) if previous else -1.0
                answer = "better" if u > before else "worse" if u < before else "same"
                send({"type": "feedback", "answer": answer})
            else:
                standing = message.get("standing")
                better = message["question"] == "ratify" or not standing or u >= utility(standing)
                send({"type": "vote", "accept": u >= reservation and better})
            continue
        if message["type"] != "turn":
            continue
        t = message["time"]
        floor = max(message["reservation"], ranked[-1]["utility"])
        target = best - (best - floor) * t ** (1 / E)
        standing = message.get("standing")
        if standing and standing["seat"] != settings["seat"]:
            if utility(standing["outcome"]) >= target:
                send({"type": "accept"})
                continue
        # The least good outcome still at or above the target.
        pick = ranked[0]
        for o in ranked:
            if o["utility"] < target:
                break
            pick = o
        send({"type": "offer", "outcome": pick["outcome"]})


if __name__ == "__main__":
    main()
