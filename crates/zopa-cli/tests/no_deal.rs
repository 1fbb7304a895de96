//! `zopa analyze` on outside options from no-deal models (`scenarios/examples/fearon-pie.toml`):
//! the model and the value it gives, in the summary and in the JSON (`outside_options`);
//! `zopa convert` keeps the models and the events that move them.

mod common;

use common::{repo, scratch};
use serde_json::{json, Value as Json};

#[test]
fn analyze_shows_each_model_and_the_value_it_gives() {
    let example = repo("scenarios/examples/fearon-pie.toml");
    let path = example.to_str().unwrap();
    let out = common::run_ok(common::zopa().args(["analyze", path]));
    let text = String::from_utf8_lossy(&out.stdout);
    for line in [
        "events       offensive stalls: A, round 10, no-deal model: p → 0.5\n",
        "             aid package: B, round 20 until round 40, no-deal model: lose → 0.03\n",
        "reservation  A 0.5000, B 0.2500\n",
        "no deal      A 0.5000 = no-deal model: p 60 % (one decisive war), cost 0.1\n",
        "             B 0.2500 = no-deal model: prevail 4 %/period, lose 6 %/period, cost \
         0.015/period; prevails in the end with 0.4000, after 10 periods on average\n",
        "pareto       101 points (26 individually rational)\n",
        "nash         A 0.6300, B 0.3700\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }

    let out = common::run_ok(common::zopa().args(["analyze", path, "--json"]));
    let j: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["reserved_values"], json!([0.5, 0.25]));
    assert_eq!(
        j["outside_options"],
        json!([
            {"party": "A", "value": 0.5, "model": {
                "form": "one_shot", "p": 0.6, "cost": 0.1, "win": 1.0, "loss": 0.0,
                "p_prevail": 0.6, "expected_periods": 1.0
            }},
            {"party": "B", "value": 0.25, "model": {
                "form": "markov", "prevail": 0.04, "lose": 0.06, "cost": 0.015, "win": 1.0,
                "loss": 0.0, "p_prevail": 0.4, "expected_periods": 10.0
            }},
        ])
    );
}

/// A party whose reservation value is a number has no model; the summary has no `no deal`
/// line then.
#[test]
fn a_fixed_reservation_value_has_no_model() {
    let example = repo("scenarios/examples/laptop-sale.toml");
    let path = example.to_str().unwrap();
    let out = common::run_ok(common::zopa().args(["analyze", path, "--json"]));
    let j: Json = serde_json::from_slice(&out.stdout).unwrap();
    let rows = j["outside_options"].as_array().unwrap();
    assert_eq!(rows.len(), j["parties"].as_array().unwrap().len());
    for (row, (name, rv)) in rows.iter().zip(
        j["parties"]
            .as_array()
            .unwrap()
            .iter()
            .zip(j["reserved_values"].as_array().unwrap()),
    ) {
        assert_eq!(row, &json!({"party": name, "value": rv, "model": null}));
    }
    let out = common::run_ok(common::zopa().args(["analyze", path]));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("no deal"));
}

#[test]
fn convert_keeps_models_and_model_events() {
    let dir = scratch("no-deal-convert");
    let example = repo("scenarios/examples/fearon-pie.toml");
    let out = dir.join("pie.toml");
    common::run_ok(common::zopa().args([
        "convert",
        example.to_str().unwrap(),
        out.to_str().unwrap(),
    ]));
    let written = std::fs::read_to_string(&out).unwrap();
    for line in [
        "no_deal = { p = 0.6, cost = 0.1, win = 1.0, loss = 0.0 }\n",
        "no_deal = { prevail = 0.04, lose = 0.06, cost = 0.015, win = 1.0, loss = 0.0 }\n",
        "round = 10\np = 0.5\n",
        "until_round = 40\nlose = 0.03\n",
    ] {
        assert!(written.contains(line), "missing {line:?} in\n{written}");
    }
    let a = common::run_ok(common::zopa().args(["analyze", example.to_str().unwrap(), "--json"]));
    let b = common::run_ok(common::zopa().args(["analyze", out.to_str().unwrap(), "--json"]));
    let (mut a, mut b): (Json, Json) = (
        serde_json::from_slice(&a.stdout).unwrap(),
        serde_json::from_slice(&b.stdout).unwrap(),
    );
    a["scenario"] = Json::Null;
    b["scenario"] = Json::Null;
    assert_eq!(a, b);
}
