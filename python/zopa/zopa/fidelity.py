"""Fidelity against independent ports: zopa's ports of ANAC agents, and the same agents as
ported by others, seated in turn against the same zopa opponents, in zopa's own mechanism.

For each agent with an independent Python port — NegoLog's (``negmas-negolog``) where there is
one, else ``negmas-genius-agents``' — and each configuration (a zopa opponent, a GENIUS
domain, the side the agent plays: first to move or second), both the zopa port and the
independent one negotiate against the opponent with the same deadline in rounds and the same
seed (zopa's run seed; NegMAS's ``apply_seed`` seeds the independent ports' generators with
it before each run). Per agent it reports:

* agreement rate, mean own and opponent utility, mean rounds, for each port;
* the share of paired runs with the same outcome (the same agreement, or both none);
* among *seed-independent* configurations (each port left the same trace under every seed),
  the share where the two ports left the same trace (every move: who, what, which outcome).

    python -m zopa.fidelity                      # the small configuration (the tests')
    python -m zopa.fidelity --config full        # the table in docs/strategies.md
    python -m zopa.fidelity --config full --json results.json
    python -m zopa.fidelity --agents HardHeaded,MiCRO

Needs NegMAS, ``negmas-negolog`` and ``negmas-genius-agents``, and the reference corpus
(``../shared/scenarios`` beside the repository, or ``--scenarios FOLDER``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

import zopa

__all__ = [
    "CONFIGS",
    "PORTS",
    "Config",
    "Port",
    "Summary",
    "compare",
    "markdown",
    "run_port",
]


@dataclass(frozen=True)
class Port:
    """One agent: zopa's strategy and the independent port it is compared with."""

    agent: str
    zopa: str
    independent: str
    source: str


