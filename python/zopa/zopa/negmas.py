"""zopa and NegMAS, both ways: scenarios, NegMAS agents in zopa's seats, zopa's strategies in
NegMAS's mechanism.

    >>> import zopa, zopa.negmas
    >>> from negmas.sao import AspirationNegotiator
    >>> s = zopa.load("scenarios/examples/genius-job")
    >>> zopa.negmas.to_negmas(s)                        # a negmas.inout.Scenario
    >>> zopa.run(s, [zopa.negmas.seat(AspirationNegotiator), "boulware"], rounds=50)
    >>> zopa.run(s, ["negmas:negmas.sao.AspirationNegotiator", "boulware"], rounds=50)
    >>> zopa.negmas.Negotiator("atlas3")                # a NegMAS SAONegotiator

NegMAS (``pip install negmas``) is needed here only; ``import zopa`` works without it.

Time. A NegMAS agent seated in zopa sees NegMAS's own clock: step ``k`` of ``n_steps`` at
relative time ``(k + 1) / (n_steps + 1)``, with zopa's round as the step and zopa's rounds as
``n_steps``; a zopa strategy inside NegMAS sees zopa's: round ``k`` of ``n`` at ``k / n``. So
each side plays by the clock it was written for, and a pairing gives the same agreement in
the same round on either platform (python/zopa/tests/test_negmas_crosscheck.py).
"""

from __future__ import annotations

import copy
import importlib
import os
import re
import tempfile
import warnings
from typing import Any, Callable

try:
    import negmas as _negmas  # noqa: F401
    from negmas.helpers.inout import dump
    from negmas.inout import Scenario as NegmasScenario
    from negmas.outcomes import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction, UtilityFunction
    from negmas.preferences.value_fun import AffineFun, ConstFun, LambdaFun, TableFun
    from negmas.gb.negotiators.base import GBNegotiator
    from negmas.sao import ResponseType, SAOMechanism, SAONegotiator, SAOResponse
except ImportError as e:  # pragma: no cover - depends on the environment
    raise ImportError("zopa.negmas needs NegMAS: pip install negmas") from e

import zopa

__all__ = ["ConstraintUtility", "Negotiator", "from_negmas", "seat", "strategy", "to_negmas"]

# Integer issues scored by a function are tabulated up to this many values.
_MAX_TABULATED = 1 << 16


# ---------------------------------------------------------------------------------------
# Scenarios


def to_negmas(scenario: Any) -> NegmasScenario:
    """The scenario as a ``negmas.inout.Scenario``: its outcome space and one
    ``LinearAdditiveUtilityFunction`` per negotiator (a :class:`ConstraintUtility` for ANAC
    2014's hyper-rectangle utilities), named for the party, with its reservation value.

    ``scenario`` is a :class:`zopa.Scenario` or a path zopa reads. Every utility is the one
    zopa scores offers with, outcome by outcome: tables carry zopa's numbers (positional
    evaluations as the tables they compute), functions of integer issues are tabulated, lines
    through 0 on real issues are NegMAS's ``AffineFun`` and other functions of real issues zopa's own
    (a ``LambdaFun``, which NegMAS cannot write to files: :func:`from_negmas` refuses them). Not
    carried: discount factors and costs of delay (NegMAS's ``ignore_discount``, with a
    warning), events, texts, restrictions and parties that are not negotiators.
    """
    s = _scenario(scenario)
    issues = [_issue(i) for i in s.issues]
    space = make_os(issues, name=s.name)
    ufuns = []
    for party in s.parties:
        if party["role"] != "negotiator":
            continue
        spec = s.utility_function(party["name"])
        if spec.get("discount") is not None:
            warnings.warn(
                f"to_negmas: the discount factor of party {party['name']!r} is left out",
                stacklevel=2,
            )
        ufuns.append(_ufun(spec, s.issues, space, party))
    return NegmasScenario(outcome_space=space, ufuns=tuple(ufuns))


