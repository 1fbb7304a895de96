//! Values and outcomes as the JSON contracts write them.

use serde_json::{json, Map, Value as Json};
use zopa_core::{IssueKind, Scenario, Value};

/// A value as the issue names it: discrete values by name, numbers as numbers.
pub fn value(scenario: &Scenario, issue: usize, v: Value) -> Json {
    match (&scenario.issues[issue].kind, v) {
        (IssueKind::Discrete { values, .. }, Value::Discrete(i)) => json!(values[i as usize]),
        (_, Value::Integer(x)) => json!(x),
        (_, Value::Real(x)) => json!(x),
        (_, Value::Discrete(i)) => json!(i),
    }
}

/// An outcome as `{issue: value}`.
pub fn outcome(scenario: &Scenario, outcome: &[Value]) -> Json {
    let mut m = Map::new();
    for (i, &v) in outcome.iter().enumerate() {
        m.insert(scenario.issues[i].name.clone(), value(scenario, i, v));
    }
    Json::Object(m)
}