PORTS: tuple[Port, ...] = (
    Port("HardHeaded", "hardheaded", "negmas:negmas_negolog.HardHeaded", "NegoLog"),
    Port("CUHKAgent", "cuhkagent", "negmas:negmas_negolog.CUHKAgent", "NegoLog"),
    Port("MiCRO", "micro", "negmas:negmas_negolog.MICROAgent", "NegoLog"),
    Port("Atlas3", "atlas3", "negmas:negmas_negolog.Atlas3Agent", "NegoLog"),
    Port("Caduceus", "caduceus", "negmas:negmas_negolog.Caduceus", "NegoLog"),
    # NegoLog's AgentGG never makes its Nash estimate: `negolog=true` is its reading.
    Port("AgentGG", "agentgg:negolog=true", "negmas:negmas_negolog.AgentGG", "NegoLog"),
    Port("PonPokoAgent", "ponpokoagent", "negmas:negmas_negolog.PonPokoAgent", "NegoLog"),
    Port("AgentKN", "agentkn", "negmas:negmas_negolog.AgentKN", "NegoLog"),
    Port("SAGA", "saga", "negmas:negmas_negolog.SAGAAgent", "NegoLog"),
    Port("HybridAgent", "hybridagent", "negmas:negmas_negolog.HybridAgent", "NegoLog"),
    Port(
        "LuckyAgent2022", "luckyagent2022", "negmas:negmas_negolog.LuckyAgent2022", "NegoLog"
    ),
    Port(
        # NegoLog's port departs from the GeniusWeb original in five places (see
        # docs/strategies.md): `negolog=true` is its reading.
        "AhBuNeAgent",
        "ahbuneagent:negolog=true",
        "negmas:negmas_negolog.AhBuNeAgent",
        "NegoLog",
    ),
    Port("IAMhaggler2012", "iamhaggler2012", "negmas:negmas_negolog.IAMhaggler", "NegoLog"),
    Port("YXAgent", "yxagent", "negmas:negmas_negolog.YXAgent", "NegoLog"),
    Port("ParsCat", "parscat", "negmas:negmas_negolog.ParsCatAgent", "NegoLog"),
    Port("Rubick", "rubick", "negmas:negmas_negolog.Rubick", "NegoLog"),
    Port("AgentBuyog", "agentbuyog", "negmas:negmas_negolog.AgentBuyog", "NegoLog"),
    # NegoLog has no AgentK, and its Boulware/Conceder/Linear are another algorithm (a Bézier
    # target): GENIUS's TimeDependentAgent* as negmas-genius-agents ports them are zopa's.
    Port("AgentK", "agentk", "negmas:negmas_genius_agents.AgentK", "negmas-genius-agents"),
    Port(
        "Boulware",
        "boulware",
        "negmas:negmas_genius_agents.TimeDependentAgentBoulware",
        "negmas-genius-agents",
    ),
    Port(
        "Linear",
        "linear",
        "negmas:negmas_genius_agents.TimeDependentAgentLinear",
        "negmas-genius-agents",
    ),
    Port(
        "Conceder",
        "conceder",
        "negmas:negmas_genius_agents.TimeDependentAgentConceder",
        "negmas-genius-agents",
    ),
    Port(
        "Hardliner",
        "hardliner",
        "negmas:negmas_genius_agents.TimeDependentAgentHardliner",
        "negmas-genius-agents",
    ),
    # ANAC 2010–2012 champions (GENIUS): NegoLog has NiceTitForTat; the others are compared
    # with negmas-genius-agents' ports.
    Port("Yushu", "yushu", "negmas:negmas_genius_agents.Yushu", "negmas-genius-agents"),
    Port(
        "IAMhaggler2011",
        "iamhaggler2011",
        "negmas:negmas_genius_agents.IAMhaggler2011",
        "negmas-genius-agents",
    ),
    Port(
        "NiceTitForTat",
        "nicetitfortat",
        "negmas:negmas_negolog.NiceTitForTat",
        "NegoLog",
    ),
    Port(
        "TheNegotiator",
        "thenegotiator",
        "negmas:negmas_genius_agents.TheNegotiator",
        "negmas-genius-agents",
    ),
    Port("AgentLG", "agentlg", "negmas:negmas_genius_agents.AgentLG", "negmas-genius-agents"),
    Port("OMACagent", "omacagent", "negmas:negmas_genius_agents.OMACAgent", "negmas-genius-agents"),
    Port("BRAMAgent", "bramagent", "negmas:negmas_genius_agents.BramAgent", "negmas-genius-agents"),
    Port(
        "TheNegotiatorReloaded",
        "thenegotiatorreloaded",
        "negmas:negmas_genius_agents.TheNegotiatorReloaded",
        "negmas-genius-agents",
    ),
    Port("Nozomi", "nozomi", "negmas:negmas_genius_agents.Nozomi", "negmas-genius-agents"),
    Port(
        "TheFawkes",
        "thefawkes",
        "negmas:negmas_genius_agents.TheFawkes",
        "negmas-genius-agents",
    ),
    Port(
        "TMFAgent",
        "tmfagent",
        "negmas:negmas_genius_agents.TMFAgent",
        "negmas-genius-agents",
    ),
    Port(
        "InoxAgent",
        "inoxagent",
        "negmas:negmas_genius_agents.InoxAgent",
        "negmas-genius-agents",
    ),
    Port("AgentM", "agentm", "negmas:negmas_genius_agents.AgentM", "negmas-genius-agents"),
    Port(
        "WhaleAgent",
        "whaleagent",
        "negmas:negmas_genius_agents.WhaleAgent",
        "negmas-genius-agents",
    ),
    Port(
        "PokerFace",
        "pokerface",
        "negmas:negmas_genius_agents.PokerFace",
        "negmas-genius-agents",
    ),
    Port("Farma", "farma", "negmas:negmas_genius_agents.Farma", "negmas-genius-agents"),
    Port(
        "CaduceusDC16",
        "caduceusdc16",
        "negmas:negmas_genius_agents.CaduceusDC16",
        "negmas-genius-agents",
    ),
    Port("DoNA", "dona", "negmas:negmas_genius_agents.DoNA", "negmas-genius-agents"),
    Port(
        "Gangster",
        "gangster",
        "negmas:negmas_genius_agents.Gangster",
        "negmas-genius-agents",
    ),
    Port(
        "MetaAgent",
        "metaagent",
        "negmas:negmas_genius_agents.MetaAgent2013",
        "negmas-genius-agents",
    ),
    # ANAC 2018-2019 champions GENIUS has and NegoLog does not.
    Port(
        "AgreeableAgent2018",
        "agreeableagent2018",
        "negmas:negmas_genius_agents.AgreeableAgent2018",
        "negmas-genius-agents",
    ),
    Port("MengWan", "mengwan", "negmas:negmas_genius_agents.MengWan", "negmas-genius-agents"),
    Port("Sontag", "sontag", "negmas:negmas_genius_agents.Sontag", "negmas-genius-agents"),
    Port("KakeSoba", "kakesoba", "negmas:negmas_genius_agents.KakeSoba", "negmas-genius-agents"),
    Port(
        "Gahboninho", "gahboninho", "negmas:negmas_genius_agents.Gahboninho", "negmas-genius-agents"
    ),
    Port(
        "ValueModelAgent",
        "valuemodelagent",
        "negmas:negmas_genius_agents.ValueModelAgent",
        "negmas-genius-agents",
    ),
)