def from_negmas(scenario: NegmasScenario, name: str | None = None) -> zopa.Scenario:
    """A ``negmas.inout.Scenario`` as a :class:`zopa.Scenario`, its parties in the order of
    its ufuns, read by zopa from the files NegMAS writes (``Scenario.dumpas(folder,
    type="yml")``, the utility files numbered to keep that order), so it means what it meant to
    NegMAS (docs/scenario-format.md, "How other formats map onto this one"). ``name``: the
    scenario's name (default: the outcome space's).

    The utility functions must be ones NegMAS can write and zopa reads: linear additive (table,
    affine, linear, constant and identity value functions) and affine ones. An integer issue
    some party scores value by value becomes a discrete issue of its integers (zopa accepts
    ints for its values).
    """
    name = name or getattr(scenario.outcome_space, "name", None) or "negmas"
    folder_name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "negmas"
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, folder_name)
        os.mkdir(folder)
        # What `dumpas(folder, type="yml")` writes, with the utility files numbered: zopa
        # orders a folder's parties by file name, and they should stay in NegMAS's order.
        serialized = scenario.serialize()
        dump(serialized["domain"], os.path.join(folder, "domain.yml"))
        for k, u in enumerate(serialized["ufuns"]):
            dump(u, os.path.join(folder, f"{k:04d}.yml"))
        with warnings.catch_warnings():
            # What the reader notes travels in `notes`.
            warnings.simplefilter("ignore")
            loaded = zopa.load(folder)
        # Self-contained: nothing refers to the temporary folder.
        return zopa.Scenario.from_toml(loaded.to_toml(), path=f"<negmas {name}>")


def _scenario(scenario: Any) -> zopa.Scenario:
    if isinstance(scenario, zopa.Scenario):
        return scenario
    return zopa.load(scenario)


def _issue(issue: dict):
    if issue["kind"] == "discrete":
        return make_issue(list(issue["values"]), name=issue["name"])
    if issue["kind"] == "integer":
        return make_issue((int(issue["min"]), int(issue["max"])), name=issue["name"])
    return make_issue((float(issue["min"]), float(issue["max"])), name=issue["name"])


def _numeric(kind: str, f: dict) -> Callable[[float], float]:
    """zopa's numeric evaluators, with its arithmetic (zopa-core's utility.rs)."""
    if kind == "linear":
        slope, offset, origin, clamp = f["slope"], f["offset"], f["origin"], f["clamp"]

        def linear(x):
            y = slope * (x - origin) + offset
            return min(max(y, 0.0), 1.0) if clamp else y

        return linear
    if kind == "triangular":
        low, high, peak = f["low"], f["high"], f["peak"]

        def triangular(x):
            if x < low:
                return 0.0
            if x < peak:
                return (x - low) / (peak - low)
            if x < high:
                return 1.0 - (x - peak) / (high - peak)
            return 0.0

        return triangular
    lv, lu, hv, hu = f["low_value"], f["low_utility"], f["high_value"], f["high_utility"]

    def interpolated(x):
        if x < lv or x > hv:
            return 0.0
        if hv == lv:
            return lu
        return lu + (hu - lu) * (x - lv) / (hv - lv)

    return interpolated


def _value_fun(evaluator: dict, issue: dict, party: str):
    """One issue's evaluator as a NegMAS value function."""
    if "table" in evaluator:
        return TableFun(dict(zip(issue["values"], evaluator["table"])))
    if "constant" in evaluator:
        return ConstFun(float(evaluator["constant"]))
    (kind, f), = evaluator.items()
    if issue["kind"] == "integer" and issue["max"] - issue["min"] < _MAX_TABULATED:
        fun = _numeric(kind, f)
        return TableFun({x: fun(float(x)) for x in range(issue["min"], issue["max"] + 1)})
    if kind == "linear":
        slope, offset, origin = f["slope"], f["offset"], f["origin"]
        ends = [slope * (x - origin) + offset for x in (issue["min"], issue["max"])]
        # slope·x + offset is zopa's slope·(x − origin) + offset to the bit when origin is 0.
        if origin == 0 and (not f["clamp"] or all(0.0 <= y <= 1.0 for y in ends)):
            return AffineFun(slope, bias=offset)
    # zopa's own function, with its arithmetic: exact, but NegMAS cannot write it to a file.
    return LambdaFun(_numeric(kind, f))


def _ufun(spec: dict, issues: list[dict], space, party: dict):
    name, reserved = party["name"], party["reservation_value"]
    if spec["kind"] == "additive":
        values = [_value_fun(e, i, name) for e, i in zip(spec["evaluators"], issues)]
        if spec["cap_at_one"] and sum(w for w in spec["weights"] if w > 0) > 1:
            raise ValueError(
                f"to_negmas: party {name!r} caps its utilities at 1 (weights summing to more "
                "than 1), which NegMAS's linear additive utility cannot express"
            )
        return LinearAdditiveUtilityFunction(
            values=values,
            weights=list(spec["weights"]),
            outcome_space=space,
            reserved_value=reserved,
            name=name,
        )
    return ConstraintUtility(spec, outcome_space=space, reserved_value=reserved, name=name)


