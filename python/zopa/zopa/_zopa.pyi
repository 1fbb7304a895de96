"""Type stubs of `zopa._zopa`, the native half of the `zopa` package (crates/zopa-python)."""

from __future__ import annotations

from os import PathLike
from typing import Any, Callable, Iterable, Literal, Sequence

__version__: str

Outcome = dict[str, Any]
"""An outcome: `{issue: value}` over every issue; discrete values by name, integers as `int`,
reals as `float`."""

Definitions = Literal["zopa", "genius", "negolog", "negmas", "geniusweb"]
Method = Literal["auto", "enumeration", "additive-frontier", "constraint-search"]
Protocol = Literal["sao", "stacked", "mediated", "shuttle"]

class ZopaError(Exception):
    """Every error zopa raises; the message is what the `zopa` command prints after `error: `."""

class LoadError(ZopaError):
    """A scenario that cannot be read."""

    path: str
    """The file or folder."""
    place: str | None
    """Where in it: `line 12`, `issue "Price"`, `key issueWeights.price`, …"""
    problem: str
    fix: str | None
    """What to do about it."""

class OptionError(ZopaError):
    """An option that cannot be used: an unknown strategy, a party the scenario lacks, a flag
    the protocol does not take, a bad outcome."""

class AnalysisError(ZopaError):
    """The analysis refused the scenario (too large for the method asked, …)."""

class Scenario:
    """A negotiation scenario: issues, parties with utility functions and reservation values,
    events and texts."""

    @staticmethod
    def from_toml(text: str, path: str = "<string>") -> Scenario:
        """Reads zopa's native TOML; `path` names it in errors."""

    @staticmethod
    def from_dict(data: dict[str, Any], path: str = "<dict>") -> Scenario:
        """Builds a scenario from a dict laid out as the native TOML is."""

    @property
    def name(self) -> str: ...
    @property
    def path(self) -> str:
        """The file or folder it was read from (`<string>`/`<dict>` when built in Python)."""

    @property
    def issues(self) -> list[dict[str, Any]]:
        """`{"name", "kind": "discrete", "values"}` or `{"name", "kind": "integer" | "real",
        "min", "max"}`, in order."""

    @property
    def parties(self) -> list[dict[str, Any]]:
        """`{"name", "role", "reservation_value"}`, in order."""

    @property
    def notes(self) -> list[str]:
        """What zopa noted while reading (numbers it accepted but found unusual)."""

    def utility(self, party: str, outcome: Outcome) -> float:
        """`party`'s utility of `outcome`."""

    def utility_function(self, party: str) -> dict[str, Any]:
        """`party`'s utility function as data, the `f64`s zopa scores offers with:
        `{"kind": "additive", "weights", "evaluators", "cap_at_one", "discount"}` (one evaluator
        per issue: `{"table": [...]}`, `{"linear": {...}}`, `{"triangular": {...}}`,
        `{"constant": c}`, `{"interpolated": {...}}`) or `{"kind": "constraints", "aggregation",
        "weight", "max_utility", "rectangles", "discount"}`. `zopa.negmas.to_negmas` builds
        NegMAS utilities from it."""

    def values(self, issue: str) -> list[Any]:
        """The values of `issue` as outcomes give them (reals on a grid of 11 points)."""

    def to_toml(self) -> str:
        """zopa's native TOML, lossless: `Scenario.from_toml` reads it back equal."""

    def analyze_json(
        self,
        definitions: Definitions = "zopa",
        parties: Sequence[str] | None = None,
        method: Method = "auto",
        max_points: int | None = None,
        real_levels: int = 11,
        max_nodes: int = 1_000_000,
        horizon: int | None = None,
        max_branches: int = 65_536,
        at: int | str | None = None,
    ) -> str:
        """`zopa analyze --json` with the same options, byte for byte (closing newline
        included). `at`: the scenario as it stands at that round or date (the events due by
        then applied), as `--at`. A scenario read from a file is read again when `definitions`
        read it otherwise (NegMAS reads GENIUS evaluations raw)."""

    def analyze(
        self,
        definitions: Definitions = "zopa",
        parties: Sequence[str] | None = None,
        method: Method = "auto",
        max_points: int | None = None,
        real_levels: int = 11,
        max_nodes: int = 1_000_000,
        horizon: int | None = None,
        max_branches: int = 65_536,
        at: int | str | None = None,
    ) -> dict[str, Any]:
        """`zopa analyze --json` as a dict: `n_outcomes`, `parties`, `pareto`, `nash`,
        `kalai`, `egalitarian`, `max_welfare`, `opposition`, `zopa`, `texts`, … (README)."""