@dataclass(frozen=True)
class Config:
    """Which configurations are run: domains (folders under ``negmas-genius/``), zopa
    opponents, seeds and the deadline in rounds. Every agent plays both sides."""

    name: str
    domains: tuple[str, ...]
    opponents: tuple[str, ...]
    seeds: tuple[int, ...]
    rounds: int


# Undiscounted GENIUS domains with reservation value 0 (an independent port seated through
# zopa.negmas is given no discount), small to medium.
_SMALL_DOMAINS = (
    "anac/y2013/planes",  # 27 outcomes
    "anac/y2010/ItexvsCypress",  # 180
    "anac/y2013/DogChoosing",  # 270
    "anac/y2010/EnglandZimbabwe",  # 576
    "anac/y2013/Icecream",  # 720
    "anac/y2011/Amsterdam",  # 3,024
)

CONFIGS: dict[str, Config] = {
    # The tests': six domains, two opponents, two seeds, 100 rounds.
    "small": Config("small", _SMALL_DOMAINS, ("boulware", "hardheaded"), (1, 2), 100),
    # The documented table: seven domains up to 15,625 outcomes, four opponents, two seeds.
    "full": Config(
        "full",
        _SMALL_DOMAINS + ("anac/y2011/Car",),
        ("boulware", "conceder", "linear", "hardheaded"),
        (1, 2),
        100,
    ),
}


@dataclass
class Run:
    """One negotiation of one port."""

    agreement: tuple | None
    own: float
    opponent: float
    rounds: int
    trace: tuple
    error: str | None


@dataclass
class Summary:
    """One agent's comparison (``zopa_*`` for zopa's port, ``ind_*`` for the independent
    one)."""

    agent: str
    zopa: str
    independent: str
    source: str
    runs: int = 0
    errors: int = 0
    zopa_agreement: float = 0.0
    ind_agreement: float = 0.0
    zopa_own: float = 0.0
    ind_own: float = 0.0
    zopa_opponent: float = 0.0
    ind_opponent: float = 0.0
    zopa_rounds: float = 0.0
    ind_rounds: float = 0.0
    same_outcome: float = 0.0
    configurations: int = 0
    #: Configurations where both ports left one trace whatever the seed.
    seed_independent: int = 0
    #: Among those, the share where the two traces are the same (None when there are none).
    same_trace: float | None = None
    #: Configurations where the independent port left one trace whatever the seed.
    ind_seed_independent: int = 0
    #: The share of same outcomes in those configurations (None when there are none): the
    #: comparison with the independent port where it is deterministic.
    same_outcome_deterministic: float | None = None
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    @property
    def own_gap(self) -> float:
        return abs(self.zopa_own - self.ind_own)

    @property
    def opponent_gap(self) -> float:
        return abs(self.zopa_opponent - self.ind_opponent)


def _seed_everything(seed: int) -> None:
    """Seeds what the independent ports draw from: NegMAS's ``apply_seed`` seeds Python's and
    NumPy's global generators and every seeder a package registered (``negmas-negolog``
    registers one that seeds the private ``random.Random()`` its agents build)."""
    import negmas_negolog  # noqa: F401  (registers its seeder)
    from negmas.helpers.rand import apply_seed

    apply_seed(seed)


