"""The scenario API: loading every format, issues, parties, utilities, TOML both ways, dicts,
and errors as exceptions with the command's message."""

from __future__ import annotations

import pytest
import zopa


def test_load_reads_every_example_format():
    for path in [
        "scenarios/examples/laptop-sale.toml",
        "scenarios/examples/genius-job",
        "scenarios/examples/geniusweb-trip",
        "scenarios/examples/negolog-fruit",
        "scenarios/examples/negmas-paint",
    ]:
        s = zopa.load(path)
        assert isinstance(s, zopa.Scenario)
        assert s.path == path
        assert len(s.issues) >= 1 and len(s.parties) >= 2


def test_issues_and_parties():
    s = zopa.load("scenarios/examples/laptop-sale.toml")
    assert s.name == "laptop-sale"
    assert s.issues == [
        {"name": "brand", "kind": "discrete", "values": ["Dell", "Lenovo", "Apple"]},
        {"name": "warranty", "kind": "integer", "min": 0, "max": 3},
        {"name": "price", "kind": "real", "min": 0.8, "max": 2.0},
    ]
    assert [p["name"] for p in s.parties] == ["buyer", "seller"]
    assert s.parties[0] == {"name": "buyer", "role": "negotiator", "reservation_value": 0.35}
    assert s.values("brand") == ["Dell", "Lenovo", "Apple"]
    assert s.values("warranty") == [0, 1, 2, 3]


def test_utility_equals_the_analysis():
    s = zopa.load("scenarios/examples/laptop-sale.toml")
    nash = s.analyze()["nash"]
    got = [s.utility(p["name"], nash["outcome"]) for p in s.parties]
    assert got == nash["utilities"]


def test_utility_refuses_a_bad_outcome_saying_why():
    s = zopa.load("scenarios/examples/laptop-sale.toml")
    with pytest.raises(zopa.OptionError, match="is not a value of issue `brand`"):
        s.utility("buyer", {"brand": "Acer", "warranty": 1, "price": 1.0})
    with pytest.raises(zopa.OptionError, match="leaves issue `price` out"):
        s.utility("buyer", {"brand": "Dell", "warranty": 1})
    with pytest.raises(zopa.OptionError, match="no party named `nobody`"):
        s.utility("nobody", {"brand": "Dell", "warranty": 1, "price": 1.0})


def test_toml_round_trip():
    for path in ["scenarios/examples/genius-job", "scenarios/examples/dated-talks.toml"]:
        s = zopa.load(path)
        again = zopa.Scenario.from_toml(s.to_toml())
        assert again.to_toml() == s.to_toml()
        assert again.analyze()["pareto"] == s.analyze()["pareto"]


def test_from_dict():
    s = zopa.Scenario.from_dict(
        {
            "name": "split",
            "issues": [{"name": "share", "values": ["low", "mid", "high"]}],
            "parties": [
                {"name": "a", "weights": {"share": 1},
                 "evaluations": {"share": {"low": 0, "mid": 0.5, "high": 1}}},
                {"name": "b", "weights": {"share": 1},
                 "evaluations": {"share": {"low": 1, "mid": 0.5, "high": 0}}},
            ],
        }
    )
    assert s.name == "split"
    assert s.utility("a", {"share": "mid"}) == 0.5
    assert s.analyze()["pareto"]["size"] == 3


def test_strategies_lists_the_registry():
    kinds = zopa.strategies()
    assert {"boulware", "conceder", "atlas3"} <= set(kinds["negotiator"])
    assert "hill-climbing" in kinds["mediator"]


def test_a_missing_file_raises_a_load_error_as_the_cli_prints_it(cli):
    status, _, err = cli("analyze", "missing.toml")
    assert status == 2
    with pytest.raises(zopa.LoadError) as e:
        zopa.load("missing.toml")
    assert f"error: {e.value}\n" == err
    assert e.value.path == "missing.toml"
    assert e.value.problem.startswith("cannot open")
    assert e.value.place is None
    assert e.value.fix == "give the path of a scenario file or folder"
    assert isinstance(e.value, zopa.ZopaError)


