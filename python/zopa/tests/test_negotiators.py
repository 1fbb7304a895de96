"""Negotiators written in Python, seated in zopa's protocols."""

from __future__ import annotations

import threading

import pytest
import zopa

JOB = "scenarios/examples/genius-job"
LAPTOP = "scenarios/examples/laptop-sale.toml"


class TimeDependent(zopa.Negotiator):
    """Concedes from its best outcome towards its reservation value as time runs out."""

    def __init__(self, e: float = 0.5):
        self.e = e
        self.seen = []

    def target(self, state):
        best = state.utility(state.best())
        return best - (best - state.reservation) * state.time ** (1 / self.e)

    def propose(self, state):
        self.seen.append(state)
        return state.near(self.target(state))

    def respond(self, state, offer):
        return "accept" if state.utility(offer) >= self.target(state) else "reject"


def test_a_python_negotiator_reaches_an_agreement_with_a_rust_one():
    me = TimeDependent()
    r = zopa.run(JOB, [me, "conceder"], rounds=50, seed=1)
    assert r["strategies"] == ["python:TimeDependent", "conceder"]
    assert r["end"] == "agreement"
    assert r["error"] is None
    # Every offer it made is in the trace, with its utilities.
    mine = [t for t in r["trace"] if t["actor"] == r["parties"][0] and t["action"] == "offer"]
    assert mine and all(t["utilities"] for t in mine)


def test_the_state_carries_what_a_rust_strategy_sees():
    me = TimeDependent()
    zopa.run(JOB, [me, "boulware"], rounds=20, seed=1)
    first, later = me.seen[0], me.seen[-1]
    s = zopa.load(JOB)
    assert first.party == s.parties[0]["name"] and first.index == 0
    assert first.negotiators == 2 and first.rounds == 20
    assert first.issues == [i["name"] for i in s.issues]
    assert first.round == 0 and first.time == 0.0
    assert later.round > 0 and 0 < later.time <= 1
    assert first.reservation == s.parties[0]["reservation_value"]
    # Its own utility function, as the scenario scores it.
    o = first.best()
    assert first.utility(o) == s.utility(first.party, o)
    # Offers so far: (turn-order index, outcome), the other's included.
    actors = {actor for actor, _ in later.offers}
    assert actors == {0, 1}


def test_a_name_labels_it_and_a_class_gets_one_instance_per_seat():
    class Named(TimeDependent):
        name = "td"

    r = zopa.run(JOB, Named, rounds=30)
    assert r["strategies"] == ["python:td", "python:td"]
    assert r["end"] in {"agreement", "deadline"}


def test_one_instance_given_twice_plays_both_seats():
    me = TimeDependent()
    r = zopa.run(JOB, [me, me], rounds=30)
    assert r["strategies"] == ["python:TimeDependent"] * 2


class Raises(zopa.Negotiator):
    def propose(self, state):
        raise ValueError("no idea what to offer")

    def respond(self, state, offer):
        return "reject"


class Garbage(zopa.Negotiator):
    def propose(self, state):
        return 42

    def respond(self, state, offer):
        return "maybe"


def test_a_negotiator_that_raises_ends_its_negotiation_with_an_error_naming_it():
    r = zopa.run(JOB, [Raises(), "boulware"], rounds=30)
    assert r["end"] == "error"
    party = r["parties"][0]
    assert party in r["error"] and "python:Raises" in r["error"]
    assert "propose raised ValueError: no idea what to offer" in r["error"]
    assert r["trace"][-1]["action"] == "error"
    assert r["trace"][-1]["actor"] == party


def test_garbage_ends_its_negotiation_with_an_error_saying_what_was_wrong():
    r = zopa.run(JOB, [Garbage(), "boulware"], rounds=30)
    assert r["end"] == "error"
    assert "propose returned `42` is not an outcome" in r["error"]
    r = zopa.run(JOB, ["boulware", Garbage()], rounds=30)
    assert r["end"] == "error"
    assert "respond returned 'maybe'" in r["error"]


def test_a_wrong_value_is_named():
    class Wrong(TimeDependent):
        def propose(self, state):
            o = state.best()
            o[state.issues[0]] = "no such value"
            return o

    r = zopa.run(JOB, [Wrong(), "boulware"], rounds=30)
    assert r["end"] == "error"
    assert "'no such value'` is not a value of issue" in r["error"]


def test_a_failing_negotiator_ends_only_its_own_negotiation():
    # Negotiations in threads at once (each run releases the GIL): the broken one ends in an
    # error, the others run to their end as they would alone.
    alone = zopa.run(JOB, ["boulware", "conceder"], rounds=40, seed=2)
    results = {}

    def go(key, negotiators):
        results[key] = zopa.run(JOB, negotiators, rounds=40, seed=2)

    threads = [
        threading.Thread(target=go, args=("broken", [Raises(), "conceder"])),
        threading.Thread(target=go, args=("rust", ["boulware", "conceder"])),
        threading.Thread(target=go, args=("python", [TimeDependent(), "conceder"])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results["broken"]["end"] == "error"
    assert results["rust"] == alone
    assert results["python"]["end"] == "agreement"


def test_a_class_that_fails_to_start_ends_its_negotiation():
    class Broken(TimeDependent):
        def __init__(self):
            raise RuntimeError("no config")

    r = zopa.run(JOB, [Broken, "boulware"], rounds=10)
    assert r["end"] == "error"
    assert "failed to start" in r["error"] and "RuntimeError: no config" in r["error"]


def test_python_negotiators_sit_on_shuttle_routes_but_do_not_vote():
    r = zopa.run(LAPTOP, [TimeDependent()], protocol="shuttle", mediator="bargaining", rounds=30)
    assert r["strategies"] == ["python:TimeDependent"] * 2
    with pytest.raises(zopa.OptionError, match="does not sit in the mediated protocol"):
        zopa.run(LAPTOP, [TimeDependent()], protocol="mediated")


def test_objects_that_are_no_negotiators_are_refused():
    with pytest.raises(zopa.OptionError, match="has no `propose` method"):
        zopa.run(JOB, [object(), "boulware"])
    a, b = TimeDependent(), TimeDependent()
    with pytest.raises(zopa.OptionError, match="both labelled `python:TimeDependent`"):
        zopa.run(JOB, [a, b])
