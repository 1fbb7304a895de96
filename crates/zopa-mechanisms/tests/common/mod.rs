//! Scenarios built in code for the integration tests.
#![allow(dead_code)] // each test file uses some of these

use std::path::PathBuf;

use zopa_core::{AdditiveUtility, Evaluator, Issue, Party, Role, Scenario, UtilityFunction};

/// A party with one table-evaluated issue.
pub fn party(name: &str, role: Role, table: Vec<f64>, rv: f64) -> Party {
    Party {
        name: name.into(),
        role,
        utility: UtilityFunction::Additive(AdditiveUtility {
            weights: vec![1.0],
            evaluators: vec![Evaluator::Table(table)],
            cap_at_one: false,
        }),
        reservation: Some(rv.into()),
        discount: None,
        cost_per_round: None,
        capability: None,
        salience: None,
        red_lines: Vec::new(),
        controls: Vec::new(),
        description: None,
    }
}

/// Split a pie of `k` + 1 slices: A gets x, B gets 1 − x.
pub fn pie(k: usize, rv: (f64, f64)) -> Scenario {
    let names: Vec<String> = (0..=k).map(|i| i.to_string()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let xs: Vec<f64> = (0..=k).map(|i| i as f64 / k as f64).collect();
    Scenario {
        ranges: zopa_core::Ranges::default(),
        name: "pie".into(),
        description: None,
        issues: vec![Issue::discrete("x", &names)],
        parties: vec![
            party("A", Role::Negotiator, xs.clone(), rv.0),
            party(
                "B",
                Role::Negotiator,
                xs.iter().map(|x| 1.0 - x).collect(),
                rv.1,
            ),
        ],
        events: Vec::new(),
        notes: Vec::new(),
        calendar: None,
        texts: Vec::new(),
        exclusions: Vec::new(),
    }
}

/// A path under the shared folder beside the repository.
/// Fails, saying so, when the reference data is missing: the test's prerequisite.
pub fn shared(rel: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel);
    assert!(
        path.exists(),
        "{} is missing: this test needs the reference scenarios in ../shared beside the repository (see README, \"Tests\")",
        path.display()
    );
    path
}

/// A path in this repository.
pub fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}