def test_malformed_toml_names_file_place_and_fix(cli, tmp_path):
    bad = tmp_path / "s.toml"
    bad.write_text('name = "t"\n[[issues]\nname = "x"\n')
    status, _, err = cli("analyze", str(bad))
    assert status == 2
    with pytest.raises(zopa.LoadError) as e:
        zopa.load(str(bad))
    assert f"error: {e.value}\n" == err
    assert e.value.path == str(bad)
    assert e.value.place is not None and "line" in e.value.place


def test_from_toml_errors_name_the_given_path():
    with pytest.raises(zopa.LoadError) as e:
        zopa.Scenario.from_toml('name = "t"\nissues = []\nparties = []\n', path="mine.toml")
    assert e.value.path == "mine.toml"
    assert str(e.value).startswith("mine.toml")


@pytest.mark.parametrize(
    "flags,options",
    [
        (["--negotiators", "nope"], dict(negotiators=["nope"])),
        (["--negotiators", "boulware:e=x"], dict(negotiators=["boulware:e=x"])),
        (["--negotiators", "boulware", "--protocol", "nope"], dict(negotiators=["boulware"], protocol="nope")),
        (["--negotiators", "boulware", "--stall", "nobody:0.2"], dict(negotiators=["boulware"], stall=["nobody:0.2"])),
        (["--negotiators", "boulware", "--time", "2x"], dict(negotiators=["boulware"], time="2x")),
        (["--negotiators", "boulware", "--mediator", "feedback"], dict(negotiators=["boulware"], mediator="feedback")),
        (["--negotiators", "boulware", "--protocol", "stacked", "--parties", "buyer"],
         dict(negotiators=["boulware"], protocol="stacked", parties=["buyer"])),
    ],
)
def test_bad_run_options_raise_the_cli_message(cli, flags, options):
    path = "scenarios/examples/laptop-sale.toml"
    status, _, err = cli("run", path, *flags)
    assert status == 2
    negotiators = options.pop("negotiators")
    with pytest.raises(zopa.OptionError) as e:
        zopa.run(path, negotiators, **options)
    assert f"error: {e.value}\n" == err


@pytest.mark.parametrize(
    "flags,options",
    [
        (["--method", "nope"], dict(method="nope")),
        (["--parties", "buyer,buyer"], dict(parties=["buyer", "buyer"])),
        (["--parties", "x"], dict(parties=["x"])),
        (["--definitions", "nope"], dict(definitions="nope")),
    ],
)
def test_bad_analyze_options_raise_the_cli_message(cli, flags, options):
    path = "scenarios/examples/laptop-sale.toml"
    status, _, err = cli("analyze", path, *flags)
    assert status == 2
    with pytest.raises(zopa.OptionError) as e:
        zopa.load(path).analyze(**options)
    # clap words an unknown --definitions itself; the reason after it is zopa's.
    assert str(e.value) in err


def test_an_analysis_refusal_is_an_analysis_error(cli):
    path = "scenarios/examples/plan-28.toml"
    status, _, err = cli("analyze", path, "--method", "enumeration")
    assert status == 2
    with pytest.raises(zopa.AnalysisError) as e:
        zopa.load(path).analyze(method="enumeration")
    assert f"error: {e.value}\n" == err


def test_a_run_reports_how_well_each_opponent_model_predicted():
    r = zopa.run("scenarios/examples/genius-job", ["hardheaded", "boulware"], rounds=50, seed=3)
    first, second = r["opponent_models"]
    assert second is None, "boulware keeps no model"
    assert first["model"] == "frequency" and first["sampled"] is False
    assert first["outcomes"] >= 2
    assert 0.0 <= first["rmse"] and -1.0 <= first["kendall_tau"] <= 1.0
    assert -1.0 <= first["spearman"] <= 1.0 and 0.0 <= first["kendall_optimality"] <= 1.0
    again = zopa.run("scenarios/examples/genius-job", ["hardheaded", "boulware"], rounds=50, seed=3)
    assert again["opponent_models"] == r["opponent_models"]