class State:
    """What a Python negotiator knows on its turn: what a Rust strategy's setup and view carry,
    nothing about the other parties' preferences."""

    @property
    def round(self) -> int: ...
    @property
    def time(self) -> float:
        """Relative time t ∈ [0, 1]."""

    @property
    def reservation(self) -> float:
        """Its current reservation value (events may have moved it)."""

    @property
    def party(self) -> str: ...
    @property
    def index(self) -> int:
        """Its place in the turn order (the actor of its offers in `offers`)."""

    @property
    def negotiators(self) -> int: ...
    @property
    def issues(self) -> list[str]: ...
    @property
    def space(self) -> list[dict[str, Any]]:
        """The issues as `Scenario.issues` gives them: the outcome space it negotiates over."""

    @property
    def rounds(self) -> int | None:
        """The deadline in rounds, if there is one."""

    @property
    def offers(self) -> list[tuple[int, Outcome]]:
        """Every offer so far, oldest first: `(actor, outcome)`. Read only."""

    def utility(self, outcome: Outcome) -> float:
        """Its own utility of `outcome`."""

    def best(self) -> Outcome:
        """Its best outcome."""

    def near(self, utility: float) -> Outcome:
        """The outcome whose own utility is nearest to `utility`."""

class Strategy:
    """One of zopa's strategies in one seat of a bilateral or multilateral alternating-offers
    table, moved turn by turn from outside (`zopa.negmas.Negotiator` drives one inside
    NegMAS's mechanism): what a zopa run builds for the seat, from `party`'s utility function
    and reservation value, a deadline of `rounds` and the ranking a run seeded `seed` uses."""

    def __init__(
        self,
        scenario: Scenario,
        party: str,
        spec: str,
        rounds: int | None = None,
        index: int = 0,
        negotiators: int = 2,
        seed: int = 0,
    ) -> None: ...
    def act(
        self, round: int, time: float, moves: Sequence[tuple[int, Outcome | str]]
    ) -> Outcome | Literal["accept", "end"]:
        """Its move at `round` (from 0) and relative time `time`, after `moves`: the moves since
        its last turn, `(seat, outcome | "accept" | "end")`, oldest first (its own are
        ignored). An outcome is its offer, which turns the standing offer down."""

    def utility(self, outcome: Outcome) -> float:
        """Its own utility of `outcome`."""

    @property
    def label(self) -> str:
        """The strategy as written (`"boulware:e=0.1"`)."""

def load(path: str | PathLike[str], definitions: Definitions = "zopa") -> Scenario:
    """Reads a scenario file or folder in any format zopa reads (zopa TOML, GENIUS XML,
    GeniusWeb, NegoLog, NegMAS), as `definitions` read it."""

def run_json(
    scenario: Scenario | str | PathLike[str],
    negotiators: str | object | Iterable[str | object],
    *,
    protocol: Protocol = "sao",
    rounds: int | None = None,
    time: str | float | None = None,
    seed: int = 0,
    definitions: Definitions = "zopa",
    parties: Sequence[str] | None = None,
    mediator: str | None = None,
    ratify: Literal["settled", "deadline"] | None = None,
    voting: str | None = None,
    voters: Sequence[str] | None = None,
    patience: int | None = None,
    opening: str | None = None,
    critiques: Literal["truthful", "strategic"] | None = None,
    split: bool = False,
    without_events: bool = False,
    stall: Sequence[str] = (),
    threaten: Sequence[str] = (),
    bluff: Sequence[str] = (),
    move_limit: str | float | None = None,
) -> str:
    """`zopa run --json` with the same options, byte for byte. `negotiators`: one per seated
    party in order, or one for all; registry specs (`"boulware:e=0.1"`) and Python negotiators
    (`zopa.Negotiator` instances, or classes: one instance per seat). `time` and `move_limit`
    as text (`"500ms"`, `"3s"`) or seconds; `stall` `"PARTY:T"`, `threaten`/`bluff`
    `"PARTY:T:SHIFT"` each, as the flags take them. The GIL is released while it runs."""

def strategy_names() -> list[tuple[str, str]]:
    """`(name, kind)` of every strategy, voter and mediator zopa knows."""

def forecast_json(
    path: str | PathLike[str],
    model: Literal["smp", "eum"] = "smp",
    options: dict[str, Any] | None = None,
    max_turns: int | None = None,
    seed: int | None = None,
) -> str:
    """`zopa forecast --json` with the same options, byte for byte; `options` as `--set`
    takes them (`{"VotingRule": "PropCbc"}`). What the reader notes is warned
    (`UserWarning`)."""

def tournament(
    config: str | PathLike[str] | dict[str, Any],
    db: str | PathLike[str] = "results.sqlite",
    jobs: int | None = None,
    progress: Callable[[int, int], object] | None = None,
    seats: Sequence[object] | None = None,
) -> dict[str, Any]:
    """Runs (or resumes) a tournament into the SQLite database `db`, on `jobs` threads (every
    core by default), as `zopa tournament run` does; `config` is a tournament file
    (docs/tournaments.md; scenario paths relative to it) or a dict laid out as one (paths
    relative to the working directory). `progress(done, total)` is called after each commit.
    Returns `{"db", "total", "ran", "skipped"}`. The GIL is released while it runs. `seats`:
    Python negotiators a tournament file names by their labels (`zopa.tournament` passes the
    seats of its `negmas:` strategies)."""

def results_parquet(db: str | PathLike[str]) -> tuple[bytes, bytes, dict[str, Any]]:
    """`negotiations.parquet` and `leaderboard.parquet` of `zopa tournament report --parquet`,
    byte for byte, and `{"stored", "total", "damaged"}`; `zopa.results` opens them."""
