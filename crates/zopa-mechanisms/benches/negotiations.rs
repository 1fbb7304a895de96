//! `cargo bench -p zopa-mechanisms --bench negotiations`: the negotiations of issue 15's table,
//! one per iteration, each with its rankings built afresh (no shared cache), record_trace off:
//!
//! * `aspiration_vs_boulware_1e3`: 3 issues of 10 values, 44 rounds (goal ≤ 20 µs);
//! * `sao_1e6`: 6 issues of 10 values (10^6 outcomes), aspiration against boulware, 72 rounds;
//! * `ukraine_300`: `scenarios/ukraine-2025`, boulware against aspiration, 300 rounds (≤ 50 ms).
//!
//! The synthetic spaces come from [`grid_scenario`]: a fixed linear congruential generator,
//! two-decimal weights and evaluations, two parties with opposed preferences.

use std::path::PathBuf;

use zopa_core::Scenario;
use zopa_mechanisms::{run, Deadline, Protocol, RunSpec, Spec};

fn main() {
    divan::main();
}

/// `issues` issues of `values` values each, two parties with opposed two-decimal preferences.
pub fn grid_scenario(issues: usize, values: usize) -> Scenario {
    let mut state: u64 = 20_251_129;
    let mut next = move || {
        state = (state * 1_103_515_245 + 12_345) % (1 << 31);
        state as f64 / (1u64 << 31) as f64
    };
    let mut text = String::from("name = \"grid\"\n");
    for i in 0..issues {
        let vals: Vec<String> = (0..values).map(|v| format!("\"v{v}\"")).collect();
        text += &format!(
            "[[issues]]\nname = \"i{i}\"\nvalues = [{}]\n",
            vals.join(", ")
        );
    }
    for (p, name) in ["A", "B"].iter().enumerate() {
        let raw: Vec<u32> = (0..issues).map(|_| 10 + (next() * 90.0) as u32).collect();
        let total: u32 = raw.iter().sum();
        let mut weights: Vec<u32> = raw.iter().map(|r| r * 100 / total).collect();
        let rest = 100 - weights.iter().sum::<u32>();
        weights[0] += rest;
        text += &format!("[[parties]]\nname = \"{name}\"\nrole = \"negotiator\"\nreservation = 0.2\n[parties.weights]\n");
        for (i, w) in weights.iter().enumerate() {
            text += &format!("i{i} = {}\n", f64::from(*w) / 100.0);
        }
        text += "[parties.evaluations]\n";
        for i in 0..issues {
            let evals: Vec<String> = (0..values)
                .map(|v| {
                    let base = v as f64 / (values - 1) as f64;
                    let noisy = (base + 0.2 * next() - 0.1).clamp(0.0, 1.0);
                    let e = if p == 0 { noisy } else { 1.0 - noisy };
                    format!("v{v} = {}", (e * 100.0).round() / 100.0)
                })
                .collect();
            text += &format!("i{i} = {{ {} }}\n", evals.join(", "));
        }
    }
    let path = std::env::temp_dir().join(format!("zopa-bench-grid-{issues}x{values}.toml"));
    std::fs::write(&path, text).expect("temp file");
    zopa_formats::load(&path, &zopa_formats::ReadOptions::genius()).expect("grid scenario")
}

fn ukraine() -> Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios/ukraine-2025/scenario.toml");
    zopa_formats::load(&path, &zopa_formats::ReadOptions::genius()).expect("shipped scenario")
}

fn spec(negotiators: &[&str], rounds: u32) -> RunSpec {
    RunSpec {
        protocol: Protocol::Sao,
        negotiators: negotiators
            .iter()
            .map(|n| Spec::parse(n).unwrap())
            .collect(),
        deadline: Deadline::rounds(rounds),
        record_trace: false,
        ..Default::default()
    }
}

#[divan::bench(sample_count = 200)]
fn aspiration_vs_boulware_1e3(bencher: divan::Bencher) {
    let s = grid_scenario(3, 10);
    let spec = spec(&["aspiration:exp=4", "boulware"], 44);
    bencher.bench(|| run(&s, &spec).unwrap());
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn sao_1e6(bencher: divan::Bencher) {
    let s = grid_scenario(6, 10);
    let spec = spec(&["aspiration:exp=4", "boulware"], 72);
    bencher.bench(|| run(&s, &spec).unwrap());
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn ukraine_300(bencher: divan::Bencher) {
    let s = ukraine();
    let spec = spec(&["boulware", "aspiration:exp=4"], 300);
    bencher.bench(|| run(&s, &spec).unwrap());
}

/// As a tournament plays it: the rankings (bidding tables) shared across negotiations.
#[divan::bench(sample_count = 200, sample_size = 20)]
fn aspiration_vs_boulware_1e3_shared(bencher: divan::Bencher) {
    let s = grid_scenario(3, 10);
    let mut spec = spec(&["aspiration:exp=4", "boulware"], 44);
    spec.cache = Some(std::sync::Arc::new(
        zopa_mechanisms::outcomes::OutcomeCache::new(s.parties.len(), 0),
    ));
    bencher.bench(|| run(&s, &spec).unwrap());
}