class ConstraintUtility(UtilityFunction):
    """ANAC 2014's hyper-rectangle utility as zopa scores it (zopa-core's `ConstraintUtility`:
    the rectangles' utilities times `weight`, aggregated by sum, min or max, divided by
    `max_utility` and capped at 1), for :func:`to_negmas`. NegMAS's own
    ``HyperRectangleUtilityFunction`` neither divides nor caps, so it would score some outcomes
    differently; NegMAS cannot write this one to files (:func:`from_negmas` refuses it)."""

    def __init__(self, spec: dict, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rectangles = [(r["include"], r["utility"], r["bounds"]) for r in spec["rectangles"]]
        self._aggregation = spec["aggregation"]
        self._weight = spec["weight"]
        self._max = spec["max_utility"]

    def eval(self, offer):
        if offer is None:
            return self.reserved_value
        acc = None
        for include, utility, bounds in self._rectangles:
            inside = all(lo <= offer[i] <= hi for i, lo, hi in bounds)
            contribution = utility * self._weight if inside == include else 0.0
            if acc is None:
                acc = contribution
            elif self._aggregation == "sum":
                acc = acc + contribution
            elif self._aggregation == "min":
                acc = min(acc, contribution)
            else:
                acc = max(acc, contribution)
        return min((acc or 0.0) / self._max, 1.0)


# ---------------------------------------------------------------------------------------
# NegMAS agents in zopa's seats


class _OwnUtility(UtilityFunction):
    """A seat's own utility function as NegMAS sees it: zopa's numbers, outcome by outcome."""

    def __init__(self, state: zopa.State, names: list[str], **kwargs: Any) -> None:
        super().__init__(reserved_value=state.reservation, **kwargs)
        self._utility = state.utility
        self._names = names
        self._cache: dict = {}

    def eval(self, offer):
        if offer is None:
            return self.reserved_value
        u = self._cache.get(offer)
        if u is None:
            u = self._cache[offer] = self._utility(dict(zip(self._names, offer)))
        return u


class _Stand(SAONegotiator):
    """The other party at the shadow mechanism's table: its moves are the zopa table's,
    given to the mechanism as actions, so it is never asked for one."""

    def propose(self, state, dest=None):  # pragma: no cover - never called
        raise RuntimeError("zopa.negmas: the stand-in was asked to propose")


class _Seat(zopa.Negotiator):
    """One NegMAS agent in one zopa seat (one instance per seat and negotiation).

    The agent sits in a NegMAS ``SAOMechanism`` of its own (the *shadow*) with the same
    outcome space and ``n_steps`` equal to zopa's rounds, where the other party is a stand-in
    whose moves are those made at the zopa table, given to the mechanism as actions. NegMAS
    therefore keeps the agent's state, clock, history and callbacks exactly as in its own
    runs. As seat 0 (the opener), each turn completes the previous step with the other's
    move, then opens the next step and holds it open (the stand-in answers ``WAIT``) once the
    agent has moved; the agent is not told about that ``WAIT``.
    """

    __zopa_label__ = "negmas:?"
    _factory: Callable[[], Any]

    def __init__(self) -> None:
        self._mechanism: SAOMechanism | None = None
        self._pending: dict | None = None
        self._seen = 0

    # zopa's calls ------------------------------------------------------------------
    def respond(self, state, offer):
        move = self._turn(state)
        if isinstance(move, dict):
            self._pending = move
            return "reject"
        return move

    def propose(self, state):
        if self._pending is not None:
            move, self._pending = self._pending, None
            return move
        move = self._turn(state)
        if not isinstance(move, dict):
            raise RuntimeError(
                f"the NegMAS agent answered {move!r} where it had to open with an offer"
            )
        return move

    # The shadow mechanism ------------------------------------------------------------
    def _start(self, state) -> None:
        if state.negotiators != 2:
            raise ValueError(
                "a NegMAS agent plays bilateral alternating offers (sao), not a table of "
                f"{state.negotiators}"
            )
        if state.rounds is None:
            raise ValueError("a NegMAS agent needs a deadline in rounds (rounds=N)")
        space = state.space
        self._names = [i["name"] for i in space]
        self._issues = space
        outcome_space = make_os([_issue(i) for i in space], name=state.party)
        self._mechanism = m = SAOMechanism(
            outcome_space=outcome_space,
            n_steps=state.rounds,
            time_limit=float("inf"),
            name=f"zopa:{state.party}",
        )
        agent = type(self)._factory()
        if not isinstance(agent, (SAONegotiator, GBNegotiator)):
            raise TypeError(f"{agent!r} is not a NegMAS negotiator for SAO")
        ufun = _OwnUtility(state, self._names, outcome_space=outcome_space, name=state.party)
        stand = _Stand(name="other")
        self._agent, self._stand, self._ufun = agent, stand, ufun
        if state.index == 0:
            m.add(agent, preferences=ufun)
            m.add(stand)
        else:
            m.add(stand)
            m.add(agent, preferences=ufun)
        # The stand-in's WAIT (seat 0 only) is bookkeeping, not a move: the agent is not told.
        heard = agent.on_partner_response

        def on_partner_response(state, partner_id, outcome, response):
            if response != ResponseType.WAIT:
                heard(state=state, partner_id=partner_id, outcome=outcome, response=response)

        agent.on_partner_response = on_partner_response

    def _turn(self, state):
        if self._mechanism is None:
            self._start(state)
        m, stand = self._mechanism, self._stand
        # Events may move its outside option during the negotiation.
        self._ufun.reserved_value = state.reservation
        # The other party's move since this seat's last turn: its newest offer (in a
        # bilateral table an accept or a walk-away ends the negotiation).
        offers = state.offers
        theirs = [o for a, o in offers[self._seen :] if a != state.index]
        self._seen = len(offers)
        given = None
        if theirs:
            given = SAOResponse(ResponseType.REJECT_OFFER, self._to_negmas(theirs[-1]))
        if state.index == 0:
            if given is not None:
                m.step(action={stand.id: given})  # completes the previous step
            m.step(action={stand.id: SAOResponse(ResponseType.WAIT, None)})
        else:
            m.step(action={stand.id: given})
        return self._read(m)

    def _read(self, m):
        s = m.state
        if s.agreement is not None:
            return "accept"
        if s.broken or s.timedout or s.has_error:
            if s.has_error:
                raise RuntimeError(f"the NegMAS agent failed: {s.error_details}")
            return "end"
        if s.current_proposer != self._agent.id:
            raise RuntimeError("the NegMAS agent neither offered, accepted nor ended")
        return self._to_zopa(s.current_offer)

    def _to_negmas(self, outcome: dict) -> tuple:
        return tuple(outcome[n] for n in self._names)

    def _to_zopa(self, outcome) -> dict:
        out = {}
        for issue, v in zip(self._issues, outcome):
            if issue["kind"] == "integer":
                v = int(v)
            elif issue["kind"] == "real":
                v = float(v)
            out[issue["name"]] = v
        return out


def seat(negotiator: Any, *, name: str | None = None, **kwargs: Any) -> type:
    """A zopa negotiator (a :class:`zopa.Negotiator` class: one instance per seat) that plays
    its seat by driving a NegMAS ``SAONegotiator`` under SAO.

    ``negotiator`` is a NegMAS negotiator class or a factory returning one; ``kwargs`` go to
    it for each seat. The agent gets a NegMAS utility function scoring outcomes as its party's
    own utility does (its reservation value included), the outcome space of the scenario's
    issues, and ``n_steps`` = the run's rounds (NegMAS's relative time: see the module's
    docstring). Its label in results is ``negmas:<class name>`` (with ``:key=value`` per
    keyword argument), or ``negmas:<name>``.

    Bilateral alternating offers (``protocol="sao"``) with a deadline in rounds. An agent
    that raises, or an offer NegMAS refuses, ends its own negotiation with an error.
    """
    if name is None:
        name = getattr(negotiator, "__name__", None) or type(negotiator).__name__
        name += "".join(f":{k}={v}" for k, v in kwargs.items())
    label = name if name.startswith("negmas:") else f"negmas:{name}"

    def factory():
        return negotiator(**kwargs)

    return type(
        f"NegmasSeat[{label[len('negmas:'):]}]",
        (_Seat,),
        {"__zopa_label__": label, "_factory": staticmethod(factory), "name": label},
    )


def strategy(text: str) -> type:
    """The seat a strategy name ``negmas:<module>.<Class>[:key=value…]`` names (as
    tournaments write it: ``"negmas:negmas.sao.AspirationNegotiator"``,
    ``"negmas:negmas_negolog.BOA:…"``), labelled as written. Values are read as Python
    literals where they are one (numbers, ``True``), else as text."""
    if not text.startswith("negmas:"):
        raise ValueError(f"`{text}` does not name a NegMAS agent; write negmas:<module>.<Class>")
    path, *params = text[len("negmas:") :].split(":")
    module, _, cls = path.rpartition(".")
    if not module:
        raise ValueError(f"`{text}`: give the module too, as negmas:<module>.<Class>")
    try:
        factory = getattr(importlib.import_module(module), cls)
    except (ImportError, AttributeError) as e:
        raise ValueError(f"`{text}`: cannot import {cls} from {module}: {e}") from e
    kwargs = {}
    for p in params:
        key, eq, value = p.partition("=")
        if not eq:
            raise ValueError(f"`{text}`: write parameters as :key=value")
        kwargs[key.strip()] = _literal(value.strip())
    return seat(factory, name=text, **kwargs)


def _literal(text: str) -> Any:
    import ast

    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


# ---------------------------------------------------------------------------------------
# zopa's strategies in NegMAS's mechanism


class Negotiator(SAONegotiator):
    """One of zopa's strategies (``"atlas3"``, ``"boulware:e=0.1"``; ``zopa strategies``) as
    a NegMAS ``SAONegotiator``, for NegMAS's own ``SAOMechanism`` (and anything that seats
    NegMAS negotiators).

    It builds what a zopa run gives the strategy — its own utility function (read by zopa from
    the NegMAS ufun it is given: linear additive or affine, as NegMAS writes them), its
    reservation value, the outcome space, the deadline ``n_steps`` in rounds — and on each of
    its turns tells it the moves since its last one and zopa's relative time ``step /
    n_steps``. ``seed`` seeds its random stream as a zopa run's seed would.
    """

    def __init__(self, strategy: str = "aspiration", *, seed: int = 0, **kwargs: Any) -> None:
        kwargs.setdefault("name", strategy)
        super().__init__(**kwargs)
        self.strategy = strategy
        self.seed = seed
        self._zopa = None
        self._answer = None
        self._answered_at = None

    def on_negotiation_start(self, state) -> None:
        super().on_negotiation_start(state)
        self._zopa = None
        self._answered_at = None

    def _start(self):
        nmi = self.nmi
        if self.ufun is None:
            raise ValueError("zopa.negmas.Negotiator needs a utility function")
        if nmi.n_steps is None:
            raise ValueError("zopa.negmas.Negotiator needs a deadline in steps (n_steps)")
        if nmi.n_negotiators != 2:
            raise ValueError(
                "zopa.negmas.Negotiator plays bilateral negotiations, not a table of "
                f"{nmi.n_negotiators}"
            )
        # zopa reads a scenario of two parties or more; the second is a copy of this one's
        # utility (a zopa strategy sees its own utility only).
        mine, other = copy.deepcopy(self.ufun), copy.deepcopy(self.ufun)
        mine.name, other.name = "self", "copy"
        ns = NegmasScenario(outcome_space=nmi.outcome_space, ufuns=(mine, other))
        scenario = from_negmas(ns, name=getattr(nmi.outcome_space, "name", None) or "negmas")
        self._issues = scenario.issues
        self._names = [i["name"] for i in self._issues]
        # zopa's values back to NegMAS's: an integer issue zopa reads as a discrete one has
        # the values "0", "1", …
        self._back = [
            {str(x): x for x in i.all} if i.is_discrete() else None
            for i in nmi.outcome_space.issues
        ]
        self._index = nmi.negotiator_index(self.id)
        self._zopa = zopa.Strategy(
            scenario,
            "self",
            self.strategy,
            rounds=nmi.n_steps,
            index=self._index,
            negotiators=2,
            seed=self.seed,
        )

    def _act(self, state):
        """zopa's move for this step (asked once per step: respond, then propose)."""
        if self._zopa is None:
            self._start()
        if self._answered_at != state.step:
            # In a bilateral negotiation the other's one move since this one's last turn is
            # the standing offer (an accept or a walk-away would have ended it).
            moves = []
            if state.current_offer is not None and state.current_proposer != self.id:
                moves.append((1 - self._index, self._to_zopa(state.current_offer)))
            time = min(1.0, state.step / self.nmi.n_steps)
            self._answer = self._zopa.act(state.step, time, moves)
            self._answered_at = state.step
        return self._answer

    def respond(self, state, source=None):
        answer = self._act(state)
        if answer == "accept":
            return ResponseType.ACCEPT_OFFER
        if answer == "end":
            return ResponseType.END_NEGOTIATION
        return ResponseType.REJECT_OFFER

    def propose(self, state, dest=None):
        answer = self._act(state)
        if isinstance(answer, dict):
            return self._from_zopa(answer)
        # zopa accepts only a standing offer: with none, its strategy offers.
        return None

    def _to_zopa(self, outcome) -> dict:
        return {n: _plain(v) for n, v in zip(self._names, outcome)}

    def _from_zopa(self, outcome: dict) -> tuple:
        return tuple(
            back[str(outcome[n])] if back is not None else outcome[n]
            for n, back in zip(self._names, self._back)
        )


def _plain(v):
    """NumPy scalars as Python's."""
    item = getattr(v, "item", None)
    return item() if callable(item) else v

