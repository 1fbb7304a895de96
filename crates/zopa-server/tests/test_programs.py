"""Programs at zopa serve's seats over WebSockets (the party protocol, with the standard-library
client of python/zopa_party): one plays a whole negotiation; one that sends malformed JSON or
disconnects ends only its own negotiation, with an error naming its seat; fifty negotiations
with programs run at once and the server's memory comes back to its baseline."""

import json
import sys
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "python" / "zopa_party" / "src"))

from zopa_party import Accept, Offer, Party, WebSocketChannel, play  # noqa: E402
from serve_helpers import api  # noqa: E402


def start(base, rounds=20, seed=0):
    job = next(s["id"] for s in api(base, "/api/scenarios")["scenarios"] if s["name"] == "genius-job")
    return api(base, "/api/negotiations", {
        "scenario": job, "rounds": rounds, "seed": seed,
        "seats": [{"party": "candidate", "kind": "boulware"}, {"party": "employer", "kind": "program"}],
    })


def result(base, created, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        r = api(base, f"/api/negotiations/{created['id']}?key={created['key']}")["result"]
        if r:
            return r
        time.sleep(0.05)
    raise AssertionError("the negotiation did not end")


class Conceder(Party):
    def move(self, turn):
        ranked = sorted(self.outcomes(), key=self.utility, reverse=True)
        aim = self.utility(ranked[0]) * (1 - 0.6 * turn.time)
        if turn.standing and turn.standing.seat != self.seat and self.utility(turn.standing.outcome) >= aim:
            return Accept()
        return Offer(next((o for o in reversed(ranked) if self.utility(o) >= aim), ranked[0]))


def ws_url(base, created):
    return base.replace("http://", "ws://") + created["seats"][1]["socket"]


def test_a_program_plays_a_whole_negotiation(server):
    base, _ = server
    created = start(base)
    channel = WebSocketChannel(ws_url(base, created), timeout=30)
    play(Conceder, channel)
    channel.close()
    r = result(base, created)
    assert r["end"] in ("agreement", "deadline"), r
    assert r["strategies"] == ["boulware", "program:employer"]
    # A second program cannot take the same seat.
    try:
        WebSocketChannel(ws_url(base, created), timeout=5)
        raise AssertionError("the seat was taken twice")
    except Exception as e:  # the handshake is refused
        assert "refused" in str(e) or "closed" in str(e), e


def test_malformed_json_and_a_disconnect_end_only_their_own_negotiation(server):
    base, _ = server
    bad, gone, fine = start(base), start(base), start(base)
    c = WebSocketChannel(ws_url(base, bad), timeout=30)
    assert c.receive()["type"] == "settings"
    assert c.receive()["type"] == "turn"
    c.send_raw("{not json")
    r = result(base, bad)
    assert r["end"] == "error" and "employer (program:employer)" in r["error"] and "malformed JSON" in r["error"], r

    d = WebSocketChannel(ws_url(base, gone), timeout=30)
    assert d.receive()["type"] == "settings"
    d._sock.close()  # leaves without a word
    r = result(base, gone)
    assert r["end"] == "error" and "left" in r["error"], r

    channel = WebSocketChannel(ws_url(base, fine), timeout=30)
    play(Conceder, channel)
    assert result(base, fine)["end"] in ("agreement", "deadline")


def rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_fifty_negotiations_with_programs_at_once(server):
    base, proc = server

    def one(seed, results):
        created = start(base, rounds=30, seed=seed)
        channel = WebSocketChannel(ws_url(base, created), timeout=60)
        play(Conceder, channel)
        channel.close()
        results.append(result(base, created, timeout=60)["end"])

    def batch(n):
        results = []
        threads = [threading.Thread(target=one, args=(k, results)) for k in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        return results

    for _ in range(2):  # warms the server up: its pools, caches and allocator heaps
        assert len(batch(50)) == 50
    baseline = rss_kb(proc.pid)
    for _ in range(2):
        ends = batch(50)
        assert len(ends) == 50 and all(e in ("agreement", "deadline") for e in ends), ends
    time.sleep(0.5)
    after = rss_kb(proc.pid)
    # Finished negotiations are kept (at most 256), so memory may grow by their results, plus
    # the allocator's slack (mimalloc keeps freed pages per thread for a while): 100 more
    # negotiations stay well under a leak's linear growth.
    assert after - baseline < 40_000, (baseline, after)


def test_a_program_votes_at_a_mediated_table_and_is_told_the_result(server):
    base, _ = server
    job = next(s["id"] for s in api(base, "/api/scenarios")["scenarios"] if s["name"] == "genius-job")
    created = api(base, "/api/negotiations", {
        "scenario": job, "protocol": "mediated", "rounds": 30,
        "seats": [{"party": "candidate", "kind": "annealer"}, {"party": "employer", "kind": "program"}],
    })
    channel = WebSocketChannel(ws_url(base, created), timeout=30)
    told = play(Conceder, channel)  # votes as a hill climber (the client's default)
    channel.close()
    r = result(base, created)
    assert told["type"] == "end" and told["end"] == r["end"], (told, r["end"])
    assert told["rounds"] == r["rounds"]
    if r["end"] == "agreement":
        assert told["agreement"] == r["agreement"]
        assert abs(told["utility"] - r["utilities"][r["parties"].index("employer")]) < 1e-12
    # A program's vote answered with a move ends only its negotiation.
    created = api(base, "/api/negotiations", {
        "scenario": job, "protocol": "mediated", "rounds": 30,
        "seats": [{"party": "candidate", "kind": "annealer"}, {"party": "employer", "kind": "program"}],
    })
    channel = WebSocketChannel(ws_url(base, created), timeout=30)
    assert channel.receive()["type"] == "settings"
    assert channel.receive()["type"] == "vote"
    channel.send({"type": "end"})
    r = result(base, created)
    channel.close()
    assert r["end"] == "error" and "waited for `vote`" in r["error"], r
