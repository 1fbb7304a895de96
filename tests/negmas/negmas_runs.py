"""Runs bilateral SAO negotiations in NegMAS and prints each agreement as JSON.

Used by crates/zopa-mechanisms/tests/negmas_crosscheck.rs. Input: one JSON list on stdin of
{"folder", "a", "b", "steps"} with a, b in boulware, linear, conceder, micro. NegMAS's MiCRO
repeats earlier offers with Python's global `random`, which is seeded here for repeatability.
"""

import json
import random
import sys

from negmas.gb.negotiators.micro import MiCRONegotiator
from negmas.gb.negotiators.timebased import BoulwareTBNegotiator, ConcederTBNegotiator, LinearTBNegotiator
from negmas.inout import Scenario
from negmas.sao import SAOMechanism

KINDS = {"boulware": BoulwareTBNegotiator, "linear": LinearTBNegotiator, "conceder": ConcederTBNegotiator, "micro": MiCRONegotiator}


def run(job):
    random.seed(0)
    s = Scenario.load(job["folder"], ignore_discount=True, load_stats=False)
    m = SAOMechanism(outcome_space=s.outcome_space, n_steps=job["steps"])
    ufuns = list(s.ufuns)
    m.add(KINDS[job["a"]](name="a"), ufun=ufuns[0])
    m.add(KINDS[job["b"]](name="b"), ufun=ufuns[1])
    state = m.run()
    names = [i.name for i in s.outcome_space.issues]
    agreement = None if state.agreement is None else {n: str(v) for n, v in zip(names, state.agreement) if n != "DUMMY_ISSUE"}
    return {"agreement": agreement, "step": state.step}


if __name__ == "__main__":
    json.dump([run(j) for j in json.load(sys.stdin)], sys.stdout)
