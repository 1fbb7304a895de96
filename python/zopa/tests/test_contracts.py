"""Python results equal the `zopa` command's JSON, byte for byte: both call zopa-api."""

from __future__ import annotations

import json

import pytest
import zopa

# (path relative to the repository root, definitions): the five example formats and two
# GENIUS domains of the reference corpus, one read raw as NegMAS reads it.
SCENARIOS = [
    ("scenarios/examples/laptop-sale.toml", "zopa"),
    ("scenarios/examples/genius-job", "genius"),
    ("scenarios/examples/geniusweb-trip", "geniusweb"),
    ("scenarios/examples/negolog-fruit", "negolog"),
    ("scenarios/examples/negmas-paint", "zopa"),
    ("../shared/scenarios/negmas-genius/anac/y2010/ItexvsCypress", "zopa"),
    ("../shared/scenarios/negmas-genius/anac/y2010/EnglandZimbabwe", "negmas"),
]


def needs_corpus(request, path):
    """A scenario of the reference corpus: fails, saying so, when the corpus is missing."""
    if path.startswith("../shared/"):
        request.getfixturevalue("shared")


def ids(cases):
    return [f"{p.rsplit('/', 1)[-1]}-{d}" for p, d in cases]


@pytest.mark.parametrize("path,definitions", SCENARIOS, ids=ids(SCENARIOS))
def test_analyze_equals_the_cli(cli, request, path, definitions):
    needs_corpus(request, path)
    status, out, err = cli("analyze", path, "--json", "--definitions", definitions)
    assert status == 0, err
    s = zopa.load(path, definitions=definitions)
    assert s.analyze_json(definitions=definitions) == out
    assert s.analyze(definitions=definitions) == json.loads(out)


@pytest.mark.parametrize("path,definitions", SCENARIOS, ids=ids(SCENARIOS))
def test_analyze_reads_the_file_again_when_definitions_read_it_otherwise(
    cli, request, path, definitions
):
    needs_corpus(request, path)
    # Loaded with zopa's reading, analysed with NegMAS's: the scenario is read raw again from
    # its file, as `zopa analyze --definitions negmas` reads it.
    status, out, err = cli("analyze", path, "--json", "--definitions", "negmas")
    assert status == 0, err
    assert zopa.load(path).analyze_json(definitions="negmas") == out


def test_analyze_options_equal_the_cli_flags(cli):
    path = "scenarios/examples/plan-28.toml"
    flags = ["--parties", "a,b", "--max-points", "3", "--method", "additive-frontier"]
    s = zopa.load(path)
    names = [p["name"] for p in s.parties][:2]
    flags[1] = ",".join(names)
    status, out, err = cli("analyze", path, "--json", *flags)
    assert status == 0, err
    got = s.analyze_json(parties=names, max_points=3, method="additive-frontier")
    assert got == out


def test_analyze_at_a_moment_equals_the_cli(cli):
    for path, at in [("scenarios/examples/positions.toml", 3), ("scenarios/ukraine-2025", "2025-12-01")]:
        status, out, err = cli("analyze", path, "--json", "--at", str(at))
        assert status == 0, err
        assert zopa.load(path).analyze_json(at=at) == out
    status, _, err = cli("analyze", "scenarios/examples/positions.toml", "--at", "2025-12-15")
    assert status == 2
    with pytest.raises(zopa.OptionError) as e:
        zopa.load("scenarios/examples/positions.toml").analyze(at="2025-12-15")
    assert f"error: {e.value}\n" == err


def test_analyze_with_a_horizon_equals_the_cli(cli):
    path = "scenarios/examples/dated-talks.toml"
    status, out, err = cli("analyze", path, "--json", "--horizon", "17")
    assert status == 0, err
    assert zopa.load(path).analyze_json(horizon=17) == out


RUNS = [
    (path, definitions, ["boulware", "conceder"]) for path, definitions in SCENARIOS
] + [
    ("scenarios/examples/genius-job", "zopa", ["boulware:e=0.1", "atlas3"]),
    ("scenarios/examples/laptop-sale.toml", "zopa", ["hardheaded"]),
]


@pytest.mark.parametrize(
    "path,definitions,negotiators", RUNS, ids=[f"{i}-{','.join(n)}" for i, (_, _, n) in enumerate(RUNS)]
)
def test_run_equals_the_cli(cli, request, path, definitions, negotiators):
    needs_corpus(request, path)
    status, out, err = cli(
        "run", path, "--json", "--negotiators", ",".join(negotiators),
        "--rounds", "50", "--seed", "3", "--definitions", definitions,
    )
    assert status == 0, err
    got = zopa.run_json(path, negotiators, rounds=50, seed=3, definitions=definitions)
    assert got == out
    assert zopa.run(zopa.load(path, definitions=definitions), negotiators, rounds=50, seed=3,
                    definitions=definitions) == json.loads(out)


def test_mediated_and_shuttle_runs_equal_the_cli(cli):
    cases = [
        (
            ["scenarios/examples/geniusweb-trip", "--protocol", "mediated",
             "--negotiators", "hill-climber,annealer", "--mediator", "feedback"],
            dict(protocol="mediated", mediator="feedback"),
            ["hill-climber", "annealer"],
            "scenarios/examples/geniusweb-trip",
        ),
        (
            ["scenarios/examples/laptop-sale.toml", "--protocol", "shuttle", "--mediator",
             "bargaining", "--negotiators", "boulware", "--rounds", "30", "--bluff",
             "seller:0.3:0.2", "--critiques", "strategic"],
            dict(protocol="shuttle", mediator="bargaining", rounds=30,
                 bluff=["seller:0.3:0.2"], critiques="strategic"),
            ["boulware"],
            "scenarios/examples/laptop-sale.toml",
        ),
        (
            ["scenarios/examples/dated-talks.toml", "--negotiators", "boulware",
             "--protocol", "shuttle", "--stall", "union:0.2", "--without-events"],
            dict(protocol="shuttle", stall=["union:0.2"], without_events=True),
            ["boulware"],
            "scenarios/examples/dated-talks.toml",
        ),
    ]
    for flags, options, negotiators, path in cases:
        status, out, err = cli("run", *flags, "--json")
        if status != 0:
            # The same refusal, raised as an exception with the command's message.
            with pytest.raises(zopa.ZopaError) as e:
                zopa.run_json(path, negotiators, **options)
            assert f"error: {e.value}\n" == err
            continue
        assert zopa.run_json(path, negotiators, **options) == out


def test_a_run_with_a_time_limit_has_the_cli_keys(cli):
    status, out, err = cli(
        "run", "scenarios/examples/genius-job", "--negotiators", "boulware,conceder",
        "--time", "200ms", "--json",
    )
    assert status == 0, err
    got = zopa.run("scenarios/examples/genius-job", ["boulware", "conceder"], time=0.2)
    assert list(got) == list(json.loads(out))
