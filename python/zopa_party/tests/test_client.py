"""The reference client: it reads settings and turns, answers with moves, computes its own
utility from the tables zopa sends (or asks when there are none), and plays a real
negotiation against the zopa binary."""

import json
import os
import subprocess
import sys

import pytest

import zopa_party
from zopa_party import Accept, End, Offer, Party, play

SETTINGS = {
    "type": "settings",
    "version": 1,
    "party": "B",
    "seat": 1,
    "negotiators": 2,
    "protocol": "sao",
    "issues": [{"name": "x", "values": ["a", "b"]}, {"name": "n", "integer": [0, 2]}],
    "utility": {"capped": False, "tables": {"x": {"a": 0.5, "b": 0.0}, "n": {"0": 0.0, "1": 0.25, "2": 0.5}}},
    "reservation": 0.3,
    "discount": None,
    "cost_per_round": 0.0,
    "deadline": {"rounds": 10, "seconds": None},
    "seed": 1,
}


class Scripted(zopa_party.Channel):
    """A channel that plays zopa's side from a script and records what the party sent."""

    def __init__(self, incoming, answers=None):
        self.incoming = list(incoming)
        self.answers = answers or (lambda message: None)
        self.sent = []

    def send(self, message):
        self.sent.append(message)
        answer = self.answers(message)
        if answer is not None:
            self.incoming.insert(0, answer)

    def receive(self):
        if not self.incoming:
            raise EOFError
        return self.incoming.pop(0)


def turn(standing=None):
    return {"type": "turn", "round": 1, "time": 0.1, "reservation": 0.3, "moves": [], "standing": standing}


class Holdout(Party):
    def move(self, turn):
        if turn.standing and self.utility(turn.standing.outcome) >= 0.9:
            return Accept()
        return Offer(self.best())


def test_a_party_offers_its_best_then_accepts_what_it_wants():
    channel = Scripted([SETTINGS, turn(), turn({"seat": 0, "outcome": {"x": "a", "n": 2}}), {"type": "end"}])
    play(Holdout, channel)
    assert channel.sent == [{"type": "offer", "outcome": {"x": "a", "n": 2}}, {"type": "accept"}]


def test_without_tables_the_party_asks_its_utility():
    settings = dict(SETTINGS, utility=None)
    asked = []

    def answers(message):
        if message["type"] == "utility":
            asked.append(message["outcome"])
            return {"type": "utility", "value": 1.0 if message["outcome"] == {"x": "b", "n": 0} else 0.1}
        return None

    channel = Scripted([settings, turn(), {"type": "end"}], answers)
    play(Holdout, channel)
    assert len(asked) == 6, "each of the 6 outcomes asked once to find the best"
    assert channel.sent[-1] == {"type": "offer", "outcome": {"x": "b", "n": 0}}


def test_a_wrong_version_or_move_is_refused():
    with pytest.raises(zopa_party.ProtocolError):
        play(Holdout, Scripted([dict(SETTINGS, version=2)]))

    class Confused(Party):
        def move(self, turn):
            return "accept"

    with pytest.raises(TypeError, match="return Offer"):
        play(Confused, Scripted([SETTINGS, turn()]))
    assert End  # the three moves are importable


def test_the_example_plays_a_real_negotiation(zopa_binary, repo):
    env = dict(os.environ, PYTHONPATH=str(repo / "python" / "zopa_party" / "src"))
    out = subprocess.run(
        [
            str(zopa_binary),
            "run",
            "scenarios/examples/genius-job",
            "--negotiators",
            f"boulware,exec:{sys.executable} python/zopa_party/examples/greedy.py",
            "--json",
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout)
    assert result["end"] == "agreement", result.get("error")
    assert result["strategies"][1].startswith("exec:")


def ballot(question, text, standing=None, previous=None):
    return {
        "type": "vote",
        "question": question,
        "round": 2,
        "time": 0.2,
        "reservation": 0.3,
        "text": text,
        "standing": standing,
        "previous": previous,
    }


def test_a_party_votes_gives_feedback_ratifies_and_learns_the_result():
    good, poor = {"x": "a", "n": 1}, {"x": "b", "n": 1}
    end = {"type": "end", "end": "agreement", "agreement": good, "utility": 0.75, "rounds": 3}
    channel = Scripted(
        [
            SETTINGS,
            ballot("vote", good),
            ballot("vote", poor, standing=good),
            ballot("feedback", poor, previous=good),
            ballot("ratify", good, standing=good),
            end,
        ]
    )

    class Voter(Holdout):
        def finished(self, result):
            self.told = result

    assert play(Voter, channel) == end
    assert channel.sent == [
        {"type": "vote", "accept": True},
        {"type": "vote", "accept": False},
        {"type": "feedback", "answer": "worse"},
        {"type": "vote", "accept": True},
    ]


def test_a_wrong_feedback_answer_is_refused():
    class Odd(Holdout):
        def feedback(self, ballot):
            return "fine"

    with pytest.raises(TypeError, match="'better', 'same' or 'worse'"):
        play(Odd, Scripted([SETTINGS, ballot("feedback", {"x": "a", "n": 0})]))
