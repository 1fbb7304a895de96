"""zopa in Python: read negotiation scenarios in every format zopa reads, analyse them exactly,
and run negotiations with zopa's strategies and with negotiators written in Python.

    >>> import zopa
    >>> s = zopa.load("scenarios/examples/laptop-sale.toml")
    >>> s.analyze()["nash"]["utilities"]            # as `zopa analyze --json`
    >>> zopa.run(s, ["boulware", "conceder"])["end"]  # as `zopa run --json`

Results are the JSON documents of the `zopa` command, as dicts (``analyze_json`` and
``run_json`` give the exact text). Errors are ``zopa.ZopaError`` and its subclasses, with the
message the command prints. ``zopa.negmas`` (with NegMAS installed) bridges to NegMAS: scenarios
both ways, NegMAS agents in zopa's seats, zopa's strategies in NegMAS's mechanism.
"""

from __future__ import annotations

import json as _json
from typing import Any, NamedTuple

from ._zopa import (
    AnalysisError,
    LoadError,
    OptionError,
    Scenario,
    State,
    Strategy,
    ZopaError,
    __version__,
    forecast_json,
    load,
    results_parquet,
    run_json,
    strategy_names,
)
from ._zopa import tournament as _tournament

__all__ = [
    "AnalysisError",
    "LoadError",
    "Negotiator",
    "OptionError",
    "Scenario",
    "State",
    "Strategy",
    "ZopaError",
    "__version__",
    "forecast",
    "forecast_json",
    "load",
    "results",
    "Results",
    "run",
    "run_json",
    "strategies",
    "tournament",
]


def run(scenario: Any, negotiators: Any, **options: Any) -> dict:
    """Runs one negotiation and returns `zopa run --json` as a dict.

    ``scenario`` is a :class:`Scenario` or a path; ``negotiators`` one strategy per seated
    party, in order (or one for all): registry names with parameters (``"boulware:e=0.1"``)
    and Python negotiators (:class:`Negotiator` instances or classes). The keyword options are
    ``zopa run``'s flags (see :func:`run_json`). ``"negmas:<module>.<Class>"`` seats a NegMAS
    agent (:mod:`zopa.negmas`, needs NegMAS).
    """
    return _json.loads(run_json(scenario, _with_negmas(negotiators), **options))


def _with_negmas(negotiators: Any) -> Any:
    """Strategy names ``negmas:<module>.<Class>`` replaced by the seats :mod:`zopa.negmas`
    builds for them (labelled as written); everything else as it is."""
    if isinstance(negotiators, str):
        if "negmas:" not in negotiators:
            return negotiators
        negotiators = negotiators.split(",")
    elif not isinstance(negotiators, (list, tuple)):
        return negotiators
    if not any(isinstance(n, str) and n.strip().startswith("negmas:") for n in negotiators):
        return negotiators
    from . import negmas as _negmas_bridge

    return [
        _negmas_bridge.strategy(n.strip())
        if isinstance(n, str) and n.strip().startswith("negmas:")
        else n
        for n in negotiators
    ]