def _play(scenario, seats: list[str], parties: list[str], me: int, rounds: int, seed: int) -> Run:
    _seed_everything(seed)
    r = zopa.run(scenario, seats, rounds=rounds, seed=seed, parties=parties)
    names = r["parties"]
    mine = names.index(parties[me])
    theirs = names.index(parties[1 - me])
    agreement = tuple(r["agreement"].values()) if r["agreement"] else None
    trace = tuple(
        (e["actor"], e["action"], tuple(e["outcome"].values()) if e["outcome"] else None)
        for e in r["trace"]
    )
    return Run(
        agreement,
        r["utilities"][mine],
        r["utilities"][theirs],
        r["rounds"],
        trace,
        r["error"],
    )


def run_port(
    port: Port,
    config: Config,
    scenarios: Path,
    progress: Callable[[str], None] | None = None,
) -> Summary:
    """Runs one agent's comparison under ``config``; ``scenarios`` is the reference corpus
    (its ``negmas-genius`` folder holds the domains)."""
    started = time.perf_counter()
    s = Summary(port.agent, port.zopa, port.independent, port.source)
    pairs: list[tuple[Run, Run]] = []
    deterministic: list[tuple[Run, Run]] = []
    for domain in config.domains:
        scenario = zopa.load(str(scenarios / "negmas-genius" / domain))
        names = [p["name"] for p in scenario.parties if p["role"] == "negotiator"][:2]
        for opponent in config.opponents:
            for side in (0, 1):
                parties = names if side == 0 else names[::-1]
                by_seed: list[tuple[Run, Run]] = []
                for seed in config.seeds:
                    runs = []
                    for agent in (port.zopa, port.independent):
                        seats = [agent, opponent] if side == 0 else [opponent, agent]
                        runs.append(_play(scenario, seats, parties, side, config.rounds, seed))
                    pair = (runs[0], runs[1])
                    for label, run in zip(("zopa", "independent"), pair):
                        if run.error is not None:
                            s.errors += 1
                            s.failures.append(f"{label} {domain} vs {opponent}: {run.error}")
                    by_seed.append(pair)
                pairs.extend(by_seed)
                s.configurations += 1
                zopa_fixed = all(p[0].trace == by_seed[0][0].trace for p in by_seed)
                ind_fixed = all(p[1].trace == by_seed[0][1].trace for p in by_seed)
                s.ind_seed_independent += ind_fixed
                if ind_fixed:
                    deterministic.extend(by_seed)
                if zopa_fixed and ind_fixed:
                    s.seed_independent += 1
                    s.same_trace = (s.same_trace or 0.0) + (
                        by_seed[0][0].trace == by_seed[0][1].trace
                    )
            if progress:
                progress(f"{port.agent}: {domain} vs {opponent}")
    n = len(pairs)
    s.runs = n

    def mean(f: Callable[[Run], float]) -> tuple[float, float]:
        return (sum(f(a) for a, _ in pairs) / n, sum(f(b) for _, b in pairs) / n)

    s.zopa_agreement, s.ind_agreement = mean(lambda r: float(r.agreement is not None))
    s.zopa_own, s.ind_own = mean(lambda r: r.own)
    s.zopa_opponent, s.ind_opponent = mean(lambda r: r.opponent)
    s.zopa_rounds, s.ind_rounds = mean(lambda r: float(r.rounds))
    s.same_outcome = _same_outcome(pairs)
    if deterministic:
        s.same_outcome_deterministic = _same_outcome(deterministic)
    if s.same_trace is not None:
        s.same_trace /= s.seed_independent
    s.seconds = time.perf_counter() - started
    return s


def _same_outcome(pairs: list[tuple[Run, Run]]) -> float:
    return sum(a.agreement == b.agreement for a, b in pairs) / len(pairs)


def compare(
    config: Config,
    scenarios: Path,
    ports: tuple[Port, ...] = PORTS,
    progress: Callable[[str], None] | None = None,
) -> list[Summary]:
    """Every port's comparison under ``config``."""
    return [run_port(p, config, scenarios, progress) for p in ports]


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f} %"


