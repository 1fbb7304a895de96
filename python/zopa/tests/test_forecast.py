"""`zopa.forecast` equals `zopa forecast --json`, byte for byte: both call zopa-api."""

from __future__ import annotations

import json

import pytest
import zopa

CASES = [
    ("scenarios/examples/ktab-water.csv", "smp", {}, []),
    (
        "scenarios/examples/ktab-water.csv",
        "smp",
        {"BargnModel": "PWCompInterp", "InterVecBrgn": "S2PMax"},
        ["--set", "BargnModel=PWCompInterp", "--set", "InterVecBrgn=S2PMax"],
    ),
    ("scenarios/examples/ktab-water.csv", "eum", {}, []),
    ("scenarios/examples/bdm-budget.csv", "eum", {"Variant": "dmasad"}, ["--set", "Variant=dmasad"]),
    ("scenarios/ukraine-2025", "smp", {}, []),
    ("scenarios/ukraine-2025", "eum", {}, []),
]


@pytest.mark.parametrize("path,model,options,flags", CASES)
def test_forecast_equals_the_cli(cli, path, model, options, flags):
    status, out, err = cli("forecast", path, "--model", model, "--json", *flags)
    assert status == 0, err
    assert zopa.forecast_json(path, model=model, options=options) == out
    assert zopa.forecast(path, model, options) == json.loads(out)


def test_ktab_xml_with_turns_and_seed_equals_the_cli(cli, shared):
    path = "../shared/scenarios/ktab/smp/dummyData_3Dim.xml"
    flags = ["--set", "StateTransitions=Stochastic", "--seed", "4", "--max-turns", "5"]
    status, out, err = cli("forecast", path, "--json", *flags)
    assert status == 0, err
    got = zopa.forecast_json(
        path, options={"StateTransitions": "Stochastic"}, seed=4, max_turns=5
    )
    assert got == out


@pytest.mark.parametrize(
    "path,model,options,flags",
    [
        ("scenarios/examples/ktab-water.csv", "smp", {"BargnModel": "nope"}, ["--set", "BargnModel=nope"]),
        ("scenarios/examples/ktab-water.csv", "nope", {}, []),
        ("scenarios/examples/bdm-budget.csv", "smp", {}, []),
        ("scenarios/examples/laptop-sale.toml", "smp", {}, []),
    ],
)
def test_forecast_errors_are_the_cli_messages(cli, path, model, options, flags):
    status, _, err = cli("forecast", path, "--model", model, *flags)
    assert status == 2
    with pytest.raises(zopa.ZopaError) as e:
        zopa.forecast(path, model, options)
    assert f"error: {e.value}\n" == err