def _file_negmas_seats(path: Any) -> list | None:
    """The seats of the ``negmas:`` strategies a tournament file names, or None."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ImportError:
            return None
    try:
        with open(path, "rb") as f:
            strategies = tomllib.load(f).get("strategies", [])
    except (OSError, ValueError, TypeError):
        return None  # zopa reports what is wrong with the file
    names = [s for s in strategies if isinstance(s, str) and s.startswith("negmas:")]
    if not names:
        return None
    from . import negmas as _negmas_bridge

    return [_negmas_bridge.strategy(n) for n in names]


def forecast(path: Any, model: str = "smp", options: dict | None = None, **more: Any) -> dict:
    """Forecasts how stakeholder positions move and returns `zopa forecast --json` as a dict.

    ``path``: a KTAB CSV or XML file, an ``actor,capability,position,salience`` CSV (``eum``)
    or a zopa scenario whose parties declare a capability. ``model``: ``"smp"`` (KTAB's
    Spatial Model of Politics) or ``"eum"`` (the expected-utility model). ``options``: model
    options as ``--set`` takes them, e.g. ``{"VotingRule": "PropCbc"}`` or
    ``{"Variant": "dmasad"}``; ``max_turns`` and ``seed`` as the flags.
    """
    return _json.loads(forecast_json(path, model=model, options=options, **more))


def tournament(
    config: Any,
    db: Any = "results.sqlite",
    jobs: int | None = None,
    progress: Any = None,
) -> dict:
    """Runs (or resumes) a tournament into the SQLite database ``db`` on ``jobs`` threads
    (every core by default), as ``zopa tournament run`` does, and returns ``{"db", "total",
    "ran", "skipped"}``.

    ``config`` is a tournament file (docs/tournaments.md; scenario paths relative to it) or a
    dict laid out as one (paths relative to the working directory), whose ``strategies`` may
    hold Python negotiators. ``progress``: ``True`` for a progress bar (tqdm's, in terminals
    and notebooks, where tqdm is installed; else a line on stderr), or a callable
    ``(done, total)``. Rust negotiations run without the GIL.

    Strategies ``"negmas:<module>.<Class>"`` (in a dict or a file) seat NegMAS agents by
    import path (:mod:`zopa.negmas`, needs NegMAS).
    """
    if progress is True:
        progress = _progress_bar()
    seats = None
    if isinstance(config, dict):
        if "strategies" in config:
            config = dict(config, strategies=_with_negmas(list(config["strategies"])))
    else:
        seats = _file_negmas_seats(config)
    try:
        return _tournament(config, db=db, jobs=jobs, progress=progress, seats=seats)
    finally:
        close = getattr(progress, "close", None)
        if callable(close):
            close()


class _progress_bar:
    """A progress callback drawing tqdm's bar, or a line on stderr without tqdm."""

    def __init__(self) -> None:
        try:
            from tqdm.auto import tqdm
        except ImportError:
            tqdm = None
        self._tqdm = tqdm
        self._bar = None

    def __call__(self, done: int, total: int) -> None:
        if self._tqdm is None:
            import sys

            print(f"\r{done}/{total} negotiations", end="", file=sys.stderr, flush=True)
            return
        if self._bar is None:
            self._bar = self._tqdm(total=total, unit="negotiation")
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self._tqdm is None:
            import sys

            print(file=sys.stderr)


class Results(NamedTuple):
    """A tournament database as two `pyarrow.Table`s (``.to_pandas()`` where pandas is
    installed): the columns of `zopa tournament report --parquet`."""

    negotiations: Any
    """One row per stored negotiation (damaged rows left out, as the report leaves them)."""
    leaderboard: Any
    """Per strategy, overall and per scenario: n, mean utility ± 95 %, advantage, welfare,
    agreement rate, distances to Pareto and Nash, rounds."""
    info: dict
    """``{"stored", "total", "damaged": [(id, problems), …]}``."""


def results(db: Any = "results.sqlite") -> Results:
    """Reads a tournament database (see :func:`tournament`) into pyarrow tables: the same
    data as the Parquet files of ``zopa tournament report DB --parquet DIR``. Needs pyarrow
    (``pip install pyarrow``)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("zopa.results needs pyarrow: pip install pyarrow") from e
    negotiations, leaderboard, info = results_parquet(db)

    def read(data: bytes):
        # ParquetFile reads on this thread. `pq.read_table` on a Python buffer may drop its
        # last reference from one of Arrow's threads after returning; at interpreter exit that
        # thread cannot take the GIL and the process aborts ("terminate called without an
        # active exception").
        return pq.ParquetFile(pa.BufferReader(data)).read()

    return Results(read(negotiations), read(leaderboard), info)


def strategies() -> dict[str, list[str]]:
    """zopa's strategies by kind: ``{"negotiator": [...], "voter": [...], "mediator": [...]}``."""
    kinds: dict[str, list[str]] = {}
    for name, kind in strategy_names():
        kinds.setdefault(kind, []).append(name)
    return kinds


class Negotiator:
    """A negotiator written in Python, for the alternating-offers protocols (``sao``,
    ``stacked``) and shuttle routes.

    Subclass it and define :meth:`propose` and :meth:`respond`; pass an instance (one object
    plays every seat it is given) or the class (one instance per seat) to :func:`run`. Its
    label in results is ``python:<name>``: the ``name`` attribute, else the class name.

    If a method raises or returns something that is no move, that negotiation — only that
    one — ends with ``"end": "error"`` and an ``error`` naming the party and the label.
    """

    name: str | None = None

    def propose(self, state: State) -> dict:
        """The offer to make: a dict ``{issue: value}`` naming every issue."""
        raise NotImplementedError(f"{type(self).__name__}.propose")

    def respond(self, state: State, offer: dict) -> str:
        """The answer to ``offer`` (the standing offer of another party): ``"accept"``,
        ``"reject"`` (then :meth:`propose` is called for the counter-offer) or ``"end"``
        (walk away)."""
        raise NotImplementedError(f"{type(self).__name__}.respond")