def markdown(summaries: list[Summary], config: Config) -> str:
    """The table of docs/strategies.md's section "Fidelity against independent ports"."""
    lines = [
        f"Configuration `{config.name}`: {len(config.domains)} domains "
        f"({', '.join(d.split('/')[-1] for d in config.domains)}), opponents "
        f"{', '.join(config.opponents)}, seeds {', '.join(map(str, config.seeds))}, "
        f"{config.rounds} rounds, each agent on both sides.",
        "",
        "| agent | independent port | runs | agreement zopa / ind. | own utility zopa / ind. "
        "| opponent utility zopa / ind. | rounds zopa / ind. | same outcome "
        "| same outcome where ind. is deterministic "
        "| seed-independent configs (ind. alone) | same trace |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in summaries:
        lines.append(
            f"| {s.agent} (`{s.zopa}`) | {s.source} `{s.independent.split('.')[-1]}` | {s.runs} "
            f"| {_pct(s.zopa_agreement)} / {_pct(s.ind_agreement)} "
            f"| {s.zopa_own:.3f} / {s.ind_own:.3f} "
            f"| {s.zopa_opponent:.3f} / {s.ind_opponent:.3f} "
            f"| {s.zopa_rounds:.1f} / {s.ind_rounds:.1f} "
            f"| {_pct(s.same_outcome)} "
            f"| {_pct(s.same_outcome_deterministic)} "
            f"| {s.seed_independent} of {s.configurations} ({s.ind_seed_independent}) "
            f"| {_pct(s.same_trace)} |"
        )
    return "\n".join(lines) + "\n"


def _default_scenarios() -> Path:
    """``../shared/scenarios`` from the repository: the working directory's (the repository
    root, as the README runs commands), else the one this file sits in."""
    candidates = [Path.cwd().parent / "shared" / "scenarios"]
    here = Path(__file__).resolve()
    if len(here.parents) > 3:
        candidates.append(here.parents[3].parent / "shared" / "scenarios")
    for c in candidates:
        if (c / "negmas-genius").is_dir():
            return c
    return candidates[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m zopa.fidelity",
        description="zopa's ports of ANAC agents against independent ports (NegoLog's, "
        "negmas-genius-agents'), in zopa's mechanism.",
    )
    parser.add_argument("--config", choices=sorted(CONFIGS), default="small")
    parser.add_argument(
        "--agents",
        help="comma-separated agents (default: all): " + ", ".join(p.agent for p in PORTS),
    )
    parser.add_argument("--scenarios", type=Path, default=None, help="the reference corpus")
    parser.add_argument("--json", type=Path, help="also write the summaries as JSON here")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    ports = PORTS
    if args.agents:
        wanted = [a.strip() for a in args.agents.split(",") if a.strip()]
        known = {p.agent.lower(): p for p in PORTS}
        unknown = [a for a in wanted if a.lower() not in known]
        if unknown:
            print(
                f"error: unknown agent(s) {', '.join(unknown)}; known: "
                + ", ".join(p.agent for p in PORTS),
                file=sys.stderr,
            )
            return 2
        ports = tuple(known[a.lower()] for a in wanted)
    scenarios = args.scenarios or _default_scenarios()
    if not (scenarios / "negmas-genius").is_dir():
        print(
            f"error: {scenarios} holds no negmas-genius folder; give the reference corpus "
            "with --scenarios",
            file=sys.stderr,
        )
        return 2
    try:
        import negmas_genius_agents  # noqa: F401
        import negmas_negolog  # noqa: F401
    except ImportError as e:
        print(
            f"error: {e}: pip install negmas-negolog negmas-genius-agents", file=sys.stderr
        )
        return 2
    config = CONFIGS[args.config]

    def progress(text: str) -> None:
        if not args.quiet:
            print(text, file=sys.stderr, flush=True)

    summaries = compare(config, scenarios, ports, progress)
    print(markdown(summaries, config), end="")
    if args.json:
        payload: dict[str, Any] = {
            "config": asdict(config),
            "summaries": [asdict(s) for s in summaries],
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
