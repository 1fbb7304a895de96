"""A party written with the reference client: it holds out for 90 % of its best utility until
the last tenth of the negotiation, then takes anything above its outside option.

    zopa run scenarios/examples/genius-job \
        --negotiators boulware,exec:"python3 python/zopa_party/examples/greedy.py"

(run from the repository's root after `pip install ./python/zopa_party`).
"""

from zopa_party import Accept, Offer, Party, serve_stdio


class Greedy(Party):
    def move(self, turn):
        best = self.best()
        aim = 0.9 * self.utility(best) if turn.time < 0.9 else self.reservation
        if turn.standing and turn.standing.seat != self.seat:
            if self.utility(turn.standing.outcome) >= aim:
                return Accept()
        return Offer(best)


if __name__ == "__main__":
    serve_stdio(Greedy)
