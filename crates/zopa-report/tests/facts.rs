//! The report states what the library computes: the Nash deal it prints is the analysis's, and
//! every simulated run it lists replays to the same agreement with its seed. On the flagship
//! scenario and on a classic GENIUS one.

use std::path::PathBuf;

use zopa_core::Scenario;
use zopa_mechanisms::run;

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

fn check(scenario: &Scenario) {
    let report = zopa_report::build(scenario).unwrap();
    let md = zopa_report::markdown::render(scenario, &report);
    let nash = report.analysis.nash.as_ref().expect("a Nash deal");
    assert_eq!(report.deals[0].label, "Nash");
    for (i, issue) in scenario.issues.iter().enumerate() {
        let row = md
            .lines()
            .find(|l| {
                l.starts_with(&format!("| {} |", issue.name.replace('|', "\\|")))
                    && l.matches('|').count() == report.deals.len() + 2
            })
            .unwrap_or_else(|| panic!("no deal row for {}", issue.name));
        let cells: Vec<&str> = row.split(" | ").collect();
        assert_eq!(
            cells[1].trim(),
            issue.display(nash.outcome[i]).replace('|', "\\|"),
            "Nash value of {}",
            issue.name
        );
    }
    for (k, u) in nash.utilities.iter().enumerate() {
        let party = report.analysis.parties[k];
        assert!((report.deals[0].all_utilities[party] - u).abs() < 1e-12);
    }
    assert!(!report.simulations.is_empty());
    for s in &report.simulations {
        let replay = run(&s.variant.apply(scenario), &s.spec).unwrap();
        assert_eq!(
            replay.agreement, s.result.agreement,
            "{} does not replay",
            s.label
        );
        assert_eq!(replay.rounds, s.result.rounds);
    }
    let html = zopa_report::html::render(scenario, &report, &md);
    assert!(html.contains("id=\"zopa-data\"") && html.contains("getContext(\"2d\")"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "the page must work offline"
    );
}

#[test]
fn ukraine_report_facts_match_the_library() {
    let s = zopa_formats::load(
        &repo("scenarios/ukraine-2025"),
        &zopa_formats::ReadOptions::genius(),
    )
    .unwrap();
    check(&s);
    forecast_rows_match_the_library(&s);
}

/// The forecast table prints, per issue, the SMP run's most probable final position and the
/// expected-utility model's mean after its rounds, as the forecast crate computes them.
fn forecast_rows_match_the_library(s: &Scenario) {
    use zopa_forecast::{eum, native, smp};
    let report = zopa_report::build(s).unwrap();
    let md = zopa_report::markdown::render(s, &report);
    assert!(md.contains("## Forecast (stakeholder models)"));
    let inputs = native::inputs(s).unwrap();
    let run = smp::run(&inputs.actors, 100);
    let last = run.turns.last().unwrap();
    let best = (0..last.prob.len()).fold(0, |b, k| if last.prob[k] > last.prob[b] { k } else { b });
    for (d, name) in inputs.dimensions.iter().enumerate() {
        let actors = eum::stakeholders(&inputs.actors, d, 100.0, inputs.eum_salience());
        let rounds = eum::run(&actors, zopa_report::EUM_ROUNDS, eum::EumOptions::default());
        let moved = eum::moved(&actors, &rounds.last().unwrap().positions);
        let section = md.split("## Forecast").nth(1).unwrap();
        let row = section
            .lines()
            .find(|l| l.starts_with(&format!("| {name} |")) && l.matches('|').count() == 6)
            .unwrap_or_else(|| panic!("no forecast row for {name}"));
        let cells: Vec<&str> = row.split(" | ").collect();
        assert_eq!(
            cells[1],
            format!("{:.1}", last.positions[best][d] * 100.0),
            "{name}"
        );
        assert_eq!(
            cells[3],
            format!("{:.1}", eum::weighted_mean(&moved)),
            "{name}"
        );
    }
}

#[test]
fn classic_report_facts_match_the_library() {
    let s = zopa_formats::load(
        &repo("../shared/scenarios/NegotiatorGUI/etc/templates/anac/y2010/EnglandZimbabwe"),
        &zopa_formats::ReadOptions::genius(),
    )
    .unwrap();
    check(&s);
}
