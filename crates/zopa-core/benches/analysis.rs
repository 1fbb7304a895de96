//! `cargo bench -p zopa-core`: analysis of a 10^6-outcome bilateral space (both methods) and
//! of a synthetic 28-issue, 3-party plan (~10^15 outcomes, additive frontier only), also
//! with exclusions over several issues (the restricted merge alone, and with the comparison
//! against the unrestricted analysis that says which restrictions bind).

use zopa_core::analysis::{analyze, AnalysisConfig, Definitions, MethodChoice};
use zopa_core::{
    AdditiveUtility, Condition, Evaluator, Exclusion, Issue, Party, Role, Scenario, UtilityFunction,
};

fn main() {
    divan::main();
}

/// A deterministic scenario: `sizes[i]` values per issue, `n` parties with opposed and peaked
/// preferences (a linear congruential generator, so every run builds the same one).
fn scenario(sizes: &[usize], n: usize) -> Scenario {
    let mut state: u64 = 20251127;
    let mut rand = move || {
        state = (state * 1103515245 + 12345) % (1 << 31);
        state as f64 / (1u64 << 31) as f64
    };
    let issues = sizes
        .iter()
        .enumerate()
        .map(|(i, &k)| {
            let names: Vec<String> = (0..k).map(|v| format!("v{v}")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            Issue::discrete(format!("issue-{i}"), &names)
        })
        .collect();
    let parties = (0..n)
        .map(|p| {
            let raw: Vec<f64> = sizes.iter().map(|_| 0.2 + rand()).collect();
            let total: f64 = raw.iter().sum();
            let evaluators = sizes
                .iter()
                .map(|&k| {
                    let peak = (rand() * k as f64) as usize;
                    Evaluator::Table(
                        (0..k)
                            .map(|j| {
                                let x = j as f64 / (k - 1) as f64;
                                match p {
                                    0 => x,
                                    1 => 1.0 - x,
                                    _ => 1.0 - (j as f64 - peak as f64).abs() / (k - 1) as f64,
                                }
                            })
                            .collect(),
                    )
                })
                .collect();
            Party {
                name: format!("party-{p}"),
                role: Role::Negotiator,
                utility: UtilityFunction::Additive(AdditiveUtility {
                    weights: raw.iter().map(|w| w / total).collect(),
                    evaluators,
                    cap_at_one: false,
                }),
                reservation: Some(0.3.into()),
                discount: None,
                cost_per_round: None,
                capability: None,
                salience: None,
                red_lines: Vec::new(),
                controls: Vec::new(),
                description: None,
            }
        })
        .collect();
    Scenario {
        ranges: zopa_core::Ranges::default(),
        name: "bench".into(),
        description: None,
        issues,
        parties,
        notes: Vec::new(),
        events: Vec::new(),
        calendar: None,
        texts: Vec::new(),
        exclusions: Vec::new(),
    }
}

fn run(s: &Scenario, method: MethodChoice) -> usize {
    let mut config = AnalysisConfig::new(Definitions::Zopa);
    config.method = method;
    analyze(s, &config).unwrap().frontier.len()
}

#[divan::bench(sample_count = 10)]
fn million_outcomes_enumeration(bencher: divan::Bencher) {
    let s = scenario(&[10; 6], 2);
    bencher.bench(|| run(divan::black_box(&s), MethodChoice::Enumeration));
}

#[divan::bench(sample_count = 10)]
fn million_outcomes_additive_frontier(bencher: divan::Bencher) {
    let s = scenario(&[10; 6], 2);
    bencher.bench(|| run(divan::black_box(&s), MethodChoice::AdditiveFrontier));
}

/// What `--method auto` picks on an additive 10^6-outcome space (it used to enumerate).
#[divan::bench(sample_count = 10)]
fn million_outcomes_auto(bencher: divan::Bencher) {
    let s = scenario(&[10; 6], 2);
    bencher.bench(|| run(divan::black_box(&s), MethodChoice::Auto));
}

#[divan::bench(sample_count = 5)]
fn plan_28_issues_3_parties(bencher: divan::Bencher) {
    let mut sizes = vec![4; 13];
    sizes.extend([3; 15]);
    let s = scenario(&sizes, 3);
    bencher.bench(|| run(divan::black_box(&s), MethodChoice::AdditiveFrontier));
}

/// The plan with three exclusions: two adjacent issues, issues ten apart, three issues.
fn plan_28_with_exclusions() -> Scenario {
    let mut sizes = vec![4; 13];
    sizes.extend([3; 15]);
    let mut s = scenario(&sizes, 3);
    let exclusion = |s: &Scenario, name: &str, when: &[&str]| Exclusion {
        name: name.into(),
        when: when
            .iter()
            .map(|c| Condition::parse(c, &s.issues).unwrap())
            .collect(),
        source: None,
        description: None,
    };
    s.exclusions = vec![
        exclusion(&s, "adjacent", &["issue-2 = v3", "issue-3 = v0"]),
        exclusion(&s, "spread", &["issue-9 = v1", "issue-19 = v2"]),
        exclusion(
            &s,
            "three",
            &["issue-4 in [v0, v1]", "issue-5 = v2", "issue-6 != v3"],
        ),
    ];
    s
}

#[divan::bench(sample_count = 5)]
fn plan_28_with_exclusions_restricted_only(bencher: divan::Bencher) {
    let s = plan_28_with_exclusions();
    let mut config = AnalysisConfig::new(Definitions::Zopa);
    config.compare_unrestricted = false;
    bencher.bench(|| {
        analyze(divan::black_box(&s), &config)
            .unwrap()
            .frontier
            .len()
    });
}

#[divan::bench(sample_count = 5)]
fn plan_28_with_exclusions_and_comparison(bencher: divan::Bencher) {
    let s = plan_28_with_exclusions();
    bencher.bench(|| run(divan::black_box(&s), MethodChoice::AdditiveFrontier));
}
